"""Retries with backoff, failures kept for admins and retried by them, idempotent email, link checks, health."""

import datetime
import uuid

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from assessments.background import tasks
from assessments.background.failures import failed_task_retry
from assessments.background.retry import backoff_seconds
from assessments.models import AssessmentItem, FailedTask, FailedTaskStatus, Source
from tests.factories import UserFactory

CALLS = {"n": 0}


def flaky_links_check(*, sources=None, concurrency=8, timeout=10.0):
    CALLS["n"] += 1
    raise OSError("network down")


def test_backoff_grows():
    assert [backoff_seconds(attempt, 30) for attempt in (1, 2, 3)] == [30, 60, 120]


def test_a_failing_task_is_retried_later_then_kept_as_failed(queue, demo, monkeypatch):
    monkeypatch.setattr("assessments.citations.links.links_check", flaky_links_check)
    CALLS["n"] = 0
    start = timezone.now()
    tasks.check_links.enqueue(source_ids=[])
    queue.run()
    assert CALLS["n"] == 1 and not FailedTask.objects.exists()
    if queue.name == "database":  # the retry waits for its backoff: nothing runs before it
        from django_tasks_db.models import DBTaskResult

        retry = DBTaskResult.objects.get(status="READY")
        assert retry.run_after >= start + datetime.timedelta(seconds=299)
        assert retry.args_kwargs["kwargs"]["attempt"] == 2
        DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
        queue.run()
        assert CALLS["n"] == 2
        failed = FailedTask.objects.get()
        assert failed.task_path == "assessments.background.tasks.check_links"
        assert failed.args_kwargs == {"args": [], "kwargs": {"source_ids": []}}
        assert "OSError: network down" in failed.error


def test_admins_see_failed_tasks_and_retry_them(
    user_client, demo, django_assert_max_num_queries, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    for number in range(3):
        FailedTask.objects.create(
            task_path="assessments.background.tasks.check_links",
            args_kwargs={"args": [], "kwargs": {"source_ids": [number]}},
            backend="default",
            result_id=f"r{number}",
            exception_class="builtins.OSError",
            traceback="Traceback…\nOSError: network down",
            failed_at=timezone.now(),
        )
    client = user_client("admin")
    with django_assert_max_num_queries(8):
        page = client.get(reverse("failed-tasks"))
    text = page.content.decode()
    assert page.status_code == 200 and text.count(">Retry</button>") == 3 and "OSError: network down" in text
    failed = FailedTask.objects.get(result_id="r1")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("failed-task-retry", args=[failed.pk]))
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status == FailedTaskStatus.RETRIED and failed.retried_by.username == "admin"
    from django_tasks_db.models import DBTaskResult

    queued = DBTaskResult.objects.get(task_path="assessments.background.tasks.check_links")
    assert queued.args_kwargs == {"args": [], "kwargs": {"source_ids": [1]}}
    # A second retry of the same failure is refused.
    with pytest.raises(Exception, match="retried already"):
        failed_task_retry(failed_task=failed, user=failed.retried_by)
    assert user_client("editor").get(reverse("failed-tasks")).status_code == 403


def test_the_failure_of_the_last_attempt_is_recorded_on_the_immediate_backend(demo, monkeypatch):
    monkeypatch.setattr("assessments.citations.links.links_check", flaky_links_check)
    result = tasks.check_links.enqueue(source_ids=[])  # retried at once here (no defer), then failed
    assert result.status == "SUCCESSFUL"  # the first attempt handed over to its retry
    assert FailedTask.objects.filter(task_path__endswith="check_links").count() == 1


def test_item_notifications_are_sent_once_per_event(queue, korea_2025, django_capture_on_commit_callbacks):
    item = AssessmentItem.objects.filter(country_assessment=korea_2025).first()
    reviewer = UserFactory(username="rev2", email="rev2@example.org", role="Reviewer")
    from assessments.models import Assignment, AssignmentRole

    Assignment.objects.create(country_assessment=korea_2025, user=reviewer, role=AssignmentRole.REVIEWER)
    actor = UserFactory(username="actor", role="Researcher")
    key = uuid.uuid4().hex  # one event
    tasks.send_item_notification.enqueue(item.pk, "submitted", actor.pk, "", key=key)
    tasks.send_item_notification.enqueue(item.pk, "submitted", actor.pk, "", key=key)  # a repeat
    queue.run()
    sent = [message for message in mail.outbox if "rev2@example.org" in message.to]
    assert len(sent) == 1 and "ready for your review" in sent[0].subject


def test_link_check_task_records_status(queue, demo, monkeypatch):
    # The checker's own request is replaced (the address check before it is tested in tests/security).
    monkeypatch.setattr("assessments.citations.links._follow", lambda url, method, deadline: 200)
    source = Source.objects.exclude(url="").first()
    tasks.check_links.enqueue(source_ids=[source.pk])
    queue.run()
    source.refresh_from_db()
    assert source.link_status == 200


def test_health_endpoints(client, db, django_assert_max_num_queries):
    with django_assert_max_num_queries(0):
        assert client.get(reverse("healthz")).content == b"ok\n"
    with django_assert_max_num_queries(3):
        ready = client.get(reverse("readyz"))
    assert ready.status_code == 200 and ready.json() == {"database": "ok", "cache": "ok", "queue": "ok"}


def test_readyz_says_what_is_down(client, db, monkeypatch):
    monkeypatch.setattr("assessments.background.views._check_cache", lambda: 1 / 0)
    ready = client.get(reverse("readyz"))
    assert ready.status_code == 503 and ready.json()["cache"] == "error: ZeroDivisionError"


def test_draft_previews_are_rate_limited_per_user(user_client, korea_2025, settings):
    settings.R2P_DRAFT_RENDERS_PER_MINUTE = 2
    client = user_client("editor")
    url = reverse("annex-draft", args=[2025, "KOR", "json"])
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 429]
    assert user_client("researcher").get(url).status_code == 200  # another user has their own allowance


def test_redis_url_selects_redis_cache_and_rq(tmp_path):
    import json
    import os
    import subprocess
    import sys

    script = (
        "import django, json; django.setup(); from django.conf import settings; "
        "print(json.dumps([settings.CACHES['default']['BACKEND'], settings.TASKS['default']['BACKEND'], "
        "'django_rq' in settings.INSTALLED_APPS, settings.SESSION_ENGINE]))"
    )

    def configured(**env):
        environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "r2p.settings.dev", "R2P_VAR_DIR": str(tmp_path)}
        environment.pop("REDIS_URL", None)
        environment.pop("R2P_TASKS_BACKEND", None)
        environment.update(env)
        output = subprocess.run([sys.executable, "-c", script], env=environment, capture_output=True, text=True)
        return json.loads(output.stdout)

    assert configured(REDIS_URL="redis://127.0.0.1:6379/1") == [
        "django.core.cache.backends.redis.RedisCache",
        "django_tasks_rq.RQBackend",
        True,
        "django.contrib.sessions.backends.db",
    ]
    embedded = configured()
    assert embedded[1] == "django_tasks_db.DatabaseBackend" and embedded[2] is False
    assert configured(REDIS_URL="redis://127.0.0.1:6379/1", R2P_TASKS_BACKEND="database")[1:3] == [
        "django_tasks_db.DatabaseBackend",
        False,
    ]
