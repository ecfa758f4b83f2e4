"""What a CSL-JSON entry must look like before r2p stores it as a Source.

The CSL-JSON schema (citation-style-language/schema, csl-data.json) in the part r2p reads: names are lists of
objects with string parts; dates are objects with `date-parts` (one or two lists of one to three integers, or
numeric strings), or `raw`/`literal` text; standard variables are strings or numbers; `custom` is an object.
`csl_entry_problems` lists every problem of an entry in plain words, so the import preview shows it as that
row's error and nothing is stored; `names_problems` is also what `Source.clean()` checks, so no write path
(form, admin, script) stores an author list the citation renderer cannot read.
"""

import datetime
from typing import Any

YEAR_MIN = 1  # years a source may carry (issued, accessed); PostgreSQL's smallint would refuse above 32767
YEAR_MAX = 9999
MAX_NAMES = 500  # authors (or editors...) of one entry
MAX_TEXT = 10_000  # characters of one string variable

NAME_VARIABLES = (
    "author",
    "editor",
    "translator",
    "container-author",
    "collection-editor",
    "composer",
    "director",
    "interviewer",
    "illustrator",
    "original-author",
    "recipient",
    "reviewed-author",
    "editorial-director",
    "chair",
    "compiler",
    "contributor",
    "curator",
    "executive-producer",
    "guest",
    "host",
    "narrator",
    "organizer",
    "performer",
    "producer",
    "script-writer",
    "series-creator",
)
NAME_PARTS = {
    "family",
    "given",
    "dropping-particle",
    "non-dropping-particle",
    "suffix",
    "literal",
    "comma-suffix",
    "static-ordering",
    "parse-names",
}
DATE_VARIABLES = ("issued", "accessed", "original-date", "event-date", "submitted", "available-date")
DATE_KEYS = {"date-parts", "season", "circa", "literal", "raw"}
# Variables r2p stores in a column: these must be text (or, for the number, a number).
TEXT_VARIABLES = ("title", "container-title", "publisher", "URL", "note")
NUMBER_OR_TEXT_VARIABLES = ("number",)


def _is_text(value: Any) -> bool:
    return isinstance(value, str)


def names_problems(names: Any, variable: str = "author") -> list[str]:
    """Why a CSL name list is malformed (empty list when it is fine)."""
    if names is None or names == []:
        return []
    if not isinstance(names, list):
        return [f"{variable}: must be a list of names, not {type(names).__name__}."]
    if len(names) > MAX_NAMES:
        return [f"{variable}: at most {MAX_NAMES} names are accepted (there are {len(names):,})."]
    problems = []
    for position, name in enumerate(names, start=1):
        if not isinstance(name, dict):
            problems.append(f'{variable} {position}: must be an object such as {{"family": ..., "given": ...}}.')
            continue
        unknown = sorted(str(part) for part in name if part not in NAME_PARTS)
        if unknown:
            problems.append(f"{variable} {position}: unknown name part(s) {', '.join(unknown)}.")
        for part in NAME_PARTS - {"static-ordering", "parse-names", "comma-suffix"}:
            if part in name and not _is_text(name[part]):
                problems.append(f"{variable} {position}: {part} must be text, not {type(name[part]).__name__}.")
            elif part in name and len(name[part]) > MAX_TEXT:
                problems.append(f"{variable} {position}: {part} is longer than {MAX_TEXT:,} characters.")
        if not any(_is_text(name.get(part)) and name.get(part).strip() for part in ("family", "literal", "given")):
            problems.append(f"{variable} {position}: needs a family name or a literal name.")
    return problems


def _date_part_number(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit() and len(value.strip()) <= 6:
        return int(value)
    return None


def date_problems(value: Any, variable: str) -> list[str]:
    """Why a CSL date is malformed: shape, types, year range and a real calendar date."""
    if value is None:
        return []
    if not isinstance(value, dict):
        return [f"{variable}: must be an object with date-parts (or raw/literal text), not {type(value).__name__}."]
    unknown = sorted(str(key) for key in value if key not in DATE_KEYS)
    if unknown:
        return [f"{variable}: unknown date field(s) {', '.join(unknown)}."]
    for key in ("raw", "literal"):
        if key in value and not (_is_text(value[key]) and len(value[key]) <= 200):
            return [f"{variable}: {key} must be text of at most 200 characters."]
    if "date-parts" not in value:
        return [] if ("raw" in value or "literal" in value) else [f"{variable}: has no date-parts, raw or literal."]
    parts = value["date-parts"]
    if not isinstance(parts, list) or not 1 <= len(parts) <= 2:
        return [f"{variable}: date-parts must be a list of one date (or two, for a range)."]
    problems = []
    for date in parts:
        if not isinstance(date, list) or not 1 <= len(date) <= 3:
            problems.append(f"{variable}: each date in date-parts must be a list of year, month and day.")
            continue
        numbers = [_date_part_number(part) for part in date]
        if any(number is None for number in numbers):
            if all(isinstance(part, (int, str)) and not isinstance(part, bool) for part in date):
                continue  # "2022a", a season or the like: kept as it is, shown by its year
            problems.append(f"{variable}: year, month and day must be numbers.")
            continue
        year, month, day = (numbers + [None, None])[:3]
        if not YEAR_MIN <= year <= YEAR_MAX:
            problems.append(f"{variable}: the year {year} is out of range ({YEAR_MIN}–{YEAR_MAX}).")
            continue
        if month is not None and not 1 <= month <= 12:
            # CSL writes seasons as months 21–24; r2p keeps them, shown by the year only
            if not 21 <= month <= 24 or day is not None:
                problems.append(f"{variable}: the month {month} is out of range (1–12).")
            continue
        if day is not None:
            try:
                datetime.date(year, month, day)
            except ValueError:
                problems.append(f"{variable}: {year}-{month:02d}-{day} is not a date.")
    return problems


def csl_entry_problems(entry: Any) -> list[str]:
    """Every reason a CSL-JSON entry cannot be stored as it is (an empty list: it can)."""
    if not isinstance(entry, dict):
        return ["Entry is not an object."]
    problems: list[str] = []
    identifier = entry.get("id")
    if not isinstance(identifier, (str, int)) or isinstance(identifier, bool):
        problems.append("id: must be text (the citation key).")
    if "type" in entry and not _is_text(entry["type"]):
        problems.append("type: must be text such as report or article-newspaper.")
    for variable in NAME_VARIABLES:
        if variable in entry:
            problems.extend(names_problems(entry[variable], variable))
    for variable in DATE_VARIABLES:
        if variable in entry:
            problems.extend(date_problems(entry[variable], variable))
    for variable in TEXT_VARIABLES:
        if variable in entry and not _is_text(entry[variable]):
            problems.append(f"{variable}: must be text, not {type(entry[variable]).__name__}.")
    for variable in NUMBER_OR_TEXT_VARIABLES:
        value = entry.get(variable)
        if variable in entry and not (_is_text(value) or (isinstance(value, int) and not isinstance(value, bool))):
            problems.append(f"{variable}: must be text or a number.")
    if "custom" in entry and not isinstance(entry["custom"], dict):
        problems.append("custom: must be an object.")
    elif isinstance(entry.get("custom"), dict) and not _is_text(entry["custom"].get("author-abbreviation", "")):
        problems.append("custom.author-abbreviation: must be text.")
    for variable, value in entry.items():
        if _is_text(value) and len(value) > MAX_TEXT and variable != "note":
            problems.append(f"{variable}: longer than {MAX_TEXT:,} characters.")
    return problems
