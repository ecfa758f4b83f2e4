"""Templates keep to the Content-Security-Policy (script-src 'self', style-src 'self'): no inline script, no
inline event handler, no inline style, no javascript: URL. A browser would block them, so the page would break.
Checked on every template of the project, so templates added later are checked too."""

import re
from pathlib import Path

from django.conf import settings

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
                problems.append(f"{path.relative_to(ROOT)}:{line}: {rule}: {match.group(0)[:60]}")
    assert not problems, "CSP forbids these (use static/r2p/*.js and app.css):\n  " + "\n  ".join(problems)
