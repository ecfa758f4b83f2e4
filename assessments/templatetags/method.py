"""Template helpers of the method (issue 19): freshness on the country page, rating changes and second assessments
on the review panel."""

from django import template

from assessments.method.evidence import NO_SOURCES, assessment_freshness, in_coverage_period, source_issued
from assessments.method.models import SecondAssessment, SecondAssessmentStatus
from assessments.method.rationale import rating_changed, rationale_sources
from assessments.models import Rating
from assessments.workflow.permissions import can_settle_second_assessment, can_view_agreement, is_editor

register = template.Library()


@register.inclusion_tag("method/_freshness.html")
def method_freshness(assessment, items=None) -> dict:
    """The country page's list of indicators whose evidence is stale or undated (one query given the items)."""
    rows = [row for row in assessment_freshness(assessment, items=items) if row.flags and row.flags != [NO_SOURCES]]
    return {"assessment": assessment, "cycle": assessment.cycle, "rows": rows}


@register.inclusion_tag("method/_review_changes.html", takes_context=True)
def method_rating_change(context, item, previous) -> dict:
    """The review panel's first block: the change of rating since the previous cycle and its rationale."""
    previous_rating = previous.item.rating if previous and previous.item else ""
    changed = rating_changed(item, previous_rating)
    cycle = item.country_assessment.cycle
    sources = rationale_sources(item.change_rationale) if changed and item.change_rationale.strip() else []
    dated = [(source, source_issued(source), in_coverage_period(source_issued(source), cycle)) for source in sources]
    waiver = getattr(item, "rating_change_waiver", None) if changed else None
    justified = any(in_period for _, _, in_period in dated) or (waiver is not None and waiver.covers(item))
    return {
        "item": item,
        "cycle": cycle,
        "changed": changed,
        "previous": previous,
        "previous_rating": previous_rating,
        "sources": dated,
        "waiver": waiver,
        "can_waive": changed and not justified and is_editor(context["request"].user),
        "can_calibrate": context["request"].user.is_authenticated,
        "csrf_token": context.get("csrf_token"),
    }


@register.filter
def may_view_agreement(user) -> bool:
    return can_view_agreement(user)


@register.inclusion_tag("method/_second_assessment.html", takes_context=True)
def method_second_assessment(context, item) -> dict:
    """The review panel's second assessments of the item (one query): the blind rating beside the first, and the
    settle form for its reviewer. The item page is only open to people who may see the first rating anyway. No query
    when the item was read with `has_second_assessments` false (workflow.views.item_for)."""
    user = context["request"].user
    seconds = (
        list(
            SecondAssessment.objects.filter(item=item)
            .exclude(status=SecondAssessmentStatus.CANCELLED)
            .select_related("researcher", "first_researcher", "settled_by")
            .order_by("-requested_at", "-pk")
        )
        if item.is_indicator and getattr(item, "has_second_assessments", True)
        else []
    )
    entries = [{"second": s, "can_settle": can_settle_second_assessment(user, s, item)} for s in seconds]
    return {
        "item": item,
        "seconds": entries,
        "to_settle": any(s.needs_settling for s in seconds),
        "ratings": Rating.choices,
        "csrf_token": context.get("csrf_token"),
    }
