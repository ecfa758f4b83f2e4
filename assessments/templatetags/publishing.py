"""Template helpers for the annex and the publishing pages."""

from django import template
from django.conf import settings

from assessments.models import Rating
from assessments.publishing.exports import FORMATS
from assessments.publishing.services import can_preview_draft, can_publish, publish_blockers, publish_warnings

register = template.Library()


@register.filter
def annex_rating_class(label: str | None) -> str:
    """A rating's display label ("Very Strong") to its CSS class."""
    try:
        value = Rating.from_label(label).value if label else "none"
    except ValueError:
        value = "none"
    return f"annex-rating annex-rating-{value}"


@register.simple_tag
def annex_language() -> str:
    """The published annexes' language (BCP 47, setting R2P_ANNEX_LANGUAGE, default en-AU)."""
    return settings.R2P_ANNEX_LANGUAGE


@register.inclusion_tag("publishing/_publish_panel.html", takes_context=True)
def publish_panel(context, assessment, items=None) -> dict:
    """The country page's Publish section: blockers or the publish form, plus draft-preview downloads."""
    user = context["request"].user
    may_publish = can_publish(user)
    may_preview = may_publish or can_preview_draft(user, assessment)
    editions = list(assessment.editions.defer("html", "snapshot").order_by("number")) if may_preview else []
    has_items = may_preview and assessment.legacy_score is None
    return {
        "assessment": assessment,
        "csrf_token": context.get("csrf_token"),
        "panel": {
            "visible": may_preview and (has_items or editions),
            "can_publish": may_publish and has_items,
            "can_preview": has_items,
            "blockers": publish_blockers(assessment, items=items) if may_publish and has_items else [],
            "warnings": publish_warnings(assessment, items=items) if may_publish and has_items else [],
            "editions": editions,
            "next_number": (editions[-1].number if editions else 0) + 1,
            "formats": FORMATS.values(),
        },
    }
