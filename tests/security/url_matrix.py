"""What every role gets from every named URL: the table the permission-matrix test checks.

Roles, always in this order (see tests/security/conftest.py): anonymous, outsider (researcher assigned to
nothing), researcher and reviewer (assigned to Republic of Korea 2025), editor, admin.

To add a page: add `"url-name": [Case(...)]` to URLS. `params` builds the URL's kwargs from the World (Korea 2025
draft, Korea 2022 approved with its edition, a source, a comment, ...); use several cases when the answer depends
on the object (a draft vs a published assessment). POST-only views get a GET case (405) and a POST case. Expected
values: a status code, LOGIN (302 to the login page) or ADMIN_LOGIN. Whole families of URLs (the Django admin) are
covered by RULES; an entry in URLS wins over a rule. A named URL with neither fails the test, naming the URL.
"""

import re
from collections.abc import Callable

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from simple_history.admin import SimpleHistoryAdmin

from assessments.services.accounts import EDITOR, ROLE_PERMISSIONS
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


def korea(year: int, **more) -> Callable[[World], dict]:
    return lambda world: {"year": year, "country": "KOR", **more}


URLS: dict[str, list[Case]] = {
    # Public site
    "public:annex-list": [Case(PUBLIC)],
    # Staff pages
    "dashboard": [Case(expect(LOGIN, 302, 302, 302, 302, 302))],  # → the latest cycle's page
    "cycle-detail": [Case(STAFF, params=lambda world: {"year": 2025})],
    "country-assessment": [
        Case(DRAFTS, params=korea(2025), label="draft, assigned"),
        Case(UNASSIGNED_ASSESSMENT, params=korea(2022), label="approved, nobody assigned"),
    ],
    "item-edit": [
        Case(DRAFTS, params=korea(2025, item="BC-1"), label="draft indicator"),
        Case(DRAFTS, params=korea(2025, item="overview"), label="draft overview"),
        Case(UNASSIGNED_ASSESSMENT, params=korea(2022, item="PM-2"), label="approved, nobody assigned"),
    ],
    "source-detail": [Case(STAFF, params=lambda world: {"key": world.source.key})],
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
    # A published edition never changes: nobody may delete one, not even an admin.
    "admin:assessments_edition_delete": {"editor": 403, "admin": 403},
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


RULES: list[tuple[re.Pattern, Callable[[str, re.Match], list[Case]]]] = [
    (ADMIN_MODEL_URL, _admin_model_cases),
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
