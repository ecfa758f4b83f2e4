"""axe-core accessibility checks in a Playwright page (Debian's chromium).

axe-core comes from npm (`make node-packages` installs it into node_modules/ from package.json). It is
evaluated in the page through the DevTools protocol, so the site's strict CSP (no inline scripts) need not be
relaxed. Use:

    from tests.browser.axe import AXE_AVAILABLE, axe_violations, format_violations

    @pytest.mark.skipif(not AXE_AVAILABLE, reason="needs axe-core (make node-packages)")
    def test_page_is_accessible(page):
        page.goto(url)
        violations = axe_violations(page)
        assert violations == [], format_violations(violations)
"""

from functools import cache
from pathlib import Path

AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_AVAILABLE = AXE_JS.exists()
# WCAG 2.0/2.1/2.2 A and AA, plus axe's best practices (one H1, landmarks, heading order…).
DEFAULT_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice")


@cache
def _axe_source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


def axe_violations(page, *, tags: tuple[str, ...] = DEFAULT_TAGS, context: str | None = None) -> list[dict]:
    """Run axe-core on the page as it is now; its violations (each with id, impact, help and nodes)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source() + "\n;true")
    result = page.evaluate(
        """async ([tags, context]) => {
            const results = await window.axe.run(context || document, {runOnly: {type: 'tag', values: tags}});
            return results.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target, summary: n.failureSummary})),
            }));
        }""",
        [list(tags), context],
    )
    return result


def format_violations(violations: list[dict]) -> str:
    """One line per violation and affected element, for assertion messages."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {node['target']}: {(node['summary'] or '').splitlines()[-1] if node['summary'] else ''}")
    return "\n".join(lines)


def page_problems(page, width: int, where: str) -> list[str]:
    """What every browser test asks of a page at a width: no sideways scroll, one H1, nothing axe-core finds."""
    problems = []
    scroll = page.evaluate("document.documentElement.scrollWidth")
    if scroll > width:
        problems.append(f"{where}: {scroll} px wide (horizontal scroll)")
    if page.locator("h1").count() != 1:
        problems.append(f"{where}: {page.locator('h1').count()} H1")
    if AXE_AVAILABLE:
        violations = axe_violations(page)
        if violations:
            problems.append(f"{where}:\n{format_violations(violations)}")
    return problems
