import pytest
from django.core.cache import cache

from assessments.models import CountryAssessment
from tests.demo_snapshot import demo_snapshot_restore, demo_snapshot_take


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session")
def demo_unpublished_snapshot(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        return demo_snapshot_take(publish=False)


@pytest.fixture
def korea_unpublished(db, demo_unpublished_snapshot) -> CountryAssessment:
    """The demo archive loaded without publishing Korea 2022 (every item approved)."""
    demo_snapshot_restore(demo_unpublished_snapshot)
    return CountryAssessment.objects.select_related("country", "cycle__previous").get(
        country__code="KOR", cycle__year=2022
    )
