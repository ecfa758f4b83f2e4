import pytest
from django.core.cache import cache

from assessments.demo.loader import demo_load
from assessments.models import CountryAssessment


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def korea_unpublished(db, monkeypatch) -> CountryAssessment:
    """The demo archive loaded without publishing Korea 2022 (every item approved)."""
    with monkeypatch.context() as patch:
        patch.setattr("assessments.demo.loader.publish_blockers", lambda country_assessment: ["not in this test"])
        demo_load()
    return CountryAssessment.objects.select_related("country", "cycle__previous").get(
        country__code="KOR", cycle__year=2022
    )
