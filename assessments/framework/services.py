"""Countries and the per-cycle framework: load, copy to a new cycle."""

import csv
from pathlib import Path

import pycountry
from django.db import transaction

from assessments.method.codebook import codebook_copy
from assessments.models import Country, Cycle, Indicator, ThematicArea

FRAMEWORK_CSV = Path(__file__).resolve().parent.parent / "demo" / "data" / "framework.csv"

# Where the UN short official name differs from ISO 3166's English short name.
UN_SHORT_NAMES = {
    "BOL": "Bolivia (Plurinational State of)",
    "BRN": "Brunei Darussalam",
    "CIV": "Côte d'Ivoire",
    "COD": "Democratic Republic of the Congo",
    "CPV": "Cabo Verde",
    "CZE": "Czechia",
    "FSM": "Micronesia (Federated States of)",
    "GBR": "United Kingdom of Great Britain and Northern Ireland",
    "IRN": "Iran (Islamic Republic of)",
    "KOR": "Republic of Korea",
    "LAO": "Lao People's Democratic Republic",
    "MDA": "Republic of Moldova",
    "MKD": "North Macedonia",
    "NLD": "Netherlands (Kingdom of the)",
    "PRK": "Democratic People's Republic of Korea",
    "PSE": "State of Palestine",
    "RUS": "Russian Federation",
    "SWZ": "Eswatini",
    "SYR": "Syrian Arab Republic",
    "TUR": "Türkiye",
    "TWN": "Taiwan",
    "TZA": "United Republic of Tanzania",
    "USA": "United States of America",
    "VAT": "Holy See",
    "VEN": "Venezuela (Bolivarian Republic of)",
    "VNM": "Viet Nam",
}
# Names read with "the" in running text ("the Republic of Korea's efforts").
_ARTICLE_PREFIXES = (
    "Republic",
    "Democratic",
    "United",
    "Lao",
    "Russian",
    "Syrian",
    "Islamic",
    "Kingdom",
    "State of",
    "Holy See",
    "Dominican",
    "Central African",
    "Philippines",
    "Netherlands",
    "Marshall Islands",
    "Solomon Islands",
    "Maldives",
    "Comoros",
    "Seychelles",
    "Cook Islands",
    "Bahamas",
    "Gambia",
    "Federated",
    "Czech Republic",
    "Sudan",
    "Niger",
    "Congo",
    "Cayman",
    "Falkland",
    "Faroe",
)


def un_short_name(iso_country) -> str:
    if iso_country.alpha_3 in UN_SHORT_NAMES:
        return UN_SHORT_NAMES[iso_country.alpha_3]
    name = iso_country.name
    if ", " in name:  # "Korea, Republic of" → "Republic of Korea"
        head, tail = name.split(", ", 1)
        name = f"{tail} {head}"
    return name


def name_in_text(name: str) -> str:
    if name in ("Niger", "Sudan", "Congo", "Gambia") or name.startswith(_ARTICLE_PREFIXES):
        return f"the {name}"
    return name


@transaction.atomic
def countries_sync() -> int:
    """Create every ISO 3166-1 country missing from the database; return how many were created."""
    existing = set(Country.objects.values_list("code", flat=True))
    new = []
    for iso_country in pycountry.countries:
        if iso_country.alpha_3 in existing:
            continue
        name = un_short_name(iso_country)
        new.append(
            Country(
                code=iso_country.alpha_3,
                alpha2=iso_country.alpha_2,
                name=name,
                name_in_text=name_in_text(name),
            )
        )
    Country.objects.bulk_create(new)
    return len(new)


def framework_rows(path: Path = FRAMEWORK_CSV) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@transaction.atomic
def framework_load(*, cycle: Cycle, rows: list[dict[str, str]] | None = None) -> int:
    """Load thematic areas and indicators into a cycle that has none; return the indicators created."""
    if cycle.indicators.exists():
        return 0
    rows = rows if rows is not None else framework_rows()
    areas: dict[str, ThematicArea] = {}
    for row in rows:
        code = row["thematic_area_code"]
        if code not in areas:
            areas[code] = ThematicArea(cycle=cycle, code=code, name=row["thematic_area"], position=len(areas) + 1)
    ThematicArea.objects.bulk_create(areas.values())
    indicators = [
        Indicator(
            cycle=cycle,
            thematic_area=areas[row["thematic_area_code"]],
            code=row["code"],
            title=row["title"],
            position=int(row["position"]),
        )
        for row in rows
    ]
    Indicator.objects.bulk_create(indicators)
    return len(indicators)


@transaction.atomic
def cycle_create(
    *,
    year: int,
    previous: Cycle | None = None,
    introduction: str = "",
    methodology_url: str = "",
    regional_report_url: str = "",
) -> Cycle:
    """Create a cycle whose framework copies the previous cycle's (or the standard one)."""
    cycle, created = Cycle.objects.get_or_create(
        year=year,
        defaults={
            "previous": previous,
            "introduction": introduction,
            "methodology_url": methodology_url,
            "regional_report_url": regional_report_url,
        },
    )
    if created:
        rows = None
        if previous is not None and previous.indicators.exists():
            rows = [
                {
                    "code": indicator.code,
                    "thematic_area_code": indicator.thematic_area.code,
                    "thematic_area": indicator.thematic_area.name,
                    "position": str(indicator.position),
                    "title": indicator.title,
                }
                for indicator in Indicator.objects.for_cycle(previous)
            ]
        framework_load(cycle=cycle, rows=rows)
        codebook_copy(source=previous, target=cycle)  # issue 19: the codebook travels with the framework
    return cycle
