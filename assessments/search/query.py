"""What a person types, read the way web search engines read it, for both engines.

`"exact phrase"`, `-excluded`, `a or b`; everything else must all match (in any order). Words are split like
the engines split them (letters and digits), so `hrw-2022` is the phrase `hrw 2022`.
"""

import re
from dataclasses import dataclass, field

WORD = re.compile(r"[^\W_]+")
TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
# Words too common to narrow a search; PostgreSQL's `english` configuration drops them too, FTS5 would not.
STOPWORDS = frozenset(
    "a an and are as at be but by for from has have in into is it its of on or that the their this to was were "
    "which will with".split()
)


@dataclass(frozen=True)
class Phrase:
    words: tuple[str, ...]


@dataclass
class ParsedQuery:
    text: str
    groups: list[list[Phrase]] = field(default_factory=list)  # all groups must match; any phrase of a group
    excluded: list[Phrase] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.groups

    @property
    def words(self) -> list[str]:
        return [word for group in self.groups for phrase in group for word in phrase.words]


def parse(text: str) -> ParsedQuery:
    query = ParsedQuery(text=" ".join(text.split())[:300])
    join_next = False
    for match in TOKEN.finditer(query.text):
        negate, quoted, bare = match.group(1), match.group(2), match.group(3)
        if bare is not None and bare.casefold() == "or":
            join_next = bool(query.groups)
            continue
        if bare is not None and bare.startswith("-") and len(bare) > 1:
            negate, bare = "-", bare[1:]
        words = tuple(word.casefold() for word in WORD.findall(quoted if quoted is not None else bare))
        if bare is not None and len(words) == 1 and words[0] in STOPWORDS and not negate:
            continue
        if not words:
            continue
        phrase = Phrase(words)
        if negate:
            query.excluded.append(phrase)
        elif join_next and query.groups:
            query.groups[-1].append(phrase)
        else:
            query.groups.append([phrase])
        join_next = False
    return query


def fts5_expression(query: ParsedQuery, *, prefix: bool = False) -> str:
    """The FTS5 MATCH expression; with `prefix`, the last word also matches longer words (type-ahead)."""

    def phrase(p: Phrase, last: bool = False) -> str:
        return '"' + " ".join(p.words) + '"' + ("*" if last else "")

    parts = []
    for index, group in enumerate(query.groups):
        last_group = prefix and index == len(query.groups) - 1
        alternatives = [phrase(p, last_group and i == len(group) - 1) for i, p in enumerate(group)]
        parts.append(alternatives[0] if len(alternatives) == 1 else "(" + " OR ".join(alternatives) + ")")
    expression = " AND ".join(parts)
    if query.excluded:
        expression = f"({expression}) NOT (" + " OR ".join(phrase(p) for p in query.excluded) + ")"
    return expression


def tsquery_expression(query: ParsedQuery, *, prefix: bool = False) -> str:
    """The same query as PostgreSQL `to_tsquery` text (words are letters and digits only: nothing to escape)."""

    def phrase(p: Phrase, last: bool = False) -> str:
        words = [f"'{word}'" for word in p.words]
        if last:
            words[-1] += ":*"
        return "(" + " <-> ".join(words) + ")"

    parts = []
    for index, group in enumerate(query.groups):
        last_group = prefix and index == len(query.groups) - 1
        parts.append("(" + " | ".join(phrase(p, last_group and i == len(group) - 1) for i, p in enumerate(group)) + ")")
    parts += [f"!{phrase(p)}" for p in query.excluded]
    return " & ".join(parts)
