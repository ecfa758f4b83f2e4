"""Every workflow URL × every kind of person → the status code they get.

Each URL is one test; each person's request runs in a savepoint that is rolled back, so every row starts
from the same state. Codes: 200 page, 302 done and redirected (or, for anonymous, sent to log in),
403 refused, 405 wrong method.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from assessments.models import AssignmentRole, Comment
from tests.workflow.conftest import approved, editor_form, fresh, in_review

ROLES = ["anonymous", "researcher", "outsider", "reviewer", "other_reviewer", "editor", "admin"]


def codes(anonymous, researcher, outsider, reviewer, other_reviewer, editor, admin) -> dict[str, int]:
    return dict(zip(ROLES, [anonymous, researcher, outsider, reviewer, other_reviewer, editor, admin], strict=True))


EVERYONE = codes(302, 200, 200, 200, 200, 200, 200)
ASSIGNED_AND_EDITORS = codes(302, 200, 403, 200, 403, 200, 200)
RESEARCHERS_AND_EDITORS_ACT = codes(302, 302, 403, 403, 403, 302, 302)
REVIEWERS_AND_EDITORS_ACT = codes(302, 403, 403, 302, 403, 302, 302)
ASSIGNED_AND_EDITORS_ACT = codes(302, 302, 403, 302, 403, 302, 302)
EDITORS_ACT = codes(302, 403, 403, 403, 403, 302, 302)


def item_url(name: str, *extra) -> Callable:
    def build(ctx):
        ca = ctx["item"].country_assessment
        return reverse(name, args=[ca.cycle.year, ca.country.code, ctx["item"].slug, *[e(ctx) for e in extra]])

    return build


@dataclass
class Case:
    id: str
    url_name: str
    method: str
    url: Callable
    expected: dict[str, int]
    prepare: Callable = lambda ctx: None
    data: Callable = lambda ctx: {}
    headers: dict = field(default_factory=dict)


def in_review_by_researcher(ctx):
    ctx["item"] = in_review(ctx["item"], ctx["people"])


def a_comment(ctx):
    ctx["comment"] = Comment.objects.create(item=ctx["item"], author=ctx["people"]["reviewer"], body="Check this")


CASES = [
    Case("dashboard", "dashboard", "get", lambda ctx: reverse("dashboard"), EVERYONE),
    Case("password-change", "password_change", "get", lambda ctx: reverse("password_change"), EVERYONE),
    Case("source-picker", "source-picker", "get", lambda ctx: reverse("source-picker") + "?q=hrw", EVERYONE),
    Case(
        "country-page",
        "country-assessment",
        "get",
        lambda ctx: ctx["item"].country_assessment.get_absolute_url(),
        ASSIGNED_AND_EDITORS,
    ),
    Case(
        "country-page-not-assigned-cycle",
        "country-assessment",  # the 2022 annex: nobody is assigned, so editors only
        "get",
        lambda ctx: reverse("country-assessment", args=[2022, "KOR"]),
        codes(302, 403, 403, 403, 403, 200, 200),
    ),
    Case("item-edit", "item-edit", "get", item_url("item-edit"), ASSIGNED_AND_EDITORS),
    Case(
        "item-edit-save",
        "item-edit",
        "post",
        item_url("item-edit"),
        RESEARCHERS_AND_EDITORS_ACT,
        data=lambda ctx: editor_form(ctx["item"], rating="fair", notes="Saved"),
    ),
    Case(
        "item-preview",
        "item-preview",
        "post",
        item_url("item-preview"),
        ASSIGNED_AND_EDITORS,
        data=lambda ctx: {"notes": "*Hi* [@x]"},
        headers={"HX-Request": "true"},
    ),
    Case(
        "item-rating-preview",
        "item-rating-preview",
        "post",
        item_url("item-rating-preview"),
        ASSIGNED_AND_EDITORS,
        data=lambda c: {},
    ),
    Case(
        "item-submit",
        "item-submit",
        "post",
        item_url("item-submit"),
        RESEARCHERS_AND_EDITORS_ACT,
        data=lambda ctx: editor_form(ctx["item"], rating="fair", notes="Ready [@hrw-2022-south-korea]."),
    ),
    Case("item-submit-get", "item-submit", "get", item_url("item-submit"), codes(302, 405, 403, 405, 403, 405, 405)),
    Case(
        "item-approve",
        "item-approve",
        "post",
        item_url("item-approve"),
        REVIEWERS_AND_EDITORS_ACT,
        prepare=in_review_by_researcher,
    ),
    Case(
        "item-request-changes",
        "item-request-changes",
        "post",
        item_url("item-request-changes"),
        REVIEWERS_AND_EDITORS_ACT,
        prepare=in_review_by_researcher,
        data=lambda ctx: {"comment": "Please cite the 2024 report."},
    ),
    Case(
        "item-reopen",
        "item-reopen",
        "post",
        item_url("item-reopen"),
        EDITORS_ACT,
        prepare=lambda ctx: ctx.update(item=approved(ctx["item"], ctx["people"])),
        data=lambda ctx: {"reason": "New evidence"},
    ),
    Case(
        "item-copy-previous",
        "item-copy-previous",
        "post",
        item_url("item-copy-previous"),
        RESEARCHERS_AND_EDITORS_ACT,
        data=lambda ctx: {"version": ctx["item"].version},
    ),
    Case(
        "comment-create",
        "comment-create",
        "post",
        item_url("comment-create"),
        ASSIGNED_AND_EDITORS_ACT,
        data=lambda c: {"body": "Hm"},
    ),
    Case(
        "comment-resolve",
        "comment-resolve",
        "post",
        item_url("comment-resolve", lambda ctx: ctx["comment"].pk),
        ASSIGNED_AND_EDITORS_ACT,
        prepare=a_comment,
    ),
    Case(
        "cycle-due-date",
        "cycle-due-date",
        "post",
        lambda ctx: reverse("cycle-due-date", args=[2025]),
        EDITORS_ACT,
        data=lambda ctx: {"due_date": "2026-03-31"},
    ),
    # Review (assessments/review): a thread on the draft, a suggestion, withdrawing a submission.
    Case(
        "thread-create",
        "thread-create",
        "post",
        item_url("thread-create"),
        ASSIGNED_AND_EDITORS_ACT,
        data=lambda ctx: {"body": "A question."},
    ),
    Case(
        "suggestion-create",
        "suggestion-create",
        "post",
        item_url("suggestion-create"),
        ASSIGNED_AND_EDITORS_ACT,
        data=lambda ctx: {"suggested_notes": "A better text."},
    ),
    Case(
        "item-withdraw",
        "item-withdraw",
        "post",
        item_url("item-withdraw"),
        RESEARCHERS_AND_EDITORS_ACT,
        prepare=in_review_by_researcher,
    ),
    Case(
        "assignment-create",
        "assignment-create",
        "post",
        lambda ctx: reverse("assignment-create", args=[2025, "KOR"]),
        EDITORS_ACT,
        data=lambda ctx: {"user": ctx["people"]["outsider"].pk, "role": AssignmentRole.RESEARCHER},
    ),
    Case(
        "assignment-delete",
        "assignment-delete",
        "post",
        lambda ctx: reverse(
            "assignment-delete", args=[2025, "KOR", ctx["item"].country_assessment.assignments.reviewers().get().pk]
        ),
        EDITORS_ACT,
    ),
]


def test_every_workflow_url_is_in_the_matrix():
    from assessments.urls.workflow import item_patterns, urlpatterns

    names = {pattern.name for pattern in [*urlpatterns, *item_patterns] if getattr(pattern, "name", None)}
    assert names - {case.url_name for case in CASES} == set()


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_permission_matrix(case, people, korea_2025):
    got = {}
    for role in ROLES:
        with transaction.atomic():
            ctx = {"people": people, "item": fresh(korea_2025.items.get(indicator__code="BC-1"))}
            case.prepare(ctx)
            client = Client()
            if role != "anonymous":
                client.force_login(people[role])
            response = getattr(client, case.method)(case.url(ctx), case.data(ctx), headers=case.headers)
            got[role] = response.status_code
            if role == "anonymous":
                assert response.url.startswith(reverse("login")), response.url
            transaction.set_rollback(True)
    assert got == case.expected
