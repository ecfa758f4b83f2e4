"""A factory-built 2022 cycle to open 2025 from: three countries, every indicator rated and approved."""

from datetime import date
from types import SimpleNamespace

import pytest

from assessments.models import Country, ItemKind
from assessments.workflow.content import ContentChange, WriteKind, items_content_write
from tests.factories import CountryFactory, CycleFactory, UserFactory, make_country_assessment

# The 2022 rating of every indicator, but BC-3 (Weak) and UN-7 (Strong).
RATINGS_2022 = {"BC-3": "weak", "UN-7": "strong"}


def rate_all(assessment, user, ratings: dict[str, str], default: str = "fair", kind=WriteKind.ARCHIVE) -> None:
    changes = [
        ContentChange(item=item, values={"rating": ratings.get(item.indicator.code, default), "notes": "Evidence."})
        for item in assessment.items.filter(kind=ItemKind.INDICATOR).select_related("indicator")
    ]
    items_content_write(changes=changes, user=user, reason="the 2022 record", kind=kind)


@pytest.fixture
def past(db):
    """Cycle 2022 with three countries (every indicator approved), an editor, researchers and reviewers."""
    editor = UserFactory(username="ed", role="Editor")
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    researchers = [UserFactory(username=f"res{n}", email=f"res{n}@example.org", role="Researcher") for n in (1, 2, 3)]
    reviewers = [UserFactory(username=f"rev{n}", role="Reviewer") for n in (1, 2, 3)]
    cycle = CycleFactory(
        year=2022,
        introduction="This annex reviews {country_in_text}'s efforts in 2022.",
        coverage_start=date(2019, 7, 1),
        coverage_end=date(2022, 6, 30),
    )
    countries = [
        CountryFactory(code=code, name=name, name_in_text=name)
        for code, name in (("ALB", "Albania"), ("BEN", "Benin"), ("CHL", "Chile"))
    ]
    CountryFactory(code="DNK", name="Denmark", name_in_text="Denmark")  # never assessed
    assessments = [make_country_assessment(country=country, cycle=cycle) for country in countries]
    for assessment in assessments:
        rate_all(assessment, admin, RATINGS_2022)
    return SimpleNamespace(
        cycle=cycle,
        editor=editor,
        admin=admin,
        researchers=researchers,
        reviewers=reviewers,
        countries=countries,
        assessments=assessments,
        denmark=Country.objects.get(code="DNK"),
    )
