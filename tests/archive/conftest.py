import pytest
from django.db import transaction

from assessments.accounts.services import demo_users_ensure
from assessments.demo.loader import demo_load
from assessments.framework.services import countries_sync, cycle_create
from assessments.models import Country, CountryAssessment, Cycle, Edition
from assessments.publishing.exports import edition_export

REFERENCE = "/work/shared/reference/annex-2022-republic-of-korea.txt"


@pytest.fixture(scope="session")
def reference_text():
    from pathlib import Path

    path = Path(REFERENCE)
    if not path.exists():  # the shared reference lives beside the repository; a copy is kept with the tests
        path = Path(__file__).parent / "data" / "annex-2022-republic-of-korea.txt"
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def exported_korea(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo Korea 2022 annex exported by r2p as DOCX and PDF (made in a transaction that is rolled back)."""
    folder = tmp_path_factory.mktemp("exports")
    files = {}
    with django_db_blocker.unblock(), transaction.atomic():
        demo_load()
        edition = Edition.objects.get(country_assessment__country__code="KOR", country_assessment__cycle__year=2022)
        for fmt in ("docx", "pdf"):
            export = edition_export(edition, fmt)
            files[fmt] = folder / f"annex-kor-2022.{fmt}"
            files[fmt].write_bytes(export.content)
        transaction.set_rollback(True)
    return files


@pytest.fixture
def bare(db):
    """A fresh archive: countries, cycles 2019/2022/2025 with the framework and the demo users; no assessments
    and an empty source library (the state of a centre that adopts r2p)."""
    users = demo_users_ensure()
    countries_sync()
    cycle_2019 = cycle_create(year=2019, introduction="Intro 2019")
    cycle_2022 = cycle_create(year=2022, previous=cycle_2019, introduction="Intro 2022")
    cycle_create(year=2025, previous=cycle_2022, introduction="Intro 2025")
    return {
        "editor": users["editor"][0],
        "researcher": users["researcher"][0],
        "korea": Country.objects.by_code("KOR"),
        "cycle": Cycle.objects.select_related("previous").get(year=2022),
    }


def korea(year: int) -> CountryAssessment | None:
    return CountryAssessment.objects.filter(country__code="KOR", cycle__year=year).first()
