"""'My work': a person's assignments with their progress, what awaits their review, what came back to them."""

from datetime import timedelta

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Case, IntegerField, OuterRef, Q, Subquery, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView

from assessments.models import (
    AssessmentItem,
    Assignment,
    AssignmentRole,
    Comment,
    CountryAssessment,
    Cycle,
    ItemKind,
    ItemStatus,
    SecondAssessment,
    SecondAssessmentStatus,
)
from assessments.review.deadlines import due_state, effective_due
from assessments.workflow import permissions

LIST_LIMIT = 25
ACTIVITY_LIMIT = 15  # lines shown
ACTIVITY_ROWS = 80  # history rows read to fill them (bulk changes collapse into one line)
GROUP_WINDOW = timedelta(minutes=10)


class DashboardView(LoginRequiredMixin, TemplateView):
    template_name = "workflow/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        editor = permissions.is_editor(user)
        roles: dict[int, set[str]] = {}
        dues: dict[int, list] = {}
        for assessment_id, role, due in Assignment.objects.filter(user=user).values_list(
            "country_assessment_id", "role", "due_date"
        ):
            roles.setdefault(assessment_id, set()).add(role)
            dues.setdefault(assessment_id, []).append(due)

        # Editors oversee every assessment of the newest cycle besides their own assignments.
        shown = Q(pk__in=list(roles))
        if editor:
            shown |= Q(cycle=Cycle.objects.order_by("-year").values("pk")[:1])
        assessments = list(
            CountryAssessment.objects.filter(shown)
            .with_indicator_progress()
            .annotate(next_slug=next_to_write())
            .select_related("country", "cycle")
            .order_by("-cycle__year", "country__name")
        )
        today = timezone.localdate()
        for assessment in assessments:
            assessment.my_roles = sorted(AssignmentRole(role).label for role in roles.get(assessment.pk, ()))
            own = [due for due in dues.get(assessment.pk, []) if due]
            assessment.my_due = effective_due(min(own) if own else None, assessment.due_date)
            assessment.due_state = due_state(assessment.my_due, today)
        mine = [a for a in assessments if a.pk in roles]
        overseen = [a for a in assessments if a.pk not in roles and a.indicators_total]

        reviewing = [pk for pk, held in roles.items() if AssignmentRole.REVIEWER in held]
        researching = [pk for pk, held in roles.items() if AssignmentRole.RESEARCHER in held]
        items = AssessmentItem.objects.select_related(
            "indicator", "country_assessment__country", "country_assessment__cycle", "last_edited_by"
        ).order_by("updated_at")
        awaiting = items.awaiting_review_by(user)
        if not editor:
            awaiting = awaiting.filter(country_assessment__in=reviewing)
        returned = items.filter(status=ItemStatus.CHANGES_REQUESTED).filter(
            Q(country_assessment__in=researching) | Q(last_edited_by=user)
        )
        scope = [assessment.pk for assessment in assessments]
        # Issue 19: indicators of other countries an editor asked this person to rate blind (one query).
        # Only researchers who are not editors are ever asked (permissions.blind_rater_problem): no query for others.
        blind = (
            SecondAssessment.objects.filter(researcher=user, status=SecondAssessmentStatus.REQUESTED)
            .select_related("item__indicator", "item__country_assessment__country", "item__country_assessment__cycle")
            .order_by("requested_at", "pk")
            if permissions.may_be_asked_to_rate_blind(user)
            else SecondAssessment.objects.none()
        )
        context.update(
            editor=editor,
            role_names=permissions.role_names(user),
            my_assessments=mine,
            overseen=overseen,
            awaiting_review=list(awaiting[:LIST_LIMIT]),
            returned=list(returned[:LIST_LIMIT]),
            blind_ratings=list(blind[:LIST_LIMIT]),
            activity=recent_activity(scope),
            overdue=sum(1 for a in mine if a.due_state == "overdue"),
            list_limit=LIST_LIMIT,
        )
        return context


def next_to_write() -> Subquery:
    """The slug of the item a researcher should open next: returned items first, then in reading order."""
    order = Case(
        When(status=ItemStatus.CHANGES_REQUESTED, then=0),
        When(kind=ItemKind.OVERVIEW, then=1),
        When(kind=ItemKind.INDICATOR, then=2),
        default=3,
        output_field=IntegerField(),
    )
    pending = (
        AssessmentItem.objects.filter(
            country_assessment=OuterRef("pk"), status__in=[ItemStatus.CHANGES_REQUESTED, ItemStatus.DRAFT]
        )
        .annotate(slug=Coalesce("indicator__code", "kind"))
        .order_by(order, "indicator__position")
        .values("slug")[:1]
    )
    return Subquery(pending)


def recent_activity(assessment_pks: list[int]) -> list[dict]:
    """The latest item changes and comments on these assessments, newest first (two queries)."""
    if not assessment_pks:
        return []
    changes = (
        AssessmentItem.history.filter(country_assessment_id__in=assessment_pks)
        .select_related("history_user", "indicator", "country_assessment__country", "country_assessment__cycle")
        .order_by("-history_date")[:ACTIVITY_ROWS]
    )
    comments = (
        Comment.objects.filter(item__country_assessment__in=assessment_pks)
        .select_related(
            "author", "item__indicator", "item__country_assessment__country", "item__country_assessment__cycle"
        )
        .order_by("-created_at")[:ACTIVITY_LIMIT]
    )
    events = [
        {
            "when": row.history_date,
            "who": row.history_user,
            "what": row.history_change_reason or {"+": "created", "~": "changed", "-": "deleted"}[row.history_type],
            "status": row.status,
            **_item_reference(row.country_assessment, row.kind, row.indicator),
        }
        for row in changes
    ]
    events += [
        {
            "when": comment.created_at,
            "who": comment.author,
            "what": "commented",
            "comment": comment.body,
            **_item_reference(comment.item.country_assessment, comment.item.kind, comment.item.indicator),
        }
        for comment in comments
    ]
    return _grouped(sorted(events, key=lambda event: event["when"], reverse=True))[:ACTIVITY_LIMIT]


def _grouped(events: list[dict]) -> list[dict]:
    """Collapse runs of the same person doing the same thing to one assessment (a bulk load, a busy hour)."""
    lines: list[dict] = []
    for event in events:
        last = lines[-1] if lines else None
        if (
            last is not None
            and "comment" not in event
            and "comment" not in last
            and (last["who"], last["what"], last["assessment"].pk)
            == (event["who"], event["what"], event["assessment"].pk)
            and last["when"] - event["when"] <= GROUP_WINDOW
        ):
            if event["label"] not in {item["label"] for item in last["items"]}:
                last["items"].append({"label": event["label"], "url": event["url"]})
            continue
        lines.append({**event, "items": [{"label": event["label"], "url": event["url"]}]})
    return lines


def _item_reference(assessment: CountryAssessment, kind: str, indicator) -> dict:
    slug = indicator.code if kind == ItemKind.INDICATOR else kind
    return {
        "assessment": assessment,
        "label": indicator.code if kind == ItemKind.INDICATOR else ItemKind(kind).label,
        "url": reverse("item-edit", args=[assessment.cycle.year, assessment.country.code, slug]),
    }
