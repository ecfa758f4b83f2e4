"""Scheduled publishing: the worker publishes at the moment, all-or-nothing per annex, files ready first."""

import datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments.background.releases import release_cancel, release_schedule
from assessments.models import Edition, EditionFile, ReleaseStatus, ScheduledRelease
from assessments.publishing.exports import FORMATS

NOW = datetime.datetime(2030, 3, 1, 9, 0, tzinfo=datetime.UTC)
MOMENT = NOW + datetime.timedelta(hours=2)


@pytest.fixture
def editor(db):
    return get_user_model().objects.get(username="editor")


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.R2P_TASKS_BACKEND = "database"
    from tests.background.conftest import Queue

    return Queue("database")


def test_an_annex_is_published_at_its_moment_with_its_files(
    database_queue, korea_unpublished, editor, django_capture_on_commit_callbacks
):
    with time_machine.travel(NOW, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            release = release_schedule(
                cycle=korea_unpublished.cycle, country_assessment=korea_unpublished, publish_at=MOMENT, user=editor
            )
        database_queue.run()  # not yet: the task waits for its moment
        assert not Edition.objects.filter(country_assessment=korea_unpublished).exists()
    with time_machine.travel(MOMENT + datetime.timedelta(seconds=5), tick=False):
        database_queue.run()
    edition = Edition.objects.get(country_assessment=korea_unpublished)
    assert edition.published_at == MOMENT and edition.number == 1
    # The files were stored before the edition was written, and recorded in the same transaction.
    assert set(EditionFile.objects.filter(edition=edition).values_list("fmt", flat=True)) == set(FORMATS)
    assert all(file.rendered_at <= edition.published_at + datetime.timedelta(seconds=5) for file in edition.files.all())
    release.refresh_from_db()
    assert release.status == ReleaseStatus.DONE and "1 published, 0 failed" in release.outcome
    # Run again (a duplicate message, a restarted worker): nothing more happens.
    with time_machine.travel(MOMENT + datetime.timedelta(minutes=1), tick=False):
        from assessments.background.releases import release_run

        assert release_run(release_id=release.pk) == {"skipped": "done"}
    assert Edition.objects.filter(country_assessment=korea_unpublished).count() == 1


def test_a_cycle_release_publishes_every_approved_annex_and_leaves_the_others(
    database_queue, korea_unpublished, editor, django_capture_on_commit_callbacks
):
    from assessments.models import Cycle

    with time_machine.travel(NOW, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            release = release_schedule(cycle=korea_unpublished.cycle, publish_at=MOMENT, user=editor)
            drafts = release_schedule(cycle=Cycle.objects.get(year=2025), publish_at=MOMENT, user=editor)
    with time_machine.travel(MOMENT, tick=False):
        database_queue.run()
    release.refresh_from_db()
    drafts.refresh_from_db()
    assert Edition.objects.filter(country_assessment=korea_unpublished, published_at=MOMENT).exists()
    assert release.status == ReleaseStatus.DONE and release.outcome.startswith("1 published, 0 failed, 0 left out")
    # Korea 2025 is a draft: left out, not a failure.
    assert drafts.status == ReleaseStatus.DONE and "Republic of Korea 2025: left out" in drafts.outcome
    assert not Edition.objects.filter(country_assessment__cycle__year=2025).exists()


def test_an_annex_that_fails_to_render_is_not_published(
    database_queue, korea_unpublished, editor, django_capture_on_commit_callbacks, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr("assessments.background.files.annex_export", broken)
    with time_machine.travel(NOW, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            release = release_schedule(
                cycle=korea_unpublished.cycle, country_assessment=korea_unpublished, publish_at=MOMENT, user=editor
            )
    with time_machine.travel(MOMENT, tick=False):
        database_queue.run()
    release.refresh_from_db()
    assert release.status == ReleaseStatus.PARTIAL and "renderer crashed" in release.outcome
    assert not Edition.objects.filter(country_assessment=korea_unpublished).exists()
    assert not EditionFile.objects.exists()


def test_schedule_rules(korea_unpublished, editor):
    with time_machine.travel(NOW, tick=False):
        with pytest.raises(ValidationError, match="future"):
            release_schedule(cycle=korea_unpublished.cycle, publish_at=NOW, user=editor)
        release = release_schedule(cycle=korea_unpublished.cycle, publish_at=MOMENT, user=editor)
        with pytest.raises(ValidationError, match="scheduled already"):
            release_schedule(cycle=korea_unpublished.cycle, publish_at=MOMENT, user=editor)
        release_cancel(release=release, user=editor)
        assert ScheduledRelease.objects.get().status == ReleaseStatus.CANCELLED
        researcher = get_user_model().objects.get(username="researcher")
        with pytest.raises(Exception, match="Only editors"):
            release_schedule(cycle=korea_unpublished.cycle, publish_at=MOMENT, user=researcher)


def test_the_releases_page(user_client, korea_unpublished, editor, django_assert_max_num_queries):
    with time_machine.travel(NOW, tick=True):
        release_schedule(cycle=korea_unpublished.cycle, publish_at=MOMENT, user=editor)
        client = user_client("editor")
        with django_assert_max_num_queries(12):
            page = client.get(reverse("releases"))
        assert page.status_code == 200 and "Release of cycle 2022" in page.content.decode()
        response = client.post(
            reverse("releases"),
            {"cycle": 2022, "country": korea_unpublished.pk, "publish_at": "2030-03-01T12:00"},
        )
        assert response.status_code == 302
        assert ScheduledRelease.objects.filter(country_assessment=korea_unpublished).exists()
