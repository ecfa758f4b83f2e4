"""The Markdown export read back by pandoc yields text: no raw HTML/TeX, no attributes, no divs from notes."""

import json
import subprocess

import pypandoc
import pytest

from assessments.publishing.annex import annex_build
from assessments.publishing.exports import annex_export
from assessments.publishing.markdown_safety import defuse
from assessments.workflow.services import item_update
from tests.security.outputs import assert_no_active_content, markdown_as_html
from tests.security.payloads import PAYLOADS

PANDOC_PAYLOADS = [
    "Code `<script>alert(101)</script>`{=html} and `\\input{/etc/passwd}`{=latex} and `x`{=openxml}.",
    "```{=html}\n<script>alert(102)</script>\n```",
    "```{=latex}\n\\input{/etc/passwd}\n```",
    "~~~ {=html}\n<img src=x onerror=alert(103)>\n~~~",
    "[link](https://example.org){onclick=alert(104)} and *e*{.x onclick=alert(105)} `c`{.y onclick=alert(106)}",
    "::: {onclick=alert(107)}\ninside a div\n:::",
    "A long line " * 12 + "::: {onclick=alert(108)} and more",
    "$\\input{/etc/passwd}$ \\include{secret} \\write18{rm -rf /} <!-- comment --> <div>raw</div>",
    "## Heading {onclick=alert(109)}",
    "[span]{onclick=alert(110)} ![img](https://example.org/x.png){onload=alert(111)}",
]


def _nodes(tree, kinds):
    found = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("t") in kinds:
                found.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(tree)
    return found


def _attributes(tree) -> list:
    """Key-value attributes anywhere in a pandoc document (onclick=... and the like)."""
    positions = {"Code": 0, "CodeBlock": 0, "Header": 1, "Div": 0, "Span": 0, "Link": 0, "Image": 0}
    nodes = _nodes(tree, set(positions))
    return [node for node in nodes if isinstance(node["c"], list) and node["c"][positions[node["t"]]][2]]


def _pandoc(body: bytes, *args: str) -> bytes:
    return subprocess.run(
        [pypandoc.get_pandoc_path(), *args], input=body, capture_output=True, check=True, timeout=60
    ).stdout


@pytest.fixture
def payload_export(world):
    """The Markdown export of the Korea 2025 draft whose items' notes carry every payload."""
    payloads = PANDOC_PAYLOADS + PAYLOADS
    items = list(world.korea_2025.items.select_related("indicator").order_by("pk"))
    for index, item in enumerate(items):
        chunk = payloads[index * 3 : index * 3 + 3]
        if not chunk:
            break
        item_update(
            item=item, user=world.users["editor"], expected_version=item.version, notes="\n\n".join(chunk) + "\n"
        )
    return annex_export(annex_build(world.korea_2025), "md").content


def test_pandoc_reads_the_payload_filled_export_as_text(payload_export, security_figures):
    tree = json.loads(_pandoc(payload_export, "-f", "markdown", "-t", "json"))
    assert _nodes(tree, {"RawInline", "RawBlock"}) == []
    assert _attributes(tree) == []
    assert not [div for div in _nodes(tree, {"Div"}) if div["c"][0] != ["", [], []]]
    latex = _pandoc(payload_export, "-f", "markdown", "-t", "latex").decode()
    assert "\\input{/etc/passwd}" not in latex and "\\write18" not in latex and "\\include{" not in latex
    for flavour in ("markdown", "gfm", "commonmark_x"):
        assert_no_active_content(markdown_as_html(payload_export, flavour), f"Markdown export as {flavour}")
    text = payload_export.decode()
    assert "alert(101)" in text and "etc/passwd" in text  # the words are kept, as text
    security_figures.add("Markdown export: pandoc payloads round-tripped as text", len(PANDOC_PAYLOADS))


def test_defuse_escapes_braces_and_fences_and_drops_raw_nodes():
    tree = {
        "blocks": [
            {"t": "Para", "c": [{"t": "Code", "c": [["", [], []], "x"]}, {"t": "Str", "c": "{=html}"}]},
            {"t": "RawBlock", "c": ["html", "<script>alert(1)</script>"]},
            {"t": "CodeBlock", "c": [["", ["{=latex}", "python"], [["onclick", "x"]]], "\\input{x}"]},
            {"t": "Para", "c": [{"t": "Str", "c": ":::"}]},
        ]
    }
    blocks = defuse(tree)["blocks"]
    assert blocks[0]["c"][1] == {"t": "RawInline", "c": ["markdown", "\\{"]}
    assert blocks[1] == {"t": "CodeBlock", "c": [["", [], []], "<script>alert(1)</script>"]}
    assert blocks[2]["c"][0] == ["", ["python"], []]
    assert blocks[3]["c"][0] == {"t": "RawInline", "c": ["markdown", "\\:"]}
