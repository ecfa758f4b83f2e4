"""No payload typed into any field survives as active content in any output (payloads.py, outputs.py).

Three layers: the renderers on their own (Markdown → safe HTML, the `markdown` filter, the annex renderer);
every field set to each payload and the key pages fetched; and a sweep over every page of the permission
matrix (url_matrix.py) with the payloads spread over the fields, so pages added later are covered too.
"""

import math
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.template import Context, Template
from django.urls import reverse

from assessments.citations.render import render_annex, render_notes
from assessments.models import AssessmentItem, Citation, Comment, Country, Cycle, Edition, Indicator, Source
from assessments.rendering import markdown_to_safe_html, sanitize_html
from tests.security.conftest import World
from tests.security.matrix import named_urls
from tests.security.outputs import active_content, assert_no_active_content_in
from tests.security.payloads import KNOWN_ACTIVE, PAYLOADS
from tests.security.url_matrix import cases_for


def test_there_are_enough_payloads():
    assert len(set(PAYLOADS)) == len(PAYLOADS) >= 20


@pytest.mark.parametrize("html", KNOWN_ACTIVE)
def test_checker_flags_active_content(html):
    assert active_content(html), f"the checker misses {html!r}"


def test_checker_accepts_safe_markup():
    safe = (
        '<script src="/static/django-htmx/htmx.min.js" defer></script><p><a href="https://example.org/x">x</a>'
        '<img src="data:image/png;base64,AAAA" alt=""> &lt;script&gt;alert(1)&lt;/script&gt; javascript:alert(1)</p>'
    )
    assert active_content(safe) == []


@pytest.mark.parametrize("payload", PAYLOADS)
def test_renderers_neutralise(payload, security_figures):
    template = Template("{% load r2p %}<div>{{ text|markdown }}</div><p title='{{ text }}'>{{ text }}</p>")
    outputs = {
        "sanitize_html": sanitize_html(payload),
        "markdown_to_safe_html": markdown_to_safe_html(payload),
        "markdown filter": template.render(Context({"text": payload})),
        "render_notes": render_notes(payload).notes[0].html,
    }
    problems = {name: active_content(html) for name, html in outputs.items()}
    security_figures.add("XSS: renderer outputs checked", len(outputs))
    assert not any(problems.values()), problems


@pytest.mark.django_db
def test_annex_renderer_neutralises_every_payload(korea_2022):
    """The annex body (what the web edition and the PDF are made from), one payload per item."""
    items = list(korea_2022.items.in_reading_order())
    for item, payload in zip(items, PAYLOADS * 2, strict=False):
        item.notes = f"{payload} [@hrw-2022-south-korea, {payload}]"
    annex = render_annex(items)
    html = "\n".join(notes.html for notes in annex.notes.values()) + "\n".join(note.html for note in annex.footnotes)
    assert_no_active_content_in(html.encode(), "text/html", "render_annex")


# ----- every rendered field, set to a payload -----


def _clip(model, field: str, value: str) -> str:
    max_length = model._meta.get_field(field).max_length
    return value[:max_length] if max_length else value


def _set(model, field: str, objects: Callable[[World], object]):
    def apply(world: World, value: str) -> None:
        model._base_manager.filter(pk=objects(world).pk).update(**{field: _clip(model, field, value)})

    return apply


def _set_authors(world: World, value: str) -> None:
    Source.objects.filter(pk=world.source.pk).update(
        authors=[{"literal": value}, {"family": value[:80], "given": value[:40]}]
    )


def _draft_item(world):
    return world.draft_item


def _korea(world):
    return world.korea_2025.country


# (label, setter): each field a user (or an import) can fill and some page or output shows.
FIELDS: list[tuple[str, Callable[[World, str], None]]] = [
    ("item notes", _set(AssessmentItem, "notes", _draft_item)),
    ("overview notes", _set(AssessmentItem, "notes", lambda w: w.korea_2025.items.get(kind="overview"))),
    ("conclusion notes", _set(AssessmentItem, "notes", lambda w: w.korea_2025.items.get(kind="conclusion"))),
    ("approved notes", _set(AssessmentItem, "notes", lambda w: w.approved_item)),
    ("trend override reason", _set(AssessmentItem, "trend_override_reason", _draft_item)),
    ("comment", _set(Comment, "body", lambda w: w.comment)),
    ("citation locator", _set(Citation, "locator", lambda w: w.draft_item.citations.first())),
    ("source title", _set(Source, "title", lambda w: w.source)),
    ("source container", _set(Source, "container_title", lambda w: w.source)),
    ("source publisher", _set(Source, "publisher", lambda w: w.source)),
    ("source note", _set(Source, "note", lambda w: w.source)),
    ("source URL", _set(Source, "url", lambda w: w.source)),
    ("source UN symbol", _set(Source, "un_symbol", lambda w: w.source)),
    ("source abbreviation", _set(Source, "author_abbreviation", lambda w: w.source)),
    ("source authors", _set_authors),
    ("source author text", _set(Source, "author_text", lambda w: w.source)),
    ("country name", _set(Country, "name", _korea)),
    ("country name in text", _set(Country, "name_in_text", _korea)),
    ("cycle title", _set(Cycle, "title", lambda w: w.korea_2025.cycle)),
    ("cycle introduction", _set(Cycle, "introduction", lambda w: w.korea_2025.cycle)),
    ("indicator title", _set(Indicator, "title", lambda w: w.draft_item.indicator)),
    ("edition errata", _set(Edition, "errata", lambda w: w.edition)),
    ("researcher first name", _set(User, "first_name", lambda w: w.users["researcher"])),
    ("editor last name", _set(User, "last_name", lambda w: w.users["editor"])),
    ("admin first name", _set(User, "first_name", lambda w: w.users["admin"])),
]


def marked(index: int, payload: str) -> str:
    """The payload behind a marker, so a test can tell that the field reached the page at all."""
    return f"mk{index}x {payload}"


# The app's own pages that show these fields today (lead: add the edit, history and public edition pages).
def key_pages(world: World) -> list[tuple[str, str]]:
    item = world.draft_item
    return [
        ("editor", item.get_absolute_url()),
        ("editor", world.korea_2025.get_absolute_url()),
        ("editor", world.korea_2025.cycle.get_absolute_url()),
        ("editor", world.source.get_absolute_url()),
        ("anonymous", reverse("public:annex-list")),
    ]  # the admin (Django's own escaping) gets the payloads in the matrix sweep below


def test_every_payload_in_every_field_on_the_key_pages(world, security_figures):
    pages = key_pages(world)
    clients = {role: world.client(role) for role in {role for role, _ in pages}}
    problems, unseen = [], []
    for index, payload in enumerate(PAYLOADS):
        for _, apply in FIELDS:
            apply(world, marked(index, payload))
        seen = False
        for role, url in pages:
            response = clients[role].get(url)
            assert response.status_code == 200, f"{url} as {role}: {response.status_code}"
            html = response.content.decode()
            seen = seen or f"mk{index}x" in html
            found = active_content(html)
            if found:
                problems.append(f"payload {index} {payload!r} on {url}: {found}")
        if not seen:
            unseen.append(index)
    security_figures.add("XSS: payloads tried", len(PAYLOADS))
    security_figures.add("XSS: fields", len(FIELDS))
    security_figures.add("XSS: payload × page renders checked", len(PAYLOADS) * len(pages))
    assert not unseen, f"payloads {unseen} never reached a page: the test would prove nothing for them"
    assert not problems, "\n".join(problems)


def test_every_page_of_the_matrix_with_payloads_spread_over_the_fields(world, security_figures):
    """Every page that some role may see (per url_matrix.py), fetched as that role, with every payload in some
    field (two or so per field): pages added later are checked without changing this test."""
    per_field = math.ceil(len(PAYLOADS) / len(FIELDS))
    for position, (_, apply) in enumerate(FIELDS):
        indexes = [(position * per_field + k) % len(PAYLOADS) for k in range(per_field)]
        apply(world, "\n\n".join(marked(index, PAYLOADS[index]) for index in indexes))
    pages = []
    for url in named_urls():
        for case in cases_for(url.name) or []:
            role = next((role for role in ("admin", "editor", "anonymous") if case.expect[role] == 200), None)
            if case.method == "get" and role:
                pages.append((role, case.url(url.name, world), case.query(world) if case.query else None))
    clients = {role: world.client(role) for role in {role for role, _, _ in pages}}
    problems = []
    for role, url, query in pages:
        response = clients[role].get(url, query)
        body = response.getvalue() if response.streaming else response.content
        try:
            assert_no_active_content_in(body, response.get("Content-Type", ""), f"{url} as {role}")
        except AssertionError as error:
            problems.append(str(error))
    security_figures.add("XSS: matrix pages checked with payloads", len(pages))
    assert len(pages) >= 20
    assert not problems, "\n".join(problems)
