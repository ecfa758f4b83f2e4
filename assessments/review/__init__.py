"""Review as editors really review: merges, suggested edits, comments on a passage, withdrawals, presence."""
