"""Public regional pages, downloads and API: published editions only, content matching the snapshots."""

import csv
import io
import json
import re

import pytest
from django.urls import reverse

from assessments.models import Country, ItemStatus, Rating
from tests.factories import edition_snapshot, make_country_assessment, make_edition

from .conftest import add_countries, fill, query_counts

SECRET = "DRAFT-ONLY-CHANGE"
MAX_QUERIES = 12
PUBLIC_URLS = [
    ("public:regional", [2022]),
    ("public:regional-indicator", [2022, "BC-1"]),
    ("public:regional-csv", [2022]),
    ("public:regional-json", [2022]),
    ("public:api-editions", []),
    ("public:api-edition-latest", [2022, "KOR"]),
    ("public:api-edition", [2022, "KOR", 1]),
]


def get(client, name, args, query=""):
    return client.get(reverse(name, args=args) + query)


@pytest.fixture
def published_korea(korea_2022):
    """The demo publishes Korea 2022 as edition v1."""
    assert korea_2022.editions.get().number == 1
    return korea_2022


@pytest.fixture
def draft_change(published_korea):
    """After publication, a researcher changes BC-1 (Very Strong → Very Weak) and its notes; still a draft."""
    item = published_korea.items.get(indicator__code="BC-1")
    item.rating, item.notes, item.status = Rating.VERY_WEAK, f"{SECRET} notes", ItemStatus.DRAFT
    item.save()
    return item


def test_nav_link_for_the_public(client, published_korea):
    text = client.get(reverse("public:annex-list")).content.decode()
    assert f'href="{reverse("public:regional-latest")}"' in text
    response = client.get(reverse("public:regional-latest"))
    assert response.url == reverse("public:regional", args=[2022])  # 2025 has nothing published


@pytest.mark.parametrize(("name", "args"), PUBLIC_URLS)
def test_draft_only_change_never_appears(client, draft_change, name, args):
    response = get(client, name, args)
    assert response.status_code == 200
    body = b"".join(response) if response.streaming else response.content
    text = body.decode()
    assert SECRET not in text
    if name == "public:regional":
        assert 'data-indicator="BC-1" data-rating="very_strong"' in text
        assert 'data-country="KOR" data-score="73"' in text  # the draft would make it 70
    if name == "public:regional-indicator":
        row = re.search(r'<tr id="KOR">.*?</tr>', text, re.S).group(0)
        assert "Very Strong" in row and "Very Weak" not in row


def test_unpublished_countries_do_not_appear(client, cycle_2022, published_korea):
    unpublished = add_countries(cycle_2022, 1)[0]
    name = unpublished.country.name
    for route, args in PUBLIC_URLS[:5]:
        body = get(client, route, args).content.decode()
        assert name not in body, route
        assert "Republic of Korea" in body, route
    assert get(client, "public:api-edition-latest", [2022, unpublished.country.code]).status_code == 404


def test_regional_page_matches_snapshots(client, cycle_2022, published_korea):
    others = add_countries(cycle_2022, 2)
    snapshots = [edition_snapshot(ca) for ca in others]
    for ca, snapshot in zip(others, snapshots, strict=True):
        make_edition(ca, snapshot)
    text = get(client, "public:regional", [2022]).content.decode()
    for snapshot in snapshots:
        code = snapshot["country"]["code"]
        row = re.search(rf'<tr id="hm-{code}">.*?</tr>', text, re.S).group(0)
        cells = re.findall(r'data-indicator="([A-Z]+-\d+)" data-rating="(\w*)" data-trend="(\w*)"', row)
        expected = [
            (entry["code"], Rating.from_label(entry["rating"]).value, entry["trend"].lower())
            for entry in snapshot["indicators"]
        ]
        assert cells == expected
        assert f'href="/regional/2022/indicators/BC-1/#{code}"' in row
        previous = snapshot["previous_score"] if snapshot["previous_score"] is not None else ""
        assert f'data-country="{code}" data-score="{snapshot["score"]}" data-previous="{previous}"' in text
    all_areas = re.search(r'data-area="All thematic areas" data-total="(\d+)"', text)
    assert all_areas.group(1) == str(36 * 3)
    assert re.search(r'Countries published</span><span class="big">3<', text)


def test_latest_edition_wins(client, published_korea):
    snapshot = edition_snapshot(published_korea)
    snapshot["score"], snapshot["score_change"] = 75, 1
    snapshot["indicators"][0]["rating"] = "Strong"
    make_edition(published_korea, snapshot)
    text = get(client, "public:regional", [2022]).content.decode()
    assert 'data-country="KOR" data-score="75"' in text
    assert 'data-indicator="BC-1" data-rating="strong"' in text
    listed = get(client, "public:api-editions", []).json()["results"]
    assert [(entry["edition"], entry["score"]) for entry in listed] == [(2, 75)]
    assert get(client, "public:api-edition", [2022, "KOR", 1]).json()["score"] == 73
    assert get(client, "public:api-edition-latest", [2022, "KOR"]).json()["edition"] == 2


def test_public_indicator_page_sanitises_notes_and_lists_footnotes(client, korea_2022):
    snapshot = edition_snapshot(korea_2022)
    snapshot["indicators"][0]["notes_html"] = (
        '<p onclick="x()">Safe <em>text</em><sup>1</sup></p><script>alert(1)</script>'
    )
    snapshot["indicators"][0]["footnotes"] = [1]
    snapshot["footnotes"] = [{"number": 1, "text": "HRW, 2022. South Korea: Events of 2021."}]
    make_edition(korea_2022, snapshot)
    text = get(client, "public:regional-indicator", [2022, "bc-1"]).content.decode()
    assert "<p>Safe <em>text</em><sup>1</sup></p>" in text
    assert "<script>alert" not in text and "onclick" not in text
    assert '<li value="1">HRW, 2022. South Korea: Events of 2021.</li>' in text
    assert get(client, "public:regional-indicator", [2022, "XX-9"]).status_code == 404


def test_csv_download(client, korea_2022):
    snapshot = edition_snapshot(korea_2022)
    snapshot["country"]["name"] = '=HYPERLINK("http://evil")'
    snapshot["indicators"][1]["title"] = "@SUM(A1)"
    snapshot["indicators"][2]["title"] = "\tTabbed"
    make_edition(korea_2022, snapshot)
    response = get(client, "public:regional-csv", [2022])
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="r2p-2022-published-ratings.csv"'
    assert response["Access-Control-Allow-Origin"] == "*"
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 36
    assert rows[0]["country_name"] == '\'=HYPERLINK("http://evil")'
    assert rows[1]["indicator_title"] == "'@SUM(A1)"
    assert rows[2]["indicator_title"] == "'\tTabbed"
    assert rows[0]["score_change"] == "-1"  # a number, not text a spreadsheet could run
    assert (rows[0]["indicator_code"], rows[0]["rating"], rows[0]["trend"]) == ("BC-1", "Very Strong", "Unchanged")
    ratings = [row["rating"] for row in rows]
    assert (
        ratings.count("Very Strong"),
        ratings.count("Strong"),
        ratings.count("Fair"),
        ratings.count("Very Weak"),
    ) == (
        14,
        11,
        8,
        3,
    )


def test_json_download(client, published_korea):
    response = get(client, "public:regional-json", [2022])
    assert response["Content-Disposition"] == 'attachment; filename="r2p-2022-published-ratings.json"'
    data = json.loads(response.content)
    assert data["cycle"] == 2022
    (korea,) = data["countries"]
    assert korea["country"] == {"code": "KOR", "name": "Republic of Korea"}
    assert (korea["score"], korea["previous_score"], korea["score_change"], korea["edition"]) == (73, 74, -1, 1)
    assert len(korea["ratings"]) == 36 and korea["ratings"][0]["rating"] == "Very Strong"
    assert "notes_html" not in json.dumps(data)


def test_api_list_and_detail(client, published_korea, korea_2025, cycle_2022):
    japan = fill(make_country_assessment(country=Country.objects.get(code="JPN"), cycle=cycle_2022))
    make_edition(japan)
    data = get(client, "public:api-editions", []).json()
    assert data["count"] == 2
    assert [entry["country"]["code"] for entry in data["results"]] == ["JPN", "KOR"]
    korea = data["results"][1]
    assert korea["cycle"] == 2022 and korea["edition"] == 1 and korea["score"] == 73
    assert korea["links"]["self"] == "http://testserver/api/v1/editions/2022/KOR/"
    assert korea["links"]["edition"] == "http://testserver/api/v1/editions/2022/KOR/v1/"
    assert get(client, "public:api-editions", [], "?country=kor").json()["count"] == 1
    assert get(client, "public:api-editions", [], "?cycle=2025").json()["count"] == 0
    assert get(client, "public:api-editions", [], "?cycle=abc").status_code == 400

    detail = get(client, "public:api-edition-latest", [2022, "kor"])
    document = detail.json()
    assert {key: document["country"][key] for key in ("code", "name")} == {"code": "KOR", "name": "Republic of Korea"}
    assert document["score"] == 73 and len(document["indicators"]) == 36
    assert document["content_hash"] and document["links"]["regional"] == "http://testserver/regional/2022/"
    assert detail["Access-Control-Allow-Origin"] == "*"
    assert "max-age=86400" in get(client, "public:api-edition", [2022, "KOR", 1])["Cache-Control"]
    missing = get(client, "public:api-edition", [2022, "KOR", 2])
    assert missing.status_code == 404 and missing.json()["detail"].startswith("No published edition")
    assert get(client, "public:api-edition-latest", [2025, "KOR"]).status_code == 404  # draft only


def test_cycle_with_nothing_published(client, demo):
    response = get(client, "public:regional", [2025])
    assert response.status_code == 200 and "Nothing has been published for 2025 yet." in response.content.decode()
    assert get(client, "public:regional", [1999]).status_code == 404
    assert get(client, "public:regional-csv", [2025]).content.decode().count("\n") == 1  # header only


def test_public_query_counts_do_not_grow_with_countries(client, cycle_2022, published_korea):
    pages = [reverse(name, args=args) for name, args in PUBLIC_URLS]
    few = query_counts(client, pages)
    for ca in add_countries(cycle_2022, 11):
        make_edition(ca)
    many = query_counts(client, pages)
    assert few == many
    assert max(many.values()) <= MAX_QUERIES, many
