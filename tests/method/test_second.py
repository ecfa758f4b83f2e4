"""Second assessments (issue 19, part 5): request, blind rating, agreement, settling; rights; blindness."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.method.agreement import cycle_agreement
from assessments.method.models import SecondAssessment, SecondAssessmentStatus
from assessments.method.second import (
    second_assessment_cancel,
    second_assessment_request,
    second_assessment_settle,
    second_assessment_submit,
)
from assessments.models import Country, Cycle, Suggestion
from assessments.review.services import suggestion_accept
from assessments.workflow.assignments import assignment_create
from assessments.workflow.services import WorkflowError, item_approve, item_submit, item_update
from tests.factories import UserFactory, make_country_assessment

MARKER = "Zanzibarquux"  # a word only the first researcher's notes contain


@pytest.fixture
def cast(people):
    """The demo people plus two researchers assigned to nothing (blind raters) and a reviewer-only user."""
    return {
        **people,
        "blind": UserFactory(username="blind", role="Researcher", first_name="Bea", last_name="Blind"),
        "blind2": UserFactory(username="blind2", role="Researcher", first_name="Carl", last_name="Second"),
        "reviewer_only": UserFactory(username="rev-only", role="Reviewer"),
    }


def items_of(korea_2025, *codes):
    by_code = {
        item.indicator.code: item for item in korea_2025.items.select_related("indicator").filter(kind="indicator")
    }
    return [by_code[code] for code in codes]


def rate(item, user, rating, notes=f"First researcher's notes {MARKER}."):
    return item_update(item=item, user=user, expected_version=item.version, rating=rating, notes=notes)


def ask(items, researcher, editor):
    created, skipped = second_assessment_request(items=items, researcher=researcher, user=editor)
    assert not skipped
    return created


def give(second, user, rating, justification="Blind reasons."):
    return second_assessment_submit(second=second, user=user, rating=rating, justification=justification)


# --- request, submit, settle -----------------------------------------------------------------------------------


def test_request_submit_settle_through_a_suggestion(korea_2025, cast, mailoutbox, django_capture_on_commit_callbacks):
    bc1, bc2 = items_of(korea_2025, "BC-1", "BC-2")
    bc1 = rate(bc1, cast["researcher"], "fair")
    with django_capture_on_commit_callbacks(execute=True):
        first, second = ask([bc1, bc2], cast["blind"], cast["editor"])
    assert first.status == SecondAssessmentStatus.REQUESTED and first.requested_by == cast["editor"]
    assert [m.to for m in mailoutbox] == [["blind@example.org"]]  # one email for the batch
    assert (
        "2 blind ratings" in mailoutbox[0].subject and reverse("second-rating", args=[first.pk]) in mailoutbox[0].body
    )
    assert "Fair" not in mailoutbox[0].body and MARKER not in mailoutbox[0].body

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        first = give(first, cast["blind"], "strong")
    assert first.status == SecondAssessmentStatus.SUBMITTED
    assert (first.first_rating, first.rating, first.first_researcher) == ("fair", "strong", cast["researcher"])
    assert first.needs_settling and first.agrees is False
    assert {address for m in mailoutbox for address in m.to} == {cast["editor"].email, cast["reviewer"].email}
    assert "disagrees" in mailoutbox[0].subject

    settled = second_assessment_settle(second=first, user=cast["reviewer"], rating="strong", note="The 2024 report.")
    assert settled.status == SecondAssessmentStatus.SETTLED and settled.settled_by == cast["reviewer"]
    bc1.refresh_from_db()
    assert bc1.rating == "fair"  # settling writes no item content...
    suggestion = Suggestion.objects.get(item=bc1)
    assert (suggestion.author, suggestion.rating, suggestion.notes) == (cast["reviewer"], "strong", bc1.notes)
    comment = bc1.comments.get()
    assert "settled on Strong" in comment.body and "The 2024 report." in comment.body
    # ...the researcher accepts the suggestion through the one write path; the notes stay theirs.
    bc1 = suggestion_accept(suggestion=suggestion, user=cast["researcher"])
    assert bc1.rating == "strong"
    assert bc1.history.first().history_change_reason.startswith("accepted suggestion by")
    # The figures keep the ratings as they were when the blind one was given.
    assert cycle_agreement(korea_2025.cycle).overall.pairs == [("fair", "strong")]
    assert list(first.history.values_list("history_change_reason", flat=True)) == [
        "settled on Strong",
        "blind rating given: Strong",
        "second rating asked of Bea Blind",
    ]


def test_an_agreeing_rating_needs_no_settling(korea_2025, cast):
    (bc1,) = items_of(korea_2025, "BC-1")
    rate(bc1, cast["researcher"], "fair")
    (second,) = ask([bc1], cast["blind"], cast["editor"])
    second = give(second, cast["blind"], "fair")
    assert second.agrees and not second.needs_settling
    with pytest.raises(PermissionDenied):
        second_assessment_settle(second=second, user=cast["reviewer"], rating="fair")


def test_settling_on_the_items_rating_makes_no_suggestion(korea_2025, cast):
    (bc1,) = items_of(korea_2025, "BC-1")
    rate(bc1, cast["researcher"], "fair")
    (second,) = ask([bc1], cast["blind"], cast["editor"])
    give(second, cast["blind"], "weak")
    second_assessment_settle(second=second, user=cast["editor"], rating="fair")
    assert not Suggestion.objects.exists()
    assert "settled on Fair" in bc1.comments.get().body


def test_settling_an_approved_item_on_another_rating_asks_to_reopen(korea_2025, cast):
    (bc1,) = items_of(korea_2025, "BC-1")
    bc1 = rate(bc1, cast["researcher"], "very_strong")  # 2022: Very Strong; no rationale needed
    (second,) = ask([bc1], cast["blind"], cast["editor"])
    give(second, cast["blind"], "weak")
    bc1 = item_submit(item=bc1, user=cast["researcher"])
    item_approve(item=bc1, user=cast["reviewer"])
    with pytest.raises(WorkflowError, match="reopens it first"):
        second_assessment_settle(second=second, user=cast["reviewer"], rating="weak")
    settled = second_assessment_settle(second=second, user=cast["reviewer"], rating="very_strong")
    assert settled.status == SecondAssessmentStatus.SETTLED


# --- who may ---------------------------------------------------------------------------------------------------


def test_request_refuses_raters_who_could_see_the_first_rating(korea_2025, cast):
    (bc1,) = items_of(korea_2025, "BC-1")
    for who, why in [
        ("researcher", "is assigned to"),
        ("reviewer", "researcher role"),
        ("editor", "Ask someone else"),
        ("reviewer_only", "researcher role"),
    ]:
        with pytest.raises(ValidationError) as refused:
            second_assessment_request(items=[bc1], researcher=cast[who], user=cast["editor"])
        assert why in " ".join(refused.value.messages), who
    admin_editor = UserFactory(username="ed2", role="Editor")
    admin_editor.groups.add(cast["blind"].groups.get())
    with pytest.raises(ValidationError, match="is an editor"):
        second_assessment_request(items=[bc1], researcher=admin_editor, user=cast["editor"])
    for who in ("researcher", "reviewer", "blind"):
        with pytest.raises(PermissionDenied):
            second_assessment_request(items=[bc1], researcher=cast["blind2"], user=cast[who])
    narrative = korea_2025.items.get(kind="overview")
    with pytest.raises(ValidationError, match="Only indicators"):
        second_assessment_request(items=[narrative], researcher=cast["blind"], user=cast["editor"])
    assert not SecondAssessment.objects.exists()


def test_one_open_request_per_item(korea_2025, cast):
    bc1, bc2 = items_of(korea_2025, "BC-1", "BC-2")
    (first,) = ask([bc1], cast["blind"], cast["editor"])
    created, skipped = second_assessment_request(items=[bc1, bc2], researcher=cast["blind2"], user=cast["editor"])
    assert [s.item for s in created] == [bc2] and skipped == [bc1]
    with pytest.raises(IntegrityError), transaction.atomic():
        SecondAssessment.objects.create(item=bc1, researcher=cast["blind2"], requested_by=cast["editor"])
    second_assessment_cancel(second=first, user=cast["editor"])
    created, _ = second_assessment_request(items=[bc1], researcher=cast["blind2"], user=cast["editor"])
    assert len(created) == 1  # once cancelled (or settled), it may be asked again


def test_named_constraints_hold_in_the_database(korea_2025, cast):
    (bc1,) = items_of(korea_2025, "BC-1")
    for fields in [
        {"researcher": cast["editor"]},  # asked by themselves
        {"status": "submitted"},  # submitted without a rating
        {"status": "settled", "rating": "fair", "submitted_at": "2025-01-01T00:00Z"},  # settled by nobody
        {"rating": "excellent"},
    ]:
        values = {"item": bc1, "researcher": cast["blind"], "requested_by": cast["editor"], **fields}
        with pytest.raises(IntegrityError), transaction.atomic():
            SecondAssessment.objects.create(**values)


def test_rights_refusals(korea_2025, cast):
    bc1, bc2 = items_of(korea_2025, "BC-1", "BC-2")
    rate(bc1, cast["researcher"], "fair")
    first, second = ask([bc1, bc2], cast["blind"], cast["editor"])
    for who in ("blind2", "researcher", "reviewer", "editor"):
        with pytest.raises(PermissionDenied):
            give(first, cast[who], "weak")  # only the researcher asked
    with pytest.raises(PermissionDenied):
        second_assessment_settle(second=first, user=cast["reviewer"], rating="weak")  # nothing to settle yet
    give(first, cast["blind"], "weak")
    with pytest.raises(PermissionDenied):
        give(first, cast["blind"], "fair")  # given once
    for who in ("blind", "researcher", "blind2", "reviewer_only"):
        with pytest.raises(PermissionDenied):
            second_assessment_settle(second=first, user=cast[who], rating="weak")
    with pytest.raises(PermissionDenied):
        second_assessment_cancel(second=second, user=cast["reviewer"])
    with pytest.raises(PermissionDenied):
        second_assessment_cancel(second=first, user=cast["editor"])  # already rated
    with pytest.raises(ValidationError):
        give(second, cast["blind"], "excellent")


def test_a_blind_rater_is_not_assigned_to_the_country_meanwhile(korea_2025, cast):
    (bc1,) = items_of(korea_2025, "BC-1")
    ask([bc1], cast["blind"], cast["editor"])
    with pytest.raises(ValidationError, match="blind second ratings to give"):
        assignment_create(country_assessment=korea_2025, assignee=cast["blind"], role="researcher", user=cast["editor"])


# --- blindness -------------------------------------------------------------------------------------------------


def without_codebook(page: str) -> str:
    """The page without the codebook's level descriptions (which name every rating)."""
    return re.sub(r'<details class="guidance.*?</details>', "", page, flags=re.S)


def test_the_second_researcher_never_sees_the_first_rating(korea_2025, cast, client):
    (bc1,) = items_of(korea_2025, "BC-1")
    bc1 = item_update(
        item=bc1,
        user=cast["researcher"],
        expected_version=bc1.version,
        rating="fair",
        notes=f"Notes {MARKER}.",
        change_rationale=f"Rationale {MARKER}.",
    )
    (second,) = ask([bc1], cast["blind"], cast["editor"])
    client.force_login(cast["blind"])
    form = client.get(reverse("second-rating", args=[second.pk]))
    page = form.content.decode()
    assert form.status_code == 200
    assert MARKER not in page
    outside_codebook = without_codebook(page)
    assert "rating rating-fair" not in outside_codebook and "checked" not in outside_codebook
    assert "rating rating-very_strong" in outside_codebook  # 2022's published rating is shown
    assert reverse("item-edit", args=[2025, "KOR", "BC-1"]) not in page
    # The request opens nothing else: the item, its history, the country page answer 403.
    for name, args in [
        ("item-edit", [2025, "KOR", "BC-1"]),
        ("item-history", [2025, "KOR", "BC-1"]),
        ("country-assessment", [2025, "KOR"]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 403, name
    # Staff pages built on the assessments one may see leave Korea 2025 out.
    for url in [
        reverse("method-calibration", args=[2025, "BC-1"]),
        reverse("cycle-heatmap", args=[2025]),
        reverse("cycle-overview", args=[2025]),
        reverse("method-freshness", args=[2025]),
        reverse("search") + f"?q={MARKER}",
        reverse("dashboard"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        shown = response.content.decode().replace(f"?q={MARKER}", "").replace(f"“{MARKER}”", "")
        shown = shown.replace(f'value="{MARKER}"', "")  # the search form repeats the query
        assert MARKER not in shown and bc1.get_absolute_url() not in shown, url
    calibration = client.get(reverse("method-calibration", args=[2025, "BC-1"])).content.decode()
    assert "Republic of Korea" not in calibration
    assert client.get(reverse("method-agreement", args=[2025])).status_code == 403
    # After giving the rating, still nothing of the first one.
    client.post(reverse("second-rating", args=[second.pk]), {"rating": "weak", "justification": "Mine."})
    after = client.get(reverse("second-rating", args=[second.pk])).content.decode()
    assert "rating rating-weak" in without_codebook(after) and "rating rating-fair" not in without_codebook(after)
    assert MARKER not in after
    # The editor's calibration does show it (the checks above are not vacuous).
    client.force_login(cast["editor"])
    assert "Republic of Korea" in client.get(reverse("method-calibration", args=[2025, "BC-1"])).content.decode()


def test_the_blind_form_is_the_asked_researchers_only(korea_2025, cast, client):
    (bc1,) = items_of(korea_2025, "BC-1")
    (second,) = ask([bc1], cast["blind"], cast["editor"])
    for who in ("blind2", "researcher", "reviewer", "editor"):
        client.force_login(cast[who])
        assert client.get(reverse("second-rating", args=[second.pk])).status_code == 403, who
        assert client.post(reverse("second-rating", args=[second.pk]), {"rating": "weak"}).status_code == 403, who
    second.refresh_from_db()
    assert second.is_requested


# --- agreement -------------------------------------------------------------------------------------------------

# The hand-worked example of test_agreement.py: first ratings 4, 3, 1, 2 points; blind second 4, 2, 1, 0.
# Exact agreement 2 of 4 (50%); quadratic kappa 1 − 1.25 / 4 = 0.6875.
WORKED = {"BC-1": ("very_strong", "very_strong"), "BC-2": ("strong", "fair"), "BC-3": ("weak", "weak")}
WORKED["PM-1"] = ("fair", "very_weak")


def build_worked(korea_2025, cast):
    items = items_of(korea_2025, *WORKED)
    for item in items:
        rate(item, cast["researcher"], WORKED[item.indicator.code][0])
    seconds = ask(items, cast["blind"], cast["editor"])
    for second in seconds:
        give(second, cast["blind"], WORKED[second.item.indicator.code][1])
    return seconds


def test_agreement_figures_match_the_worked_example(korea_2025, cast, user_client):
    build_worked(korea_2025, cast)
    agreement = cycle_agreement(Cycle.objects.get(year=2025))
    assert agreement.overall.count == 4 and agreement.overall.exact == 0.5
    assert agreement.overall.kappa == pytest.approx(0.6875)
    assert [(e.key.code, e.agreed, e.count) for e in agreement.by_indicator] == [
        ("BC-1", 1, 1),
        ("BC-2", 0, 1),
        ("BC-3", 1, 1),
        ("PM-1", 0, 1),
    ]
    (pair,) = agreement.by_pair
    assert "Bea Blind" in pair.label and pair.kappa == pytest.approx(0.6875)
    assert [s.item.indicator.code for s in agreement.disagreements] == ["BC-2", "PM-1"]
    assert agreement.to_settle == 2
    page = user_client("editor").get(reverse("method-agreement", args=[2025])).content.decode()
    assert "<strong>4</strong> indicators rated twice" in page and "(50%)" in page and "0.69" in page
    assert "to settle by the reviewer" in page


def test_agreement_per_researcher_pair(korea_2025, cast):
    build_worked(korea_2025, cast)
    (pm2,) = items_of(korea_2025, "PM-2")
    rate(pm2, cast["editor"], "strong")  # drafted by an editor: the assigned researcher counts as first rater
    (second,) = ask([pm2], cast["blind2"], cast["editor"])
    give(second, cast["blind2"], "strong")
    agreement = cycle_agreement(korea_2025.cycle)
    assert [(p.count, p.agreed) for p in agreement.by_pair] == [(4, 2), (1, 1)]
    assert agreement.by_pair[1].kappa is None  # one rating only: undefined
    assert agreement.overall.count == 5


# --- pages -----------------------------------------------------------------------------------------------------


def test_editor_requests_from_the_page(korea_2025, cast, user_client):
    client = user_client("editor")
    url = reverse("method-second-request", args=[2025])
    page = client.get(url + "?indicator=BC-1&country=KOR").content.decode()
    assert "Bea Blind" in page and "Ask for the blind ratings" in page
    assert "researcher" not in [o for o in page.split('value="') if o.startswith(str(cast["researcher"].pk) + '"')]
    response = client.post(url, {"researcher": cast["blind"].pk, "indicators": ["BC-1", "BC-2"], "countries": ["KOR"]})
    assert response.status_code == 302 and response.url == reverse("method-agreement", args=[2025])
    assert SecondAssessment.objects.filter(researcher=cast["blind"]).count() == 2
    refused = client.post(url, {"researcher": cast["researcher"].pk, "indicators": ["BC-1"], "countries": ["KOR"]})
    assert refused.status_code == 400  # not a blind rater: not even a choice
    assert user_client("researcher").get(url).status_code == 403


def test_reviewer_settles_from_the_review_panel(korea_2025, cast, client):
    (bc1,) = items_of(korea_2025, "BC-1")
    rate(bc1, cast["researcher"], "fair")
    (second,) = ask([bc1], cast["blind"], cast["editor"])
    give(second, cast["blind"], "weak", justification="The 2024 report says so.")
    client.force_login(cast["reviewer"])
    page = client.get(bc1.get_absolute_url()).content.decode()
    assert "Second assessment disagrees" in page and "The 2024 report says so." in page
    assert reverse("second-rating-settle", args=[second.pk]) in page
    client.force_login(cast["researcher"])
    researcher_page = client.get(bc1.get_absolute_url()).content.decode()
    assert "Second assessment disagrees" in researcher_page
    assert reverse("second-rating-settle", args=[second.pk]) not in researcher_page  # a party does not settle
    client.force_login(cast["reviewer"])
    response = client.post(reverse("second-rating-settle", args=[second.pk]), {"rating": "weak", "note": "Agreed."})
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.settled_rating == "weak"
    assert Suggestion.objects.get(item=bc1).rating == "weak"


def test_dashboard_lists_blind_ratings_to_give(korea_2025, cast, client):
    (bc1,) = items_of(korea_2025, "BC-1")
    (second,) = ask([bc1], cast["blind"], cast["editor"])
    client.force_login(cast["blind"])
    page = client.get(reverse("dashboard")).content.decode()
    assert "Blind ratings to give" in page and reverse("second-rating", args=[second.pk]) in page
    client.post(reverse("second-rating", args=[second.pk]), {"rating": "weak"})
    assert "Blind ratings to give" not in client.get(reverse("dashboard")).content.decode()
    second.refresh_from_db()
    assert second.status == SecondAssessmentStatus.SUBMITTED and second.first_rating == ""


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_pages_take_the_same_queries_for_few_and_many_rows(korea_2025, cast):
    """Agreement, request page, blind form, dashboard queue and the item's review panel: query counts do not grow."""
    editor, client = Client(), Client()
    editor.force_login(cast["editor"])
    agreement_url = reverse("method-agreement", args=[2025])
    request_url = reverse("method-second-request", args=[2025])
    seconds = build_worked(korea_2025, cast)
    client.force_login(cast["blind"])
    (extra,) = ask(items_of(korea_2025, "PM-2"), cast["blind"], cast["editor"])
    few = {
        "agreement": _queries(editor, agreement_url),
        "request": _queries(editor, request_url),
        "item": _queries(editor, seconds[1].item.get_absolute_url()),
    }
    blind_few = {
        "form": _queries(client, reverse("second-rating", args=[extra.pk])),
        "dash": _queries(client, reverse("dashboard")),
    }

    cycle = korea_2025.cycle
    countries = list(Country.objects.exclude(assessments__cycle=cycle).order_by("code")[:6])
    more_items = []
    for country in countries:
        assessment = make_country_assessment(country=country, cycle=cycle)
        assignment_create(
            country_assessment=assessment, assignee=cast["blind2"], role="researcher", user=cast["editor"]
        )
        more_items += list(assessment.items.filter(kind="indicator").select_related("indicator")[:3])
    for item in more_items:
        rate(item, cast["blind2"], "fair")
    for second in ask(more_items, cast["blind"], cast["editor"]):
        give(second, cast["blind"], "weak")
    ask(items_of(korea_2025, "PM-3", "IHR-1"), cast["blind"], cast["editor"])
    many = {
        "agreement": _queries(editor, agreement_url),
        "request": _queries(editor, request_url),
        "item": _queries(editor, seconds[1].item.get_absolute_url()),
    }
    blind_many = {
        "form": _queries(client, reverse("second-rating", args=[extra.pk])),
        "dash": _queries(client, reverse("dashboard")),
    }
    print("second-assessment pages, queries few/many:", few, many, blind_few, blind_many)
    assert few == many
    assert blind_few == blind_many
    assert SecondAssessment.objects.rated().count() == 4 + len(more_items)
