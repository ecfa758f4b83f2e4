"""The annex data builder: one AnnexData that every format renders, and its snapshot (= JSON export)."""

import re

import pytest

from assessments.models import Indicator
from assessments.publishing.annex import AnnexData, annex_build, canonical_json, content_hash

# Plain-text footnotes keep the house style's <URL> brackets, but carry no HTML tags.
HTML_TAG = re.compile(r"</?(a|em|i|b|strong|sup|span|p)\b")


JSON_KEYS = {"country", "cycle", "edition", "score", "previous_score", "score_change", "summary", "indicators"}
INDICATOR_KEYS = {"code", "thematic_area", "title", "rating", "trend", "notes_html", "footnotes"}


def test_korea_annex_scores_summary_and_order(korea_unpublished):
    annex = annex_build(korea_unpublished)
    assert (annex.score, annex.previous_score, annex.score_change) == (73, 74, -1)
    assert [(rating, len(codes)) for rating, codes in annex.summary] == [
        ("Very Strong", 14),
        ("Strong", 11),
        ("Fair", 8),
        ("Weak", 0),
        ("Very Weak", 3),
    ]
    framework = list(Indicator.objects.filter(cycle__year=2022).order_by("position").values_list("code", flat=True))
    assert [indicator.code for indicator in annex.indicators] == framework
    assert len(annex.indicators) == 36
    bmr_1 = next(indicator for indicator in annex.indicators if indicator.code == "BMR-1")
    assert (bmr_1.rating, bmr_1.trend) == ("Strong", "Decrease")
    assert "the Republic of Korea's efforts" in annex.introduction_html
    assert [group.rating for group in annex.summary_groups] == ["Very Strong", "Strong", "Fair", "Very Weak"]
    assert [area.name for area in annex.areas][0] == "Basic Compliance"
    assert annex.is_draft and annex.edition is None


def test_snapshot_has_the_json_export_keys_and_round_trips(korea_unpublished):
    annex = annex_build(korea_unpublished)
    snapshot = annex.to_snapshot()
    assert JSON_KEYS | {"footnotes"} <= set(snapshot)
    assert snapshot["country"] == {"code": "KOR", "name": "Republic of Korea", "name_in_text": "the Republic of Korea"}
    assert snapshot["cycle"] == 2022 and snapshot["edition"] is None
    assert snapshot["summary"][0] == {"rating": "Very Strong", "indicators": snapshot["summary"][0]["indicators"]}
    assert "BC-1" in snapshot["summary"][0]["indicators"]
    assert all(set(indicator) == INDICATOR_KEYS for indicator in snapshot["indicators"])
    assert AnnexData.from_snapshot(snapshot) == annex
    assert content_hash(snapshot) == content_hash(AnnexData.from_snapshot(snapshot).to_snapshot())
    assert len(content_hash(snapshot)) == 64
    assert canonical_json(snapshot).startswith(b'{"conclusion":')


def test_unknown_snapshot_format_is_refused(korea_unpublished):
    snapshot = annex_build(korea_unpublished).to_snapshot() | {"format": "something-else"}
    with pytest.raises(ValueError):
        AnnexData.from_snapshot(snapshot)


def test_build_takes_a_fixed_number_of_queries(korea_unpublished, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        annex_build(korea_unpublished)


def test_footnotes_numbered_through_the_annex_in_reading_order(korea_unpublished):
    annex = annex_build(korea_unpublished)
    assert [footnote.number for footnote in annex.footnotes] == list(range(1, 40))
    numbers = annex.overview.footnotes + annex.conclusion.footnotes
    numbers += [number for indicator in annex.indicators for number in indicator.footnotes]
    assert numbers == list(range(1, 40))
    bc_3 = next(indicator for indicator in annex.indicators if indicator.code == "BC-3")
    assert bc_3.footnotes == [1, 2, 3]


def test_korea_annex_has_39_footnotes(korea_unpublished):
    annex = annex_build(korea_unpublished)
    assert [footnote.number for footnote in annex.footnotes] == list(range(1, 40))
    assert all(footnote.text and not HTML_TAG.search(footnote.text) for footnote in annex.footnotes)
    assert next(i for i in annex.indicators if i.code == "BC-3").footnotes == [1, 2, 3]
