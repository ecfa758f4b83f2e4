"""axe-core in a Playwright page, for the staff pages (the same npm package and way of running it as
tests/browser/axe.py of the public annex: axe-core from node_modules/, evaluated through the DevTools protocol so
the strict CSP need not be relaxed)."""

from functools import cache
from pathlib import Path

AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_AVAILABLE = AXE_JS.exists()
# WCAG 2.0/2.1/2.2 A and AA, plus axe's best practices (one H1, landmarks, heading order…).
TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice")


@cache
def _axe_source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


def axe_violations(page, *, tags: tuple[str, ...] = TAGS) -> list[dict]:
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source() + "\n;true")
    return page.evaluate(
        """async (tags) => {
            const results = await window.axe.run(document, {runOnly: {type: 'tag', values: tags}});
            return results.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target, summary: n.failureSummary})),
            }));
        }""",
        list(tags),
    )


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:4]:
            summary = (node["summary"] or "").splitlines()[-1] if node["summary"] else ""
            lines.append(f"    {node['target']}: {summary}")
    return "\n".join(lines)
