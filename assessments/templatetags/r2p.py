"""Template helpers shared across pages."""

from django import template
from django.utils.safestring import mark_safe

from assessments.models import Rating
from assessments.rendering import markdown_to_safe_html

register = template.Library()


@register.filter
def markdown(text: str) -> str:
    """Notes markup to sanitised HTML (citations left as typed; annex rendering numbers them)."""
    return mark_safe(markdown_to_safe_html(text or ""))


@register.filter
def rating_class(value: str) -> str:
    return f"rating rating-{value}" if value in Rating.values else "rating rating-none"


@register.filter
def signed(value) -> str:
    if value is None:
        return "—"
    return f"+{value}" if value > 0 else ("−" + str(abs(value)) if value < 0 else "0")


@register.filter
def percent(part, whole) -> int:
    return round(100 * part / whole) if whole else 0
