"""Revision history pages: an item's timeline and comparisons, changes since approval, revert, and a
country assessment's activity feed. Staff only: login required, and rights on that country assessment."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, prefetch_related_objects
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.views.generic import TemplateView, View

from assessments.accounts.services import EDITOR
from assessments.history import timeline
from assessments.history.activity import KINDS, activity_entries, activity_queryset
from assessments.history.revert import RevisionNotFound, item_revert
from assessments.models import AssessmentItem, CountryAssessment, ItemKind
from assessments.querystring import int_param
from assessments.workflow import permissions
from assessments.workflow.services import EditConflict

SINCE_APPROVAL_SHOWN = 25


def _load_roles(user) -> None:
    """Fetch the user's groups once for the role checks the page makes."""
    prefetch_related_objects([user], "groups")


def _item(year: int, country: str, slug: str) -> AssessmentItem:
    items = AssessmentItem.objects.select_related(
        "indicator", "country_assessment__country", "country_assessment__cycle"
    ).filter(country_assessment__cycle__year=year, country_assessment__country__code=country.upper())
    if slug in (ItemKind.OVERVIEW, ItemKind.CONCLUSION):
        return get_object_or_404(items, kind=slug)
    return get_object_or_404(items, kind=ItemKind.INDICATOR, indicator__code=slug.upper())


class ItemHistoryMixin(LoginRequiredMixin):
    """Finds the item from the URL and refuses users without rights on its country assessment."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        _load_roles(request.user)
        self.item = _item(kwargs["year"], kwargs["country"], kwargs["item"])
        if not permissions.can_view_assessment(request.user, self.item.country_assessment):
            raise PermissionDenied("You have no rights on this country assessment.")
        return super().dispatch(request, *args, **kwargs)

    def history_context(self) -> dict:
        return {
            "item": self.item,
            "assessment": self.item.country_assessment,
            "can_edit": permissions.can_edit_item(self.request.user, self.item),
        }


class ItemHistoryView(ItemHistoryMixin, TemplateView):
    """The timeline (25 a page) and a comparison of revisions `?a=` and `?b=` (default: the latest two)."""

    template_name = "history/item_history.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs) | self.history_context()
        page = timeline.timeline_page(self.item, self.request.GET.get("page"))
        wanted = [int_param(self.request.GET.get("a")), int_param(self.request.GET.get("b"))]
        comparison = None
        if all(wanted):
            found = timeline.revisions_by_id(self.item, wanted)
            chosen = [found.get(value) for value in wanted]
            if all(chosen):
                older, newer = timeline.in_order(*chosen)
                comparison = timeline.compare(older, newer, is_indicator=self.item.is_indicator)
        elif page.page.number == 1 and page.revisions:
            newer = page.revisions[0]
            older = page.revisions[1] if len(page.revisions) > 1 else None
            comparison = timeline.compare(older, newer, is_indicator=self.item.is_indicator)
        selected = (
            (comparison.older.record.pk if comparison.older else None, comparison.newer.record.pk)
            if comparison
            else (None, None)
        )
        context.update(
            timeline=page,
            comparison=comparison,
            selected_a=selected[0],
            selected_b=selected[1],
            filter_query=_query(a=wanted[0], b=wanted[1]),
        )
        return context


class ItemSinceApprovalView(ItemHistoryMixin, TemplateView):
    """What changed since the item was last approved: for reviewers, linked from the review screen."""

    template_name = "history/since_approval.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs) | self.history_context()
        history = timeline.item_history(self.item)
        total = history.count()
        approved_row = timeline.last_approved(self.item)
        later = history.select_related("history_user")
        approved = None
        if approved_row is not None:
            approved = timeline.Revision(
                record=approved_row, number=timeline.revision_numbers(self.item.pk, [approved_row])[approved_row.pk]
            )
            later = later.filter(
                Q(history_date__gt=approved_row.history_date)
                | Q(history_date=approved_row.history_date, history_id__gt=approved_row.pk)
            )
        rows = list(later[: SINCE_APPROVAL_SHOWN + 1])
        since = [
            timeline.Revision(record=row, number=total - index, changed=timeline.changed_fields(row, older))
            for index, (row, older) in enumerate(zip(rows, [*rows[1:], approved_row], strict=False))
        ][:SINCE_APPROVAL_SHOWN]
        newest = since[0] if since else approved
        comparison = (
            timeline.compare(approved, newest, is_indicator=self.item.is_indicator)
            if newest and newest is not approved
            else None
        )
        context.update(
            approved=approved,
            since=since,
            more=len(rows) > SINCE_APPROVAL_SHOWN,
            comparison=comparison,
            total=total,
        )
        return context


class ItemRevertView(ItemHistoryMixin, View):
    """POST: restore an earlier revision's content as a new revision."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        history_url = reverse("item-history", kwargs=kwargs)
        try:
            revision_id, version = int(request.POST["revision"]), int(request.POST["version"])
        except (KeyError, ValueError):
            messages.error(request, "Choose a revision to restore.")
            return redirect(history_url)
        try:
            item = item_revert(item=self.item, revision_id=revision_id, user=request.user, expected_version=version)
        except RevisionNotFound as error:
            raise PermissionDenied(str(error)) from error
        except EditConflict as conflict:
            messages.error(request, f"Nothing restored: {conflict}. Look at the latest revision and try again.")
            return redirect(history_url)
        if item.version == version:
            messages.info(request, "Nothing to restore: the item already has that revision's content.")
        else:
            reason = timeline.item_history(item).values_list("history_change_reason", flat=True).first()
            messages.success(request, f"Saved as a new revision ({reason}).")
        return redirect(history_url)


class ActivityView(LoginRequiredMixin, TemplateView):
    """Recent changes across a country assessment, filterable by user and kind; 25 a page."""

    template_name = "history/activity.html"
    paginate_by = 25

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        _load_roles(request.user)
        self.assessment = get_object_or_404(
            CountryAssessment.objects.select_related("country", "cycle"),
            cycle__year=kwargs["year"],
            country__code=kwargs["country"].upper(),
        )
        if not permissions.can_view_assessment(request.user, self.assessment):
            raise PermissionDenied("You have no rights on this country assessment.")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user_id = int_param(self.request.GET.get("user"))
        kind = self.request.GET.get("type") or ""
        kinds = [kind] if kind in KINDS else None
        rows = activity_queryset(self.assessment, user_id=user_id, kinds=kinds)
        page = Paginator(rows, self.paginate_by).get_page(self.request.GET.get("page"))
        people = (
            get_user_model()
            .objects.filter(
                Q(assignments__country_assessment=self.assessment) | Q(groups__name=EDITOR) | Q(is_superuser=True)
            )
            .distinct()
            .order_by("first_name", "last_name", "username")
        )
        context.update(
            assessment=self.assessment,
            page_obj=page,
            entries=activity_entries(list(page.object_list)),
            people=people,
            kinds=KINDS,
            selected_user=user_id,
            selected_type=kind if kinds else "",
            filter_query=_query(user=user_id, type=kind if kinds else None),
        )
        return context


def _query(**params) -> str:
    """`name=value&` for the given non-empty parameters, to prefix pagination links with."""
    present = {name: value for name, value in params.items() if value}
    return urlencode(present) + "&" if present else ""
