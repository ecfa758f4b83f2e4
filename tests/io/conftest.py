import csv
import io

import pytest
from django.contrib.auth.models import User

from assessments.models import AssessmentItem, Citation, CountryAssessment, Edition, Indicator
from tests.rows import row_counts

INDICATOR_COLUMNS = ["country", "cycle", "indicator", "rating", "trend", "notes", "status"]


@pytest.fixture(autouse=True)
def upload_dir(settings, tmp_path):
    settings.R2P_IMPORT_TMP_DIR = tmp_path / "uploads"
    return settings.R2P_IMPORT_TMP_DIR


@pytest.fixture
def admin(demo) -> User:
    return User.objects.get(username="admin")


@pytest.fixture
def editor(demo) -> User:
    return User.objects.get(username="editor")


def csv_bytes(rows: list[dict], columns: list[str] | None = None) -> bytes:
    columns = columns or INDICATOR_COLUMNS
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({column: row.get(column, "") for column in columns})
    return out.getvalue().encode()


def full_country_rows(country: str, year: int, **overrides) -> list[dict]:
    """36 rows for every indicator of a cycle, rated and with notes citing a demo source."""
    ratings = ["Very Strong", "Strong", "Fair", "Weak", "Very Weak"]
    codes = Indicator.objects.filter(cycle__year=year).order_by("position").values_list("code", flat=True)
    return [
        {
            "country": country,
            "cycle": year,
            "indicator": code,
            "rating": ratings[position % 5],
            "trend": "New",
            "notes": f"Notes on {code} for {country} [@hrw-2022-south-korea, p. {position + 1}].",
            **overrides,
        }
        for position, code in enumerate(codes)
    ]


def counts() -> dict[str, int]:
    """Rows and history rows of everything an import may write."""
    return row_counts(CountryAssessment, AssessmentItem, Citation, Edition)
