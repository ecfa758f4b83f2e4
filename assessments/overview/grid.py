"""Shapes shared by the staff and the public overview: heatmap grid, rating distributions, sorting."""

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from assessments.models import ItemStatus, Rating, Trend

# Text labels and trend marks, so a cell still reads when printed in grey or seen without colour.
RATING_SHORT = {"very_strong": "VS", "strong": "S", "fair": "F", "weak": "W", "very_weak": "VW"}
TREND_MARKS = {"increase": "▲", "decrease": "▼", "unchanged": "●", "new": "✚"}


# Exact labels and values first (the snapshot's form), so 40 × 36 lookups skip the lenient parsing.
_RATINGS = {**{rating.label: rating.value for rating in Rating}, **{rating.value: rating.value for rating in Rating}}
_TRENDS = {**{trend.label: trend.value for trend in Trend}, **{trend.value: trend.value for trend in Trend}}


def rating_value(label: Any) -> str:
    """A snapshot's rating label ("Very Strong") or stored value as a Rating value; "" if absent or unknown."""
    if not label:
        return ""
    if isinstance(label, str) and label in _RATINGS:
        return _RATINGS[label]
    try:
        return Rating.from_label(label).value
    except ValueError:
        return ""


def trend_value(label: Any) -> str:
    if not label:
        return ""
    if isinstance(label, str) and label in _TRENDS:
        return _TRENDS[label]
    try:
        return Trend.from_label(label).value
    except ValueError:
        return ""


@dataclass(frozen=True)
class Column:
    code: str
    title: str
    area: str
    url: str = ""  # the indicator across countries


@dataclass(frozen=True)
class AreaGroup:
    name: str
    abbreviation: str
    columns: tuple[Column, ...]


@dataclass(frozen=True, slots=True)
class Cell:
    column: Column
    rating: str = ""  # Rating value, "" when not rated
    trend: str = ""  # Trend value
    url: str = ""
    status: str = ""  # the item's workflow status on staff pages; "" for published data

    @property
    def short(self) -> str:
        return RATING_SHORT.get(self.rating, "–")

    @property
    def mark(self) -> str:
        return TREND_MARKS.get(self.trend, "")

    @property
    def rating_label(self) -> str:
        return Rating(self.rating).label if self.rating else "Not rated"

    @property
    def trend_label(self) -> str:
        return Trend(self.trend).label if self.trend else ""

    @property
    def status_label(self) -> str:
        return ItemStatus(self.status).label if self.status else ""

    @property
    def is_open(self) -> bool:
        """Staff heatmap: the item is not approved yet."""
        return bool(self.status) and self.status != ItemStatus.APPROVED


@dataclass
class Row:
    """One country: its scores and, for the heatmap, one cell per indicator in framework order."""

    code: str
    name: str
    url: str
    score: int | None
    previous_score: int | None
    change: int | None
    cells: list[Cell] = field(default_factory=list)


@dataclass
class Heatmap:
    areas: list[AreaGroup]
    rows: list[Row]

    @property
    def columns(self) -> list[Column]:
        return [column for area in self.areas for column in area.columns]


def area_abbreviation(name: str, codes: Sequence[str]) -> str:
    """The letters all the area's indicator codes share (BC-1, BC-2 → BC), else the name's initials."""
    prefixes = {re.sub(r"-?\d+$", "", code) for code in codes}
    if len(prefixes) == 1 and (prefix := prefixes.pop()):
        return prefix
    return "".join(word[0] for word in name.split() if word[:1].isupper()) or name[:3]


def area_groups(columns: Iterable[Column], abbreviations: dict[str, str] | None = None) -> list[AreaGroup]:
    """Group columns (in framework order) by thematic area, keeping the order areas first appear in."""
    by_area: dict[str, list[Column]] = {}
    for column in columns:
        by_area.setdefault(column.area, []).append(column)
    abbreviations = abbreviations or {}
    return [
        AreaGroup(
            name=name,
            abbreviation=abbreviations.get(name) or area_abbreviation(name, [column.code for column in group]),
            columns=tuple(group),
        )
        for name, group in by_area.items()
    ]


@dataclass(frozen=True)
class Distribution:
    """How many ratings of each level one thematic area (or all of them) received."""

    name: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def strongest_first(self) -> list[tuple[Rating, int]]:
        return [(rating, self.counts.get(rating.value, 0)) for rating in Rating.strongest_first()]


ALL_AREAS = "All thematic areas"


def distributions(ratings_by_area: Iterable[tuple[str, str]], area_order: Sequence[str]) -> list[Distribution]:
    """Rating counts per area from (area name, rating value) pairs; first an "all areas" total."""
    counters: dict[str, Counter] = {name: Counter() for name in area_order}
    for area, rating in ratings_by_area:
        if rating:
            counters.setdefault(area, Counter())[rating] += 1
    total = Counter()
    for counter in counters.values():
        total.update(counter)
    return [Distribution(ALL_AREAS, dict(total))] + [
        Distribution(name, dict(counter)) for name, counter in counters.items()
    ]


T = TypeVar("T")


def sort_rows(rows: Iterable[T], sort: str, keys: dict[str, Callable[[T], Any]], default: str) -> tuple[list[T], str]:
    """Sort by `sort` ("score", "-score"); unknown keys fall back to `default`; empty values always last."""
    descending = sort.startswith("-")
    name = sort.lstrip("-")
    if name not in keys:
        descending, name = default.startswith("-"), default.lstrip("-")
    key = keys[name]
    rows = list(rows)
    present = [row for row in rows if key(row) is not None]
    missing = [row for row in rows if key(row) is None]
    present.sort(key=key, reverse=descending)
    return present + missing, ("-" if descending else "") + name


def sort_links(active: str, columns: dict[str, str]) -> dict[str, dict[str, str]]:
    """For each sortable column (name → "" or "-", its first direction): the ?sort= its header link sets
    and its aria-sort value."""
    links = {}
    for name, first in columns.items():
        if active == name:
            links[name] = {"next": f"-{name}", "aria": "ascending"}
        elif active == f"-{name}":
            links[name] = {"next": name, "aria": "descending"}
        else:
            links[name] = {"next": f"{first}{name}", "aria": "none"}
    return links
