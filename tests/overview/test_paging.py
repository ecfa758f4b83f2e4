"""A cycle of every UN member: the overview and the heatmap show a page of countries at a time, with a pager,
a UN sub-region filter and the whole cycle one download away; the charts page has the region filter for its
per-country chart; a cycle of up to a page looks as it always did."""

import csv
import io
import re

import pytest
from django.urls import reverse

from assessments.method.regions import region_names
from assessments.models import Assignment, AssignmentRole, Country, CountryAssessment
from assessments.overview import staff, views
from tests.factories import make_country_assessment

from .conftest import add_countries, fill, query_counts

PAGED = ["cycle-overview", "cycle-heatmap"]
OVERVIEW_ROW = r'<td><a href="/cycles/2022/([A-Z]{3})/">'
HEATMAP_ROW = r'<tr id="hm-([A-Z]{3})">'
SCORE_ROW = r'<g class="score-row" data-country="([A-Z]{3})"'
ALL_AREAS = r'<g class="distribution-bar" data-area="All thematic areas" data-total="(\d+)">'


@pytest.fixture
def per_page(monkeypatch):
    """Pages of 3 countries, so a handful of countries stands in for 193."""
    monkeypatch.setattr(staff, "PER_PAGE", 3)
    monkeypatch.setattr(views, "PER_PAGE", 3)
    return 3


def page_url(name: str, query: str = "", year: int = 2022) -> str:
    return reverse(name, args=[year]) + query


def codes(text: str, name: str) -> list[str]:
    return re.findall(OVERVIEW_ROW if name == "cycle-overview" else HEATMAP_ROW, text)


def countries_in(cycle, codes_: list[str]) -> list[CountryAssessment]:
    return [
        fill(make_country_assessment(country=Country.objects.get(code=code), cycle=cycle), seed=index)
        for index, code in enumerate(codes_)
    ]


@pytest.mark.parametrize("name", PAGED)
def test_a_cycle_of_one_page_looks_as_before(user_client, cycle_2022, korea_2022, name):
    add_countries(cycle_2022, 4)
    text = user_client("editor").get(page_url(name)).content.decode()
    assert len(codes(text, name)) == 5
    assert "country-pager" not in text
    assert 'name="region"' not in text
    assert "Download the whole cycle" not in text


@pytest.mark.parametrize("name", PAGED)
def test_pages_of_countries_with_a_pager(user_client, cycle_2022, korea_2022, per_page, name):
    add_countries(cycle_2022, 7)  # 8 countries: pages of 3, 3, 2
    everyone = sorted(
        CountryAssessment.objects.filter(cycle=cycle_2022).select_related("country"), key=lambda ca: ca.country.name
    )
    client = user_client("editor")
    seen = []
    for number in (1, 2, 3):
        text = client.get(page_url(name, f"?page={number}")).content.decode()
        seen += codes(text, name)
        pagers = re.findall(r'<nav class="country-pager" aria-label="([^"]+)">(.*?)</nav>', text, re.S)
        assert pagers and len({label for label, _ in pagers}) == len(pagers)  # distinct landmark names
        for _, pager in pagers:
            assert re.findall(r'<a href="[^"]*" aria-current="page">(\d+)</a>', pager) == [str(number)]
        first = 3 * (number - 1) + 1
        assert f"{first}–{min(first + 2, 8)} of 8 countries" in text
    assert seen == [ca.country.code for ca in everyone]  # every country once, in name order
    # Out of range or not a number: the nearest page, never an error.
    assert codes(client.get(page_url(name, "?page=99")).content.decode(), name) == seen[6:]
    assert codes(client.get(page_url(name, "?page=x")).content.decode(), name) == seen[:3]


def scores(text: str) -> list[int]:
    """The Score column of the overview's rows, top to bottom."""
    row = r'<tr>\s*<td><a href="/cycles/2022/[A-Z]{3}/">.*?</td>\s*<td>.*?</td>\s*<td>.*?</td>\s*<td class="num">(\d+)'
    return [int(score) for score in re.findall(row, text, re.S)]


def test_pager_keeps_the_query_string_and_sorting_starts_again(user_client, cycle_2022, korea_2022, per_page):
    add_countries(cycle_2022, 7)
    client = user_client("editor")
    text = client.get(page_url("cycle-overview", "?sort=-score&page=2")).content.decode()
    pager = re.search(r'<nav class="country-pager".*?</nav>', text, re.S).group(0)
    assert 'href="?sort=-score&amp;page=3"' in pager and 'href="?sort=-score&amp;page=1"' in pager
    headers = re.findall(r'<th scope="col"[^>]*aria-sort="\w+"><a href="([^"]+)"', text)
    assert len(headers) == 7 and not any("page=" in href for href in headers)  # a new order starts on page 1
    # Sorted by score over the whole cycle, not within each page.
    pages = [
        scores(client.get(page_url("cycle-overview", f"?sort=-score&page={n}")).content.decode()) for n in (1, 2, 3)
    ]
    assert [len(page) for page in pages] == [3, 3, 2]
    everyone = [score for page in pages for score in page]
    assert everyone == sorted(everyone, reverse=True)
    # The form keeps the sort and the other filters, and starts again on page 1.
    form = re.search(r'<form method="get" class="filters no-print">.*?</form>', text, re.S).group(0)
    assert '<input type="hidden" name="sort" value="-score">' in form and 'name="page"' not in form


@pytest.mark.parametrize("name", PAGED)
def test_region_filter(user_client, cycle_2022, korea_2022, per_page, name):
    countries_in(cycle_2022, ["JPN", "CHN", "AUS", "FJI", "FRA", "BRA"])  # with Korea: 7, so paged
    client = user_client("editor")
    text = client.get(page_url(name)).content.decode()
    options = dict(re.findall(r'<option value="([^"]+)"[^>]*>([^<]+ \(\d+\))</option>', text))
    assert options == {
        "East Asia": "East Asia (3)",
        "Oceania": "Oceania (2)",
        "Latin America and the Caribbean": "Latin America and the Caribbean (1)",
        "Western Europe": "Western Europe (1)",
    }
    assert list(options) == [name for name in region_names() if name in options]  # Asia-Pacific first
    text = client.get(page_url(name, "?region=East+Asia")).content.decode()
    assert sorted(codes(text, name)) == ["CHN", "JPN", "KOR"]
    assert "of 3 countries in East Asia" in text
    assert '<option value="East Asia" selected>' in text
    assert sorted(codes(client.get(page_url(name, "?region=Oceania")).content.decode(), name)) == ["AUS", "FJI"]
    assert len(codes(client.get(page_url(name, "?region=Atlantis")).content.decode(), name)) == 3  # ignored
    assert codes(client.get(page_url(name, "?region=Western+Europe")).content.decode(), name) == ["FRA"]


def test_region_filter_combines_with_the_other_filters(user_client, cycle_2022, korea_2022, per_page):
    japan, china, _ = countries_in(cycle_2022, ["JPN", "CHN", "FRA"])
    person = Assignment.objects.create(
        country_assessment=japan, user=staff.User.objects.get(username="researcher"), role=AssignmentRole.RESEARCHER
    ).user
    text = user_client("editor").get(page_url("cycle-overview", f"?region=East+Asia&assignee={person.username}"))
    assert re.findall(OVERVIEW_ROW, text.content.decode()) == ["JPN"]
    text = user_client("editor").get(page_url("cycle-overview", "?region=Other&status=published")).content.decode()
    assert re.findall(OVERVIEW_ROW, text) == [] and "No country assessment matches these filters." in text


def test_whole_cycle_download_for_editors_only(user_client, cycle_2022, korea_2022, korea_2025, per_page):
    add_countries(cycle_2022, 4)
    text = user_client("editor").get(page_url("cycle-heatmap")).content.decode()
    link = re.search(r'<a href="([^"]+)" download>Download the whole cycle \(CSV\)</a>', text).group(1)
    response = user_client("editor").get(link.replace("&amp;", "&"))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 5 * 36  # every indicator of every country of the cycle, not just the page's
    assert {row["country"] for row in rows} == set(
        CountryAssessment.objects.filter(cycle=cycle_2022).values_list("country__code", flat=True)
    )
    researcher = user_client("researcher")
    for other in add_countries(korea_2025.cycle, 4):
        Assignment.objects.create(
            country_assessment=other,
            user=staff.User.objects.get(username="researcher"),
            role=AssignmentRole.RESEARCHER,
        )
    text = researcher.get(page_url("cycle-overview", year=2025)).content.decode()
    assert "country-pager" in text and "Download the whole cycle" not in text


@pytest.mark.parametrize(
    "query", ["", "?page=2", "?region=East+Asia&page=2", "?sort=-score&page=2", "?sort=progress&page=2"]
)
def test_paged_query_counts_do_not_grow_with_countries(user_client, cycle_2022, korea_2022, per_page, query):
    """One country or a cycle of several pages: the same number of queries on every page of either view, and on
    the charts page with the same region (it has no pages: `page` is ignored)."""
    pages = [page_url(name, query) for name in [*PAGED, "cycle-charts"]]
    client = user_client("editor")
    client.get(pages[0])

    few = query_counts(client, pages)
    # 12 countries (4 pages), each assessed in 2019 too, as Korea is: a page where no country has a previous
    # assessment skips the previous cycle's ratings query (one fewer, never more).
    for assessment in add_countries(cycle_2022, 7) + countries_in(cycle_2022, ["JPN", "CHN", "MNG", "PRK"]):
        make_country_assessment(country=assessment.country, cycle=cycle_2022.previous)
    many = query_counts(client, pages)
    assert few == many
    assert max(many.values()) <= 12, many


def test_charts_of_a_cycle_of_one_page_have_no_region_filter(user_client, cycle_2022, korea_2022):
    add_countries(cycle_2022, 4)
    text = user_client("editor").get(page_url("cycle-charts")).content.decode()
    assert len(re.findall(SCORE_ROW, text)) == 5
    assert 'name="region"' not in text and "whatever the region chosen" not in text


def test_charts_region_filter_limits_the_scores_not_the_distribution(user_client, cycle_2022, korea_2022, per_page):
    countries_in(cycle_2022, ["JPN", "CHN", "AUS", "FJI", "FRA", "BRA"])  # with Korea: 7, more than a page
    client = user_client("editor")
    text = client.get(page_url("cycle-charts")).content.decode()
    options = dict(re.findall(r'<option value="([^"]+)"[^>]*>([^<]+ \(\d+\))</option>', text))
    assert list(options) == ["East Asia", "Oceania", "Latin America and the Caribbean", "Western Europe"]
    assert sorted(re.findall(SCORE_ROW, text)) == ["AUS", "BRA", "CHN", "FJI", "FRA", "JPN", "KOR"]
    assert "All 7 countries of the cycle; choose a region" in text
    assert re.findall(ALL_AREAS, text) == [str(7 * 36)]

    text = client.get(page_url("cycle-charts", "?region=East+Asia")).content.decode()
    assert sorted(re.findall(SCORE_ROW, text)) == ["CHN", "JPN", "KOR"]
    assert "Scores 2022 and 2019 in East Asia" in text and "3 of the cycle’s 7 countries." in text
    assert '<option value="East Asia" selected>' in text
    # The thematic areas' chart and table still count every country of the cycle, and say so.
    assert re.findall(ALL_AREAS, text) == [str(7 * 36)]
    assert "All 7 countries of the cycle, whatever the region chosen." in text

    text = client.get(page_url("cycle-charts", "?region=Other")).content.decode()  # a region with no country
    assert re.findall(SCORE_ROW, text) == [] and "0 of the cycle’s 7 countries." in text


@pytest.mark.parametrize(
    "query",
    [
        "?region=Atlantis",
        "?region=",
        "?region=east+asia",
        "?region=%FF%FE",
        "?region=" + "x" * 1999,  # longer ones are refused (400) by QueryStringGuardMiddleware
        "?region=East+Asia&region=Oceania",
        "?region[]=Oceania",
    ],
)
def test_charts_ignore_a_bad_region(user_client, cycle_2022, korea_2022, per_page, query):
    countries_in(cycle_2022, ["JPN", "AUS", "FRA"])
    response = user_client("editor").get(page_url("cycle-charts", query))
    assert response.status_code == 200
    text = response.content.decode()
    if "region=East+Asia&region=Oceania" in query:  # the last value counts, as everywhere in Django
        assert re.findall(SCORE_ROW, text) == ["AUS"]
    else:
        assert len(re.findall(SCORE_ROW, text)) == 4 and " selected>" not in text


def test_a_region_on_a_small_cycle_filters_and_shows_how_to_undo_it(user_client, cycle_2022, korea_2022):
    countries_in(cycle_2022, ["JPN", "FRA"])  # one page: no filter unless a region is asked for, as on the heatmap
    text = user_client("editor").get(page_url("cycle-charts", "?region=Western+Europe")).content.decode()
    assert re.findall(SCORE_ROW, text) == ["FRA"]
    assert '<a href="?">All regions</a>' in text
