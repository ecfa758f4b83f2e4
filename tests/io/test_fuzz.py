"""Malformed CSV uploads to the import page never give a 500 and never write a row."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments.io.services import import_file
from tests.io.conftest import counts

HEADER = b"country,cycle,indicator,rating,trend,notes,status\n"
CELLS = st.one_of(
    st.sampled_from(["KOR", "2025", "2022", "BC-1", "IHR-10", "Very Strong", "fair", "New", "approved", "", "=1+1"]),
    st.text(max_size=12),
)
CSV_LIKE = st.lists(
    st.lists(CELLS, min_size=0, max_size=9).map(
        lambda cells: ",".join(f'"{cell}"' if "," in cell else cell for cell in cells)
    ),
    max_size=8,
).map(lambda lines: "\n".join(lines).encode("utf-8", "surrogatepass"))
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def post(client, data: bytes, resource="indicator-assessments"):
    upload = SimpleUploadedFile("fuzz.csv", data, content_type="text/csv")
    return client.post(reverse("data-import"), {"resource": resource, "file": upload})


@FUZZ
@given(data=st.binary(max_size=400))
def test_random_bytes_never_500_and_write_nothing(user_client, korea_2025, data):
    client = user_client("editor")
    before = counts()
    response = post(client, data)
    assert response.status_code == 200
    assert counts() == before


@FUZZ
@given(body=CSV_LIKE, with_header=st.booleans(), resource=st.sampled_from(["indicator-assessments", "sources"]))
def test_malformed_csv_never_500_and_write_nothing(user_client, korea_2025, body, with_header, resource):
    client = user_client("editor")
    before = counts()
    response = post(client, (HEADER if with_header else b"") + body, resource)
    assert response.status_code == 200
    assert counts() == before  # a dry run: nothing is written, whatever the file holds
    assert b"Traceback" not in response.content


GOOD_ROWS = [
    b"KOR,2025,BC-1,Very Strong,New,One.,",
    b"KOR,2025,BC-2,Strong,,Two [@hrw-2022-south-korea].,",
    b"KOR,2025,BC-3,Fair,Unchanged,Three.,",
]


@FUZZ
@given(garbage=st.binary(min_size=1, max_size=60), position=st.integers(0, 3))
def test_real_import_with_a_damaged_line_is_all_or_nothing(django_user_model, korea_2025, garbage, position):
    """The same damaged files imported for real (the confirm step's service): either all rows or none."""
    lines = list(GOOD_ROWS)
    lines.insert(position, garbage.replace(b"\n", b" "))
    data = HEADER + b"\n".join(lines) + b"\n"
    editor = django_user_model.objects.get(username="editor")
    before = counts()
    report = import_file("indicator-assessments", data, user=editor, dry_run=False, file_name="fuzz.csv")
    if report.ok:
        assert counts()["AssessmentItem"] == before["AssessmentItem"]  # only updates of KOR 2025's items
    else:
        assert counts() == before
    korea_2025.items.update(rating="", trend="", notes="", version=1)  # undo for the next example
