"""Reading what the app sends out, whatever its format, and checking it for active content.

- `output_text(body, content_type)` → all the text in an HTML page, JSON, CSV, a DOCX/XLSX/ODT (every part of the
  zip), a gzip file or a PDF (via poppler's pdftotext), for searching it (the leak test's canary).
- `assert_no_active_content(html)` → no <script> (other than same-origin static files), no on* handler, no
  javascript:/vbscript:/data:text/html URL, checked with two different HTML parsers and on the raw text.
- `assert_no_active_content_in(body, content_type)` → the same for any output: HTML; the HTML that PDFs are made
  from; DOCX/XLSX relationships and parts; CSV cells (no spreadsheet formulas); JSON (served as JSON); Markdown
  (rendered to HTML by pandoc, raw HTML allowed, as a viewer would).
"""

import csv
import gzip
import html as html_lib
import io
import json
import re
import shutil
import subprocess
import zipfile
import zlib
from collections.abc import Iterator
from html.parser import HTMLParser

import lxml.etree
import lxml.html
from django.conf import settings

# ----- text of any output -----


def output_text(body: bytes, content_type: str = "") -> str:
    """Everything readable in a response body, decompressed and decoded, for searching."""
    content_type = content_type.split(";")[0].strip().lower()
    if body[:2] == b"\x1f\x8b":
        return output_text(gzip.decompress(body), content_type)
    if body[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return "\n".join(output_text(archive.read(name), "") for name in archive.namelist())
    if body[:5] == b"%PDF-" or content_type == "application/pdf":
        return pdf_text(body)
    text = body.decode("utf-8", errors="replace")
    # Undo the escapes a text could hide behind (HTML entities, JSON \\u escapes, XML in DOCX).
    text = html_lib.unescape(text)
    if content_type.endswith("json") or text.lstrip()[:1] in "[{":
        try:
            text += "\n" + json.dumps(json.loads(text), ensure_ascii=False)
        except ValueError:
            pass
    return text


def pdf_text(body: bytes) -> str:
    if not shutil.which("pdftotext"):
        raise RuntimeError("pdftotext (Debian package poppler-utils) is needed to read PDFs; `make setup` installs it")
    result = subprocess.run(["pdftotext", "-q", "-", "-"], input=body, capture_output=True, check=True, timeout=60)
    return result.stdout.decode("utf-8", errors="replace")


# ----- active content in HTML -----

EXECUTABLE_TAGS = {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal"}
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "data",
    "xlink:href",
    "background",
    "poster",
    "srcset",
    "codebase",
    "cite",
    "longdesc",
    "lowsrc",
    "dynsrc",
    "ping",
    "manifest",
    "to",
    "from",
    "values",
    "by",
}
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f\u200b-\u200f\u2028\u2029\ufeff]+")
_DANGEROUS_URL = re.compile(r"^(javascript|vbscript|livescript|mocha):|^data:(?!image/(png|gif|jpe?g|webp)[;,])", re.I)
_RAW_TAG = re.compile(r"<\s*(script|iframe|object|embed|applet|frameset|base)\b", re.I)


def dangerous_url(value: str) -> bool:
    """Whether a URL would run code (browsers ignore whitespace, control characters and case in the scheme)."""
    return bool(_DANGEROUS_URL.match(_INVISIBLE.sub("", html_lib.unescape(value))))


def _allowed_script(attributes: dict[str, str], text: str) -> bool:
    """A script tag the pages may carry: a same-origin static file, or inert JSON data."""
    src = attributes.get("src", "")
    if src and not text.strip():  # a file from this site (CSP script-src 'self' allows no other)
        return bool(re.match(r"^/(?![/\\])", src)) or src.startswith(settings.STATIC_URL)
    return attributes.get("type", "").lower() in ("application/json", "application/ld+json") and not src


def _problems(elements: Iterator[tuple[str, dict[str, str], str]]) -> list[str]:
    problems = []
    for tag, attributes, text in elements:
        tag = tag.lower()
        if tag == "script" and _allowed_script(attributes, text):
            continue
        if tag in EXECUTABLE_TAGS:
            problems.append(f"<{tag} {attributes}>{text[:60]}")
        if tag == "meta" and attributes.get("http-equiv", "").lower() == "refresh":
            problems.append(f"<meta refresh {attributes}>")
        for name, value in attributes.items():
            name = name.lower()
            if name.startswith("on"):
                problems.append(f"<{tag} {name}={value[:60]!r}>")
            elif (name in URL_ATTRIBUTES or name.endswith(":href")) and value and dangerous_url(value):
                problems.append(f"<{tag} {name}={value[:60]!r}>")
            elif name == "style" and re.search(r"expression\s*\(|javascript:|behavior\s*:|-moz-binding", value, re.I):
                problems.append(f"<{tag} style={value[:60]!r}>")
            elif name == "srcdoc":
                problems.append(f"<{tag} srcdoc>")
    return problems


def _lxml_elements(html: str):
    document = lxml.html.document_fromstring(html) if html.strip() else None
    if document is None:
        return
    for element in document.iter():
        if isinstance(element.tag, str):
            yield element.tag.split("}")[-1], dict(element.attrib), element.text or ""


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[list] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append([tag, {name: value or "" for name, value in attrs}, ""])

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        if self.elements and self.elements[-1][0] == "script":
            self.elements[-1][2] += data


def _stdlib_elements(html: str):
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return [tuple(element) for element in collector.elements]


def active_content(html: str) -> list[str]:
    """What in this HTML could run script; empty when nothing can."""
    problems = _problems(_lxml_elements(html)) + _problems(_stdlib_elements(html))
    # Belt and braces: an executable tag opening in the raw text means the escaping failed somewhere.
    for match in _RAW_TAG.finditer(html):
        tail = html[match.start() : match.start() + 200]
        if match.group(1).lower() == "script" and _allowed_raw_script(tail):
            continue
        problems.append(f"raw {tail[:60]!r}")
    return sorted(set(problems))


def _allowed_raw_script(tail: str) -> bool:
    collected = _stdlib_elements(tail)
    return bool(collected) and _allowed_script(collected[0][1], "")


def assert_no_active_content(html: str, context: str = "") -> None:
    problems = active_content(html)
    assert not problems, f"active content{' in ' + context if context else ''}: {problems}"


# ----- other outputs -----


def markdown_as_html(body: bytes, flavour: str = "markdown") -> str:
    """A Markdown file rendered to HTML by pandoc (raw HTML passes through, links are not filtered)."""
    import pypandoc

    result = subprocess.run(
        [pypandoc.get_pandoc_path(), "-f", flavour, "-t", "html"],
        input=body,
        capture_output=True,
        check=True,
        timeout=60,
    )
    return result.stdout.decode("utf-8", errors="replace")


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?\d+([.,]\d+)?%?$")


def assert_no_active_content_in(body: bytes, content_type: str, context: str = "") -> None:
    """Active content in any output the app produces, judged by its type."""
    kind = content_type.split(";")[0].strip().lower()
    where = f" in {context}" if context else ""
    if kind in ("text/html", "application/xhtml+xml"):
        assert_no_active_content(body.decode("utf-8", errors="replace"), context)
    elif body[:4] == b"PK\x03\x04":
        problems = office_problems(body)
        assert not problems, f"active content{where}: {problems}"
    elif kind == "text/csv":
        rows = csv.reader(io.StringIO(body.decode("utf-8-sig", errors="replace")))
        formulas = [cell for row in rows for cell in row if cell.startswith(_FORMULA_START) and not _NUMBER.match(cell)]
        assert not formulas, f"spreadsheet formulas{where}: {formulas[:5]}"
    elif kind == "text/markdown":
        # What a Markdown viewer would show: rendered with raw HTML allowed, as pandoc's Markdown and as GFM.
        for flavour in ("markdown", "gfm"):
            assert_no_active_content(markdown_as_html(body, flavour), f"{context} (Markdown as {flavour} → HTML)")
    elif kind.endswith("json"):
        json.loads(body)  # JSON served as JSON is data; a browser will not run it (nosniff is set)
    elif kind == "application/pdf" or body[:5] == b"%PDF-":
        problems = pdf_problems(body)
        assert not problems, f"PDF actions{where}: {problems}"
    else:
        assert_no_active_content(body.decode("utf-8", errors="replace"), context)


# Relationship types that may point outside the file: hyperlinks only (a remote template, frame or OLE object
# fetched when the document opens is how Word documents are weaponised).
_EXTERNAL_OK = re.compile(r"/relationships/hyperlink$")
_FIELD_INSTRUCTION = re.compile(r"<w:instrText[^>]*>([^<]*)</w:instrText>|w:instr=\"([^\"]*)\"")
_DANGEROUS_FIELD = re.compile(r"\b(DDE|DDEAUTO|INCLUDETEXT|INCLUDEPICTURE|IMPORT|LINK|MACROBUTTON)\b", re.I)


def office_problems(body: bytes) -> list[str]:
    """Active content in a DOCX/XLSX/ODF zip: macros, scripts, HTML chunks, remote parts, DDE fields, formulas."""
    problems = []
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        names = archive.namelist()
        problems += [
            f"macro or script part {n}" for n in names if n.lower().endswith(("vbaproject.bin", ".bin", ".js"))
        ]
        for name in names:
            part = archive.read(name).decode("utf-8", errors="replace")
            if name.endswith(".rels"):
                for relationship in lxml.etree.fromstring(part.encode()).iter("{*}Relationship"):
                    target, kind = relationship.get("Target", ""), relationship.get("Type", "")
                    if dangerous_url(target):
                        problems.append(f"dangerous link in {name}: {target}")
                    if kind.endswith("/aFChunk"):
                        problems.append(f"embedded HTML chunk in {name}")
                    if relationship.get("TargetMode") == "External" and not _EXTERNAL_OK.search(kind):
                        problems.append(f"external {kind.rsplit('/', 1)[-1]} in {name}: {target}")
            elif name.endswith((".html", ".htm", ".xhtml")):
                problems += [f"{name}: {problem}" for problem in active_content(part)]
            elif name.endswith(".xml"):
                for match in _FIELD_INSTRUCTION.finditer(part):
                    instruction = html_lib.unescape(match.group(1) or match.group(2))
                    if _DANGEROUS_FIELD.search(instruction) or "javascript:" in instruction.lower():
                        problems.append(f"field {instruction.strip()[:60]!r} in {name}")
                if name.startswith("xl/worksheets/") and re.search(r"<f[ >]", part):
                    problems.append(f"spreadsheet formula in {name}")
                if name.startswith("xl/externalLinks/"):
                    problems.append(f"external workbook link {name}")
    return problems


_PDF_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)
_PDF_ACTIONS = re.compile(rb"/(JavaScript|JS|Launch|SubmitForm|ImportData|RichMedia|EmbeddedFile|GoToR|GoToE)\b")
_PDF_URI = re.compile(rb"/URI\s*\(((?:\\.|[^\\)])*)\)")


def pdf_objects(body: bytes) -> bytes:
    """The PDF's bytes with every Flate stream inflated (object streams hide dictionaries, actions included)."""
    parts = [body]
    for match in _PDF_STREAM.finditer(body):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            pass
    return b"\n".join(parts)


def pdf_problems(body: bytes) -> list[str]:
    """Script, launch, form-submit and embedded-file actions, and links to javascript: and the like."""
    objects = pdf_objects(body)
    problems = sorted({f"/{match.decode()}" for match in _PDF_ACTIONS.findall(objects)})
    for uri in _PDF_URI.findall(objects):
        text = re.sub(rb"\\(.)", rb"\1", uri).decode("latin-1")
        if dangerous_url(text):
            problems.append(f"/URI ({text[:60]})")
    return problems


def pdf_links(body: bytes) -> list[str]:
    """The link targets (/URI actions) of a PDF, for the checker's self-test."""
    return [re.sub(rb"\\(.)", rb"\1", uri).decode("latin-1") for uri in _PDF_URI.findall(pdf_objects(body))]
