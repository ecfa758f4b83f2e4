"""The annex's data, built once and rendered by every format, so formats can never disagree.

`annex_build(country_assessment)` reads the current items (for a draft preview or for publishing);
`AnnexData.from_snapshot(edition.snapshot)` reads a published edition. `AnnexData.to_snapshot()` is the
JSON export and exactly what an Edition stores; its canonical JSON's SHA-256 is the edition's content hash.
"""

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.conf import settings

from assessments.citations.render import render_annex
from assessments.citations.syntax import extract_citations
from assessments.framework.scoring import assessment_score
from assessments.method.rationale import annex_rating_changes
from assessments.models import AssessmentItem, CountryAssessment, ItemKind, Rating, Source, Trend
from assessments.rendering import markdown_to_safe_html

SNAPSHOT_FORMAT = "r2p-annex/1"


@dataclass(frozen=True)
class AnnexIndicator:
    code: str
    thematic_area: str
    title: str
    rating: str | None  # display label, e.g. "Very Strong"
    trend: str | None  # display label, e.g. "Decrease"
    notes_html: str
    footnotes: list[int] = field(default_factory=list)
    rating_change: dict | None = None  # issue 19: previous rating and the change rationale, when it changed

    @property
    def title_sentence(self) -> str:
        """The title as the detailed table prints it, ending with a full stop."""
        return self.title if self.title.endswith((".", "?", "!")) else f"{self.title}."


@dataclass(frozen=True)
class AnnexNarrative:
    notes_html: str
    footnotes: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class AnnexFootnote:
    number: int
    text: str  # plain text
    html: str  # sanitised HTML


@dataclass(frozen=True)
class SummaryGroup:
    rating: str  # display label
    indicators: list[AnnexIndicator]


@dataclass(frozen=True)
class AreaRows:
    name: str
    indicators: list[AnnexIndicator]


@dataclass(frozen=True)
class AnnexData:
    country_code: str
    country_name: str
    country_in_text: str
    cycle: int
    previous_cycle: int | None
    title: str
    edition: int | None
    published_at: str | None  # ISO 8601, UTC
    publication_date: str | None  # ISO 8601 date the annex carries (None for drafts)
    errata: str
    publisher: str
    publisher_lines: list[str]
    score: int | None
    previous_score: int | None
    score_change: int | None
    summary: list[tuple[str, list[str]]]  # (rating label, indicator codes), strongest first, all ratings
    thematic_areas: list[str]
    indicators: list[AnnexIndicator]
    introduction_html: str
    overview: AnnexNarrative
    conclusion: AnnexNarrative
    footnotes: list[AnnexFootnote]

    # -- derived views used by the templates --------------------------------------------------------

    @property
    def is_draft(self) -> bool:
        return self.edition is None

    @property
    def published_datetime(self) -> datetime | None:
        return datetime.fromisoformat(self.published_at) if self.published_at else None

    @property
    def publication_day(self) -> date | None:
        """The date printed on the annex and used to cite it."""
        if self.publication_date:
            return date.fromisoformat(self.publication_date)
        return self.published_datetime.date() if self.published_datetime else None

    @property
    def summary_groups(self) -> list[SummaryGroup]:
        """Rating groups strongest first, leaving out empty ones (as the published annexes do)."""
        by_code = {indicator.code: indicator for indicator in self.indicators}
        return [SummaryGroup(rating, [by_code[code] for code in codes]) for rating, codes in self.summary if codes]

    @property
    def areas(self) -> list[AreaRows]:
        """Indicators grouped by thematic area in framework order (for rows spanning the area cell)."""
        rows: dict[str, list[AnnexIndicator]] = {name: [] for name in self.thematic_areas}
        for indicator in self.indicators:
            rows.setdefault(indicator.thematic_area, []).append(indicator)
        return [AreaRows(name, indicators) for name, indicators in rows.items() if indicators]

    @property
    def filename_stem(self) -> str:
        suffix = f"v{self.edition}" if self.edition else "draft"
        return f"r2p-annex-{self.cycle}-{self.country_code}-{suffix}"

    # -- the snapshot (= JSON export) ---------------------------------------------------------------

    def to_snapshot(self) -> dict[str, Any]:
        return {
            "format": SNAPSHOT_FORMAT,
            "country": {"code": self.country_code, "name": self.country_name, "name_in_text": self.country_in_text},
            "cycle": self.cycle,
            "previous_cycle": self.previous_cycle,
            "title": self.title,
            "edition": self.edition,
            "published_at": self.published_at,
            "publication_date": self.publication_date,
            "errata": self.errata,
            "publisher": {"name": self.publisher, "lines": list(self.publisher_lines)},
            "score": self.score,
            "previous_score": self.previous_score,
            "score_change": self.score_change,
            "summary": [{"rating": rating, "indicators": list(codes)} for rating, codes in self.summary],
            "thematic_areas": list(self.thematic_areas),
            "indicators": [
                {
                    "code": indicator.code,
                    "thematic_area": indicator.thematic_area,
                    "title": indicator.title,
                    "rating": indicator.rating,
                    "trend": indicator.trend,
                    "notes_html": indicator.notes_html,
                    "footnotes": list(indicator.footnotes),
                    **({"rating_change": indicator.rating_change} if indicator.rating_change else {}),
                }
                for indicator in self.indicators
            ],
            "introduction_html": self.introduction_html,
            "overview": {"notes_html": self.overview.notes_html, "footnotes": list(self.overview.footnotes)},
            "conclusion": {"notes_html": self.conclusion.notes_html, "footnotes": list(self.conclusion.footnotes)},
            "footnotes": [
                {"number": footnote.number, "text": footnote.text, "html": footnote.html} for footnote in self.footnotes
            ],
        }

    @classmethod
    def from_snapshot(cls, snapshot: dict[str, Any]) -> "AnnexData":
        if snapshot.get("format") != SNAPSHOT_FORMAT:
            raise ValueError(f"unknown annex snapshot format {snapshot.get('format')!r}")
        return cls(
            country_code=snapshot["country"]["code"],
            country_name=snapshot["country"]["name"],
            country_in_text=snapshot["country"]["name_in_text"],
            cycle=snapshot["cycle"],
            previous_cycle=snapshot["previous_cycle"],
            title=snapshot["title"],
            edition=snapshot["edition"],
            published_at=snapshot["published_at"],
            publication_date=snapshot.get("publication_date"),  # absent from snapshots made before it existed
            errata=snapshot["errata"],
            publisher=snapshot["publisher"]["name"],
            publisher_lines=list(snapshot["publisher"]["lines"]),
            score=snapshot["score"],
            previous_score=snapshot["previous_score"],
            score_change=snapshot["score_change"],
            summary=[(group["rating"], list(group["indicators"])) for group in snapshot["summary"]],
            thematic_areas=list(snapshot["thematic_areas"]),
            indicators=[AnnexIndicator(**indicator) for indicator in snapshot["indicators"]],
            introduction_html=snapshot["introduction_html"],
            overview=AnnexNarrative(**snapshot["overview"]),
            conclusion=AnnexNarrative(**snapshot["conclusion"]),
            footnotes=[AnnexFootnote(**footnote) for footnote in snapshot["footnotes"]],
        )


def canonical_json(snapshot: dict[str, Any]) -> bytes:
    return json.dumps(snapshot, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def content_hash(snapshot: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(snapshot)).hexdigest()


def annex_build(
    country_assessment: CountryAssessment,
    *,
    edition: int | None = None,
    published_at: datetime | None = None,
    publication_date: date | None = None,
    errata: str = "",
) -> AnnexData:
    """Build the annex from the assessment's current items (about five queries, whatever the data)."""
    ca = country_assessment
    cycle, country = ca.cycle, ca.country
    items = list(AssessmentItem.objects.filter(country_assessment=ca).in_reading_order())
    keys = {ref.key for item in items for ref in extract_citations(item.notes)}
    sources = {source.key: source for source in Source.objects.filter(key__in=keys)} if keys else {}
    rendered = render_annex(items, sources=sources, ibid=cycle.ibid_enabled)

    indicator_items = [item for item in items if item.kind == ItemKind.INDICATOR]
    score = assessment_score(ca, ratings=[item.rating for item in indicator_items])
    changes = annex_rating_changes(ca, indicator_items)  # issue 19
    summary = [
        (rating.label, [item.indicator.code for item in indicator_items if item.rating == rating.value])
        for rating in Rating.strongest_first()
    ]
    areas: list[str] = []
    for item in indicator_items:
        if item.indicator.thematic_area.name not in areas:
            areas.append(item.indicator.thematic_area.name)

    def narrative(kind: str) -> AnnexNarrative:
        item = next((item for item in items if item.kind == kind), None)
        if item is None:
            return AnnexNarrative(notes_html="")
        notes = rendered.notes[item.pk]
        return AnnexNarrative(notes_html=notes.html, footnotes=list(notes.footnote_numbers))

    day = publication_date or (published_at.date() if published_at else None)
    introduction = (
        cycle.introduction.replace("{country_in_text}", country.sentence_name)
        .replace("{methodology_url}", cycle.methodology_url or "#")
        .replace("{regional_report_url}", cycle.regional_report_url or "#")
    )
    return AnnexData(
        country_code=country.code,
        country_name=country.name,
        country_in_text=country.sentence_name,
        cycle=cycle.year,
        previous_cycle=cycle.previous.year if cycle.previous_id else None,
        title=cycle.display_title,
        edition=edition,
        published_at=published_at.isoformat() if published_at else None,
        publication_date=day.isoformat() if day else None,
        errata=errata,
        publisher=settings.R2P_PUBLISHER,
        publisher_lines=list(settings.R2P_PUBLISHER_LINES),
        score=score.score,
        previous_score=score.previous_score,
        score_change=score.change,
        summary=summary,
        thematic_areas=areas,
        indicators=[
            AnnexIndicator(
                code=item.indicator.code,
                thematic_area=item.indicator.thematic_area.name,
                title=item.indicator.title,
                rating=Rating(item.rating).label if item.rating else None,
                trend=Trend(item.trend).label if item.trend else None,
                notes_html=rendered.notes[item.pk].html,
                footnotes=list(rendered.notes[item.pk].footnote_numbers),
                rating_change=changes.get(item.pk),
            )
            for item in indicator_items
        ],
        introduction_html=markdown_to_safe_html(introduction),
        overview=narrative(ItemKind.OVERVIEW),
        conclusion=narrative(ItemKind.CONCLUSION),
        footnotes=[AnnexFootnote(number=fn.number, text=fn.text, html=fn.html) for fn in rendered.footnotes],
    )
