"""Issue 15 point 5: the overview and the conclusion are importable by import_data (and the web import)."""

from django.contrib.auth.models import User
from django.core.management import call_command

from assessments.io.services import import_file
from assessments.models import AssessmentItem

CSV = (
    "country,cycle,indicator,rating,trend,notes\n"
    'KOR,2025,overview,,,"The ROK continues to perform strongly.[@hrw-2022-south-korea]"\n'
    "KOR,2025,Conclusion,,,The ROK remains a principal supporter of the norm.\n"
    "KOR,2025,BC-1,Very Strong,,South Korean citizens are protected.\n"
)


def test_overview_and_conclusion_rows_are_imported(korea_2025, tmp_path, capsys):
    path = tmp_path / "narrative.csv"
    path.write_text(CSV, encoding="utf-8")
    call_command("import_data", str(path), resource="indicator-assessments", user="editor")
    items = {item.slug: item for item in korea_2025.items.select_related("indicator")}
    assert items["overview"].notes == "The ROK continues to perform strongly.[@hrw-2022-south-korea]"
    assert items["conclusion"].notes == "The ROK remains a principal supporter of the norm."
    assert items["BC-1"].rating == "very_strong"
    assert items["overview"].citations.get().source.key == "hrw-2022-south-korea"
    assert AssessmentItem.history.filter(
        country_assessment=korea_2025, kind="overview", history_change_reason="import narrative.csv"
    ).exists()


def test_a_narrative_row_with_a_rating_is_refused(korea_2025):
    report = import_file(
        "indicator-assessments",
        b"country,cycle,indicator,rating,notes\nKOR,2025,overview,Strong,Text.\n",
        user=User.objects.get(username="editor"),
        dry_run=False,
        file_name="bad.csv",
    )
    assert not report.ok and not report.written
    assert "the overview has no rating or trend" in str(report.rows[0].errors[0])
    assert korea_2025.items.get(kind="overview").notes == ""
