"""The data pages: rights, upload → preview → confirm, downloads, admin integration, query counts."""

import csv
import io
import zipfile

import pytest
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.io.uploads import SESSION_KEY
from assessments.models import AssessmentItem, CountryAssessment
from tests.io.conftest import counts, csv_bytes, full_country_rows

IMPORT, CONFIRM, EXPORT = reverse("data-import"), reverse("data-import-confirm"), reverse("data-export")


def upload(name: str, data: bytes, content_type="text/csv"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def test_anonymous_users_are_sent_to_log_in(client, demo):
    for url in (IMPORT, EXPORT):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("username", ["researcher", "reviewer"])
def test_researchers_and_reviewers_get_403(user_client, demo, username):
    client = user_client(username)
    assert client.get(IMPORT).status_code == 403
    assert client.post(IMPORT, {"resource": "indicator-assessments"}).status_code == 403
    assert client.post(CONFIRM, {"token": "abc"}).status_code == 403
    assert client.get(EXPORT).status_code == 403
    assert client.get(EXPORT, {"resource": "sources", "format": "csv"}).status_code == 403


@pytest.mark.parametrize("username", ["researcher", "reviewer"])
def test_staff_researchers_get_403_on_admin_import_and_export(user_client, demo, username):
    user = User.objects.get(username=username)
    user.is_staff = True
    user.save()
    user.user_permissions.add(*Permission.objects.filter(codename__in=["add_countryassessment", "view_source"]))
    client = user_client(username)
    for model in ["assessmentitem", "source", "countryassessment"]:
        assert client.get(reverse(f"admin:assessments_{model}_import")).status_code == 403
        assert client.get(reverse(f"admin:assessments_{model}_export")).status_code == 403


def test_data_link_only_for_editors_and_admins(user_client, demo):
    for username, visible in [("researcher", False), ("reviewer", False), ("editor", True), ("admin", True)]:
        text = user_client(username).get(reverse("cycle-detail", args=[2025])).content.decode()
        assert (f'href="{IMPORT}">Data</a>' in text) is visible, username


def test_import_page(user_client, demo, django_assert_max_num_queries):
    client = user_client("editor")
    with django_assert_max_num_queries(8):
        response = client.get(IMPORT)
    assert response.status_code == 200
    text = response.content.decode()
    assert 'value="indicator-assessments"' in text and 'value="sources"' in text
    assert 'value="countries"' not in text  # the framework and countries are the admins' to import


def test_upload_preview_then_confirm(user_client, korea_2025, django_assert_max_num_queries):
    client = user_client("editor")
    data = csv_bytes(full_country_rows("NZL", 2025) + full_country_rows("KOR", 2025)[:2])
    before = counts()
    with django_assert_max_num_queries(20):
        response = client.post(IMPORT, {"resource": "indicator-assessments", "file": upload("mixed.csv", data)})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Preview of mixed.csv" in text and "36 new" in text and "2 update" in text
    assert "Import 38 changes" in text
    assert counts() == before
    [token] = client.session[SESSION_KEY]

    response = client.post(CONFIRM, {"token": token})
    assert response.status_code == 200
    assert "Result of importing mixed.csv" in response.content.decode()
    assert CountryAssessment.objects.filter(country__code="NZL", cycle__year=2025).exists()
    record = AssessmentItem.history.filter(history_change_reason="import mixed.csv").first()
    assert record.history_user.username == "editor"
    assert client.session[SESSION_KEY] == {}

    response = client.post(CONFIRM, {"token": token})  # the same upload cannot be imported twice
    assert response.status_code == 302


def test_preview_queries_do_not_grow_with_rows(user_client, korea_2025, django_assert_num_queries):
    client = user_client("editor")
    client.get(IMPORT)
    sizes = []
    for countries in (["NZL"], ["NZL", "AUS", "JPN"]):
        rows = [row for country in countries for row in full_country_rows(country, 2025)]
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            client.post(IMPORT, {"resource": "indicator-assessments", "file": upload("x.csv", csv_bytes(rows))})
        sizes.append(len(queries))
    assert sizes[0] == sizes[1]


def test_preview_shows_row_errors_and_no_confirm(user_client, korea_2025):
    client = user_client("editor")
    rows = full_country_rows("KOR", 2025)[:3]
    rows[1]["trend"] = "Sideways"
    response = client.post(IMPORT, {"resource": "indicator-assessments", "file": upload("e.csv", csv_bytes(rows))})
    text = response.content.decode()
    assert "Row 3, column &quot;trend&quot;, value &quot;Sideways&quot;: not a trend" in text
    assert "Import " not in text.split("io-report")[1].split("</form>")[0] or "data-import-confirm" not in text
    assert SESSION_KEY not in client.session or not client.session[SESSION_KEY]


def test_confirm_needs_this_session(user_client, client, korea_2025):
    editor_client = user_client("editor")
    data = csv_bytes(full_country_rows("KOR", 2025)[:2])
    editor_client.post(IMPORT, {"resource": "indicator-assessments", "file": upload("k.csv", data)})
    [token] = editor_client.session[SESSION_KEY]
    editor_client.logout()
    other = user_client("admin")
    before = counts()
    response = other.post(CONFIRM, {"token": token}, follow=True)
    assert "no longer available" in response.content.decode()
    assert counts() == before


def test_oversized_upload_is_refused(user_client, settings, korea_2025):
    settings.R2P_IMPORT_MAX_BYTES = 1024
    client = user_client("editor")
    data = csv_bytes(full_country_rows("KOR", 2025))
    response = client.post(IMPORT, {"resource": "indicator-assessments", "file": upload("big.csv", data)})
    assert response.status_code == 200
    assert "at most" in response.content.decode()


def test_upload_far_over_the_limit_is_refused_before_it_is_read(user_client, settings, korea_2025):
    settings.R2P_IMPORT_MAX_BYTES = 1024
    client = user_client("editor")
    data = b"country,cycle,indicator\n" + b"KOR,2025,BC-1\n" * 20000
    response = client.post(IMPORT, {"resource": "indicator-assessments", "file": upload("huge.csv", data)})
    assert response.status_code == 413
    assert "is larger than" in response.content.decode()


def test_zip_bomb_upload_is_refused(user_client, settings, korea_2025):
    settings.R2P_IMPORT_MAX_UNCOMPRESSED_BYTES = 1024 * 1024
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b" " * (8 * 1024 * 1024))
    client = user_client("editor")
    response = client.post(IMPORT, {"resource": "indicator-assessments", "file": upload("b.xlsx", out.getvalue())})
    assert response.status_code == 200
    assert "would expand to 8 MB" in response.content.decode()


def test_editor_cannot_import_countries(user_client, demo):
    client = user_client("editor")
    response = client.post(IMPORT, {"resource": "countries", "file": upload("c.csv", b"code,name\nNZL,X\n")})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


@pytest.mark.parametrize(
    ("format_name", "content_type"),
    [
        ("csv", "text/csv"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("json", "application/json"),
    ],
)
def test_export_download(user_client, korea_2022, format_name, content_type, django_assert_max_num_queries):
    client = user_client("editor")
    params = {"resource": "indicator-assessments", "format": format_name, "cycle": "2022", "country": "kor"}
    with django_assert_max_num_queries(10):
        response = client.get(EXPORT, params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    assert 'filename="r2p-indicator-assessments-2022-KOR.' in response["Content-Disposition"]


def test_export_page(user_client, demo, django_assert_max_num_queries):
    client = user_client("admin")
    with django_assert_max_num_queries(6):
        response = client.get(EXPORT)
    assert response.status_code == 200 and 'value="countries"' in response.content.decode()
    assert client.post(EXPORT).status_code == 405


def test_admin_two_step_import_of_indicator_assessments(user_client, korea_2025):
    client = user_client("editor")
    url = reverse("admin:assessments_assessmentitem_import")
    changelist = client.get(reverse("admin:assessments_assessmentitem_changelist")).content.decode()
    assert url in changelist
    data = csv_bytes(full_country_rows("KOR", 2025)[:3])
    before = counts()
    response = client.post(url, {"resource": "0", "format": "0", "import_file": upload("a.csv", data)})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Confirm import" in text and "KOR" in text
    assert counts() == before
    confirm = response.context["confirm_form"].initial
    response = client.post(reverse("admin:assessments_assessmentitem_process_import"), confirm)
    assert response.status_code == 302
    assert korea_2025.items.get(indicator__code="BC-1").rating == "very_strong"
    assert AssessmentItem.history.filter(history_change_reason="import a.csv").count() == 3


def test_admin_import_shows_plain_errors(user_client, korea_2025):
    client = user_client("admin")
    rows = full_country_rows("KOR", 2025)[:3]
    rows[2]["rating"] = "Excellent"
    response = client.post(
        reverse("admin:assessments_assessmentitem_import"),
        {"resource": "0", "format": "0", "import_file": upload("a.csv", csv_bytes(rows))},
    )
    text = response.content.decode()
    assert "Confirm import" not in text
    assert "<td>4</td>" in text and "column “rating”: not a rating" in text
    assert "Traceback" not in text


def test_admin_import_of_sources_shows_plain_constraint_error(user_client, demo):
    client = user_client("admin")
    data = b"key,title,issued_month\nfine-1,Fine,\nbad-1,Bad,13\n"
    response = client.post(
        reverse("admin:assessments_source_import"),
        {"resource": "0", "format": "0", "import_file": upload("s.csv", data)},
    )
    text = response.content.decode()
    assert "<td>3</td>" in text and "column “issued_month”: Ensure this value is less than or equal to 12." in text
    assert "Traceback" not in text


def test_admin_import_of_unreadable_xlsx(user_client, demo):
    client = user_client("admin")
    response = client.post(
        reverse("admin:assessments_source_import"),
        {"resource": "0", "format": "1", "import_file": upload("s.xlsx", b"not a zip")},
    )
    assert response.status_code == 200
    assert "not a valid XLSX workbook" in response.content.decode()


def test_admin_export_has_escaped_formulas(user_client, demo):
    from tests.factories import SourceFactory

    SourceFactory(key="evil", title="=cmd|' /C calc'!A0")
    client = user_client("editor")
    url = reverse("admin:assessments_source_export")
    form = client.get(url).context["form"]
    data = {name: field.initial for name, field in form.fields.items() if field.initial is not None}
    response = client.post(url, {**data, "resource": "0", "format": "0"})
    assert response.status_code == 200
    assert "'=cmd|' /C calc'!A0" in response.content.decode()


def test_admin_import_shows_row_errors_and_validation_errors_together(user_client, korea_2025):
    client = user_client("admin")
    data = b"country,cycle,user,role\nKOR,2025,ghost,reviewer\nKOR,2025,editor,boss\n"
    before = counts()
    response = client.post(
        reverse("admin:assessments_assignment_import"),
        {"resource": "0", "format": "0", "import_file": upload("a.csv", data)},
    )
    text = response.content.decode()
    assert 'Row 2: column "user", value "ghost": no user has this username' in text.replace("&quot;", '"')
    assert "<td>3</td>" in text and "column “role”: Value &#x27;boss&#x27; is not a valid choice." in text
    assert "Confirm import" not in text and "Traceback" not in text
    assert counts() == before


def test_admin_export_of_items_holds_indicators_only(user_client, korea_2022):
    client = user_client("editor")
    url = reverse("admin:assessments_assessmentitem_export")
    form = client.get(url).context["form"]
    data = {name: field.initial for name, field in form.fields.items() if field.initial is not None}
    response = client.post(
        url + "?country_assessment__cycle__id__exact=" + str(korea_2022.cycle_id), {**data, "format": "0"}
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["country", "cycle", "indicator", "rating", "trend", "notes", "status"]
    assert len(rows) == 37 and rows[1][:5] == ["KOR", "2022", "BC-1", "Very Strong", "Unchanged"]
