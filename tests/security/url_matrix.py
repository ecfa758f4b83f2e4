"""What every role gets from every named URL: the table the permission-matrix test checks.

Roles, always in this order (see tests/security/conftest.py): anonymous, outsider (researcher assigned to
nothing), researcher and reviewer (assigned to Republic of Korea 2025), editor, admin.

To add a page: add `"url-name": [Case(...)]` to URLS. `params` builds the URL's kwargs from the World (Korea 2025
draft, Korea 2022 approved with its edition, a source, a comment, ...); use several cases when the answer depends
on the object (a draft vs a published assessment). POST-only views get a GET case (405) and a POST case. Expected
values: a status code, LOGIN (302 to the login page) or ADMIN_LOGIN. Whole families of URLs (the Django admin) are
covered by RULES; an entry in URLS wins over a rule. A named URL with neither fails the test, naming the URL.
"""

import json
import re
from collections.abc import Callable

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from simple_history.admin import SimpleHistoryAdmin

from assessments.accounts.services import EDITOR, ROLE_PERMISSIONS
from assessments.models import Source
from assessments.workflow.services import item_approve, item_submit, item_update
from tests.security.conftest import ROLES, World
from tests.security.matrix import ADMIN_LOGIN, LOGIN, Case, Redirect, everyone, expect

# Shapes of access that recur.
PUBLIC = everyone(200)
STAFF = expect(LOGIN, 200, 200, 200, 200, 200)  # any logged-in user
DRAFTS = expect(LOGIN, 403, 200, 200, 200, 200)  # the people assigned, editors, admins
UNASSIGNED_ASSESSMENT = expect(LOGIN, 403, 403, 403, 200, 200)  # an assessment nobody in the world is assigned to
EDITORS = expect(LOGIN, 403, 403, 403, 200, 200)
ADMINS = expect(LOGIN, 403, 403, 403, 403, 200)
NOT_ALLOWED = everyone(405)
MISSING = everyone(404)
# POST-only views asked with GET: anonymous to the login page; who may not see the object 403; the others 405.
GET_ON_POST_ONLY = expect(LOGIN, 405, 405, 405, 405, 405)
GET_ON_POST_ONLY_DRAFT = expect(LOGIN, 403, 405, 405, 405, 405)
GET_ON_EDITORS_POST = expect(LOGIN, 403, 403, 403, 405, 405)  # editors-only POST views refuse others first
MISSING_FOR_EDITORS = expect(LOGIN, 403, 403, 403, 404, 404)
MISSING_FOR_EDITORS_POST = MISSING_FOR_EDITORS


def korea(year: int, **more) -> Callable[[World], dict]:
    return lambda world: {"year": year, "country": "KOR", **more}


def back_to(name: str, *args) -> Redirect:
    return Redirect(name, args)


def item_page(year: int, item: str) -> Redirect:
    return Redirect("item-edit", (year, "KOR", item))


KOREA_2025 = Redirect("country-assessment", (2025, "KOR"))
KOREA_2022 = Redirect("country-assessment", (2022, "KOR"))
# The annex downloads: every format of Korea 2022 v1 (published by the demo), for everyone.
ANNEX_FORMATS = ("html", "pdf", "docx", "json", "md")


def _editor_archive_upload(world: World) -> int:
    from assessments.models import ArchiveUpload, Country, Cycle

    upload, _ = ArchiveUpload.objects.get_or_create(
        uploaded_by=world.users["editor"],
        file_name="annex.pdf",
        defaults={
            "country": Country.objects.by_code("KOR"),
            "cycle": Cycle.objects.get(year=2022),
            "name": "archive/annex.0000.pdf",
            "sha256": "0" * 64,
            "size": 1,
            "content_type": "application/pdf",
        },
    )
    return upload.pk


def _failed_task():
    from django.utils import timezone

    from assessments.models import FailedTask

    return FailedTask.objects.create(
        task_path="assessments.background.tasks.check_links",
        args_kwargs={"args": [[]], "kwargs": {}},
        backend="default",
        result_id=f"matrix-{FailedTask.objects.count()}",
        exception_class="builtins.OSError",
        traceback="OSError: network down",
        failed_at=timezone.now(),
    )


def _published_file(fmt: str) -> Callable[[World], dict]:
    """The hashed name of a published edition's stored file (rendered now if it is not yet)."""

    def data(world: World) -> dict:
        from assessments.background.files import edition_file_render
        from assessments.models import Edition

        edition = Edition.objects.get(
            country_assessment__cycle__year=2022, country_assessment__country__code="KOR", number=1
        )
        return {"name": edition_file_render(edition, fmt).name.removeprefix("editions/")}

    return data


def _release(world: World):
    import datetime

    from assessments.models import ScheduledRelease

    return ScheduledRelease.objects.create(
        cycle=world.korea_2025.cycle,
        publish_at=datetime.datetime(2031, 1, 1, tzinfo=datetime.UTC),
        created_by=world.users["editor"],
    )


def _queued_task():
    from django_tasks_db.models import DBTaskResult, get_date_max

    # Queued to run as soon as possible (run_after "max" means none, as the backend writes it): readable whatever
    # backend the settings name (the test settings' immediate backend has no run_after).
    return DBTaskResult.objects.create(
        args_kwargs={"args": [[]], "kwargs": {}},
        task_path="assessments.background.tasks.check_links",
        backend_name="default",
        run_after=get_date_max(),
    )


def _version(year: int, slug: str) -> Callable[[World], dict]:
    """The editor form's hidden version of an item, read inside the request's transaction."""

    def data(world: World) -> dict:
        item = _item(world, year, slug)
        return {"version": item.version, "notes": f"Edited {slug}.", "rating": item.rating}

    return data


def _item(world: World, year: int, slug: str):
    assessment = world.korea_2025 if year == 2025 else world.korea_2022
    return next(item for item in assessment.items.select_related("indicator") if item.slug == slug)


def _in_review(slug: str, by: str, **post) -> Callable[[World], dict]:
    """Put a Korea 2025 item in review, last edited by `by` (inside the request's transaction); the POST body."""

    def data(world: World) -> dict:
        item = _item(world, 2025, slug)
        item = item_update(
            item=item, user=world.users[by], expected_version=item.version, rating="strong", notes="Ready."
        )
        item_submit(item=item, user=world.users[by])
        return post

    return data


def _approved(slug: str, **post) -> Callable[[World], dict]:
    """An approved Korea 2025 item (written by the researcher, approved by the reviewer); the POST body."""

    def data(world: World) -> dict:
        _in_review(slug, "researcher")(world)
        item_approve(item=_item(world, 2025, slug), user=world.users["reviewer"])
        return post

    return data


def _suggestion(world: World) -> int:
    """An open suggestion by the reviewer on the world's draft BC-1 (made once, kept: it changes no answer)."""
    from assessments.models import Suggestion

    item = _item(world, 2025, "BC-1")
    suggestion, _ = Suggestion.objects.get_or_create(
        item=item,
        author=world.users["reviewer"],
        status="open",
        defaults={"base_version": item.version, "base_notes": item.notes, "notes": item.notes + " Suggested."},
    )
    return suggestion.pk


def _revert(world: World) -> dict:
    """Restore the revision before the world's draft edit of BC-1."""
    item = _item(world, 2025, "BC-1")
    first = item.history.order_by("history_date", "history_id").first()
    return {"revision": first.history_id, "version": item.version}


def _compare(world: World) -> dict:
    """The history page comparing BC-1's first and latest revisions."""
    ids = list(
        _item(world, 2025, "BC-1").history.order_by("history_date", "history_id").values_list("history_id", flat=True)
    )
    return {"a": ids[0], "b": ids[-1]}


def _duplicate(world: World) -> dict:
    """A duplicate of the world's source, to merge into it."""
    duplicate = Source(key="zz-duplicate", type=world.source.type, title=world.source.title)
    duplicate.full_clean()
    duplicate.save()
    return {"remove": duplicate.key}


def _csl_file(world: World) -> dict:
    entry = [{"id": "zz-imported", "type": "report", "title": "Imported report", "issued": {"date-parts": [[2024]]}}]
    return {"file": SimpleUploadedFile("library.json", json.dumps(entry).encode(), "application/json")}


def _new_source(world: World) -> dict:
    return {"key": "zz-new-source", "type": "report", "title": "A new report", "issued_year": 2024}


def _source_edit(world: World) -> dict:
    source = world.source
    return {
        "key": source.key,
        "type": source.type,
        "title": source.title + " (revised)",
        "organisations": "\n".join(a["literal"] for a in source.authors if a.get("literal")),
        "author_abbreviation": source.author_abbreviation,
        "issued_year": source.issued_year or "",
        "url": source.url,
        "reason": "typo",
        "version": source.updated_at.isoformat(),
    }


def _indicator_file(world: World) -> dict:
    content = b"country,cycle,indicator,rating,notes\nKOR,2025,BC-1,Weak,Imported.\n"
    return {"resource": "indicator-assessments", "file": SimpleUploadedFile("korea.csv", content, "text/csv")}


def _assignment(world: World) -> dict:
    return {"user": world.users["outsider"].pk, "role": "researcher"}


def _researcher_assignment(world: World) -> dict:
    pk = world.korea_2025.assignments.get(user=world.users["researcher"]).pk
    return {"year": 2025, "country": "KOR", "pk": pk}


def _codebook_file(world: World) -> dict:
    content = b"code,question\nBC-1,Did the state protect its populations?\n"
    return {"file": SimpleUploadedFile("codebook.csv", content, "text/csv")}


def _guidance(world: World) -> dict:
    return {"BC-1-question": "Did the state protect its populations?", "BC-1-fair": "Partly."}


def _changed_rating(world: World) -> dict:
    """Korea 2025 BC-1 rated Fair (2022: Very Strong); the POST body of an editor's waiver."""
    item = _item(world, 2025, "BC-1")
    item_update(item=item, user=world.users["editor"], expected_version=item.version, rating="fair")
    return {"reason": "The scale was recalibrated."}


def _second(slug: str, **submitted) -> Callable[[World], dict]:
    """A second assessment of a Korea 2025 item asked of the outsider (made once, kept: it changes no answer);
    with `submitted`, already rated (and disagreeing with the world's Fair on BC-1)."""

    def params(world: World) -> dict:
        from django.utils import timezone

        from assessments.models import SecondAssessment

        values = {"status": "submitted", "submitted_at": timezone.now(), **submitted} if submitted else {}
        second, _ = SecondAssessment.objects.get_or_create(
            item=_item(world, 2025, slug),
            researcher=world.users["outsider"],
            defaults={"requested_by": world.users["editor"], **values},
        )
        return {"pk": second.pk}

    return params


CODEBOOK_2025 = Redirect("method-codebook", (2025,))
AGREEMENT_2025 = Redirect("method-agreement", (2025,))


def _ask_review(year: int, slug: str, *, reopen: bool = False) -> Callable[[World], dict]:
    """The POST body asking the demo reviewer to review an item (a published Korea 2022 item reopened first)."""

    def data(world: World) -> dict:
        if reopen:
            from assessments.workflow.services import item_reopen

            item_reopen(item=_item(world, year, slug), user=world.users["editor"], reason="correction")
        return {"reviewer": world.users["reviewer"].pk}

    return data


GET_ON_EDITOR_POST = expect(LOGIN, 403, 403, 403, 405, 405)  # editor-only POST views asked with GET


URLS: dict[str, list[Case]] = {
    # Public site
    "public:annex-list": [Case(PUBLIC)],
    "public:annex": [
        Case(PUBLIC, params=korea(2022), label="published"),
        Case(MISSING, params=korea(2025), label="never published"),
    ],
    "public:annex-edition": [
        Case(PUBLIC, params=korea(2022, number=1), label="v1"),
        Case(MISSING, params=korea(2022, number=2), label="no v2"),
        Case(MISSING, params=korea(2025, number=1), label="never published"),
    ],
    "public:annex-download": [
        *[Case(PUBLIC, params=korea(2022, number=1, fmt=fmt), label=fmt) for fmt in ANNEX_FORMATS],
        Case(MISSING, params=korea(2022, number=2, fmt="json"), label="no v2"),
        Case(MISSING, params=korea(2025, number=1, fmt="md"), label="never published"),
    ],
    # A published file by its content-hashed name (served before Django by r2p/wsgi.py; this is its fallback).
    "public:edition-file": [
        *[Case(PUBLIC, params=_published_file(fmt), label=fmt) for fmt in ("pdf", "json")],
        Case(MISSING, params=lambda world: {"name": "r2p-annex-2022-KOR-v9.0123456789abcdef0123.pdf"}, label="none"),
        Case(
            MISSING, params=lambda world: {"name": "r2p-annex-2025-KOR-draft.0123456789abcdef0123.pdf"}, label="draft"
        ),
        Case(MISSING, params=lambda world: {"name": "..%2F..%2Fdb.sqlite3"}, label="traversal"),
    ],
    # The original file of an imported edition (the archive import); the demo's editions were not imported.
    "public:annex-original": [
        Case(MISSING, params=korea(2022, number=1), label="not imported"),
        Case(MISSING, params=korea(2025, number=1), label="never published"),
    ],
    # Public regional overview, open data and API: published editions only, for everyone.
    "public:regional-latest": [Case(everyone(Redirect("public:regional", (2022,))))],
    "public:regional": [
        Case(PUBLIC, params=lambda world: {"year": 2022}, label="published"),
        Case(PUBLIC, params=lambda world: {"year": 2025}, label="nothing published yet"),
        Case(MISSING, params=lambda world: {"year": 1999}, label="no such cycle"),
    ],
    "public:regional-indicator": [
        Case(PUBLIC, params=lambda world: {"year": 2022, "code": "PM-2"}, label="published"),
        Case(MISSING, params=lambda world: {"year": 2025, "code": "BC-1"}, label="nothing published yet"),
    ],
    "public:regional-csv": [
        Case(PUBLIC, params=lambda world: {"year": 2022}, label="published"),
        Case(PUBLIC, params=lambda world: {"year": 2025}, label="nothing published yet"),
    ],
    "public:regional-json": [
        Case(PUBLIC, params=lambda world: {"year": 2022}, label="published"),
        Case(PUBLIC, params=lambda world: {"year": 2025}, label="nothing published yet"),
    ],
    "public:api-editions": [
        Case(PUBLIC),
        Case(PUBLIC, query=lambda world: {"cycle": 2025, "country": "KOR"}, label="filtered"),
    ],
    "public:api-edition-latest": [
        Case(PUBLIC, params=lambda world: {"year": 2022, "code": "KOR"}, label="published"),
        Case(MISSING, params=lambda world: {"year": 2025, "code": "KOR"}, label="never published"),
    ],
    "public:api-edition": [
        Case(PUBLIC, params=lambda world: {"year": 2022, "code": "KOR", "number": 1}, label="v1"),
        Case(MISSING, params=lambda world: {"year": 2022, "code": "KOR", "number": 2}, label="no v2"),
    ],
    # Staff pages
    "dashboard": [Case(STAFF)],
    "mail-preferences": [
        Case(STAFF),
        Case(
            expect(LOGIN, *[Redirect("mail-preferences")] * 5),
            method="post",
            data=lambda world: {"daily_digest": "on"},
        ),
    ],
    "cycle-detail": [Case(STAFF, params=lambda world: {"year": 2025})],
    "cycle-add-countries": [
        Case(GET_ON_POST_ONLY, params=lambda world: {"year": 2025}),
        Case(
            expect(LOGIN, 403, 403, 403, Redirect("cycle-detail", (2025,)), Redirect("cycle-detail", (2025,))),
            params=lambda world: {"year": 2025},
            method="post",
            data=lambda world: {"countries": "NZL"},
        ),
    ],
    # Opening a cycle (issue 15 item 6): editors and admins only. 2025 already has assessments, so its framework
    # edits are refused with a message (a redirect back to the framework page); 2028 opens from 2025.
    "cycle-new": [
        Case(EDITORS),
        Case(EDITORS, query=lambda world: {"from": 2022}, label="from 2022"),
        Case(
            expect(LOGIN, 403, 403, 403, Redirect("cycle-framework", (2028,)), Redirect("cycle-framework", (2028,))),
            method="post",
            data=lambda world: {
                "previous": world.korea_2025.cycle_id,
                "year": 2028,
                "introduction": "This annex reviews {country_in_text} in 2028.",
                "coverage_start": "2025-07-01",
                "coverage_end": "2028-06-30",
            },
            label="open 2028 from 2025",
        ),
    ],
    "cycle-framework": [
        Case(EDITORS, params=lambda world: {"year": 2025}, label="open: read only"),
        Case(MISSING_FOR_EDITORS, params=lambda world: {"year": 1999}, label="no such cycle"),
    ],
    "cycle-indicator-add": [
        Case(GET_ON_EDITORS_POST, params=lambda world: {"year": 2025}),
        Case(
            expect(LOGIN, 403, 403, 403, *[Redirect("cycle-framework", (2025,))] * 2),
            params=lambda world: {"year": 2025},
            method="post",
            data=lambda world: {"area": world.korea_2025.cycle.thematic_areas.first().pk, "code": "UN-8", "title": "x"},
            label="refused: 2025 is open",
        ),
    ],
    **{
        name: [
            Case(GET_ON_EDITORS_POST, params=lambda world: {"year": 2025, "code": "BC-1"}),
            Case(
                expect(LOGIN, 403, 403, 403, *[Redirect("cycle-framework", (2025,))] * 2),
                params=lambda world: {"year": 2025, "code": "BC-1"},
                method="post",
                data=lambda world: {"code": "BC-1", "title": "Renamed", "continues": "", "reason": "matrix"},
                label="refused: 2025 is open",
            ),
            Case(MISSING_FOR_EDITORS_POST, params=lambda world: {"year": 2025, "code": "ZZ-1"}, method="post"),
        ]
        for name in ("cycle-indicator-rename", "cycle-indicator-map", "cycle-indicator-retire")
    },
    "cycle-countries": [
        Case(EDITORS, params=lambda world: {"year": 2025}),
        Case(
            expect(LOGIN, 403, 403, 403, *[Redirect("cycle-assignments", (2025,))] * 2),
            params=lambda world: {"year": 2025},
            method="post",
            data=lambda world: {"more": "NZL"},
            label="add New Zealand",
        ),
    ],
    "cycle-assignments": [
        Case(EDITORS, params=lambda world: {"year": 2025}),
        Case(
            expect(LOGIN, 403, 403, 403, *[Redirect("cycle-assignments", (2025,))] * 2),
            params=lambda world: {"year": 2025},
            method="post",
            data=lambda world: {
                "file": SimpleUploadedFile(
                    "a.csv", b"country,researcher,reviewer,due_date\nKOR,researcher,reviewer,2026-03-31\n"
                )
            },
            label="upload",
        ),
    ],
    "cycle-due-date": [
        Case(GET_ON_POST_ONLY, params=lambda world: {"year": 2025}),
        Case(
            expect(LOGIN, 403, 403, 403, *[Redirect("cycle-detail", (2025,))] * 2),
            params=lambda world: {"year": 2025},
            method="post",
            data=lambda world: {"due_date": "2026-03-31"},
        ),
    ],
    "country-assessment": [
        Case(DRAFTS, params=korea(2025), label="draft, assigned"),
        Case(UNASSIGNED_ASSESSMENT, params=korea(2022), label="approved, nobody assigned"),
    ],
    "item-edit": [
        Case(DRAFTS, params=korea(2025, item="BC-1"), label="draft indicator"),
        Case(
            expect(LOGIN, 403, item_page(2025, "BC-1"), 403, item_page(2025, "BC-1"), item_page(2025, "BC-1")),
            params=korea(2025, item="BC-1"),
            method="post",
            data=_version(2025, "BC-1"),
            label="save the draft",
        ),
        Case(DRAFTS, params=korea(2025, item="overview"), label="draft overview"),
        Case(UNASSIGNED_ASSESSMENT, params=korea(2022, item="PM-2"), label="approved, nobody assigned"),
    ],
    "item-preview": [
        Case(GET_ON_POST_ONLY_DRAFT, params=korea(2025, item="BC-1")),
        Case(DRAFTS, params=korea(2025, item="BC-1"), method="post", data=lambda world: {"notes": "x [@x]"}),
    ],
    "item-rating-preview": [
        Case(GET_ON_POST_ONLY_DRAFT, params=korea(2025, item="BC-1")),
        Case(DRAFTS, params=korea(2025, item="BC-1"), method="post", data=lambda world: {"rating": "weak"}),
    ],
    # Transitions. Researchers (assigned) and editors write and submit; reviewers (assigned) and editors review,
    # never their own change; editors reopen. A refused transition is 403; a permitted one goes back to the item.
    "item-submit": [
        Case(GET_ON_POST_ONLY_DRAFT, params=korea(2025, item="BC-1")),
        Case(
            expect(LOGIN, 403, item_page(2025, "BC-1"), 403, item_page(2025, "BC-1"), item_page(2025, "BC-1")),
            params=korea(2025, item="BC-1"),
            method="post",
        ),
        Case(
            UNASSIGNED_ASSESSMENT | {"editor": 403, "admin": 403},
            params=korea(2022, item="PM-2"),
            method="post",
            label="approved",
        ),
    ],
    "item-approve": [
        Case(GET_ON_POST_ONLY_DRAFT, params=korea(2025, item="BC-2")),
        Case(
            expect(LOGIN, 403, 403, item_page(2025, "BC-2"), item_page(2025, "BC-2"), item_page(2025, "BC-2")),
            params=korea(2025, item="BC-2"),
            method="post",
            data=_in_review("BC-2", "researcher"),
            label="the researcher's change",
        ),
        Case(
            expect(LOGIN, 403, 403, item_page(2025, "BC-2"), 403, item_page(2025, "BC-2")),
            params=korea(2025, item="BC-2"),
            method="post",
            data=_in_review("BC-2", "editor"),
            label="the editor's own change",
        ),
        Case(expect(LOGIN, 403, 403, 403, 403, 403), params=korea(2025, item="BC-1"), method="post", label="a draft"),
    ],
    "item-request-changes": [
        Case(GET_ON_POST_ONLY_DRAFT, params=korea(2025, item="BC-2")),
        Case(
            expect(LOGIN, 403, 403, item_page(2025, "BC-2"), item_page(2025, "BC-2"), item_page(2025, "BC-2")),
            params=korea(2025, item="BC-2"),
            method="post",
            data=_in_review("BC-2", "researcher", comment="Cite the 2024 report."),
            label="the researcher's change",
        ),
        Case(
            expect(LOGIN, 403, 403, item_page(2025, "BC-2"), 403, item_page(2025, "BC-2")),
            params=korea(2025, item="BC-2"),
            method="post",
            data=_in_review("BC-2", "editor", comment="Cite the 2024 report."),
            label="the editor's own change",
        ),
    ],
    "item-review-ask": [
        Case(GET_ON_POST_ONLY_DRAFT, params=korea(2025, item="BC-1")),
        Case(
            expect(LOGIN, 403, 403, 403, item_page(2025, "BC-1"), item_page(2025, "BC-1")),
            params=korea(2025, item="BC-1"),
            method="post",
            data=_ask_review(2025, "BC-1"),
            label="draft",
        ),
        Case(
            expect(LOGIN, 403, 403, 403, 403, 403),
            params=korea(2022, item="PM-2"),
            method="post",
            data=_ask_review(2022, "PM-2"),
            label="approved: nothing to review",
        ),
        Case(
            expect(LOGIN, 403, 403, 403, item_page(2022, "PM-2"), item_page(2022, "PM-2")),
            params=korea(2022, item="PM-2"),
            method="post",
            data=_ask_review(2022, "PM-2", reopen=True),
            label="last cycle's correction",
        ),
    ],
    "item-reopen": [
        Case(GET_ON_POST_ONLY_DRAFT, params=korea(2025, item="BC-3")),
        Case(
            expect(LOGIN, 403, 403, 403, item_page(2025, "BC-3"), item_page(2025, "BC-3")),
            params=korea(2025, item="BC-3"),
            method="post",
            data=_approved("BC-3", reason="New evidence."),
            label="approved",
        ),
        Case(
            expect(LOGIN, 403, 403, 403, item_page(2022, "PM-2"), item_page(2022, "PM-2")),
            params=korea(2022, item="PM-2"),
            method="post",
            data=lambda world: {"reason": "New evidence."},
            label="published",
        ),
    ],
    "item-copy-previous": [
        Case(GET_ON_POST_ONLY_DRAFT, params=korea(2025, item="PM-2")),
        Case(
            expect(LOGIN, 403, item_page(2025, "PM-2"), 403, item_page(2025, "PM-2"), item_page(2025, "PM-2")),
            params=korea(2025, item="PM-2"),
            method="post",
            data=lambda world: {"version": _item(world, 2025, "PM-2").version},
        ),
    ],
    "comment-create": [
        Case(GET_ON_POST_ONLY_DRAFT, params=korea(2025, item="BC-1")),
        Case(
            expect(LOGIN, 403, *[item_page(2025, "BC-1")] * 4),
            params=korea(2025, item="BC-1"),
            method="post",
            data=lambda world: {"body": "A question."},
        ),
    ],
    "comment-resolve": [
        Case(GET_ON_POST_ONLY_DRAFT, params=lambda world: korea(2025, item="BC-1", pk=world.comment.pk)(world)),
        Case(
            expect(LOGIN, 403, *[item_page(2025, "BC-1")] * 4),
            params=lambda world: korea(2025, item="BC-1", pk=world.comment.pk)(world),
            method="post",
        ),
    ],
    # Review (assessments/review): threads, replies, suggestions, withdraw, changes since a review, presence.
    "thread-create": [
        Case(GET_ON_POST_ONLY_DRAFT, params=korea(2025, item="BC-1")),
        Case(
            expect(LOGIN, 403, *[item_page(2025, "BC-1")] * 4),
            params=korea(2025, item="BC-1"),
            method="post",
            data=lambda world: {"body": "On this passage?", "quote": "Edited"},
        ),
    ],
    "comment-reply": [
        Case(GET_ON_POST_ONLY_DRAFT, params=lambda world: korea(2025, item="BC-1", pk=world.comment.pk)(world)),
        Case(
            expect(LOGIN, 403, *[item_page(2025, "BC-1")] * 4),
            params=lambda world: korea(2025, item="BC-1", pk=world.comment.pk)(world),
            method="post",
            data=lambda world: {"body": "A reply."},
        ),
    ],
    "comment-reopen": [
        Case(GET_ON_POST_ONLY_DRAFT, params=lambda world: korea(2025, item="BC-1", pk=world.comment.pk)(world)),
        Case(
            expect(LOGIN, 403, *[item_page(2025, "BC-1")] * 4),
            params=lambda world: korea(2025, item="BC-1", pk=world.comment.pk)(world),
            method="post",
        ),
    ],
    "item-withdraw": [
        Case(GET_ON_POST_ONLY_DRAFT, params=korea(2025, item="BC-2")),
        Case(
            expect(LOGIN, 403, item_page(2025, "BC-2"), 403, item_page(2025, "BC-2"), item_page(2025, "BC-2")),
            params=korea(2025, item="BC-2"),
            method="post",
            data=_in_review("BC-2", "researcher"),
            label="in review",
        ),
        Case(expect(LOGIN, 403, 403, 403, 403, 403), params=korea(2025, item="BC-1"), method="post", label="a draft"),
    ],
    "suggestion-create": [
        Case(GET_ON_POST_ONLY_DRAFT, params=korea(2025, item="BC-1")),
        Case(
            expect(LOGIN, 403, *[item_page(2025, "BC-1")] * 4),
            params=korea(2025, item="BC-1"),
            method="post",
            data=lambda world: {"suggested_notes": "A better text."},
        ),
        Case(
            UNASSIGNED_ASSESSMENT | {"editor": 403, "admin": 403},
            params=korea(2022, item="PM-2"),
            method="post",
            data=lambda world: {"suggested_notes": "A better text."},
            label="approved",
        ),
    ],
    "suggestion-accept-all": [
        Case(GET_ON_POST_ONLY_DRAFT, params=korea(2025, item="BC-1")),
        Case(
            expect(LOGIN, 403, item_page(2025, "BC-1"), 403, item_page(2025, "BC-1"), item_page(2025, "BC-1")),
            params=korea(2025, item="BC-1"),
            method="post",
        ),
    ],
    "suggestion-accept": [
        Case(GET_ON_POST_ONLY_DRAFT, params=lambda world: korea(2025, item="BC-1", pk=_suggestion(world))(world)),
        Case(
            expect(LOGIN, 403, item_page(2025, "BC-1"), 403, item_page(2025, "BC-1"), item_page(2025, "BC-1")),
            params=lambda world: korea(2025, item="BC-1", pk=_suggestion(world))(world),
            method="post",
        ),
    ],
    "suggestion-reject": [
        Case(GET_ON_POST_ONLY_DRAFT, params=lambda world: korea(2025, item="BC-1", pk=_suggestion(world))(world)),
        Case(
            expect(LOGIN, 403, *[item_page(2025, "BC-1")] * 4),
            params=lambda world: korea(2025, item="BC-1", pk=_suggestion(world))(world),
            method="post",
            label="the reviewer withdraws their own; researchers and editors decide",
        ),
    ],
    "item-changes-since": [
        Case(DRAFTS, params=korea(2025, item="BC-1")),
        Case(UNASSIGNED_ASSESSMENT, params=korea(2022, item="PM-2"), label="approved, nobody assigned"),
    ],
    "item-presence": [Case(DRAFTS, params=korea(2025, item="BC-1"))],
    "item-mention-people": [
        Case(DRAFTS, params=korea(2025, item="BC-1")),
        Case(UNASSIGNED_ASSESSMENT, params=korea(2022, item="PM-2"), label="approved, nobody assigned"),
    ],
    "assignment-create": [
        Case(GET_ON_POST_ONLY, params=korea(2025)),
        Case(
            expect(LOGIN, 403, 403, 403, KOREA_2025, KOREA_2025),
            params=korea(2025),
            method="post",
            data=_assignment,
        ),
    ],
    "assignment-delete": [
        Case(GET_ON_POST_ONLY, params=_researcher_assignment),
        Case(expect(LOGIN, 403, 403, 403, KOREA_2025, KOREA_2025), params=_researcher_assignment, method="post"),
    ],
    "source-picker": [Case(STAFF, query=lambda world: {"q": "hrw"})],
    # History: as the drafts themselves.
    "item-history": [
        Case(DRAFTS, params=korea(2025, item="BC-1"), label="draft"),
        Case(DRAFTS, params=korea(2025, item="BC-1"), query=lambda world: _compare(world), label="comparison"),
        Case(UNASSIGNED_ASSESSMENT, params=korea(2022, item="PM-2"), label="approved, nobody assigned"),
    ],
    "item-history-since-approval": [
        Case(DRAFTS, params=korea(2025, item="BC-1"), label="draft"),
        Case(UNASSIGNED_ASSESSMENT, params=korea(2022, item="PM-2"), label="approved, nobody assigned"),
    ],
    "item-history-revert": [
        Case(GET_ON_POST_ONLY_DRAFT, params=korea(2025, item="BC-1")),
        Case(
            expect(LOGIN, 403, *[Redirect("item-history", (2025, "KOR", "BC-1"))] * 4) | {"reviewer": 403},
            params=korea(2025, item="BC-1"),
            method="post",
            data=_revert,
        ),
    ],
    "assessment-activity": [
        Case(DRAFTS, params=korea(2025), label="draft"),
        Case(UNASSIGNED_ASSESSMENT, params=korea(2022), label="nobody assigned"),
    ],
    # Publishing: editors and admins publish; drafts previews as the drafts.
    "annex-publish": [
        Case(EDITORS, params=korea(2022), label="the confirmation page"),
        Case(EDITORS, params=korea(2025), label="the confirmation page, blocked"),
        Case(
            expect(LOGIN, 403, 403, 403, KOREA_2022, KOREA_2022),
            params=korea(2022),
            method="post",
            data=lambda world: world.correct_korea_2022() and {"errata": "Corrects PM-2."},
            label="v2 of a published annex, corrected",
        ),
        Case(
            expect(LOGIN, 403, 403, 403, 400, 400),
            params=korea(2022),
            method="post",
            data=lambda world: {"errata": "Corrects nothing."},
            label="v2 reading as v1: refused with a message",
        ),
        Case(
            expect(LOGIN, 403, 403, 403, 400, 400),
            params=korea(2025),
            method="post",
            label="not approved: refused with a message",
        ),
    ],
    # Background work (assessments/background): health for load balancers, failed tasks for admins, releases.
    "healthz": [Case(PUBLIC)],
    "readyz": [Case(PUBLIC)],
    "failed-tasks": [Case(ADMINS)],
    "failed-task-retry": [
        Case(GET_ON_POST_ONLY, params=lambda world: {"pk": _failed_task().pk}),
        Case(
            expect(LOGIN, 403, 403, 403, 403, back_to("failed-tasks")),
            params=lambda world: {"pk": _failed_task().pk},
            method="post",
        ),
    ],
    "releases": [
        Case(EDITORS),
        Case(
            expect(LOGIN, 403, 403, 403, back_to("releases"), back_to("releases")),
            method="post",
            data=lambda world: {"cycle": 2025, "publish_at": "2031-01-01T09:00"},
            label="schedule the 2025 cycle",
        ),
    ],
    "release-cancel": [
        Case(GET_ON_POST_ONLY, params=lambda world: {"pk": _release(world).pk}),
        Case(
            expect(LOGIN, 403, 403, 403, back_to("releases"), back_to("releases")),
            params=lambda world: {"pk": _release(world).pk},
            method="post",
        ),
    ],
    "annex-draft": [
        *[Case(DRAFTS, params=korea(2025, fmt=fmt), label=fmt) for fmt in ("html", "json", "md")],
        Case(UNASSIGNED_ASSESSMENT, params=korea(2022, fmt="html"), label="nobody assigned"),
    ],
    # Staff overview: live data of the assessments each person may see (an empty page for the outsider).
    "overview-latest": [Case(expect(LOGIN, *[Redirect("cycle-overview", (2025,))] * 5))],
    "cycle-overview": [Case(STAFF, params=lambda world: {"year": 2025})],
    "cycle-heatmap": [Case(STAFF, params=lambda world: {"year": 2025})],
    "cycle-charts": [Case(STAFF, params=lambda world: {"year": 2025})],
    "cycle-indicators": [
        Case(expect(LOGIN, *[Redirect("cycle-overview", (2025,))] * 5), params=lambda world: {"year": 2025}),
        Case(
            expect(LOGIN, *[Redirect("cycle-indicator", (2025, "BC-1"))] * 5),
            params=lambda world: {"year": 2025},
            query=lambda world: {"code": "bc-1"},
            label="picked",
        ),
    ],
    "cycle-indicator": [Case(STAFF, params=lambda world: {"year": 2025, "code": "BC-1"})],
    # Source library: the whole team reads, adds and edits sources; editors and admins merge them.
    "source-list": [Case(STAFF), Case(STAFF, query=lambda world: {"q": "korea"}, label="search")],
    # Search (assessments/search/): staff search over what each may see; the public search over published annexes.
    "search": [
        Case(STAFF),
        Case(STAFF, query=lambda world: {"q": "korea", "cycle": "2025", "status": "draft"}, label="filtered"),
    ],
    "public:search": [Case(PUBLIC), Case(PUBLIC, query=lambda world: {"q": '"rome statute"'}, label="phrase")],
    "source-detail": [Case(STAFF, params=lambda world: {"key": world.source.key})],
    "source-create": [
        Case(STAFF),
        Case(expect(LOGIN, *[Redirect("source-detail", ("zz-new-source",))] * 5), method="post", data=_new_source),
    ],
    "source-edit": [
        Case(STAFF, params=lambda world: {"key": world.source.key}),
        Case(
            expect(LOGIN, *[Redirect("source-detail", ("hrw-2022-south-korea",))] * 5),
            params=lambda world: {"key": world.source.key},
            method="post",
            data=_source_edit,
        ),
    ],
    "source-merge": [
        Case(GET_ON_POST_ONLY, params=lambda world: {"key": world.source.key}),
        Case(
            expect(LOGIN, 403, 403, 403, *[Redirect("source-detail", ("hrw-2022-south-korea",))] * 2),
            params=lambda world: {"key": world.source.key},
            method="post",
            data=_duplicate,
        ),
    ],
    "source-import": [Case(STAFF), Case(STAFF, method="post", data=_csl_file, label="dry run")],
    "source-export": [Case(STAFF)],
    # Data import/export pages: editors and admins only (the permission each resource needs is in the admin rule).
    "data-import": [
        Case(EDITORS),
        Case(EDITORS, method="post", data=_indicator_file, label="dry run of an indicator file"),
    ],
    "data-import-confirm": [
        Case(expect(LOGIN, 403, 403, 403, 405, 405)),
        Case(
            expect(LOGIN, 403, 403, 403, Redirect("data-import"), Redirect("data-import")),
            method="post",
            data=lambda world: {"token": "no-such-upload"},
            label="unknown upload",
        ),
    ],
    # The archive import (assessments/archive): editors and admins only; unknown staged uploads go back to step 1.
    "archive-import": [
        Case(EDITORS),
        Case(expect(LOGIN, 403, 403, 403, 400, 400), method="post", data=lambda world: {}, label="no file"),
    ],
    "archive-upload": [
        Case(
            expect(LOGIN, 403, 403, 403, 200, 404),  # only its uploader sees an upload being read
            params=lambda world: {"pk": _editor_archive_upload(world)},
            label="the editor's upload",
        ),
        Case(
            expect(LOGIN, 403, 403, 403, 404, 404),
            params=lambda world: {"pk": 999999},
            label="unknown upload",
        ),
    ],
    "archive-review": [
        Case(
            expect(LOGIN, 403, 403, 403, Redirect("archive-import"), Redirect("archive-import")),
            query=lambda world: {"token": "nosuchupload"},
            label="unknown upload",
        ),
        Case(
            expect(LOGIN, 403, 403, 403, Redirect("archive-import"), Redirect("archive-import")),
            method="post",
            data=lambda world: {"token": "nosuchupload"},
            label="corrections to an unknown upload",
        ),
    ],
    "archive-confirm": [
        Case(expect(LOGIN, 403, 403, 403, 405, 405)),
        Case(
            expect(LOGIN, 403, 403, 403, Redirect("archive-import"), Redirect("archive-import")),
            method="post",
            data=lambda world: {"token": "nosuchupload"},
            label="unknown upload",
        ),
    ],
    "data-export": [
        Case(EDITORS),
        *[
            Case(EDITORS, query=lambda world, q=query: q, label=f"{query['resource']} as {query['format']}")
            for query in [
                {"resource": "indicator-assessments", "format": "csv", "cycle": 2025, "country": "KOR"},
                {"resource": "sources", "format": "json"},
                {"resource": "assignments", "format": "xlsx"},
            ]
        ],
    ],
    "citation-report": [
        Case(DRAFTS, params=korea(2025), label="draft, assigned"),
        Case(UNASSIGNED_ASSESSMENT, params=korea(2022), label="nobody assigned"),
    ],
    # Method (issue 19): the public methodology; the codebook for editors; freshness, calibration and consistency
    # for staff on the assessments each person may see; editors waive a change rationale.
    "methodology": [
        Case(PUBLIC, params=lambda world: {"year": 2022}),
        Case(MISSING, params=lambda world: {"year": 1999}, label="no such cycle"),
    ],
    "methodology-json": [Case(PUBLIC, params=lambda world: {"year": 2025})],
    "method-codebook": [Case(EDITORS, params=lambda world: {"year": 2025})],
    "method-codebook-export": [Case(EDITORS, params=lambda world: {"year": 2025})],
    "method-coverage": [
        Case(GET_ON_EDITOR_POST, params=lambda world: {"year": 2025}),
        Case(
            expect(LOGIN, 403, 403, 403, CODEBOOK_2025, CODEBOOK_2025),
            params=lambda world: {"year": 2025},
            method="post",
            data=lambda world: {"coverage_start": "2022-07-01", "coverage_end": "2025-06-30"},
        ),
    ],
    "method-codebook-import": [
        Case(GET_ON_EDITOR_POST, params=lambda world: {"year": 2025}),
        Case(
            expect(LOGIN, 403, 403, 403, CODEBOOK_2025, CODEBOOK_2025),
            params=lambda world: {"year": 2025},
            method="post",
            data=_codebook_file,
        ),
    ],
    "method-guidance": [
        Case(GET_ON_EDITOR_POST, params=lambda world: {"year": 2025, "code": "BC-1"}),
        Case(
            expect(LOGIN, 403, 403, 403, CODEBOOK_2025, CODEBOOK_2025),
            params=lambda world: {"year": 2025, "code": "BC-1"},
            method="post",
            data=_guidance,
        ),
    ],
    "method-freshness": [Case(STAFF, params=lambda world: {"year": 2022})],
    "method-calibration": [
        Case(STAFF, params=lambda world: {"year": 2025, "code": "BC-1"}),
        Case(STAFF, params=lambda world: {"year": 2022, "code": "PM-2"}, query=lambda world: {"sort": "-rating"}),
        Case(MISSING | {"anonymous": LOGIN}, params=lambda world: {"year": 2025, "code": "XX-1"}, label="no such"),
    ],
    "method-consistency": [Case(STAFF, params=lambda world: {"year": 2022})],
    "method-waive-rationale": [
        Case(GET_ON_POST_ONLY_DRAFT, params=korea(2025, item="BC-1")),
        Case(
            expect(LOGIN, 403, 403, 403, item_page(2025, "BC-1"), item_page(2025, "BC-1")),
            params=korea(2025, item="BC-1"),
            method="post",
            data=_changed_rating,
        ),
    ],
    # Second assessments (issue 19, part 5): editors ask and read the agreement; only the researcher asked (the
    # outsider here) opens the blind form; the item's reviewer and editors settle; editors cancel.
    "method-second-request": [
        Case(EDITORS, params=lambda world: {"year": 2025}),
        Case(
            expect(LOGIN, 403, 403, 403, AGREEMENT_2025, AGREEMENT_2025),
            params=lambda world: {"year": 2025},
            method="post",
            data=lambda world: {"researcher": world.users["outsider"].pk, "indicators": ["PM-1"], "countries": ["KOR"]},
        ),
    ],
    "method-agreement": [Case(EDITORS, params=lambda world: {"year": 2025})],
    "second-rating": [
        Case(expect(LOGIN, 200, 403, 403, 403, 403), params=_second("BC-2")),
        Case(
            expect(LOGIN, Redirect("dashboard"), 403, 403, 403, 403),
            params=_second("BC-2"),
            method="post",
            data=lambda world: {"rating": "weak"},
        ),
    ],
    "second-rating-settle": [
        Case(expect(LOGIN, 405, 405, 405, 405, 405), params=_second("BC-1", rating="weak", first_rating="fair")),
        Case(
            expect(LOGIN, 403, 403, *[Redirect("item-edit", (2025, "KOR", "BC-1"))] * 3),
            params=_second("BC-1", rating="weak", first_rating="fair"),
            method="post",
            data=lambda world: {"rating": "weak", "note": "Settled."},
        ),
    ],
    "second-rating-cancel": [
        Case(GET_ON_EDITOR_POST, params=_second("BC-2")),
        Case(
            expect(LOGIN, 403, 403, 403, AGREEMENT_2025, AGREEMENT_2025),
            params=_second("BC-2"),
            method="post",
        ),
    ],
    # Accounts (django.contrib.auth.urls)
    "login": [Case(PUBLIC)],
    "logout": [Case(NOT_ALLOWED), Case(everyone(Redirect("public:annex-list")), method="post")],
    "password_change": [Case(STAFF)],
    "password_change_done": [Case(STAFF)],
    "password_reset": [Case(PUBLIC)],
    "password_reset_done": [Case(PUBLIC)],
    "password_reset_confirm": [
        Case(PUBLIC, params=lambda world: {"uidb64": "MQ", "token": "bad-token"}, label="invalid link")
    ],
    "password_reset_complete": [Case(PUBLIC)],
    # django-tasks-db's read-only admin of the task queue: admins only (editors hold no right on it).
    "admin:django_tasks_database_dbtaskresult_changelist": [
        Case(expect(ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 403, 200))
    ],
    "admin:django_tasks_database_dbtaskresult_change": [
        Case(
            expect(ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 403, 200),
            params=lambda world: {"object_id": _queued_task().pk},
        )
    ],
    "admin:django_tasks_database_dbtaskresult_history": [
        Case(
            expect(ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 403, 200),
            params=lambda world: {"object_id": _queued_task().pk},
        )
    ],
    # Only the task backend writes queue rows: nobody adds or deletes them in the admin.
    "admin:django_tasks_database_dbtaskresult_add": [
        Case(expect(ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 403, 403))
    ],
    "admin:django_tasks_database_dbtaskresult_delete": [
        Case(
            expect(ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 403, 403),
            params=lambda world: {"object_id": _queued_task().pk},
        )
    ],
    # Django admin pages that are not per model (those are in RULES)
    "admin:index": [Case(expect(ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 200, 200))],
    "admin:login": [Case(expect(200, 200, 200, 200, Redirect("admin:index"), Redirect("admin:index")))],
    "admin:logout": [  # the admin sends non-staff users to its index (and so to its login page)
        Case(expect(*[Redirect("admin:index")] * 4, 405, 405)),
        Case(expect(*[Redirect("admin:index")] * 4, *[Redirect("public:annex-list")] * 2), method="post"),
    ],
    "admin:auth_user_password_change": [
        Case(
            expect(ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 403, 200),
            params=lambda world: {"id": world.users["outsider"].pk},
        )
    ],
    "admin:password_change": [Case(expect(ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 200, 200))],
    "admin:password_change_done": [Case(expect(ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 200, 200))],
    "admin:jsi18n": [Case(expect(ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 200, 200))],
    "admin:autocomplete": [
        Case(
            expect(ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 200, 200),
            query=lambda world: {
                "app_label": "assessments",
                "model_name": "countryassessment",
                "field_name": "country",
                "term": "kor",
            },
            label="countries for the assessment form",
        ),
        Case(
            expect(ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 403, 200),
            query=lambda world: {"app_label": "assessments", "model_name": "assignment", "field_name": "user"},
            label="users for the assignment form (editors may assign but not list users)",
        ),
    ],
    "admin:view_on_site": [
        Case(
            expect(ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 302, 302),
            params=lambda world: (ContentType.objects.get_for_model(world.source).pk, world.source.pk),
        )
    ],
    "admin:app_list": [
        Case(
            expect(ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 200 if app == "assessments" else 404, 200),
            params=lambda world, app=app: {"app_label": app},
            label=app,
        )
        for app in sorted({model._meta.app_label for model in admin.site._registry})
    ],
}


# ----- Rules: the per-model Django admin pages, from the permissions each role is given -----

NOT_STAFF = dict.fromkeys(ROLES[:4], ADMIN_LOGIN)  # anonymous and users without is_staff
ADMIN_MODEL_URL = re.compile(
    r"^admin:(?P<app>[a-z]+)_(?P<model>[a-z0-9]+)_(?P<action>changelist|add|change|delete|history|simple_history)$"
)
# Admin pages that deviate from what the model permissions say, with the reason.
ADMIN_EXCEPTIONS: dict[str, dict[str, int]] = {
    # A published edition never changes: nobody may delete one, not even an admin; only publishing makes one.
    "admin:assessments_edition_add": {"admin": 403},
    "admin:assessments_edition_delete": {"editor": 403, "admin": 403},
    # Editorial content is written through the workflow only: items, citations and comments are read-only in the
    # admin (viewing a change page is allowed, adding and deleting are not), for editors and admins alike.
    "admin:assessments_assessmentitem_add": {"editor": 403, "admin": 403},
    "admin:assessments_assessmentitem_delete": {"editor": 403, "admin": 403},
    "admin:assessments_citation_add": {"editor": 403, "admin": 403},
    "admin:assessments_citation_delete": {"editor": 403, "admin": 403},
    "admin:assessments_comment_add": {"editor": 403, "admin": 403},
    "admin:assessments_comment_delete": {"editor": 403, "admin": 403},
    # Login records are written by django-axes only.
    "admin:axes_accessattempt_add": {"admin": 403},
    "admin:axes_accesslog_add": {"admin": 403},
    "admin:axes_accessfailurelog_add": {"admin": 403},
}


def _editor_may(model, action: str) -> bool:
    """Whether the Editor role's permissions (ROLE_PERMISSIONS) open this admin page."""
    perms = {f"assessments.{codename}" for codename in ROLE_PERMISSIONS[EDITOR]}  # roles_ensure() grants these

    def has(verb: str, of=model) -> bool:
        return f"{of._meta.app_label}.{verb}_{of._meta.model_name}" in perms

    model_admin = admin.site._registry[model]
    if action in ("history", "simple_history") and isinstance(model_admin, SimpleHistoryAdmin):
        # SIMPLE_HISTORY_ENFORCE_HISTORY_MODEL_PERMISSIONS: history needs rights on the historical model.
        historical = model.history.model
        return has("view", historical) or has("change", historical)
    needs = {
        "changelist": ("view", "change"),
        "change": ("view", "change"),
        "history": ("view", "change"),
        "add": ("add",),
        "delete": ("delete",),
    }[action]
    return any(has(verb) for verb in needs)


def _admin_model_cases(name: str, match: re.Match) -> list[Case]:
    model = next(
        model
        for model in admin.site._registry
        if (model._meta.app_label, model._meta.model_name) == (match["app"], match["model"])
    )
    action = match["action"]
    expected = {**NOT_STAFF, "editor": 200 if _editor_may(model, action) else 403, "admin": 200}
    expected.update(ADMIN_EXCEPTIONS.get(name, {}))

    def params(world: World):
        if action in ("changelist", "add"):
            return {}
        row = world.sample(model)
        if action == "simple_history":
            return (row.pk, world.sample(model.history.model).history_id)
        return {"object_id": row.pk}

    return [Case(expected, params=params, label=f"{model._meta.label} {action}")]


# django-import-export in the admin: what the Editor role may import and export, model by model. The framework
# (countries, cycles, thematic areas, indicators) is the admins' to change, so editors only export it; editors
# import sources, country assessments, assignments and indicator assessments (the data pages' rule).
ADMIN_IMPORT_EXPORT_URL = re.compile(
    r"^admin:(?P<app>[a-z]+)_(?P<model>[a-z0-9]+)_(?P<action>import|process_import|export)$"
)
EDITOR_IMPORTS = {"source", "countryassessment", "assignment", "assessmentitem"}
EDITOR_EXPORTS = EDITOR_IMPORTS | {"country", "cycle", "thematicarea", "indicator"}


def _admin_import_export_cases(name: str, match: re.Match) -> list[Case]:
    model, action = match["model"], match["action"]
    allowed = model in (EDITOR_EXPORTS if action == "export" else EDITOR_IMPORTS)
    if action == "process_import":  # the confirm step of an import: POST only, the right checked on POST
        return [
            Case({**NOT_STAFF, "editor": 405, "admin": 405}, label=f"{model} confirm, GET"),
            Case(
                {**NOT_STAFF, "editor": 200 if allowed else 403, "admin": 200},
                method="post",
                label=f"{model} confirm without a file (the form again)",
            ),
        ]
    return [Case({**NOT_STAFF, "editor": 200 if allowed else 403, "admin": 200}, label=f"{model} {action}")]


RULES: list[tuple[re.Pattern, Callable[[str, re.Match], list[Case]]]] = [
    (ADMIN_MODEL_URL, _admin_model_cases),
    (ADMIN_IMPORT_EXPORT_URL, _admin_import_export_cases),
]


def cases_for(name: str) -> list[Case] | None:
    """The cases of a named URL: its entry in URLS, else the first rule that matches, else None."""
    if name in URLS:
        return URLS[name]
    for pattern, build in RULES:
        match = pattern.match(name)
        if match:
            return build(name, match)
    return None
