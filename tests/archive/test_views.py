"""The archive import pages: upload → review (flags, corrections) → confirm, with query counts."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from assessments.models import ItemStatus

from .conftest import korea


def post_upload(client, name: str, content: bytes, country: str = "KOR"):
    """Upload; the task reading the file runs when the request's transaction commits (ImmediateBackend)."""
    upload = SimpleUploadedFile(name, content)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("archive-import"), {"file": upload, "country": country, "cycle": 2022})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert re.fullmatch(r"/data/archive/uploads/\d+/", response["Location"])
    return response["Location"]


def review_token(client, status_url: str) -> str:
    response = client.get(status_url)
    assert response.status_code == 302, response.content.decode()[:2000]
    return re.search(r"token=(\w+)", response["Location"]).group(1)


def _upload(client, text: str):
    return review_token(client, post_upload(client, "annex-kor-2022.txt", text.encode("utf-8")))


def test_upload_page_for_editors_only(bare, client, django_assert_max_num_queries):
    client.force_login(bare["researcher"])
    assert client.get(reverse("archive-import")).status_code == 403
    client.force_login(bare["editor"])
    with django_assert_max_num_queries(8):
        response = client.get(reverse("archive-import"))
    assert response.status_code == 200 and b"Import an archived annex" in response.content


def test_review_shows_summary_disagreement_then_corrects_and_confirms(
    bare, client, reference_text, django_assert_max_num_queries
):
    client.force_login(bare["editor"])
    text = reference_text.replace("\tSupport the Kigali Principles\n", "\n").replace(
        "Fair\tDealing with past atrocities\n", "Fair\tDealing with past atrocities\n\tSupport the Kigali Principles\n"
    )
    token = _upload(client, text)
    with django_assert_max_num_queries(15):  # session, user, country, cycle, framework, previous cycle: not per row
        response = client.get(reverse("archive-review"), {"token": token})
    page = response.content.decode()
    assert response.status_code == 200
    assert "UN-6</a>: summary table lists it as Fair, the detailed table rates it Very Weak" in page
    assert "a page break split this row" in page and "The original text" in page

    # One correction in place: BC-1's notes; everything else posted back as it was.
    form = response.context["form"]
    data = {name: field.value() or "" for name, field in ((name, form[name]) for name in form.fields)}
    data.update(token=token, **{"r0-notes": "Corrected on the review screen."})
    response = client.post(reverse("archive-review"), data)
    assert response.status_code == 302
    token = re.search(r"token=(\w+)", response["Location"]).group(1)
    response = client.get(response["Location"])
    assert "Corrected: BC-1 notes" in response.content.decode()

    response = client.post(reverse("archive-confirm"), {"token": token, "publish": "on", "published_on": "2022-09-01"})
    assert response.status_code == 302
    assessment = korea(2022)
    item = assessment.items.get(indicator__code="BC-1")
    assert item.notes == "Corrected on the review screen." and item.status == ItemStatus.APPROVED
    assert assessment.editions.get().published_at.date().isoformat() == "2022-09-01"
    # The staged upload is gone: confirming twice writes nothing twice.
    response = client.post(reverse("archive-confirm"), {"token": token})
    assert response.status_code == 302 and response["Location"] == reverse("archive-import")


def test_a_word_file_goes_through_the_same_review(bare, client, exported_korea):
    client.force_login(bare["editor"])
    token = review_token(client, post_upload(client, "annex-kor-2022.docx", exported_korea["docx"].read_bytes()))
    page = client.get(reverse("archive-review"), {"token": token}).content.decode()
    assert "Review the import: Republic of Korea 2022" in page
    assert "new sources proposed: 51" in page  # the library was empty: every cited work is proposed


def test_an_unreadable_file_is_refused_on_the_upload_page(bare, client):
    client.force_login(bare["editor"])
    upload = SimpleUploadedFile("annex.xlsx", b"not an annex")
    response = client.post(reverse("archive-import"), {"file": upload, "country": "KOR", "cycle": 2022})
    assert response.status_code == 400 and "Give a .docx, a .pdf or a .txt file." in response.content.decode()
