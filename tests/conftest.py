import pytest
from django.core.cache import caches

from assessments.models import CountryAssessment
from tests.browser.chromium import browser  # noqa: F401  (one chromium fixture for every browser test)
from tests.demo_snapshot import demo_snapshot_restore, demo_snapshot_take


@pytest.fixture(scope="session")
def demo_snapshot(django_db_setup, django_db_blocker):
    """The demo archive, loaded once per test session (in a transaction rolled back at once)."""
    with django_db_blocker.unblock():
        return demo_snapshot_take()


@pytest.fixture
def demo(request, db, demo_snapshot):
    """The demo archive: cycles 2019/2022/2025, Korea 2022 approved and published (loaded at DEMO_LOADED_AT),
    Korea 2025 empty, demo users. Copied from the session's snapshot: the same rows demo_load() writes."""
    return demo_for(request, demo_snapshot)


@pytest.fixture(scope="session")
def demo_unpublished_snapshot(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        return demo_snapshot_take(publish=False)


@pytest.fixture
def korea_unpublished(request, db, demo_unpublished_snapshot) -> CountryAssessment:
    """The demo archive without Korea 2022 published (every item approved)."""
    demo_for(request, demo_unpublished_snapshot, publish=False)
    return CountryAssessment.objects.select_related("country", "cycle__previous").get(
        country__code="KOR", cycle__year=2022
    )


def demo_for(request, snapshot, *, publish: bool = True):
    """The snapshot's rows; a test that commits (transactional) loads the demo itself, since the database was
    flushed and migrated again around it (content types and permissions get new ids)."""
    marker = request.node.get_closest_marker("django_db")
    if "transactional_db" in request.fixturenames or (marker and marker.kwargs.get("transaction")):
        from unittest import mock

        import time_machine

        from assessments.demo.loader import demo_load
        from assessments.publishing.services import publish_blockers
        from tests.demo_snapshot import DEMO_LOADED_AT

        with (
            time_machine.travel(DEMO_LOADED_AT, tick=True),
            mock.patch(
                "assessments.demo.loader.publish_blockers",
                (lambda country_assessment: ["not in this test"]) if not publish else publish_blockers,
            ),
        ):
            return demo_load()
    return demo_snapshot_restore(snapshot)


@pytest.fixture
def korea_2022(demo) -> CountryAssessment:
    return CountryAssessment.objects.select_related("country", "cycle").get(country__code="KOR", cycle__year=2022)


@pytest.fixture
def korea_2025(demo) -> CountryAssessment:
    return CountryAssessment.objects.select_related("country", "cycle").get(country__code="KOR", cycle__year=2025)


@pytest.fixture
def user_client(client, django_user_model):
    """Log a client in as one of the demo users: `user_client("editor")`."""

    def login(username: str):
        client.force_login(django_user_model.objects.get(username=username))
        return client

    return login


@pytest.fixture
def people(demo, django_user_model) -> dict:
    """The demo users by name (researcher and reviewer of Korea 2025, editor, admin), plus an `outsider`
    (a researcher assigned to nothing) and an `other_reviewer` (a reviewer assigned to nothing)."""
    from tests.factories import UserFactory

    users = {
        name: django_user_model.objects.get(username=name) for name in ["researcher", "reviewer", "editor", "admin"]
    }
    users["outsider"] = UserFactory(username="outsider", role="Researcher")
    users["other_reviewer"] = UserFactory(username="other-reviewer", role="Reviewer")
    return users


@pytest.fixture(autouse=True)
def _throttles_reset(settings):
    """Throttle counters (password reset) start from zero in every test."""
    alias = getattr(settings, "R2P_THROTTLE_CACHE", "default")
    if alias != "default":  # the default cache keeps rendered files between tests
        caches[alias].clear()
