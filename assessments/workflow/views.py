"""The editorial workflow in r2p's own pages: country assessment, item editor, review, comments, assignments.

Each transition is a POST-only view that calls one service; the services check state and rights.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, OuterRef, Q
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views import View
from django.views.generic import DetailView

from assessments.accounts.services import display_name
from assessments.citations.render import render_notes
from assessments.citations.syntax import extract_citations
from assessments.framework.scoring import assessment_score, score_from_ratings
from assessments.history.diff import line_diff
from assessments.limits import NOTES_MAX_CHARS
from assessments.models import (
    AssessmentItem,
    Assignment,
    AssignmentRole,
    Comment,
    CountryAssessment,
    ItemContribution,
    ItemKind,
    ItemStatus,
    Rating,
    SecondAssessment,
    Source,
    Trend,
)
from assessments.querystring import text_param
from assessments.review.presence import presence_update
from assessments.review.selectors import review_context
from assessments.review.services import conflict_merge, item_approve_reviewed
from assessments.search.highlight import marked_html
from assessments.search.selectors import search_sources
from assessments.workflow import permissions
from assessments.workflow.assignments import (
    assignable_users,
    assignment_candidates,
    assignment_create,
    assignment_delete,
    item_review_ask,
)
from assessments.workflow.comments import comment_create, comment_resolve
from assessments.workflow.forms import AssignmentForm, CommentForm, ItemForm, ReopenForm, ReviewForm
from assessments.workflow.previous import previous_cycle_item
from assessments.workflow.services import (
    EditConflict,
    WorkflowError,
    item_copy_from_previous,
    item_reopen,
    item_request_changes,
    item_submit,
    item_update,
    submission_problems,
)

SOURCE_PICKER_LIMIT = 20


# --- lookups -------------------------------------------------------------------------------------------


def country_assessment_for(user, year: int, country: str) -> CountryAssessment:
    """The country assessment of the URL, if the user may see it (404 / 403 otherwise)."""
    assessment = get_object_or_404(
        CountryAssessment.objects.select_related("country", "cycle__previous"),
        cycle__year=year,
        country__code=country.upper(),
    )
    if not permissions.can_view_assessment(user, assessment):
        raise PermissionDenied("You are not assigned to this country assessment.")
    return assessment


def item_for(user, year: int, country: str, slug: str) -> AssessmentItem:
    """The item of the URL (slug: indicator code, `overview` or `conclusion`), if the user may see it."""
    items = AssessmentItem.objects.select_related(
        "country_assessment__country",
        "country_assessment__cycle__previous",
        "indicator__thematic_area",
        "indicator__guidance",  # issue 19: the codebook beside the rating buttons
        "rating_change_waiver",  # issue 19: the rating-change panel
        "last_edited_by",
    ).filter(country_assessment__cycle__year=year, country_assessment__country__code=country.upper())
    # issue 19: whether the review panel has second assessments to show (read in the same query)
    items = items.annotate(has_second_assessments=Exists(SecondAssessment.objects.filter(item=OuterRef("pk"))))
    if slug in (ItemKind.OVERVIEW, ItemKind.CONCLUSION):
        item = get_object_or_404(items, kind=slug)
    else:
        item = get_object_or_404(items, kind=ItemKind.INDICATOR, indicator__code=slug.upper())
    if not permissions.can_view_assessment(user, item.country_assessment):
        raise PermissionDenied("You are not assigned to this country assessment.")
    return item


class ItemMixin(LoginRequiredMixin):
    """Resolve the item of the URL for a logged-in user who may see it."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.item = item_for(request.user, kwargs["year"], kwargs["country"], kwargs["item"])
        return super().dispatch(request, *args, **kwargs)


class ItemActionView(ItemMixin, View):
    """A POST-only view on one item."""

    http_method_names = ["post"]

    def back(self, anchor: str = "") -> HttpResponseRedirect:
        return redirect(self.item.get_absolute_url() + anchor)


# --- previews ------------------------------------------------------------------------------------------


def notes_preview(text: str) -> dict:
    """Render notes as the annex will (citations resolved against the library) for the live preview."""
    refs = extract_citations(text)
    sources = Source.objects.in_bulk({ref.key for ref in refs}, field_name="key") if refs else {}
    rendered = render_notes(text, sources=sources)
    notes = rendered.notes[0]
    unknown = [(u.key, u.line, u.column) for u in notes.unknown_keys]
    reported = {key for key, _, _ in unknown}
    for ref in refs:  # the renderer may not report unknown keys yet; the library lookup above does
        if ref.key not in sources and ref.key not in reported:
            unknown.append((ref.key, *ref.line_and_column(text)))
            reported.add(ref.key)
    cited = list({ref.key: sources[ref.key] for ref in refs if ref.key in sources}.values())
    return {"html": notes.html, "footnotes": rendered.footnotes, "unknown": unknown, "cited": cited}


class ItemPreviewView(ItemActionView):
    """htmx: the notes being typed, rendered."""

    def post(self, request, *args, **kwargs):
        text = request.POST.get("notes", "").replace("\r\n", "\n")
        if len(text) > NOTES_MAX_CHARS:  # the form refuses such notes; do not render them either
            return HttpResponse(
                f"The notes are too long to preview: at most {NOTES_MAX_CHARS:,} characters are accepted.",
                status=400,
                content_type="text/plain",
            )
        return TemplateResponse(request, "workflow/_preview.html", {"preview": notes_preview(text)})


class ItemRatingPreviewView(ItemActionView):
    """htmx: the trend a rating gets and the country's score with it."""

    def post(self, request, *args, **kwargs):
        rating = request.POST.get("rating", "")
        if rating not in Rating.values:
            rating = ""
        item = self.item
        ratings = dict(
            AssessmentItem.objects.filter(
                country_assessment=item.country_assessment_id, kind=ItemKind.INDICATOR
            ).values_list("pk", "rating")
        )
        now = assessment_score(item.country_assessment, ratings=list(ratings.values()))
        ratings[item.pk] = rating
        score = score_from_ratings(ratings.values())
        then = {
            "score": score,
            "previous_score": now.previous_score,
            "change": score - now.previous_score if score is not None and now.previous_score is not None else None,
        }
        previous = previous_cycle_item(item)
        context = {
            "item": item,
            "previous": previous,
            "rating": rating,
            "rating_label": Rating(rating).label if rating else "",
            "derived_trend": _trend_label(previous.derived_trend(rating)),
            "score_now": now,
            "score_with": then,
        }
        return TemplateResponse(request, "workflow/_rating_preview.html", context)


def _review_candidates(item: AssessmentItem) -> list[User]:
    """Who an editor may ask to review the item: people with the reviewer role not yet reviewing its assessment."""
    reviewing = Assignment.objects.filter(country_assessment=item.country_assessment_id, role=AssignmentRole.REVIEWER)
    return list(assignable_users(AssignmentRole.REVIEWER).exclude(pk__in=reviewing.values("user_id")))  # one query


def _trend_label(trend: str | None) -> str:
    return Trend(trend).label if trend else ""


# --- the editor ----------------------------------------------------------------------------------------


def _line_diff(theirs: str, yours: str) -> list[tuple[str, str]]:
    """Lines of both texts marked ' ' (both), '-' (theirs only) or '+' (yours only), for the conflict screen."""
    return line_diff(theirs, yours)


class ItemEditView(ItemMixin, View):
    """The item editor: the draft beside the previous cycle, live preview, comments and review actions."""

    http_method_names = ["get", "post"]
    template_name = "workflow/item_edit.html"

    def get(self, request, *args, **kwargs):
        return self.render(request)

    def post(self, request, *args, **kwargs):
        """Save the draft."""
        saved = self.save_form(request)
        if isinstance(saved, HttpResponse):
            return saved
        if saved.version == int(request.POST.get("version", 0)):
            messages.info(request, "Nothing changed since the last save.")
        else:
            messages.success(request, f"Draft saved (version {saved.version}).")
        return redirect(saved.get_absolute_url())

    def save_form(self, request) -> AssessmentItem | HttpResponse:
        """Validate the editor form and save it with item_update; on a conflict, answer with the conflict screen."""
        item = self.item
        if not _may_edit_in_principle(request.user, item):
            raise PermissionDenied("Only the researchers of this assessment and editors edit it.")
        previous = previous_cycle_item(item)
        form = ItemForm(request.POST, item=item, previous=previous)
        if not form.is_valid():
            return self.render(request, form=form)
        try:
            return item_update(
                item=item, user=request.user, expected_version=form.cleaned_data["version"], **form.changes()
            )
        except EditConflict as conflict:
            return self.conflict_response(request, conflict.item, form)
        except PermissionDenied:
            # The item left draft (submitted, approved) while this person was typing: keep their text visible.
            current = AssessmentItem.objects.select_related(
                "country_assessment__country", "country_assessment__cycle__previous", "indicator__thematic_area"
            ).get(pk=item.pk)
            self.item = current
            return self.render(request, stale_state={"yours": form.cleaned_data, "theirs": current}, status=409)

    def conflict_response(self, request, theirs: AssessmentItem, form: ItemForm) -> TemplateResponse:
        """Re-render the editor from the newly saved version with the person's own text kept in the form."""
        data = request.POST.copy()
        data["version"] = str(theirs.version)
        self.item = AssessmentItem.objects.select_related(
            "country_assessment__country",
            "country_assessment__cycle__previous",
            "indicator__thematic_area",
            "last_edited_by",
        ).get(pk=theirs.pk)
        yours = form.cleaned_data
        merged = conflict_merge(self.item, expected_version=yours["version"], mine=yours.get("notes", ""))
        if merged is not None:
            data["notes"] = merged.text()
        merged_form = ItemForm(data, item=self.item, previous=form.previous)
        merged_form.is_valid()
        conflict = {
            "theirs": self.item,
            "expected_version": form.cleaned_data["version"],
            "yours": yours,
            "your_rating": Rating(yours["rating"]).label if yours.get("rating") else "",
            "diff": _line_diff(self.item.notes, yours.get("notes", "")),
            "notes_differ": self.item.notes != yours.get("notes", ""),
            "merge": merged,
        }
        return self.render(request, form=merged_form, conflict=conflict, status=409)

    def render(self, request, *, form=None, conflict=None, stale_state=None, status=200) -> TemplateResponse:
        item, user = self.item, request.user
        previous = previous_cycle_item(item)
        actions = permissions.item_actions(user, item)
        can_edit = permissions.EDIT in actions
        if form is None and can_edit:
            form = ItemForm(item=item, previous=previous)
        notes_text = form["notes"].value() if form is not None else item.notes
        rating = item.rating
        if form is not None and "rating" in form.fields:
            rating = form["rating"].value() if form["rating"].value() in Rating.values else ""
        context = {
            "item": item,
            "assessment": item.country_assessment,
            "previous": previous,
            "form": form,
            "actions": actions,
            "can_edit": can_edit,
            "can_comment": permissions.COMMENT in actions,
            "waits_for_others": permissions.waits_for_others(user, item),
            "authors_since_approval": (
                list(ItemContribution.objects.since_approval(item).select_related("user"))
                if permissions.APPROVE in actions
                else []
            ),
            "problems": submission_problems(item, previous=previous) if can_edit else [],
            "preview": notes_preview(notes_text or ""),
            **review_context(item, user, notes=item.notes),
            "present": presence_update(item, user),
            "comment_form": CommentForm(),
            "review_form": ReviewForm(),
            "reopen_form": ReopenForm(),
            "review_candidates": _review_candidates(item) if permissions.ASK_REVIEW in actions else None,
            "rating": rating,
            "rating_label": Rating(rating).label if rating else "",
            "derived_trend": _trend_label(previous.derived_trend(rating)) if item.is_indicator else "",
            "trend_follows": item.is_indicator and item.trend == previous.derived_trend(item.rating),
            "conflict": conflict,
            "stale_state": stale_state,
            "neighbours": item_neighbours(item),
        }
        return TemplateResponse(request, self.template_name, context, status=status)


def item_neighbours(item: AssessmentItem) -> dict:
    """The items before and after this one in the editor's order (overview, indicators, conclusion): one query."""
    order = {ItemKind.OVERVIEW: 0, ItemKind.INDICATOR: 1, ItemKind.CONCLUSION: 2}
    siblings = sorted(
        AssessmentItem.objects.filter(country_assessment_id=item.country_assessment_id).select_related("indicator"),
        key=lambda sibling: (order[sibling.kind], sibling.indicator.position if sibling.indicator else 0),
    )
    index = next(i for i, sibling in enumerate(siblings) if sibling.pk == item.pk)
    ca = item.country_assessment

    def link(sibling: AssessmentItem | None) -> dict | None:
        if sibling is None:
            return None
        url = reverse("item-edit", args=[ca.cycle.year, ca.country.code, sibling.slug])
        return {"url": url, "label": sibling.label, "code": sibling.slug if sibling.is_indicator else ""}

    return {
        "previous": link(siblings[index - 1] if index > 0 else None),
        "next": link(siblings[index + 1] if index + 1 < len(siblings) else None),
        "position": index + 1,
        "count": len(siblings),
    }


def _may_edit_in_principle(user, item: AssessmentItem) -> bool:
    return permissions.is_editor(user) or permissions.is_researcher_of(user, item.country_assessment)


# --- transitions ---------------------------------------------------------------------------------------


class ItemSubmitView(ItemEditView):
    """Save what is in the editor (if anything was sent), then send the item to review."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        item = self.item
        if "version" in request.POST:
            saved = self.save_form(request)
            if isinstance(saved, HttpResponse):
                return saved
            item = saved
        try:
            # The version just saved (or shown): content changed by someone else since is not submitted unseen.
            item = item_submit(item=item, user=request.user, expected_version=item.version)
        except EditConflict:
            messages.error(request, "Someone saved this item meanwhile; read their version before submitting.")
            return redirect(item.get_absolute_url())
        except WorkflowError as refused:
            messages.error(request, "Your draft is saved but cannot be submitted yet: " + " ".join(refused.messages))
            return redirect(item.get_absolute_url())
        messages.success(request, f"{item.label} is submitted for review.")
        return redirect(item.get_absolute_url())


class ItemApproveView(ItemActionView):
    def post(self, request, *args, **kwargs):
        form = ReviewForm(request.POST)
        form.is_valid()
        confirmed = request.POST.get("confirm_open", "")
        try:
            item = item_approve_reviewed(
                item=self.item,
                user=request.user,
                comment=form.cleaned_data.get("comment", ""),
                confirmed_open=int(confirmed) if confirmed.isdigit() else None,
            )
        except WorkflowError as refused:
            messages.error(request, " ".join(refused.messages))
            return self.back("#review")
        messages.success(request, f"{item.label} is approved.")
        return self.back()


class ItemRequestChangesView(ItemActionView):
    def post(self, request, *args, **kwargs):
        form = ReviewForm(request.POST)
        form.is_valid()
        try:
            item = item_request_changes(item=self.item, user=request.user, comment=form.cleaned_data.get("comment", ""))
        except WorkflowError as refused:
            messages.error(request, " ".join(refused.messages))
            return self.back("#review")
        messages.success(request, f"{item.label} is returned to its researchers with your comment.")
        return self.back()


class ItemReopenView(ItemActionView):
    def post(self, request, *args, **kwargs):
        form = ReopenForm(request.POST)
        form.is_valid()
        try:
            item = item_reopen(item=self.item, user=request.user, reason=form.cleaned_data.get("reason", ""))
        except WorkflowError as refused:
            messages.error(request, " ".join(refused.messages))
            return self.back("#review")
        messages.success(request, f"{item.label} is reopened as a draft.")
        return self.back()


class ItemReviewAskView(ItemActionView):
    """An editor asks a reviewer to review this item (of any cycle): one POST from the item page."""

    def post(self, request, *args, **kwargs):
        if not permissions.can_ask_review(request.user, self.item):
            raise PermissionDenied("Only editors ask for a review, of an item not approved yet.")
        reviewer = User.objects.filter(pk=request.POST.get("reviewer", "") or None, is_active=True).first()
        if reviewer is None:
            messages.error(request, "Choose a reviewer.")
            return self.back("#review")
        try:
            item_review_ask(item=self.item, reviewer=reviewer, user=request.user)
        except ValidationError as refused:
            messages.error(request, " ".join(refused.messages))
            return self.back("#review")
        name = display_name(reviewer)
        messages.success(request, f"{name} is asked to review {self.item.label} and may now open and approve it.")
        return self.back("#review")


class ItemCopyFromPreviousView(ItemActionView):
    """Start an empty draft from the previous cycle's rating and notes."""

    def post(self, request, *args, **kwargs):
        try:
            version = int(request.POST.get("version", ""))
        except ValueError:
            return HttpResponse("version is required", status=400)
        try:
            item = item_copy_from_previous(item=self.item, user=request.user, expected_version=version)
        except EditConflict:
            messages.error(request, "Someone saved this item meanwhile; nothing was copied. Here is their version.")
            return self.back()
        except WorkflowError as refused:
            messages.error(request, " ".join(refused.messages))
            return self.back()
        messages.success(request, f"Started from the previous cycle (version {item.version}). Now update it.")
        return self.back()


# --- comments ------------------------------------------------------------------------------------------


class CommentsMixin(ItemActionView):
    def thread(self, request, form: CommentForm | None = None) -> HttpResponse:
        if not request.htmx:
            return self.back("#comments")
        context = {
            "item": self.item,
            **review_context(self.item, request.user),
            "comment_form": form or CommentForm(),
            "can_comment": True,
        }
        return TemplateResponse(request, "workflow/_comments.html", context)


class CommentCreateView(CommentsMixin):
    def post(self, request, *args, **kwargs):
        form = CommentForm(request.POST)
        if not form.is_valid():
            if not request.htmx:
                messages.error(request, "Write something to comment.")
            return self.thread(request, form)
        comment_create(item=self.item, user=request.user, body=form.cleaned_data["body"])
        return self.thread(request)


class CommentResolveView(CommentsMixin):
    def post(self, request, *args, **kwargs):
        comment = get_object_or_404(Comment, pk=kwargs["pk"], item=self.item)
        comment.item = self.item
        comment_resolve(comment=comment, user=request.user)
        return self.thread(request)


# --- country assessment --------------------------------------------------------------------------------


class CountryAssessmentView(LoginRequiredMixin, DetailView):
    """Every item of a country assessment with rating, trend and status, the live score and the assignments."""

    template_name = "workflow/countryassessment_detail.html"
    context_object_name = "assessment"

    def get_object(self, queryset=None):
        return country_assessment_for(self.request.user, self.kwargs["year"], self.kwargs["country"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        assessment, user = self.object, self.request.user
        items = list(
            assessment.items.in_reading_order()
            .select_related("last_edited_by")
            .annotate(open_comments=Count("comments", filter=Q(comments__resolved_at__isnull=True)))
        )
        indicator_items = [item for item in items if item.kind == ItemKind.INDICATOR]
        areas: dict[int, tuple] = {}
        for item in indicator_items:
            area = item.indicator.thematic_area
            areas.setdefault(area.pk, (area, []))[1].append(item)
        statuses = [item.status for item in indicator_items]
        assignments = list(assessment.assignments.select_related("user").order_by("role", "user__first_name"))
        can_assign = permissions.can_assign(user)
        candidates = assignment_candidates(exclude=assignments) if can_assign else {}
        context.update(
            items=items,
            overview=next((item for item in items if item.kind == ItemKind.OVERVIEW), None),
            conclusion=next((item for item in items if item.kind == ItemKind.CONCLUSION), None),
            areas=sorted(areas.values(), key=lambda pair: pair[0].position),
            score=assessment_score(assessment, ratings=[item.rating for item in indicator_items]),
            progress={
                "total": len(indicator_items),
                "approved": statuses.count(ItemStatus.APPROVED),
                "in_review": statuses.count(ItemStatus.IN_REVIEW),
                "changes_requested": statuses.count(ItemStatus.CHANGES_REQUESTED),
                "drafted": sum(
                    1
                    for item in indicator_items
                    if item.status == ItemStatus.DRAFT and (item.rating or item.notes.strip())
                ),
            },
            people=[
                {
                    "role": role.value,
                    "label": f"{role.label}s",
                    "singular": role.label,
                    "assignments": [a for a in assignments if a.role == role],
                    "candidates": candidates.get(role.value, []),
                }
                for role in AssignmentRole
            ],
            can_assign=can_assign,
        )
        return context


class AssignmentCreateView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, year: int, country: str):
        assessment = country_assessment_for(request.user, year, country)
        if not permissions.can_assign(request.user):
            raise PermissionDenied("Only editors and admins assign people.")
        form = AssignmentForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Choose a person and a role.")
            return redirect(assessment.get_absolute_url() + "#assignments")
        assignee = get_object_or_404(User, pk=form.cleaned_data["user"])
        try:
            assignment = assignment_create(
                country_assessment=assessment, assignee=assignee, role=form.cleaned_data["role"], user=request.user
            )
        except ValidationError as refused:
            messages.error(request, " ".join(refused.messages))
        else:
            name = display_name(assignee)
            messages.success(request, f"{name} is now {assignment.get_role_display().lower()} of {assessment}.")
        return redirect(assessment.get_absolute_url() + "#assignments")


class AssignmentDeleteView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, year: int, country: str, pk: int):
        assessment = country_assessment_for(request.user, year, country)
        if not permissions.can_assign(request.user):
            raise PermissionDenied("Only editors and admins assign people.")
        assignment = get_object_or_404(Assignment.objects.select_related("user"), pk=pk, country_assessment=assessment)
        assignment_delete(assignment=assignment, user=request.user)
        name = display_name(assignment.user)
        messages.success(request, f"{name} is no longer {assignment.get_role_display().lower()} of {assessment}.")
        return redirect(assessment.get_absolute_url() + "#assignments")


# --- source picker -------------------------------------------------------------------------------------


class SourcePickerView(LoginRequiredMixin, View):
    """htmx: sources matching the search, each inserting its `[@key]` into the notes when chosen."""

    http_method_names = ["get"]

    def get(self, request):
        query = text_param(request.GET.get("q"))
        hits = search_sources(text=query, limit=SOURCE_PICKER_LIMIT) if query else []
        for hit in hits:
            hit.title_html = marked_html(hit.title)
        return TemplateResponse(
            request,
            "workflow/_source_picker.html",
            {"hits": hits, "query": query, "limit": SOURCE_PICKER_LIMIT},
        )
