"""Rebasing a suggestion onto the item as it is now: applies cleanly (three-way merge) or is outdated."""

from dataclasses import dataclass
from difflib import SequenceMatcher

from django.utils.safestring import SafeString, mark_safe

from assessments.history.diff import word_diff_html
from assessments.models import AssessmentItem, Suggestion
from assessments.review.merge import join, merge, paragraphs


@dataclass
class Rebased:
    notes: str  # the item's notes with the suggestion applied (the current notes when it is outdated)
    rating: str  # the rating the suggestion sets now ("" for none)
    outdated: bool
    stale: bool  # made on an older version (rebased, or outdated)

    def diff_html(self, current_notes: str, suggestion: Suggestion) -> SafeString:
        if self.outdated:  # show what was suggested against what it was suggested on, text kept
            return compact_diff_html(suggestion.base_notes, suggestion.notes)
        return compact_diff_html(current_notes, self.notes)


def compact_diff_html(old: str, new: str) -> SafeString:
    """The word diff of the paragraphs that changed, each run of unchanged paragraphs shown as one "…"."""
    before, after = paragraphs(old), paragraphs(new)
    parts = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append('<p class="diff-skip">…</p>')
        else:
            parts.append(f"<p>{word_diff_html(join(before[i1:i2]), join(after[j1:j2]))}</p>")
    return mark_safe("".join(parts))  # noqa: S308 - built from word_diff_html's sanitised output only


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
