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
