"""Word-level diff of two texts as safe HTML with `<del>`/`<ins>` marks.

Built on the standard library's `difflib.SequenceMatcher` over word tokens: it is maintained with Python,
needs no dependency, and gives exactly the token-level control wanted here. (diff-match-patch diffs
characters and needs a line-mode trick for words; lxml's htmldiff diffs HTML, not the markdown people
type; redlines emits markdown/rich output.) Every token is escaped before any mark is added, so no
user-typed HTML survives; the result is passed through the project's nh3 sanitiser as well.

The work is bounded: the common beginning and end are matched in linear time; the changed middle is
compared word by word only while (tokens before) × (tokens after) stays within `DIFF_MAX_WORK`. Above
that the texts are compared by sentence and line, and the changed runs of sentences are then compared word
by word, in order, while the same budget lasts (the rest is shown as deleted and inserted whole). Two notes
at the size limit compare in well under 200 ms (`make bench`, "history diff").
"""

import re
from difflib import SequenceMatcher
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from assessments.limits import DIFF_MAX_WORK
from assessments.rendering import sanitize_html

# Words, runs of whitespace (kept, so line breaks survive), and runs of other characters (punctuation).
TOKEN = re.compile(r"\s+|\w+|[^\w\s]+")
WORD = re.compile(r"\w+")


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text or "")


Opcode = tuple[str, int, int, int, int]


def _sentence_ends(token_list: list[str]) -> list[int]:
    """Indexes just past each sentence or line: after a line break, or after . ! ? followed by whitespace."""
    ends = []
    for index, token in enumerate(token_list):
        if token.isspace():
            if "\n" in token or (index and token_list[index - 1][-1:] in ".!?"):
                ends.append(index + 1)
    if not ends or ends[-1] != len(token_list):
        ends.append(len(token_list))
    return ends


def _chunks(token_list: list[str]) -> tuple[list[str], list[int]]:
    """The sentences/lines of a token list as strings, and the token index each starts at (plus the end)."""
    starts, texts, start = [0], [], 0
    for end in _sentence_ends(token_list):
        texts.append("".join(token_list[start:end]))
        starts.append(end)
        start = end
    return texts, starts


def _whole(a: list[str], b: list[str], i: int, j: int) -> list[Opcode]:
    if a and b:
        return [("replace", i, i + len(a), j, j + len(b))]
    if a:
        return [("delete", i, i + len(a), j, j)]
    if b:
        return [("insert", i, i, j, j + len(b))]
    return []


class _Budget:
    """What is left of DIFF_MAX_WORK for one comparison (word-level comparisons spend it)."""

    def __init__(self) -> None:
        self.left = DIFF_MAX_WORK

    def spend(self, work: int) -> bool:
        if work > self.left:
            return False
        self.left -= work
        return True


def _word_level(a: list[str], b: list[str], i: int, j: int, budget: _Budget) -> list[Opcode] | None:
    if not a or not b:
        return _whole(a, b, i, j)
    if not budget.spend(len(a) * len(b)):
        return None
    return [
        (op, i + i1, i + i2, j + j1, j + j2)
        for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    ]


def _sentence_level(a: list[str], b: list[str], i: int, j: int, budget: _Budget) -> list[Opcode]:
    """Compare sentence by sentence; changed runs of sentences are compared word by word when small enough."""
    a_texts, a_starts = _chunks(a)
    b_texts, b_starts = _chunks(b)
    if len(a_texts) * len(b_texts) > DIFF_MAX_WORK:  # sentences are compared once, outside the word budget
        return _whole(a, b, i, j)
    result: list[Opcode] = []
    for op, c1, c2, d1, d2 in SequenceMatcher(None, a_texts, b_texts, autojunk=False).get_opcodes():
        t1, t2, u1, u2 = a_starts[c1], a_starts[c2], b_starts[d1], b_starts[d2]
        if op == "equal":
            result.append(("equal", i + t1, i + t2, j + u1, j + u2))
            continue
        words = _word_level(a[t1:t2], b[u1:u2], i + t1, j + u1, budget)
        result.extend(words if words is not None else _whole(a[t1:t2], b[u1:u2], i + t1, j + u1))
    return result


@lru_cache(maxsize=32)
def _compared(old: str, new: str) -> tuple[list[str], list[str], list[Opcode]]:
    """Tokens of both texts and the operations between them (the history page asks for the HTML and the counts
    of the same pair; this compares it once). Callers must not change the lists."""
    before, after = tokens(old), tokens(new)
    return before, after, opcodes(before, after)


def opcodes(before: list[str], after: list[str]) -> list[Opcode]:
    """`SequenceMatcher.get_opcodes()`-style operations turning `before` into `after`, in bounded time."""
    n, m = len(before), len(after)
    prefix = 0
    while prefix < n and prefix < m and before[prefix] == after[prefix]:
        prefix += 1
    suffix = 0
    while suffix < n - prefix and suffix < m - prefix and before[n - 1 - suffix] == after[m - 1 - suffix]:
        suffix += 1
    a, b = before[prefix : n - suffix], after[prefix : m - suffix]
    result: list[Opcode] = [("equal", 0, prefix, 0, prefix)] if prefix else []
    budget = _Budget()
    middle = _word_level(a, b, prefix, prefix, budget)
    result.extend(middle if middle is not None else _sentence_level(a, b, prefix, prefix, budget))
    if suffix:
        result.append(("equal", n - suffix, n, m - suffix, m))
    return result


def word_diff_html(old: str, new: str) -> SafeString:
    """`new` with deleted words of `old` in `<del>` and inserted words in `<ins>`; whitespace preserved."""
    before, after, operations = _compared(old or "", new or "")
    parts: list[str] = []
    for op, i1, i2, j1, j2 in operations:
        if op == "equal":
            parts.append(escape("".join(after[j1:j2])))
            continue
        if op in ("delete", "replace"):
            parts.append(f'<del class="diff-del">{escape("".join(before[i1:i2]))}</del>')
        if op in ("insert", "replace"):
            parts.append(f'<ins class="diff-ins">{escape("".join(after[j1:j2]))}</ins>')
    return mark_safe(sanitize_html("".join(parts)))


def _words(token_list: list[str]) -> int:
    return sum(1 for token in token_list if token[0].isalnum() or token[0] == "_")


def diff_counts(old: str, new: str) -> tuple[int, int]:
    """How many words were deleted and inserted (whitespace and punctuation not counted)."""
    before, after, operations = _compared(old or "", new or "")
    deleted = inserted = 0
    for op, i1, i2, j1, j2 in operations:
        if op in ("delete", "replace"):
            deleted += _words(before[i1:i2])
        if op in ("insert", "replace"):
            inserted += _words(after[j1:j2])
    return deleted, inserted


def line_diff(theirs: str, yours: str) -> list[tuple[str, str]]:
    """Lines of both texts marked ' ' (both), '-' (theirs only) or '+' (yours only), in bounded time.

    (`difflib.ndiff` also compares changed lines character by character, which is cubic on long lines.)
    """
    a, b = theirs.splitlines(), yours.splitlines()
    lines: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in opcodes(a, b) if len(a) * len(b) <= DIFF_MAX_WORK else _whole(a, b, 0, 0):
        if op == "equal":
            lines.extend((" ", line) for line in a[i1:i2])
            continue
        lines.extend(("-", line) for line in a[i1:i2])
        lines.extend(("+", line) for line in b[j1:j2])
    return lines
