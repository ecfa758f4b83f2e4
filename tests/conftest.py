import pytest
from django.core.cache import caches

from assessments.demo.loader import demo_load
from assessments.models import CountryAssessment


@pytest.fixture
def demo(db):
    """The demo archive: cycles 2019/2022/2025, Korea 2022 approved, Korea 2025 empty, demo users."""
    return demo_load()


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


@pytest.fixture(autouse=True)
def _throttles_reset(settings):
    """Throttle counters (password reset) start from zero in every test."""
    alias = getattr(settings, "R2P_THROTTLE_CACHE", "default")
    if alias != "default":  # the default cache keeps rendered files between tests
        caches[alias].clear()
