"""Make the Markdown export read back as text, never as markup, in pandoc's own Markdown.

Pandoc's Markdown has syntax that turns text into raw output or attributes: a raw attribute after a code span or
code block (`` `<script>`{=html} ``, ```` ```{=latex} ````), attributes after links, images, spans and headings
(`{onclick=...}`), fenced divs (`::: {onclick=...}`). Pandoc's Markdown writer escapes most special characters
but not these (it does not expect a `{` typed after code), so a note typed as `` `\\input{/etc/passwd}`{=latex} ``
would become a live file include in a reader's `pandoc annex.md -o annex.pdf`.

`defuse(tree)` rewrites pandoc's JSON document before the writer runs: every `{` in text, and `:` starting a
word that begins with `:::`, is written as a backslash escape (raw Markdown `\\{`, which pandoc reads back as
the plain character); attributes of code, headings, divs and spans keep only plain identifiers and classes;
raw blocks and inlines (none should exist: the HTML is sanitised) become code. The text a reader sees is
unchanged.
"""

import re
from typing import Any

_SAFE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,60}")
_ATTR_NODES = {"Code": 0, "CodeBlock": 0, "Header": 1, "Div": 0, "Span": 0, "Link": 0, "Image": 0, "Table": 0}


def _raw_markdown(text: str) -> dict:
    return {"t": "RawInline", "c": ["markdown", text]}


def _safe_attr(attr: Any) -> list:
    """[identifier, classes, key-values] with only plain names, no key-values."""
    if not isinstance(attr, list) or len(attr) != 3:
        return ["", [], []]
    identifier, classes, _ = attr
    identifier = identifier if isinstance(identifier, str) and _SAFE_NAME.fullmatch(identifier) else ""
    classes = [name for name in classes if isinstance(name, str) and _SAFE_NAME.fullmatch(name)]
    return [identifier, classes, []]


def _str_parts(text: str) -> list[dict]:
    """A Str as Str and raw-Markdown escapes: each `{` escaped, and a leading `:::` escaped."""
    parts: list[dict] = []
    if text.startswith(":::"):
        parts.append(_raw_markdown("\\:"))
        text = text[1:]
    pieces = text.split("{")
    for index, piece in enumerate(pieces):
        if index:
            parts.append(_raw_markdown("\\{"))
        if piece:
            parts.append({"t": "Str", "c": piece})
    return parts


def _node(node: dict) -> dict:
    kind = node.get("t")
    if kind == "RawInline":
        return {"t": "Code", "c": [["", [], []], str(node["c"][1])]}
    if kind == "RawBlock":
        return {"t": "CodeBlock", "c": [["", [], []], str(node["c"][1])]}
    if kind in _ATTR_NODES and isinstance(node.get("c"), list):
        content = list(node["c"])
        position = _ATTR_NODES[kind]
        if len(content) > position:
            content[position] = _safe_attr(content[position])
        node = {**node, "c": content}
    return node


def defuse(tree: Any) -> Any:
    """A copy of a pandoc JSON document (or any part of it) that pandoc's Markdown writer writes as text."""
    if isinstance(tree, list):
        out: list = []
        for child in tree:
            if isinstance(child, dict) and child.get("t") == "Str" and isinstance(child.get("c"), str):
                text = child["c"]
                out.extend(_str_parts(text) if "{" in text or text.startswith(":::") else [child])
            else:
                out.append(defuse(child))
        return out
    if isinstance(tree, dict):
        node = _node(tree) if "t" in tree else tree
        return {key: defuse(value) for key, value in node.items()}
    return tree
