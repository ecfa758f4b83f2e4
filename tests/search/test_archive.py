"""Search over the 40-country archive (benchmarks/dataset.py): the expected items come first, filters
narrow, drafts stay with the people who may see them. One test, since building the archive takes a while."""

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import AssessmentItem, ItemStatus
from assessments.search.models import DocumentKind
from assessments.search.selectors import SearchFilters, search_public, search_staff
from assessments.workflow.services import item_update
from benchmarks.dataset import dataset_build
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def hits(results, kind=DocumentKind.ITEM):
    return [hit.document for group in results.groups if group.kind == kind for hit in group.hits]


def test_archive_search(client):
    size = dataset_build(countries=40, revisions_per_item=0)
    assert size.countries >= 40
    editor = User.objects.get(username="editor")
    outsider = UserFactory(username="outsider", role="Researcher")
    drafts = list(
        AssessmentItem.objects.filter(country_assessment__cycle__year=2025, kind="indicator", status=ItemStatus.DRAFT)
        .exclude(country_assessment__country__code="KOR")
        .exclude(indicator__code="IHR-2")
        .select_related("country_assessment__country", "indicator")
        .order_by("country_assessment__country__code", "indicator__position")
    )
    first = drafts[0]
    second = next(item for item in drafts if item.country_assessment_id != first.country_assessment_id)
    for item, notes in (
        (first, "The government endorsed the Kigali Principles and cooperates under the Rome Statute."),
        (second, "Kigali hosted talks; principles of cooperation were agreed with the ICC."),
    ):
        item_update(item=item, user=editor, expected_version=item.version, notes=notes)

    # Multi-word: every word, any order; the phrase only where the words stand together.
    # (Indicator UN-6, "Support the Kigali Principles", matches by its title in every country.)
    loose = hits(search_staff(user=editor, text="principles kigali", filters=SearchFilters(cycle=2025, kind="item")))
    assert {first.pk, second.pk} <= {doc.item_id for doc in loose}
    assert {doc.slug for doc in loose if doc.item_id not in (first.pk, second.pk)} == {"UN-6"}
    phrase = {
        doc.item_id
        for doc in hits(
            search_staff(user=editor, text='"kigali principles"', filters=SearchFilters(cycle=2025, kind="item"))
        )
    }
    assert first.pk in phrase and second.pk not in phrase
    without_un = hits(search_staff(user=editor, text="kigali -un", filters=SearchFilters(cycle=2025, kind="item")))
    assert {doc.item_id for doc in without_un} == {first.pk, second.pk}
    exact = hits(
        search_staff(user=editor, text='"kigali principles" endorsed', filters=SearchFilters(cycle=2025, kind="item"))
    )
    assert [doc.item_id for doc in exact] == [first.pk]

    # Ranking: the Rome Statute indicator (its title) of every country comes before notes that mention it.
    ranked = hits(search_staff(user=editor, text="rome statute", filters=SearchFilters(cycle=2025, kind="item")))
    slugs = [doc.slug for doc in ranked]
    assert first.pk in [doc.item_id for doc in ranked]
    position = [doc.item_id for doc in ranked].index(first.pk)
    assert position >= 10 and set(slugs[:position]) == {"IHR-2"}, slugs[: position + 1]

    # Filters.
    code = first.country_assessment.country.code
    by_country = hits(search_staff(user=editor, text="rome statute", filters=SearchFilters(country=code)))
    assert {doc.country_assessment.country.code for doc in by_country} == {code}
    assert {doc.slug for doc in by_country[:2]} == {"IHR-2"}
    by_indicator = hits(
        search_staff(user=editor, text="kigali", filters=SearchFilters(indicator=second.indicator.code, cycle=2025))
    )
    assert second.pk in [doc.item_id for doc in by_indicator]
    assert {doc.slug for doc in by_indicator} == {second.indicator.code}
    assert all(
        doc.item.status == ItemStatus.DRAFT
        for doc in hits(search_staff(user=editor, text="rome statute", filters=SearchFilters(status="draft")))
    )

    # Drafts: nobody unassigned, and not the public.
    assert not hits(search_staff(user=outsider, text='"kigali principles" endorsed'))
    assert not search_public(text='"kigali principles" endorsed').groups

    # The page costs the same number of queries on the archive as on the demo.
    client.force_login(editor)
    client.get(reverse("search"), {"q": "rome statute"})
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("search"), {"q": "rome statute", "cycle": "2025"})
    assert response.status_code == 200
    assert len(captured) <= 14
