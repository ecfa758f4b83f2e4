"""Unknown keys are allowed in drafts (with their position) but block review; the per-annex report."""

from assessments.citations.validation import citation_report, citations_ready_for_review, unknown_keys
from tests.factories import SourceFactory


def test_unknown_keys_with_positions(db):
    SourceFactory(key="known")
    text = "Fine.[@known]\nNot fine.^[See [@missing, p. 2]] and [@known; @other]"
    found = unknown_keys(text)
    assert [(u.key, u.line, u.column) for u in found] == [("missing", 2, 17), ("other", 2, 47)]
    assert unknown_keys(text, known_keys={"known", "missing", "other"}) == []


def test_unknown_keys_with_given_keys_needs_no_query(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert [u.key for u in unknown_keys("A.[@a; @b]", known_keys=["a"])] == ["b"]


def test_ready_for_review(korea_2022):
    item = korea_2022.items.get(indicator__code="BC-3")
    assert citations_ready_for_review(item) == []
    item.notes += "\nAnd a new claim.[@not-in-library]"
    assert citations_ready_for_review(item) == ["Unknown citation key @not-in-library (line 2, column 18)"]


def test_citation_report_of_the_demo_annex(korea_2022, django_assert_num_queries):
    items = list(korea_2022.items.in_reading_order())
    item = next(item for item in items if item.slug == "PM-1")
    item.notes += " Also [@ghost]."
    SourceFactory(
        key="gcr2p-copy",
        title="Members of the global network of R2P focal points.",
        issued_year=2020,
        authors=[{"literal": "Global Centre for the Responsibility to Protect"}],
    )
    SourceFactory(key="fh-copy", url="http://freedomhouse.org/country/south-korea/freedom-world/2022/")
    with django_assert_num_queries(2):
        report = citation_report(items)
    assert [(entry.item.slug, [u.key for u in entry.unknown]) for entry in report.unknown] == [("PM-1", ["ghost"])]
    assert [source.key for source in report.missing_url] == ["un-ga-2021-ga12323"]
    assert {source.key for source in report.missing_year} == {
        "kuzmarov-nd-korean-war",
        "un-treaty-bodies-nd-overdue-reports",
        "ohchr-nd-country-visits",
        "cicc-nd-korea",
        "unga-nd-voting-records",
    }
    assert [(pair.cited.key, pair.other.key, pair.reason) for pair in report.duplicates] == [
        ("freedom-house-2022-south-korea", "fh-copy", "same URL"),
        ("gcr2p-2020-focal-points", "gcr2p-copy", "same author, title and year"),
    ]
    assert not report.clean
