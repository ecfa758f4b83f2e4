"""What the archive importer reads out of a published annex, before anything is written."""

from dataclasses import asdict, dataclass, field


@dataclass
class Flag:
    """An uncertain place or an inconsistency, shown on the review screen and printed by `import_annex`."""

    kind: str  # "uncertain" (the importer guessed) or "inconsistent" (the original contradicts itself)
    where: str  # "BC-3", "footnote 17", "score", ...
    message: str


@dataclass
class ParsedRow:
    """One row of the detailed table."""

    thematic_area: str
    title: str
    rating: str = ""  # Rating value
    trend: str = ""  # Trend value
    notes: str = ""  # notes markup, footnote markers already turned into citations
    raw_notes: str = ""  # the text as found, markers as ⟨n⟩
    code: str = ""  # the matched indicator code
    match_score: float = 0.0


@dataclass
class ProposedSource:
    """A source the footnotes cite that is not in the library yet (CSL-JSON, id = key)."""

    csl: dict
    text: str  # the citation as printed
    complete: bool = True  # False: r2p could not parse it all; kept verbatim and flagged


@dataclass
class ParsedFootnote:
    number: int
    text: str  # as printed
    markup: str = ""  # `[@a; @b, p. 4]` or `^[prose [@a]]`
    keys: list[str] = field(default_factory=list)  # the sources it cites, in order


@dataclass
class ParsedAnnex:
    country_name: str = ""
    cycle_year: int | None = None
    published_on: str = ""  # ISO date from an "Edition 1, published 28 November 2026" line, if printed
    overview: str = ""
    conclusion: str = ""
    summary: list[tuple[str, str]] = field(default_factory=list)  # (rating value, indicator code or title)
    score: int | None = None
    previous_year: int | None = None
    previous_score: int | None = None
    difference: int | None = None
    rows: list[ParsedRow] = field(default_factory=list)
    footnotes: dict[int, ParsedFootnote] = field(default_factory=dict)
    new_sources: dict[str, ProposedSource] = field(default_factory=dict)
    flags: list[Flag] = field(default_factory=list)
    source_text: str = ""  # the text the parser read (for the review screen)
    checked_from: int = -1  # flags from this index on come from `annex_check` (re-run after corrections)

    def flag(self, kind: str, where: str, message: str) -> None:
        self.flags.append(Flag(kind, where, message))

    @property
    def uncertain(self) -> list[Flag]:
        return [flag for flag in self.flags if flag.kind == "uncertain"]

    @property
    def inconsistencies(self) -> list[Flag]:
        return [flag for flag in self.flags if flag.kind == "inconsistent"]

    def row(self, code: str) -> ParsedRow | None:
        return next((row for row in self.rows if row.code == code), None)

    def to_dict(self) -> dict:
        data = asdict(self)
        data["footnotes"] = {str(number): value for number, value in data["footnotes"].items()}
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "ParsedAnnex":
        data = dict(data)
        data["summary"] = [tuple(pair) for pair in data.get("summary", [])]
        data["rows"] = [ParsedRow(**row) for row in data.get("rows", [])]
        data["footnotes"] = {int(n): ParsedFootnote(**fn) for n, fn in data.get("footnotes", {}).items()}
        data["new_sources"] = {key: ProposedSource(**value) for key, value in data.get("new_sources", {}).items()}
        data["flags"] = [Flag(**flag) for flag in data.get("flags", [])]
        return cls(**data)
