"""The source library: list and search, a source and everything citing it, create/edit, merge, import and export,
and the citation report of a country assessment."""

import json

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views import View
from django.views.generic import DetailView, FormView, ListView, TemplateView

from assessments.citations.forms import ImportForm, MergeForm, SourceForm
from assessments.citations.source_import import ImportFormatError, sources_export, sources_import
from assessments.citations.sources import (
    can_add_sources,
    can_edit_sources,
    can_merge_sources,
    source_create,
    source_merge,
    source_update,
)
from assessments.citations.style import StyleState, end_sentence, safe_full, safe_short
from assessments.citations.validation import citation_report, duplicate_candidates
from assessments.models import Citation, CountryAssessment, Source
from assessments.querystring import text_param
from assessments.rendering import sanitize_html
from assessments.workflow.permissions import can_view_assessment, visible_assessment_ids

IMPORT_SESSION_KEY = "source_import_pending"


class LibraryAccessMixin(LoginRequiredMixin, PermissionRequiredMixin):
    """The library is for the team (any role); the public never sees it."""

    permission_required = "assessments.view_source"


class SourceListView(LibraryAccessMixin, ListView):
    template_name = "sources/source_list.html"
    context_object_name = "sources"
    paginate_by = 50

    def get_queryset(self):
        self.query = text_param(self.request.GET.get("q"))
        return Source.objects.search(self.query).annotate(citation_count=Count("citations")).order_by("key")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(query=self.query, can_add=can_add_sources(self.request.user))
        return context


class SourceDetailView(LibraryAccessMixin, DetailView):
    """A source, every country assessment and indicator citing it, duplicates that look like it, its history."""

    template_name = "sources/source_detail.html"
    context_object_name = "source"
    slug_field = "key"
    slug_url_kwarg = "key"
    queryset = Source.objects.all()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        source = self.object
        citations = (
            Citation.objects.filter(source=source)
            .select_related("item__country_assessment__country", "item__country_assessment__cycle", "item__indicator")
            .order_by("-item__country_assessment__cycle__year", "item__country_assessment__country__name", "item__pk")
        )
        by_assessment: dict[int, dict] = {}
        for citation in citations:
            assessment = citation.item.country_assessment
            group = by_assessment.setdefault(assessment.pk, {"assessment": assessment, "rows": [], "count": 0})
            group["rows"].append(citation)
            group["count"] += 1
        # Which items cite it, and where, is draft text: only a count for assessments the user may not see.
        visible = visible_assessment_ids(self.request.user)
        for pk, group in by_assessment.items():
            group["hidden"] = visible is not None and pk not in visible
            if group["hidden"]:
                group["rows"] = []
        library = Source.objects.only("pk", "key", "title", "url", "issued_year", "author_text")
        context.update(
            citing=list(by_assessment.values()),
            citation_count=sum(group["count"] for group in by_assessment.values()),
            duplicates=duplicate_candidates([source], library),
            full_form=sanitize_html(end_sentence(safe_full(source, "", StyleState())).html),
            short_form=sanitize_html(end_sentence(safe_short(source, "")).html),
            history=source.history.select_related("history_user").order_by("-history_date")[:20],
            can_edit=can_edit_sources(self.request.user),
            can_merge=can_merge_sources(self.request.user),
            merge_form=MergeForm(),
        )
        return context


class SourceCreateView(LibraryAccessMixin, FormView):
    permission_required = "assessments.add_source"
    template_name = "sources/source_form.html"
    form_class = SourceForm

    def get_initial(self):
        return {"key": text_param(self.request.GET.get("key"), max_length=100)}

    def form_valid(self, form):
        try:
            source = source_create(
                user=self.request.user, reason=form.cleaned_data["reason"] or "created", **form.changes()
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, f"Source @{source.key} created.")
        return redirect(source)


class SourceUpdateView(LibraryAccessMixin, FormView):
    permission_required = "assessments.change_source"
    template_name = "sources/source_form.html"
    form_class = SourceForm

    def dispatch(self, request, *args, **kwargs):
        self.source = get_object_or_404(Source, key=kwargs["key"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.source}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "source": self.source}

    def form_valid(self, form):
        original = get_object_or_404(Source, pk=self.source.pk)
        try:
            source = source_update(
                source=original, user=self.request.user, reason=form.cleaned_data["reason"], changes=form.changes()
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, f"Source @{source.key} saved.")
        return redirect(source)


class SourceMergeView(LibraryAccessMixin, View):
    """POST-only: merge the duplicate named in the form into the source of the URL."""

    http_method_names = ["post"]

    def post(self, request, key):
        keep = get_object_or_404(Source, key=key)
        form = MergeForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Name the duplicate's key to merge.")
            return redirect(keep)
        remove = Source.objects.filter(key=form.cleaned_data["remove"].strip().lstrip("@")).first()
        if remove is None:
            messages.error(request, f"No source has the key @{form.cleaned_data['remove']}.")
            return redirect(keep)
        try:
            result = source_merge(keep=keep, remove=remove, user=request.user)
        except PermissionDenied:
            raise
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(keep)
        messages.success(
            request,
            f"@{result.removed_key} merged into @{keep.key}: {result.items_rewritten} notes now cite @{keep.key}"
            + (f"; copied {', '.join(result.fields_filled)}." if result.fields_filled else "."),
        )
        return redirect(result.kept)


class SourceImportView(LibraryAccessMixin, View):
    """Upload a file, see the dry run, then confirm; the confirmed import is the file shown in the dry run."""

    permission_required = ("assessments.add_source", "assessments.change_source")
    template_name = "sources/source_import.html"

    def get(self, request):
        return render(request, self.template_name, {"form": ImportForm()})

    def post(self, request):
        if "confirm" in request.POST:
            return self.apply(request)
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form})
        upload = form.cleaned_data["file"]
        try:
            report = sources_import(content=upload.text, filename=upload.name, user=request.user, dry_run=True)
        except ImportFormatError as error:
            form.add_error("file", str(error))
            return render(request, self.template_name, {"form": form})
        request.session[IMPORT_SESSION_KEY] = {"filename": upload.name, "content": upload.text}
        return render(request, self.template_name, {"form": ImportForm(), "report": report})

    def apply(self, request):
        pending = request.session.pop(IMPORT_SESSION_KEY, None)
        if not pending:
            messages.error(request, "Nothing to import: upload the file again.")
            return redirect("source-import")
        try:
            report = sources_import(
                content=pending["content"], filename=pending["filename"], user=request.user, dry_run=False
            )
        except ImportFormatError as error:
            messages.error(request, str(error))
            return redirect("source-import")
        messages.success(request, report.summary())
        return render(request, self.template_name, {"form": ImportForm(), "report": report, "applied": True})


class SourceExportView(LibraryAccessMixin, View):
    def get(self, request):
        data = json.dumps(sources_export(), ensure_ascii=False, indent=2)
        response = HttpResponse(data, content_type="application/vnd.citationstyles.csl+json; charset=utf-8")
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="r2p-sources-{stamp}.json"'
        return response


class CitationReportView(LibraryAccessMixin, TemplateView):
    """Per country assessment: unknown keys with their position, sources without URL or year, duplicates.

    Read from the current (draft) notes, so only for those who may see the assessment's drafts."""

    template_name = "sources/citation_report.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        assessment = get_object_or_404(
            CountryAssessment.objects.select_related("country", "cycle"),
            cycle__year=kwargs["year"],
            country__code=kwargs["country"].upper(),
        )
        if not can_view_assessment(self.request.user, assessment):
            raise PermissionDenied("You are not assigned to this country assessment.")
        items = list(assessment.items.in_reading_order())
        for item in items:
            item.country_assessment = assessment  # for links, without a query per item
        context.update(assessment=assessment, report=citation_report(items))
        return context
