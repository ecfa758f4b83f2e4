"""Rebasing a suggestion onto the item as it is now: applies cleanly (three-way merge) or is outdated."""

from dataclasses import dataclass

from django.utils.safestring import SafeString

from assessments.history.diff import word_diff_html
from assessments.models import AssessmentItem, Suggestion
from assessments.review.merge import merge


@dataclass
class Rebased:
    notes: str  # the item's notes with the suggestion applied (the current notes when it is outdated)
    rating: str  # the rating the suggestion sets now ("" for none)
    outdated: bool
    stale: bool  # made on an older version (rebased, or outdated)

    def diff_html(self, current_notes: str, suggestion: Suggestion) -> SafeString:
        if self.outdated:  # show what was suggested against what it was suggested on, text kept
            return word_diff_html(suggestion.base_notes, suggestion.notes)
        return word_diff_html(current_notes, self.notes)


def rebase(suggestion: Suggestion, item: AssessmentItem) -> Rebased:
    """The suggestion applied to `item`'s current notes and rating, or outdated when it no longer applies."""
    stale = item.version != suggestion.base_version
    outdated = False
    notes = item.notes
    if suggestion.changes_notes:
        if item.notes == suggestion.base_notes:
            notes = suggestion.notes
        else:
            merged = merge(suggestion.base_notes, suggestion.notes, item.notes)
            if merged.is_clean:
                notes = merged.text()
            else:
                outdated = True
        if not outdated and notes == item.notes:
            outdated = True  # already in the text (someone made the same change)
    rating = ""
    if suggestion.rating:
        if item.rating in (suggestion.base_rating, suggestion.rating):
            rating = suggestion.rating if item.rating != suggestion.rating else ""
        else:
            outdated = True
        if not suggestion.changes_notes and not rating:
            outdated = True
    if outdated:
        return Rebased(notes=item.notes, rating="", outdated=True, stale=stale)
    return Rebased(notes=notes, rating=rating, outdated=False, stale=stale)
