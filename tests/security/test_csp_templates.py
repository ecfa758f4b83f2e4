"""Templates keep to the Content-Security-Policy (script-src 'self', style-src 'self'): no inline script, no
inline event handler, no inline style, no javascript: URL. A browser would block them, so the page would break.
Checked on every template of the project, so templates added later are checked too."""

import base64
import hashlib
import re
from pathlib import Path

import lxml.html
import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.urls import reverse

ROOT = Path(settings.BASE_DIR)
TEMPLATE_DIRS = [ROOT / "templates", *ROOT.glob("assessments/templates")]
RULES = {
    "inline <script>": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),
    "inline <style>": re.compile(r"<style\b", re.I),
    "style attribute": re.compile(r"\sstyle\s*=", re.I),
    "event handler attribute": re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I),
    "javascript: URL": re.compile(r"(href|src|action)\s*=\s*[\"']?\s*javascript:", re.I),
}
# Inert data for scripts (json_script) is allowed.
ALLOWED = re.compile(r'<script[^>]*type="application/(ld\+)?json"', re.I)
# The one inline stylesheet: the standalone annex download (one file, styles embedded) is served with a CSP that
# allows exactly that stylesheet by its hash (see test_standalone_annex_style_is_allowed_by_its_hash).
EXCEPTIONS = {("templates/publishing/annex_document.html", "inline <style>", "<style>{{ css|safe }}</style>")}


def test_templates_need_no_unsafe_inline():
    problems = []
    templates = [path for folder in TEMPLATE_DIRS for path in folder.rglob("*.html")]
    assert templates
    for path in templates:
        text = path.read_text(encoding="utf-8")
        for rule, pattern in RULES.items():
            for match in pattern.finditer(text):
                if ALLOWED.match(text, match.start()):
                    continue
                line = text.count("\n", 0, match.start()) + 1
                whole_line = text.splitlines()[line - 1].strip()
                if (str(path.relative_to(ROOT)), rule, whole_line) in EXCEPTIONS:
                    continue
                problems.append(f"{path.relative_to(ROOT)}:{line}: {rule}: {match.group(0)[:60]}")
    assert not problems, "CSP forbids these (use static/r2p/*.js and app.css):\n  " + "\n  ".join(problems)


def _style_hash(html: str) -> str:
    styles = lxml.html.document_fromstring(html).xpath("//style")
    assert len(styles) == 1, "the standalone annex has one stylesheet"
    digest = hashlib.sha256(styles[0].text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


@pytest.mark.parametrize("who", ["anonymous", "editor"])
def test_standalone_annex_style_is_allowed_by_its_hash(korea_2022, client, who):
    """The exception above, checked where it is served: the CSP allows that stylesheet's hash and nothing else
    inline (no 'unsafe-inline'), on the published download and on the draft preview."""
    if who == "editor":
        client.force_login(User.objects.get(username="editor"))
        url = reverse("annex-draft", args=[2022, "KOR", "html"])
    else:
        url = reverse("public:annex-download", args=[2022, "KOR", 1, "html"])
    response = client.get(url)
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    style_src = next(part for part in csp.split(";") if part.strip().startswith("style-src")).split()[1:]
    assert _style_hash(response.content.decode()) in style_src
    assert "'unsafe-inline'" not in csp and not re.search(r"\sstyle\s*=", response.content.decode())
    assert "script-src 'self'" in csp
