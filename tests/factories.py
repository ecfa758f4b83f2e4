"""factory-boy factories for the domain model."""

import factory
from django.contrib.auth.models import Group, User

from assessments.models import Country, CountryAssessment, Cycle, Source
from assessments.services.accounts import roles_ensure
from assessments.services.framework import framework_load
from assessments.services.items import country_assessment_create


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password("correct-horse-battery")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if extracted:
            roles_ensure()
            self.groups.add(Group.objects.get(name=extracted))


class CountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Country
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: "X" + chr(65 + (n // 26) % 26) + chr(65 + n % 26))
    name = factory.LazyAttribute(lambda country: f"Country {country.code}")
    name_in_text = factory.LazyAttribute(lambda country: country.name)


class CycleFactory(factory.django.DjangoModelFactory):
    """A cycle with the standard 36-indicator framework."""

    class Meta:
        model = Cycle
        django_get_or_create = ["year"]
        skip_postgeneration_save = True

    year = factory.Sequence(lambda n: 2030 + n)
    introduction = "This annex reviews {country_in_text}'s efforts."

    @factory.post_generation
    def framework(self, create, extracted, **kwargs):
        if create and extracted is not False:
            framework_load(cycle=self)


def make_country_assessment(*, country=None, cycle=None, **kwargs) -> CountryAssessment:
    """A country assessment with its overview, 36 indicator items and conclusion."""
    return country_assessment_create(
        country=country or CountryFactory(), cycle=cycle or CycleFactory(), reason="test", **kwargs
    )


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source
        django_get_or_create = ["key"]

    key = factory.Sequence(lambda n: f"source-{n}")
    type = "report"
    authors = factory.LazyFunction(lambda: [{"literal": "Human Rights Watch"}])
    author_abbreviation = "HRW"
    issued_year = 2022
    title = factory.Sequence(lambda n: f"Report number {n}")
    url = factory.Sequence(lambda n: f"https://example.org/report/{n}")


# --- Regional overview (test helper only) -------------------------------------------------------------
# The publishing work owns how editions are really made (services, rendering, hashing). This helper just
# writes an Edition row whose snapshot has the agreed annex-JSON shape, built naively from the live items.


def edition_snapshot(country_assessment: CountryAssessment) -> dict:
    """TEST HELPER: a snapshot in the annex JSON export's shape, from the assessment's current items."""
    from assessments.models import ItemKind, Rating, Trend
    from assessments.rendering import markdown_to_safe_html
    from assessments.services.scoring import assessment_score

    items = [item for item in country_assessment.items.in_reading_order() if item.kind == ItemKind.INDICATOR]
    scores = assessment_score(country_assessment, ratings=[item.rating for item in items])
    return {
        "country": {"code": country_assessment.country.code, "name": country_assessment.country.name},
        "cycle": country_assessment.cycle.year,
        "edition": country_assessment.editions.count() + 1,
        "score": scores.score,
        "previous_score": scores.previous_score,
        "score_change": scores.change,
        "summary": [
            {"rating": rating.label, "indicators": [item.indicator.code for item in items if item.rating == rating]}
            for rating in Rating.strongest_first()
        ],
        "indicators": [
            {
                "code": item.indicator.code,
                "thematic_area": item.indicator.thematic_area.name,
                "title": item.indicator.title,
                "rating": Rating(item.rating).label if item.rating else "",
                "trend": Trend(item.trend).label if item.trend else "",
                "notes_html": markdown_to_safe_html(item.notes),
                "footnotes": [],
            }
            for item in items
        ],
        "footnotes": [],
    }


def make_edition(country_assessment: CountryAssessment, snapshot: dict | None = None, *, user=None):
    """TEST HELPER: publish the next edition of a country assessment as a bare Edition row (no workflow)."""
    import hashlib
    import json

    from django.utils import timezone

    from assessments.models import Edition

    snapshot = snapshot if snapshot is not None else edition_snapshot(country_assessment)
    number = country_assessment.editions.count() + 1
    return Edition.objects.create(
        country_assessment=country_assessment,
        number=number,
        published_at=timezone.now(),
        published_by=user or UserFactory(username="test-publisher", role="Editor"),
        content_hash=hashlib.sha256(json.dumps(snapshot, sort_keys=True).encode()).hexdigest(),
        html="<p>Frozen annex (test)</p>",
        snapshot=snapshot,
    )
