"""Three-way merge of notes, paragraph by paragraph, against the version both writers started from.

A pure function of three texts (no database): `merge(base, mine, theirs)` returns the merged paragraphs as
chunks. A chunk changed on one side only takes that side; a chunk changed the same way on both sides is kept
once; a chunk changed differently on both sides is a conflict that keeps both versions for a person to choose
or edit. Paragraphs common to both sides of a conflict are moved out of it, so no paragraph is duplicated.
"""

import re
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher

PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n+")


def paragraphs(text: str) -> list[str]:
    """The text's paragraphs (blocks separated by blank lines), without surrounding blank lines."""
    text = (text or "").replace("\r\n", "\n").strip("\n")
    if not text.strip():
        return []
    return [part.strip("\n") for part in PARAGRAPH_BREAK.split(text) if part.strip()]


def join(parts: list[str]) -> str:
    return "\n\n".join(part for part in parts if part.strip())


@dataclass
class Chunk:
    """A run of merged paragraphs: `same`, `mine`, `theirs` or `both` (resolved), or a `conflict`."""

    kind: str
    paragraphs: list[str] = field(default_factory=list)  # the resolved text (for a conflict: mine, the default)
    base: list[str] = field(default_factory=list)
    mine: list[str] = field(default_factory=list)
    theirs: list[str] = field(default_factory=list)

    @property
    def is_conflict(self) -> bool:
        return self.kind == "conflict"

    @property
    def text(self) -> str:
        return join(self.paragraphs)

    @property
    def mine_text(self) -> str:
        return join(self.mine)

    @property
    def theirs_text(self) -> str:
        return join(self.theirs)

    @property
    def both_text(self) -> str:
        return join(self.mine + [p for p in self.theirs if p not in self.mine])


@dataclass
class Merge:
    chunks: list[Chunk]

    @property
    def conflicts(self) -> list[Chunk]:
        return [chunk for chunk in self.chunks if chunk.is_conflict]

    @property
    def is_clean(self) -> bool:
        return not self.conflicts

    def text(self, choices: dict[int, str] | None = None) -> str:
        """The merged text; a conflict takes `choices[n]` (n counts conflicts from 0), else mine."""
        choices = choices or {}
        parts, n = [], 0
        for chunk in self.chunks:
            if chunk.is_conflict:
                parts.append(choices.get(n, chunk.text))
                n += 1
            else:
                parts.append(chunk.text)
        return join(parts)


def _matches(base: list[str], other: list[str]) -> dict[int, int]:
    """Base paragraph index → index of the same paragraph in `other`, along their longest common subsequence."""
    matched = {}
    for block in SequenceMatcher(None, base, other, autojunk=False).get_matching_blocks():
        for k in range(block.size):
            matched[block.a + k] = block.b + k
    return matched


def _common_prefix(a: list[str], b: list[str]) -> int:
    n = 0
    while n < len(a) and n < len(b) and a[n] == b[n]:
        n += 1
    return n


def _resolve(base: list[str], mine: list[str], theirs: list[str]) -> list[Chunk]:
    """The chunks of one region where base, mine and theirs are not all equal."""
    if mine == theirs:
        return [Chunk("both", list(mine), base, mine, theirs)] if mine else []
    if mine == base:
        return [Chunk("theirs", list(theirs), base, mine, theirs)] if theirs else []
    if theirs == base:
        return [Chunk("mine", list(mine), base, mine, theirs)] if mine else []
    if len(base) == len(mine) == len(theirs) > 1:
        # Paragraphs edited in place on both sides (none added or removed): merge each one on its own.
        return [chunk for triple in zip(base, mine, theirs, strict=True) for chunk in _resolve(*([p] for p in triple))]
    # A true conflict: keep paragraphs both sides share at its start and end once, outside the conflict.
    head = _common_prefix(mine, theirs)
    tail = _common_prefix(mine[head:][::-1], theirs[head:][::-1])
    chunks = []
    if head:
        chunks.append(Chunk("both", mine[:head]))
    middle_mine, middle_theirs = mine[head : len(mine) - tail], theirs[head : len(theirs) - tail]
    chunks.append(Chunk("conflict", list(middle_mine), base, middle_mine, middle_theirs))
    if tail:
        chunks.append(Chunk("both", mine[len(mine) - tail :]))
    return chunks


def merge(base: str, mine: str, theirs: str) -> Merge:
    """Merge `mine` and `theirs`, both edited from `base`, paragraph by paragraph (diff3)."""
    b, m, t = paragraphs(base), paragraphs(mine), paragraphs(theirs)
    to_mine, to_theirs = _matches(b, m), _matches(b, t)
    chunks: list[Chunk] = []
    i = im = it = 0
    while True:
        # The next base paragraph that both sides kept unchanged, after the current positions.
        j = i
        while j < len(b) and not (j in to_mine and j in to_theirs and to_mine[j] >= im and to_theirs[j] >= it):
            j += 1
        if j == len(b):
            chunks += _resolve(b[i:], m[im:], t[it:])
            break
        jm, jt = to_mine[j], to_theirs[j]
        if j > i or jm > im or jt > it:
            chunks += _resolve(b[i:j], m[im:jm], t[it:jt])
        if chunks and chunks[-1].kind == "same":
            chunks[-1].paragraphs.append(b[j])
        else:
            chunks.append(Chunk("same", [b[j]]))
        i, im, it = j + 1, jm + 1, jt + 1
    return Merge(_without_repeats(chunks, m, t))


def _without_repeats(chunks: list[Chunk], mine: list[str], theirs: list[str]) -> list[Chunk]:
    """Drop a paragraph one side added where the other side already has it (a moved paragraph), so that
    no paragraph occurs more often in the result than on the side that has it most."""
    allowed = Counter(mine) | Counter(theirs)
    emitted: Counter = Counter()
    for chunk in chunks:
        kept = []
        for paragraph in chunk.paragraphs:
            if chunk.kind != "same" and emitted[paragraph] >= allowed[paragraph]:
                continue
            emitted[paragraph] += 1
            kept.append(paragraph)
        chunk.paragraphs = kept
    return [chunk for chunk in chunks if chunk.paragraphs or chunk.is_conflict]
