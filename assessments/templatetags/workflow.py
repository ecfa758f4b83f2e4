"""Template helpers of the workflow pages: item URLs and progress bars."""

from django import template
from django.urls import reverse

from assessments.accounts.services import display_name
from assessments.models import AssessmentItem, ItemStatus

register = template.Library()

# Segments of a progress bar, in the order they are drawn (left to right).
PROGRESS_SEGMENTS = [
    ("approved", "approved"),
    ("in_review", "in review"),
    ("changes_requested", "changes requested"),
    ("drafted", "drafted"),
]


@register.simple_tag
def item_url(item: AssessmentItem, name: str, **kwargs) -> str:
    """URL of one of an item's workflow views: {% item_url item "item-submit" %}."""
    assessment = item.country_assessment
    return reverse(name, args=[assessment.cycle.year, assessment.country.code, item.slug, *kwargs.values()])


@register.inclusion_tag("workflow/_progress_bar.html")
def progress_bar(total: int, approved=0, in_review=0, changes_requested=0, drafted=0, label="indicators"):
    """A stacked bar drawn as SVG (its widths are attributes, which the CSP allows, not inline styles)."""
    counts = {"approved": approved, "in_review": in_review, "changes_requested": changes_requested, "drafted": drafted}
    segments, x = [], 0.0
    for key, text in PROGRESS_SEGMENTS:
        width = 100 * counts[key] / total if total else 0
        segments.append({"key": key, "text": text, "count": counts[key], "x": round(x, 3), "width": round(width, 3)})
        x += width
    not_started = max(total - sum(counts.values()), 0)
    return {"segments": segments, "total": total, "not_started": not_started, "label": label}


@register.filter
def status_label(value: str | None) -> str:
    return ItemStatus(value).label if value in ItemStatus.values else "—"


@register.filter
def person(user, default: str = "—") -> str:
    """A person's full name, else their username; `default` for nobody."""
    if user is None:
        return default
    return display_name(user)
