"""Pages of background work: failed tasks (admins), scheduled releases (editors), health for load balancers."""

from datetime import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from assessments.models import CountryAssessment, Cycle, FailedTask, FailedTaskStatus, ScheduledRelease
from assessments.publishing.services import can_publish

from .failures import can_manage_tasks, failed_task_retry
from .releases import release_cancel, release_schedule


class FailedTaskListView(LoginRequiredMixin, TemplateView):
    """Background tasks that failed after their last attempt, with the error and a Retry button."""

    template_name = "background/failed_tasks.html"

    def get_context_data(self, **kwargs):
        if not can_manage_tasks(self.request.user):
            raise PermissionDenied("Only administrators see failed tasks.")
        failed = FailedTask.objects.select_related("retried_by")
        return super().get_context_data(
            failed=list(failed.filter(status=FailedTaskStatus.FAILED)[:200]),
            retried=list(failed.filter(status=FailedTaskStatus.RETRIED).order_by("-retried_at")[:20]),
            **kwargs,
        )


class FailedTaskRetryView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk: int):
        if not can_manage_tasks(request.user):
            raise PermissionDenied("Only administrators retry tasks.")
        failed_task = get_object_or_404(FailedTask, pk=pk)
        try:
            failed_task_retry(failed_task=failed_task, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"{failed_task.task_path} enqueued again.")
        return redirect("failed-tasks")


class ReleaseForm(forms.Form):
    cycle = forms.ModelChoiceField(queryset=Cycle.objects.order_by("-year"), to_field_name="year")
    country = forms.ModelChoiceField(
        queryset=CountryAssessment.objects.filter(items__isnull=False, editions__isnull=True)
        .select_related("country", "cycle")
        .distinct()
        .order_by("-cycle__year", "country__name"),
        required=False,
        empty_label="Every approved annex of the cycle",
        help_text="One annex, or leave empty to release the whole cycle.",
    )
    publish_at = forms.DateTimeField(
        label="Publish at (UTC)",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )


class ReleaseListView(LoginRequiredMixin, View):
    """Scheduled releases: schedule one annex or a whole cycle for a moment; cancel one still pending."""

    template_name = "background/releases.html"

    def _check(self, request) -> None:
        if not can_publish(request.user):
            raise PermissionDenied("Only editors and administrators schedule releases.")

    def _render(self, request, form, status=200):
        from django.shortcuts import render

        releases = ScheduledRelease.objects.select_related("cycle", "country_assessment__country", "created_by")
        return render(
            request,
            self.template_name,
            {
                "form": form,
                "pending": list(releases.filter(status="scheduled")),
                "finished": list(releases.exclude(status="scheduled").order_by("-publish_at")[:30]),
                "now": timezone.now(),
            },
            status=status,
        )

    def get(self, request):
        self._check(request)
        return self._render(request, ReleaseForm())

    def post(self, request):
        self._check(request)
        form = ReleaseForm(request.POST)
        if form.is_valid():
            try:
                release = release_schedule(
                    cycle=form.cleaned_data["cycle"],
                    country_assessment=form.cleaned_data["country"],
                    publish_at=form.cleaned_data["publish_at"],
                    user=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, f"{release} scheduled.")
                return redirect("releases")
        return self._render(request, form, status=400)


class ReleaseCancelView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk: int):
        if not can_publish(request.user):
            raise PermissionDenied("Only editors and administrators cancel releases.")
        release = get_object_or_404(ScheduledRelease, pk=pk)
        try:
            release_cancel(release=release, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"{release} cancelled.")
        return redirect("releases")


def healthz(request):
    """The process is up (no database, no cache): for a load balancer's liveness check."""
    return HttpResponse("ok\n", content_type="text/plain")


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _check_cache() -> None:
    key = "r2p:readyz"
    value = datetime.now().isoformat()
    cache.set(key, value, 30)
    if cache.get(key) != value:
        raise RuntimeError("the cache did not return what was written")


def _check_queue() -> None:
    from django.conf import settings

    if settings.R2P_TASKS_BACKEND == "database":
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.filter(status="READY").exists()
    elif settings.R2P_TASKS_BACKEND == "rq":
        import django_rq

        django_rq.get_connection("default").ping()


def readyz(request):
    """Database, cache and task queue answer: 200, else 503 naming what failed (for a readiness check)."""
    checks = {"database": _check_database, "cache": _check_cache, "queue": _check_queue}
    results = {}
    for name, check in checks.items():
        try:
            check()
        except Exception as error:  # a readiness check reports every failure rather than raising
            results[name] = f"error: {type(error).__name__}"
        else:
            results[name] = "ok"
    ok = all(value == "ok" for value in results.values())
    response = JsonResponse(results, status=200 if ok else 503)
    response["Cache-Control"] = "no-store"
    return response
