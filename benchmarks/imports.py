"""Build realistic indicator-assessment files and time the bulk path against import-export's row-by-row path.

from benchmarks.imports import benchmark_file, compare_paths
data = benchmark_file(countries=40, years=(2019, 2022, 2025))   # 4,320 rows as XLSX
reports = compare_paths(data, file_name="bench.xlsx", user=admin)  # each run rolled back afterwards
reports["fast"].rows_per_second, reports["default"].rows_per_second
"""

from collections.abc import Sequence

import tablib
from django.db import transaction

from assessments.io.formats import FORMATS
from assessments.io.report import ImportReport
from assessments.io.rows import COLUMNS
from assessments.models import Country, Indicator, Rating, Source, Trend

SENTENCES = [
    "The government has maintained its commitments under the relevant treaties",
    "Civil society organisations report that implementation remains uneven across regions",
    "The national human rights institution has published its annual assessment",
    "Parliament debated the matter but did not adopt the proposed amendments",
    "International observers welcomed the new action plan while noting gaps in funding",
]


def benchmark_rows(*, countries: int = 40, years: Sequence[int] = (2019, 2022, 2025), skip=("KOR",)) -> list[dict]:
    """One row per indicator × country × cycle, rated, with notes of two cited sentences.

    Two citations per indicator is a little above the reference annex (63 citations over 38 items).
    """
    codes = list(Country.objects.exclude(code__in=skip).order_by("code").values_list("code", flat=True)[:countries])
    keys = list(Source.objects.order_by("key").values_list("key", flat=True)[:20]) or ["source-key"]
    ratings = [rating.label for rating in Rating]
    trends = [trend.label for trend in Trend]
    rows = []
    for year in years:
        indicators = list(
            Indicator.objects.filter(cycle__year=year).order_by("position").values_list("code", flat=True)
        )
        for country_index, country in enumerate(codes):
            for position, indicator in enumerate(indicators):
                seed = country_index * 37 + position
                notes = " ".join(
                    f"{SENTENCES[(seed + n) % len(SENTENCES)]} in {country} ({year}) [@{keys[(seed + n) % len(keys)]}, "
                    f"p. {n + 1}]."
                    for n in range(2)
                )
                rows.append(
                    {
                        "country": country,
                        "cycle": year,
                        "indicator": indicator,
                        "rating": ratings[seed % len(ratings)],
                        "trend": trends[seed % len(trends)],
                        "notes": notes,
                        "status": "",
                    }
                )
    return rows


def rows_to_file(rows: list[dict], format_name: str = "xlsx") -> bytes:
    dataset = tablib.Dataset(headers=COLUMNS)
    for row in rows:
        dataset.append([row.get(column, "") for column in COLUMNS])
    data = FORMATS[format_name]().export_data(dataset)
    return data.encode() if isinstance(data, str) else data


def benchmark_file(*, countries: int = 40, years: Sequence[int] = (2019, 2022, 2025), format_name="xlsx") -> bytes:
    return rows_to_file(benchmark_rows(countries=countries, years=years), format_name)


def compare_paths(data: bytes, *, file_name: str, user, paths: Sequence[str] = ("fast", "default")) -> dict:
    """Import the same file by each path, for real (history, citations), then roll back; return the reports."""
    from assessments.io.services import import_indicator_assessments, import_with_default_resource

    functions = {"fast": import_indicator_assessments, "default": import_with_default_resource}
    reports: dict[str, ImportReport] = {}
    for name in paths:
        with transaction.atomic():
            reports[name] = functions[name](data, user=user, dry_run=False, file_name=file_name, max_bytes=10**9)
            transaction.set_rollback(True)
    return reports
