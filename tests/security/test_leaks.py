"""Drafts never leak: a canary written into every kind of unpublished text must not reach any public output.

The canary goes into a draft's notes, an item in review, an approved-but-unpublished item, an item of a published
assessment reopened and edited after publication, a review comment, a new source (cited from the draft) and the
revision history (change reasons). Then an anonymous visitor crawls: every URL of the `public` namespace (kwargs
from url_matrix.py), every other named URL with kwargs aimed at the canary's objects, and every same-site link
found on the way, downloads included (PDF, DOCX, CSV, JSON... are read as text). New public pages and exports are
covered without changing this file; URL kwargs this file cannot guess fail the test by name (add them to GUESSES).
"""

import csv
import io
import itertools
from collections import deque
from urllib.parse import urldefrag, urljoin, urlsplit

import lxml.html
import pytest
from django.conf import settings
from django.test import Client
from django.urls import NoReverseMatch, Resolver404, resolve, reverse

from assessments.models import AssessmentItem, Citation, Comment, Source
from assessments.publishing.exports import FORMATS
from assessments.workflow.comments import comment_create
from assessments.workflow.items import citations_resolve
from assessments.workflow.services import item_approve, item_reopen, item_submit, item_update
from tests.security.matrix import named_urls
from tests.security.outputs import output_text
from tests.security.url_matrix import cases_for

CANARY = "Qz7CanaryXw4"
CANARY_KEY = "zz-unpublished-source"  # not the canary itself: the crawl puts keys in URLs (and ?next=)
MAX_PAGES = 500  # pages found by following links, beyond the seeds
QUERY_VARIANTS = 2  # query strings followed per path (sort orders, ?next=, pages)
LINKS_PER_VIEW = 25  # links followed per view (the seeds aim at the canary's objects; these add breadth)
CHANGED_AFTER_V1 = "BC-2"  # a Korea 2022 indicator approved again after v1 with a new rating and text
RATING_AFTER_V1 = "very_weak"
SKIP_PREFIXES = ("/admin/", "/" + settings.STATIC_URL.strip("/") + "/")


def _edit(item, user, notes, **more):
    return item_update(
        item=item, user=user, expected_version=item.version, notes=notes, reason=f"edit {CANARY}", **more
    )


@pytest.fixture
def canary(world):
    """Write the canary everywhere an unpublished text lives; return the objects that hold it."""
    researcher, reviewer, editor = (world.users[name] for name in ("researcher", "reviewer", "editor"))
    source = Source(
        key=CANARY_KEY,
        type="report",
        authors=[{"literal": f"Author {CANARY}"}],
        author_abbreviation="CNRY",
        issued_year=2024,
        title=f"Secret report {CANARY}",
        container_title=f"Series {CANARY}",
        publisher=f"Publisher {CANARY}",
        url=f"https://example.org/{CANARY}",
        un_symbol=f"A/{CANARY}",
        note=f"Note {CANARY}",
    )
    source.full_clean()
    source._history_user = researcher
    source._change_reason = f"added {CANARY}"
    source.save()
    citations_resolve(source=source, user=researcher, reason=f"resolved {CANARY}")
    items = {item.slug: item for item in world.korea_2025.items.select_related("indicator")}
    # A draft with a citation of the new source, in its notes and its locator.
    draft = _edit(world.draft_item, researcher, f"Draft finding {CANARY}.[@{CANARY_KEY}, p. {CANARY}]")
    _edit(items["overview"], researcher, f"Overview draft {CANARY}")
    comment_create(item=draft, user=reviewer, body=f"Reviewer says {CANARY}")
    # An item in review, and one approved but not published.
    in_review = _edit(items["BC-2"], researcher, f"In review {CANARY}.[@hrw-2022-south-korea]", rating="strong")
    item_submit(item=in_review, user=researcher)
    approved = _edit(items["BC-3"], researcher, f"Approved {CANARY}.[@hrw-2022-south-korea]", rating="weak")
    approved = item_submit(item=approved, user=researcher)
    item_approve(item=approved, user=reviewer, comment=f"Fine {CANARY}")
    # A published assessment's item reopened and edited after its edition was frozen.
    reopened = item_reopen(item=world.approved_item, user=editor, reason=f"new evidence {CANARY}")
    _edit(reopened, editor, f"Post-publication draft {CANARY}")
    # Another item of the published Korea 2022, reopened, changed (rating too), cited and approved again after v1,
    # but not re-published: v1's pages and downloads, the regional pages and the API must not show it.
    republished = world.korea_2022.items.select_related("indicator").get(indicator__code=CHANGED_AFTER_V1)
    changed = item_reopen(item=republished, user=editor, reason=f"correction {CANARY}")
    changed = _edit(changed, editor, f"Approved after v1 {CANARY}.[@{CANARY_KEY}, p. {CANARY}]", rating=RATING_AFTER_V1)
    changed = item_submit(item=changed, user=editor)
    item_approve(item=changed, user=world.users["admin"], comment=f"Approved again {CANARY}")
    return source


def test_canary_is_where_it_was_written(canary, world):
    """The control: the canary is stored and visible to staff, so zero hits below means hidden, not missing."""
    assert AssessmentItem.objects.filter(notes__contains=CANARY).count() == 6
    assert AssessmentItem.objects.filter(notes__contains=CANARY, status="approved").count() == 2
    assert AssessmentItem.history.filter(history_change_reason__contains=CANARY).exists()
    assert Comment.objects.filter(body__contains=CANARY).count() == 3
    assert Citation.objects.filter(source=canary).exists()
    staff = world.client("editor").get(world.draft_item.get_absolute_url())
    assert CANARY in output_text(staff.content, staff["Content-Type"])


# Values to try for URL kwargs, aimed at the canary's objects (and, for editions, the published one).
def published_file_names(edition) -> list[str]:
    from assessments.background.files import edition_file_render

    return [edition_file_render(edition, fmt).name.removeprefix("editions/") for fmt in FORMATS]


def draft_file_name(world) -> str:
    """A draft's file rendered and stored in the editions directory as a published one is: never served."""
    from assessments.background.files import render_and_store
    from assessments.publishing.annex import annex_build
    from assessments.publishing.html import annex_body_html

    annex = annex_build(world.korea_2025)
    return render_and_store(annex.to_snapshot(), annex_body_html(annex), "md").name.removeprefix("editions/")


def guesses(world) -> dict[str, list]:
    draft = world.draft_item
    return {
        "year": [2025, 2022],
        "country": ["KOR", "kor"],
        "item": ["BC-1", "BC-2", "BC-3", "overview", "PM-2"],
        "key": [CANARY_KEY],
        "number": [world.edition.number, world.edition.number + 1],
        "edition": [world.edition.number],
        "format": ["pdf", "docx", "json", "csv", "xlsx", "html", "txt"],
        "fmt": ["html", "pdf", "docx", "json", "md"],
        # Published files by their hashed name (rendered now, as the worker does), and a draft's stored name.
        "name": [*published_file_names(world.edition), draft_file_name(world)],
        "code": ["KOR", "kor", "BC-1", CHANGED_AFTER_V1, "BC-3", "PM-2"],  # a country's code (API), an indicator's
        "pk": [draft.pk],
        "id": [draft.pk],
        "item_pk": [draft.pk],
        "object_id": [draft.pk],
        "comment_pk": [Comment.objects.filter(body__contains=CANARY).first().pk],
        "source_pk": [Source.objects.get(key=CANARY_KEY).pk],
        "history_id": list(
            AssessmentItem.history.filter(history_change_reason__contains=CANARY).values_list("history_id", flat=True)
        )[:3],
    }


def seed_urls(world) -> tuple[list[str], list[str]]:
    """Where the crawl starts; and the named URLs whose kwargs nobody knows how to fill."""
    values = guesses(world)
    urls, unknown = [], []
    for url in named_urls():
        if url.name.startswith("admin:"):
            continue
        if url.name.startswith("public:"):
            for case in cases_for(url.name) or []:
                if case.method == "get":
                    urls.append(case.url(url.name, world))
        if not url.kwargs:
            urls.append(reverse(url.name))  # staff pages too: anonymous must be turned away from them
            continue
        if any(kwarg not in values for kwarg in url.kwargs):
            if url.name.startswith("public:"):
                unknown.append(f"{url.name} ({', '.join(url.kwargs)})")
            continue
        combos = itertools.product(*(values[kwarg] for kwarg in url.kwargs))
        for combo in itertools.islice(combos, 40):
            try:
                urls.append(reverse(url.name, kwargs=dict(zip(url.kwargs, combo, strict=True))))
            except NoReverseMatch:
                pass
    return list(dict.fromkeys(urls)), unknown


def links(html: str, base: str) -> list[str]:
    try:
        document = lxml.html.document_fromstring(html)
    except Exception:
        return []
    found = []
    for element, _attribute, link, _position in document.iterlinks():
        if element.tag == "form" and (element.get("method") or "get").lower() != "get":
            continue
        found.append(urljoin(base, link))
    return found


def _view_name(path: str) -> str:
    try:
        return resolve(path).view_name
    except Resolver404:
        return "404"


def crawl(
    client: Client, seeds: list[str], limit: int = MAX_PAGES, allowed: tuple[str, ...] = (), skip: tuple[str, ...] = ()
) -> dict:
    """Breadth-first over same-site links from the seeds; every response body is read as text.

    `allowed`: texts holding the canary that this client may see (they are removed before counting); `skip`: path
    prefixes not to follow links into."""
    queue, seen, variants, per_view = deque(seeds), set(seeds), {}, {}
    report = {"pages": 0, "hits": [], "errors": [], "statuses": {}, "ok": set()}
    while queue and report["pages"] < limit:
        url = queue.popleft()
        response = client.get(url)
        report["pages"] += 1
        if response.status_code == 200:
            report["ok"].add(url)
        report["statuses"][response.status_code] = report["statuses"].get(response.status_code, 0) + 1
        if response.status_code >= 500:
            report["errors"].append(f"{response.status_code} {url}")
        body = response.getvalue() if response.streaming else response.content
        content_type = response.get("Content-Type", "")
        text = output_text(body, content_type) + "\n" + "\n".join(f"{k}: {v}" for k, v in response.items())
        for seen_text in allowed:
            text = text.replace(seen_text, "")
        if CANARY.lower() in text.lower():
            report["hits"].append(f"{url} ({text.lower().count(CANARY.lower())}×)")
        next_urls = []
        if response.status_code in (301, 302, 303, 307, 308):
            next_urls.append(urljoin(url, response["Location"]))
        elif content_type.startswith("text/html"):
            next_urls += links(body.decode("utf-8", errors="replace"), "http://testserver" + url)
        for link in next_urls:
            parts = urlsplit(urldefrag(link)[0])
            if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
                continue  # another site
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            if path.startswith(SKIP_PREFIXES + skip) or path in seen:
                continue
            if parts.query and variants.get(parts.path, 0) >= QUERY_VARIANTS:
                continue  # another sort order or ?next= of a page fetched already
            view = _view_name(parts.path)
            if per_view.get(view, 0) >= LINKS_PER_VIEW:
                continue  # the 37th indicator page, the 52nd source: the same template with other data
            variants[parts.path] = variants.get(parts.path, 0) + bool(parts.query)
            per_view[view] = per_view.get(view, 0) + 1
            seen.add(path)
            queue.append(path)
    report["unvisited"] = len(queue)
    return report


def must_reach(world) -> list[str]:
    """Public pages and downloads of Korea 2022 v1 that the crawl must have fetched (200) for its zero to count."""
    annex = {"year": 2022, "country": "KOR"}
    api = {"year": 2022, "code": "KOR"}
    return [
        reverse("public:annex", kwargs=annex),
        reverse("public:annex-edition", kwargs={**annex, "number": 1}),
        *[reverse("public:annex-download", kwargs={**annex, "number": 1, "fmt": fmt}) for fmt in FORMATS],
        reverse("public:regional", args=[2022]),
        reverse("public:regional-indicator", args=[2022, CHANGED_AFTER_V1]),
        reverse("public:regional-csv", args=[2022]),
        reverse("public:regional-json", args=[2022]),
        reverse("public:api-editions"),
        reverse("public:api-edition-latest", kwargs=api),
        reverse("public:api-edition", kwargs={**api, "number": 1}),
    ]


def missed(report: dict, world) -> list[str]:
    return [url for url in must_reach(world) if url not in report["ok"]]


def test_public_site_and_exports_never_show_unpublished_text(canary, world, security_figures):
    seeds, unknown = seed_urls(world)
    assert not unknown, f"add values for these URL kwargs to guesses() in {__name__}: {unknown}"
    report = crawl(Client(), seeds, limit=len(seeds) + MAX_PAGES)
    security_figures.add("leak crawl: pages fetched as anonymous", report["pages"])
    security_figures.add("leak crawl: canary hits", len(report["hits"]))
    security_figures.add("leak crawl: public answers (200)", report["statuses"].get(200, 0))
    assert report["pages"] > len(seeds) >= 1 and not report["unvisited"], f"crawl cut short: raise MAX_PAGES {report}"
    assert not missed(report, world), f"public pages and downloads the crawl never fetched: {missed(report, world)}"
    assert not report["errors"], f"server errors during the crawl: {report['errors']}"
    assert report["hits"] == [], f"the canary {CANARY} leaked to anonymous visitors: {report['hits']}"


def library_texts(source: Source) -> tuple[str, ...]:
    """The canary source's own fields (and its history): the source library is open to every staff member."""
    fields = [source.title, source.container_title, source.publisher, source.url, source.un_symbol, source.note]
    reasons = source.history.values_list("history_change_reason", flat=True)
    return tuple(sorted({*fields, *source.authors[0].values(), *filter(None, reasons)}, key=len, reverse=True))


def _is_public(path: str) -> bool:
    return _view_name(path.split("?")[0]).startswith("public:") and path != "/"


def _public_prefix(path: str) -> str:
    return "/" + path.strip("/").split("/")[0] + "/"


def test_staff_not_assigned_never_see_the_drafts(canary, world, security_figures):
    """The outsider (a researcher assigned to nothing) crawls every page from every named URL: the canary shows
    only inside the library's own record of the new source, never from a draft, comment, locator or history."""
    public = tuple(sorted({_public_prefix(url) for url in seed_urls(world)[0] if _is_public(url)}))
    seeds = [url for url in seed_urls(world)[0] if not _is_public(url)]  # the same for everyone: crawled above
    report = crawl(
        world.client("outsider"), seeds, limit=len(seeds) + MAX_PAGES, allowed=library_texts(canary), skip=public
    )
    security_figures.add("leak crawl: pages fetched as the unassigned researcher", report["pages"])
    security_figures.add("leak crawl: canary hits (unassigned researcher)", len(report["hits"]))
    assert not report["unvisited"], f"crawl cut short: raise MAX_PAGES {report}"
    assert reverse("source-detail", args=[CANARY_KEY]) in report["ok"]  # the library itself is open to staff
    assert not report["errors"], f"server errors during the crawl: {report['errors']}"
    assert report["hits"] == [], f"drafts leaked to staff not assigned to them: {report['hits']}"


def test_published_data_stay_as_frozen_in_v1(canary, world, client):
    """The rating approved after v1 (but not re-published) is in no public data: score 73, BC-2 Very Strong."""
    before = {"score": 73, "rating": "Very Strong"}
    assert world.korea_2022.items.get(indicator__code=CHANGED_AFTER_V1).rating == RATING_AFTER_V1

    def get(name, *args):
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200, name
        return response

    def edition(document: dict) -> dict:
        rating = next(i["rating"] for i in document["indicators"] if i["code"] == CHANGED_AFTER_V1)
        return {"score": document["score"], "rating": rating}

    assert edition(get("public:api-edition-latest", 2022, "KOR").json()) == before
    assert edition(get("public:api-edition", 2022, "KOR", 1).json()) == before
    assert edition(get("public:annex-download", 2022, "KOR", 1, "json").json()) == before
    korea = get("public:regional-json", 2022).json()["countries"][0]
    rating = next(row["rating"] for row in korea["ratings"] if row["code"] == CHANGED_AFTER_V1)
    assert {"score": korea["score"], "rating": rating} == before
    rows = list(csv.DictReader(io.StringIO(get("public:regional-csv", 2022).content.decode("utf-8-sig"))))
    row = next(row for row in rows if row["indicator_code"] == CHANGED_AFTER_V1)
    assert {"score": int(row["score"]), "rating": row["rating"]} == before
    assert [r["score"] for r in get("public:api-editions").json()["results"] if r["cycle"] == 2022] == [73]


def test_crawler_would_see_a_leak(canary, world):
    """The crawler and the text extraction do find the canary when a page does show it (a staff client here)."""
    report = crawl(world.client("editor"), [world.korea_2025.get_absolute_url()], limit=3)
    assert report["hits"], "the crawl cannot see the canary even on a page that shows it"
