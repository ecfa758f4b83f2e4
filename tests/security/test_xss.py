"""No payload typed into any field survives as active content in any output (payloads.py, outputs.py).

Three layers: the renderers on their own (Markdown → safe HTML, the `markdown` filter, the annex renderer);
every field set to each payload and the key pages fetched; and a sweep over every page of the permission
matrix (url_matrix.py) with the payloads spread over the fields, so pages added later are covered too.
"""

import csv
import io
import math
import re
import zipfile
import zlib
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.urls import reverse

from assessments.citations.render import render_annex, render_notes
from assessments.io.services import RESOURCES as EXPORT_RESOURCES
from assessments.models import (
    AssessmentItem,
    Citation,
    Comment,
    Country,
    CountryAssessment,
    Cycle,
    Edition,
    Indicator,
    Source,
    ThematicArea,
)
from assessments.publishing.annex import AnnexData, annex_build
from assessments.publishing.exports import FORMATS
from assessments.publishing.html import annex_pdf_html
from assessments.publishing.services import annex_publish
from assessments.rendering import markdown_to_safe_html, sanitize_html
from assessments.workflow.items import citations_sync
from tests.security.conftest import World
from tests.security.matrix import named_urls
from tests.security.outputs import active_content, assert_no_active_content_in, output_text
from tests.security.payloads import FORMULAS, KNOWN_ACTIVE, PAYLOADS
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


def _zip(parts: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def _pdf(dictionary: bytes) -> bytes:
    """A PDF whose only object hides in a compressed object stream (as WeasyPrint writes them)."""
    stream = zlib.compress(b"1 0 " + dictionary)
    return b"%PDF-1.7\n2 0 obj\n<< /Type /ObjStm /Filter /FlateDecode >>\nstream\n" + stream + b"\nendstream\nendobj\n"


RELS = '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{}</Relationships>'
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# Files the checker must flag, one per kind of active content it looks for in non-HTML outputs.
KNOWN_ACTIVE_FILES = {
    "Markdown raw HTML": (b"Text <script>alert(1)</script>", "text/markdown"),
    "Markdown javascript: link": (b"[x](javascript:alert(1))", "text/markdown"),
    "Markdown image handler": (b'<img src="x" onerror="alert(1)">', "text/markdown"),
    "PDF JavaScript action": (_pdf(b"<< /S /JavaScript /JS (app.alert\\(1\\)) >>"), "application/pdf"),
    "PDF launch action": (_pdf(b"<< /S /Launch /F (calc.exe) >>"), "application/pdf"),
    "PDF javascript: link": (_pdf(b"<< /S /URI /URI (javascript:alert\\(1\\)) >>"), "application/pdf"),
    "DOCX remote template": (
        _zip(
            {
                "word/_rels/settings.xml.rels": RELS.format(
                    f'<Relationship Id="r1" Type="{REL}attachedTemplate" Target="https://x.example/t.dotm" '
                    'TargetMode="External"/>'
                )
            }
        ),
        DOCX,
    ),
    "DOCX javascript: hyperlink": (
        _zip(
            {
                "word/_rels/document.xml.rels": RELS.format(
                    f'<Relationship Id="r1" Type="{REL}hyperlink" Target="javascript:alert(1)" TargetMode="External"/>'
                )
            }
        ),
        DOCX,
    ),
    "DOCX HTML chunk": (
        _zip(
            {"word/_rels/document.xml.rels": RELS.format(f'<Relationship Id="r1" Type="{REL}aFChunk" Target="a.htm"/>')}
        ),
        DOCX,
    ),
    "DOCX DDE field": (
        _zip({"word/document.xml": '<w:r><w:instrText> DDEAUTO cmd "/k calc" </w:instrText></w:r>'}),
        DOCX,
    ),
    "DOCX macros": (_zip({"word/vbaProject.bin": "x"}), DOCX),
    "XLSX formula": (_zip({"xl/worksheets/sheet1.xml": '<c r="A1"><f>HYPERLINK("https://x.example")</f></c>'}), "x"),
    "CSV formula": (b'code,title\nBC-1,"=HYPERLINK(""https://x.example"")"\n', "text/csv"),
}


@pytest.mark.parametrize("name", KNOWN_ACTIVE_FILES)
def test_checker_flags_active_content_in_files(name):
    body, content_type = KNOWN_ACTIVE_FILES[name]
    with pytest.raises(AssertionError):
        assert_no_active_content_in(body, content_type, name)


def test_checker_accepts_escaped_markdown_and_plain_links():
    assert_no_active_content_in(b"\\<script\\>alert(1)\\</script\\> [x](https://example.org)", "text/markdown")
    assert_no_active_content_in(_pdf(b"<< /S /URI /URI (https://example.org/a\\)b) >>"), "application/pdf")


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


def _set_revisions(field: str):
    """The draft item's revisions (history rows), as the history, diff and activity pages read them."""

    def apply(world: World, value: str) -> None:
        revisions = AssessmentItem.history.filter(id=world.draft_item.pk)
        revisions.update(**{field: _clip(AssessmentItem.history.model, field, value)})

    return apply


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
    (
        "source URL, bare",
        lambda world, value: Source.objects.filter(pk=world.source.pk).update(url=value.split(" ", 1)[-1][:1000]),
    ),
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
    ("revision notes", _set_revisions("notes")),
    ("revision change reason", _set_revisions("history_change_reason")),
    ("researcher first name", _set(User, "first_name", lambda w: w.users["researcher"])),
    ("editor last name", _set(User, "last_name", lambda w: w.users["editor"])),
    ("admin first name", _set(User, "first_name", lambda w: w.users["admin"])),
]


def marked(index: int, payload: str) -> str:
    """The payload behind a marker, so a test can tell that the field reached the page at all."""
    return f"mk{index}x {payload}"


# The app's own pages that show these fields: the editor, history and diffs, the source library, the staff
# overview, the public annex page (errata, country name); frozen annex text and the regional pages get their
# payloads in test_every_export_of_a_draft_and_of_an_edition_with_payloads below.
def key_pages(world: World) -> list[tuple[str, str]]:
    item = world.draft_item
    korea, year = world.korea_2025, world.korea_2025.cycle.year
    history = list(item.history.order_by("history_date", "history_id").values_list("history_id", flat=True))
    slug = {"year": year, "country": "KOR", "item": "BC-1"}
    return [
        ("editor", item.get_absolute_url()),
        ("editor", korea.items.get(kind="overview").get_absolute_url()),
        ("editor", korea.get_absolute_url()),
        ("editor", korea.cycle.get_absolute_url()),
        ("editor", reverse("dashboard")),
        ("editor", reverse("item-history", kwargs=slug)),
        ("editor", reverse("item-history", kwargs=slug) + f"?a={history[0]}&b={history[-1]}"),
        ("editor", reverse("item-history-since-approval", kwargs=slug)),
        ("editor", reverse("assessment-activity", args=[year, "KOR"])),
        ("editor", world.source.get_absolute_url()),
        ("editor", reverse("source-list") + "?q=hrw"),
        ("editor", reverse("source-edit", args=[world.source.key])),
        ("editor", reverse("citation-report", args=[year, "KOR"])),
        ("editor", reverse("cycle-indicator", args=[year, "BC-1"])),
        ("editor", reverse("cycle-overview", args=[year])),
        ("anonymous", reverse("public:annex-list")),
        ("anonymous", reverse("public:annex", args=[2022, "KOR"])),
    ]  # the admin (Django's own escaping) gets the payloads in the matrix sweep below


PER_ROUND = 3  # payloads in each field at once (each its own paragraph) on the key pages


def test_every_payload_in_every_field_on_the_key_pages(world, security_figures):
    """Every field gets every payload once, PER_ROUND payloads at a time, different ones in different fields
    (rotated so each field sees them all): each key page is checked after each round."""
    pages = key_pages(world)
    clients = {role: world.client(role) for role in {role for role, _ in pages}}
    rounds = math.ceil(len(PAYLOADS) / PER_ROUND)
    problems, seen = [], set()
    for round_ in range(rounds):
        for position, (_, apply) in enumerate(FIELDS):
            block = (round_ + position) % rounds
            indexes = [i for i in range(block * PER_ROUND, (block + 1) * PER_ROUND) if i < len(PAYLOADS)]
            apply(world, "\n\n".join(marked(i, PAYLOADS[i]) for i in indexes))
        for role, url in pages:
            response = clients[role].get(url)
            assert response.status_code == 200, f"{url} as {role}: {response.status_code}"
            html = response.content.decode()
            seen |= {int(number) for number in re.findall(r"mk(\d+)x", html)}
            found = active_content(html)
            if found:
                problems.append(f"round {round_} on {url}: {found}")
    unseen = sorted(set(range(len(PAYLOADS))) - seen)
    security_figures.add("XSS: payloads tried", len(PAYLOADS))
    security_figures.add("XSS: fields", len(FIELDS))
    security_figures.add("XSS: key pages", len(pages))
    security_figures.add(
        "XSS: payload × field × key page combinations checked", len(PAYLOADS) * len(FIELDS) * len(pages)
    )
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


# ----- every export format of a draft preview and of a published edition, with every payload in it -----


BARE_URLS = [
    "javascript:alert(1)",
    " JaVa\tScRiPt:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
]


def _fill_annex(world: World, assessment: CountryAssessment, shift: int) -> dict[str, set[int]]:
    """Every payload (marked) in the notes of some item of `assessment`, each item also citing the world's source
    with another payload as its locator; payloads in the live fields an annex prints (country, cycle, indicator
    titles, thematic area, the cited source). Returns the markers placed, by where they went."""
    items = list(assessment.items.in_reading_order())
    placed: dict[str, set[int]] = {"notes": set(), "indicator notes": set()}
    for position, item in enumerate(items):
        indexes = list(range(position, len(PAYLOADS), len(items)))
        locator = (position + shift) % len(PAYLOADS)
        item.notes = "\n\n".join(marked(i, PAYLOADS[i]) for i in indexes)
        item.notes += f"\n\nCited.[@{world.source.key}, p. {marked(locator, PAYLOADS[locator])}]"
        placed["notes"].update(indexes)
        if item.is_indicator:
            placed["indicator notes"].update(indexes)
    AssessmentItem.objects.bulk_update(items, ["notes"])
    citations_sync(items=items, user=world.users["editor"], reason="payloads")
    cycle, country = assessment.cycle, assessment.country
    indicators = [item for item in items if item.is_indicator]
    live = [
        (Country, country.pk, "name"),
        (Country, country.pk, "name_in_text"),
        (Cycle, cycle.pk, "title"),
        (Cycle, cycle.pk, "introduction"),
        *[(Indicator, item.indicator_id, "title") for item in indicators[:5]],
        (ThematicArea, indicators[0].indicator.thematic_area_id, "name"),
        *[(Source, world.source.pk, name) for name in ("title", "container_title", "publisher", "url", "un_symbol")],
        (Source, world.source.pk, "author_abbreviation"),
    ]
    for offset, (model, pk, field) in enumerate(live):
        index = (shift + offset * 7) % len(PAYLOADS)
        value = marked(index, PAYLOADS[index])
        if field == "introduction":
            value += " {country_in_text}"
        model._base_manager.filter(pk=pk).update(**{field: _clip(model, field, value)})
    # A URL field holding a script URL as it is (a marker in front would make it harmless).
    Source.objects.filter(pk=world.source.pk).update(url=BARE_URLS[shift % len(BARE_URLS)])
    return placed


def _markers(text: str) -> set[int]:
    return {int(number) for number in re.findall(r"mk(\d+)x", text)}


def test_every_export_of_a_draft_and_of_an_edition_with_payloads(world, client, security_figures):
    """The draft preview (Korea 2025) in every format, and an edition (Korea 2022 v2, errata included) in every
    format, on its public pages, regional pages, open data and API: no payload active anywhere, and every payload
    reached every whole-annex output (else the check would prove nothing for it)."""
    checked: list[tuple[str, bytes, str]] = []  # (what, body, content type)
    complete: list[str] = []  # outputs that hold the whole annex, so every marker must be in them
    editor = world.client("editor")

    draft_placed = _fill_annex(world, world.korea_2025, shift=11)
    for fmt in FORMATS:
        response = editor.get(reverse("annex-draft", args=[2025, "KOR", fmt]))
        assert response.status_code == 200, fmt
        checked.append((f"draft .{fmt}", response.content, response["Content-Type"]))
        complete.append(f"draft .{fmt}")
    pdf_source = annex_pdf_html(annex_build(world.korea_2025)).encode()
    checked.append(("draft PDF source HTML", pdf_source, "text/html"))
    complete.append("draft PDF source HTML")

    edition_placed = _fill_annex(world, world.korea_2022, shift=23)
    errata = "\n\n".join(marked(i, PAYLOADS[i]) for i in range(0, len(PAYLOADS), 4))
    edition = annex_publish(country_assessment=world.korea_2022, user=world.users["editor"], errata=errata)
    public = [
        *[
            (f"v{edition.number}.{fmt}", reverse("public:annex-download", args=[2022, "KOR", edition.number, fmt]))
            for fmt in FORMATS
        ],
        ("annex page", reverse("public:annex", args=[2022, "KOR"])),
        ("API edition", reverse("public:api-edition-latest", args=[2022, "KOR"])),
        ("API editions", reverse("public:api-editions")),
        ("regional page", reverse("public:regional", args=[2022])),
        ("regional CSV", reverse("public:regional-csv", args=[2022])),
        ("regional JSON", reverse("public:regional-json", args=[2022])),
        *[
            (f"regional {code}", reverse("public:regional-indicator", args=[2022, code]))
            for code in world.korea_2022.items.indicators().values_list("indicator__code", flat=True)
        ],
    ]
    for what, url in public:
        response = client.get(url)
        assert response.status_code == 200, url
        checked.append((what, response.content, response["Content-Type"]))
    complete += [what for what, _ in public[: len(FORMATS) + 2]]
    snapshot_pdf_source = annex_pdf_html(AnnexData.from_snapshot(edition.snapshot)).encode()
    checked.append((f"v{edition.number} PDF source HTML", snapshot_pdf_source, "text/html"))
    complete.append(f"v{edition.number} PDF source HTML")

    survivors = []
    for what, body, content_type in checked:
        try:
            assert_no_active_content_in(body, content_type, what)
        except AssertionError as error:
            survivors.append(str(error))
    texts = {what: output_text(body, content_type) for what, body, content_type in checked}
    unseen = {}
    for what in complete:
        placed = draft_placed if what.startswith("draft") else edition_placed
        missing = placed["notes"] - _markers(texts[what])
        if missing:
            unseen[what] = sorted(missing)
    regional = set().union(*(_markers(text) for what, text in texts.items() if what.startswith("regional ")))
    if edition_placed["indicator notes"] - regional:
        unseen["regional indicator pages"] = sorted(edition_placed["indicator notes"] - regional)
    security_figures.add("XSS: export/public outputs checked with payloads", len(checked))
    security_figures.add("XSS: payload × export output checks", len(PAYLOADS) * len(checked))
    security_figures.add("XSS: export survivors", len(survivors))
    assert not unseen, f"payloads that never reached an output (the check proves nothing for them): {unseen}"
    assert not survivors, "\n".join(survivors)


# ----- data import and export files, and the import preview -----

EXPORTS = ["indicator-assessments", "sources", "country-assessments", "assignments", "countries", "indicators"]


def _bare(world: World, values: list[str]) -> None:
    """Eight fields the exports hold, set to the values as they are (formulas only work at the start of a cell)."""
    value = dict(enumerate(values)).get
    item = world.draft_item
    AssessmentItem.objects.filter(pk=item.pk).update(notes=value(0))
    Source.objects.filter(pk=world.source.pk).update(
        title=value(1), container_title=value(2), publisher=value(3)[:255], note=value(4), un_symbol=value(5)[:100]
    )
    Country.objects.filter(pk=world.korea_2025.country_id).update(name=value(6)[:100])
    Indicator.objects.filter(pk=item.indicator_id).update(title=value(7))


def test_data_exports_and_import_previews_with_payloads(world, security_figures):
    """Every data export (CSV, XLSX, JSON) with formulas and HTML payloads in the fields it holds; and the import
    preview of a file whose cells are payloads (valid rows and rows refused, whose values the report repeats)."""
    editor = world.client("editor")
    resources = [name for name in EXPORTS if name in EXPORT_RESOURCES]
    assert len(resources) == len(EXPORTS), f"resources renamed: {set(EXPORTS) - set(EXPORT_RESOURCES)}"
    survivors, checked, reached, previewed = [], 0, set(), set()
    batches = [FORMULAS, PAYLOADS[:8], PAYLOADS[8:16]]
    for batch in batches:
        _bare(world, batch)
        for name in resources:
            for fmt in ("csv", "xlsx", "json"):
                response = editor.get(reverse("data-export"), {"resource": name, "format": fmt})
                assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
                checked += 1
                text = _letters(output_text(response.content, response["Content-Type"]))
                reached.update(value for value in batch if _letters(value) in text)
                try:
                    assert_no_active_content_in(response.content, response["Content-Type"], f"{name}.{fmt}")
                except AssertionError as error:
                    survivors.append(str(error))
    # The import preview repeats the file's cells (labels, values in error messages).
    codes = list(world.korea_2025.cycle.indicators.order_by("position").values_list("code", flat=True))
    cells = [*FORMULAS, *PAYLOADS]
    rows = [
        {"country": "KOR", "cycle": 2025, "indicator": code, "rating": "Fair", "notes": cells[n % len(cells)]}
        for n, code in enumerate(codes)
    ]
    rows += [
        {"country": "KOR", "cycle": 2025, "indicator": value, "rating": value, "notes": value} for value in cells[::3]
    ]
    columns = ["country", "cycle", "indicator", "rating", "notes"]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    for resource, content in [("indicator-assessments", out.getvalue()), ("sources", _source_cells(cells))]:
        upload = SimpleUploadedFile(f"payloads-{resource}.csv", content.encode(), "text/csv")
        response = editor.post(reverse("data-import"), {"resource": resource, "file": upload})
        assert response.status_code == 200
        checked += 1
        text = _letters(output_text(response.content, response["Content-Type"]))
        previewed.update(value for value in cells if _letters(value) in text)
        try:
            assert_no_active_content_in(response.content, response["Content-Type"], f"import preview of {resource}")
        except AssertionError as error:
            survivors.append(str(error))
    assert set(FORMULAS) <= reached, f"formulas that reached no export: {set(FORMULAS) - reached}"
    assert len(previewed) >= len(cells) // 3, f"only {len(previewed)} of the file's cells reached the preview"
    security_figures.add("XSS: data export files and import previews checked", checked)
    security_figures.add("XSS: payloads and formulas × data files", (len(FORMULAS) + 16) * checked)
    assert not survivors, "\n".join(survivors)


def _letters(text: str) -> str:
    """Letters and digits only: a value found in a file whatever quoting or escaping the format applied."""
    return re.sub(r"\W", "", text)


def _source_cells(cells: list[str]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["key", "type", "title", "url", "note"], lineterminator="\n")
    writer.writeheader()
    for n, value in enumerate(cells):
        writer.writerow(
            {
                "key": f"zz-payload-{n}" if n % 2 else value,
                "type": "report",
                "title": value,
                "url": value,
                "note": value,
            }
        )
    return out.getvalue()
