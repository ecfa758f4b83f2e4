"""factory-boy factories for the domain model."""

import factory
from django.contrib.auth.models import Group, User

from assessments.accounts.services import roles_ensure
from assessments.framework.services import framework_load
from assessments.models import Country, CountryAssessment, Cycle, Source
from assessments.workflow.items import country_assessment_create


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


def edition_snapshot(country_assessment: CountryAssessment) -> dict:
    """The snapshot publishing would freeze for the assessment's next edition (the annex JSON export)."""
    from assessments.publishing.annex import annex_build

    return annex_build(country_assessment, edition=country_assessment.editions.count() + 1).to_snapshot()


def make_edition(country_assessment: CountryAssessment, snapshot: dict | None = None, *, user=None):
    """Publish the next edition through the publishing service, or, given a snapshot, store that one as is
    (for tests of what readers of snapshots do with unusual content)."""
    from django.db.models import Value
    from django.db.models.functions import Concat
    from django.utils import timezone

    from assessments.models import Edition
    from assessments.publishing.annex import content_hash
    from assessments.publishing.services import annex_publish

    user = user or UserFactory(username="test-publisher", role="Editor")
    number = country_assessment.editions.count() + 1
    if snapshot is None:
        if number > 1:  # a new edition must correct something: amend the conclusion
            items = country_assessment.items.filter(kind="conclusion")
            items.update(notes=Concat("notes", Value(f" (Corrected for edition {number}.)")))
        return annex_publish(
            country_assessment=country_assessment,
            user=user,
            errata="Corrected (test)." if number > 1 else "",
            trend_reason="Generated test data: trends are random.",
        )
    return Edition.objects.create(
        country_assessment=country_assessment,
        number=number,
        published_at=timezone.now(),
        published_by=user,
        content_hash=content_hash(snapshot),
        html="<p>Frozen annex (test)</p>",
        snapshot=snapshot,
    )
