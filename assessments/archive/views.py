"""The archive import page for editors and admins: upload → review (corrections in place) → confirm."""

import logging

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View
from django_htmx.http import HttpResponseClientRedirect

from assessments.io.formats import FileError
from assessments.models import ArchiveUpload, ArchiveUploadStatus, Country, Cycle

from .document import ParsedAnnex
from .forms import ArchiveConfirmForm, ArchiveCorrectionForm, ArchiveUploadForm
from .matching import indicators_for_cycle
from .services import (
    annex_check,
    archive_publish,
    can_import_archive,
    country_assessment_import_archive,
)
from .staging import staged_discard, staged_load, staged_store
from .uploads import (
    archive_upload_create,
    archive_upload_for,
    archive_upload_nudge,
    reading_too_long,
    stored_original,
)

logger = logging.getLogger(__name__)


class ArchiveEditorMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can_import_archive(request.user):
            raise PermissionDenied("Only editors and admins import archived annexes.")
        return super().dispatch(request, *args, **kwargs)


class ArchiveImportView(ArchiveEditorMixin, View):
    """Step 1: upload. The file is stored and a background task reads it (a PDF takes seconds): never here."""

    template_name = "archive/import.html"

    def get(self, request):
        return render(request, self.template_name, {"form": ArchiveUploadForm()})

    def post(self, request):
        form = ArchiveUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        upload_file, country, cycle = (form.cleaned_data[name] for name in ("file", "country", "cycle"))
        upload = archive_upload_create(
            user=request.user, country=country, cycle=cycle, content=upload_file.read(), file_name=upload_file.name
        )
        return redirect("archive-upload", pk=upload.pk)


class ArchiveUploadView(ArchiveEditorMixin, View):
    """Step 1½: "being read…" until the task has read the upload, then on to the review (htmx polls this page,
    which answers with its status partial only; without JavaScript a link checks again)."""

    template_name = "archive/upload.html"

    def get(self, request, pk: int):
        try:
            upload = archive_upload_for(request.user, pk)
        except ArchiveUpload.DoesNotExist:
            raise Http404("No such upload of yours.") from None
        if upload.status == ArchiveUploadStatus.READY:
            parsed = ParsedAnnex.from_dict(upload.parsed)
            token = staged_store(
                parsed,
                session=request.session,
                country=upload.country.code,
                cycle=upload.cycle.year,
                file_name=upload.file_name,
                upload=upload.pk,
            )
            url = f"{reverse('archive-review')}?token={token}"
            if request.htmx:
                return HttpResponseClientRedirect(url)
            return redirect(url)
        archive_upload_nudge(upload)
        context = {"upload": upload, "too_long": reading_too_long(upload)}
        template = "archive/_upload_status.html" if request.htmx else self.template_name
        response = render(request, template, context)
        response["Cache-Control"] = "no-store"
        return response


def _staged(request, token: str):
    payload = staged_load(token, session=request.session)
    country = Country.objects.by_code(payload["country"])
    cycle = Cycle.objects.select_related("previous").get(year=payload["cycle"])
    return payload, country, cycle


class ArchiveReviewView(ArchiveEditorMixin, View):
    """Step 2: the parsed annex beside the original text, flags and inconsistencies; corrections in place."""

    template_name = "archive/review.html"

    def get(self, request):
        token = request.GET.get("token", "")
        try:
            payload, country, cycle = _staged(request, token)
        except FileError as error:
            messages.error(request, str(error))
            return redirect("archive-import")
        indicators = indicators_for_cycle(cycle)
        form = ArchiveCorrectionForm(parsed=payload["parsed"], indicators=indicators)
        return render(request, self.template_name, self._context(payload, country, cycle, form, token))

    def post(self, request):
        token = request.POST.get("token", "")
        try:
            payload, country, cycle = _staged(request, token)
        except FileError as error:
            messages.error(request, str(error))
            return redirect("archive-import")
        parsed = payload["parsed"]
        form = ArchiveCorrectionForm(request.POST, parsed=parsed, indicators=indicators_for_cycle(cycle))
        if not form.is_valid():
            return render(request, self.template_name, self._context(payload, country, cycle, form, token), status=400)
        changed = form.apply()
        annex_check(parsed, cycle=cycle, country=country)
        staged_discard(token, session=request.session)
        token = staged_store(
            parsed,
            session=request.session,
            country=country.code,
            cycle=cycle.year,
            file_name=payload["file_name"],
            upload=payload.get("upload"),
        )
        if changed:
            messages.success(request, f"Corrected: {', '.join(changed)}. The checks were run again.")
        return redirect(f"{reverse('archive-review')}?token={token}")

    @staticmethod
    def _context(payload, country, cycle, form, token):
        parsed = payload["parsed"]
        return {
            "parsed": parsed,
            "country": country,
            "cycle": cycle,
            "file_name": payload["file_name"],
            "form": form,
            "token": token,
            "confirm_form": ArchiveConfirmForm(initial={"token": token, "published_on": parsed.published_on or None}),
            "footnotes": sorted(parsed.footnotes.values(), key=lambda footnote: footnote.number),
            "new_sources": list(parsed.new_sources.items()),
        }


class ArchiveConfirmView(ArchiveEditorMixin, View):
    """Step 3 (POST only): write the reviewed annex, all or nothing; optionally publish it with its date."""

    def post(self, request):
        form = ArchiveConfirmForm(request.POST)
        token = request.POST.get("token", "")
        try:
            payload, country, cycle = _staged(request, token)
        except FileError as error:
            messages.error(request, str(error))
            return redirect("archive-import")
        if not form.is_valid():
            messages.error(request, "; ".join(str(e) for errors in form.errors.values() for e in errors))
            return redirect(f"{reverse('archive-review')}?token={token}")
        try:
            with transaction.atomic():
                assessment = country_assessment_import_archive(
                    parsed=payload["parsed"],
                    country=country,
                    cycle=cycle,
                    user=request.user,
                    file_name=payload["file_name"],
                )
                if form.cleaned_data["publish"]:
                    upload = ArchiveUpload.objects.filter(pk=payload.get("upload"), uploaded_by=request.user).first()
                    archive_publish(
                        country_assessment=assessment,
                        user=request.user,
                        published_on=form.cleaned_data["published_on"],
                        file_name=payload["file_name"],
                        original=stored_original(upload) if upload is not None else None,
                    )
        except ValidationError as error:
            messages.error(request, "Nothing was written: " + "; ".join(error.messages))
            return redirect(f"{reverse('archive-review')}?token={token}")
        staged_discard(token, session=request.session)
        messages.success(request, f"Imported {assessment} from {payload['file_name']}.")
        return redirect(assessment.get_absolute_url())
