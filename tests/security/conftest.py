"""The world the security tests run in: the demo archive plus one user per role and one object of each kind.

Roles (ROLES, in this order): anonymous; outsider (a researcher assigned to nothing); researcher and
reviewer (the demo users, assigned to Republic of Korea 2025); editor; admin (superuser).
"""

from dataclasses import dataclass, field

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.db import models
from django.test import Client

from assessments.models import AssessmentItem, Comment, CountryAssessment, Edition, Source
from assessments.publishing.services import annex_publish
from assessments.workflow.comments import comment_create
from assessments.workflow.services import item_approve, item_reopen, item_submit, item_update
from tests.factories import UserFactory

ROLES = ("anonymous", "outsider", "researcher", "reviewer", "editor", "admin")


class Figures(dict):
    """Counts the security tests report at the end of the run (URL × role cases, payloads, canary hits...)."""

    def add(self, name: str, count: int) -> None:
        self[name] = self.get(name, 0) + count


_FIGURES = Figures()


@pytest.fixture
def security_figures() -> Figures:
    return _FIGURES


def pytest_terminal_summary(terminalreporter):
    if _FIGURES:
        terminalreporter.section("security figures")
        for name, count in _FIGURES.items():
            terminalreporter.write_line(f"{name}: {count}")


@pytest.fixture
def demo(request, db, demo_snapshot):
    """The demo archive as tests/conftest.py loads it (at DEMO_LOADED_AT, from the session's snapshot)."""
    from tests.conftest import demo_for

    return demo_for(request, demo_snapshot)


@pytest.fixture(autouse=True)
def import_uploads(settings, tmp_path):
    """Uploads waiting for an import's confirmation go to the test's own folder, not the project's var/."""
    settings.R2P_IMPORT_TMP_DIR = tmp_path / "uploads"
    return settings.R2P_IMPORT_TMP_DIR


@dataclass
class World:
    users: dict[str, User | None]
    korea_2022: CountryAssessment
    korea_2025: CountryAssessment
    draft_item: AssessmentItem  # Korea 2025 BC-1, written by the researcher, in draft
    approved_item: AssessmentItem  # Korea 2022 PM-2, approved
    source: Source
    comment: Comment
    edition: Edition  # Korea 2022, edition 1
    _session_cookies: dict[str, str] = field(default_factory=dict)

    def client(self, role: str) -> Client:
        """A fresh client logged in as `role` (the same session each time; no cookie for anonymous)."""
        client = Client()
        if role != "anonymous":
            if role not in self._session_cookies:
                login = Client()
                login.force_login(self.users[role])
                self._session_cookies[role] = login.cookies[settings.SESSION_COOKIE_NAME].value
            client.cookies[settings.SESSION_COOKIE_NAME] = self._session_cookies[role]
        return client

    def correct_korea_2022(self, code: str = "PM-2", notes: str = "Corrected after v1.") -> AssessmentItem:
        """Reopen, change and approve again an item of the published Korea 2022, so a v2 has something new
        (the editor corrects; the admin approves: nobody approves their own change)."""
        item = self.korea_2022.items.select_related("indicator").get(indicator__code=code)
        item = item_reopen(item=item, user=self.users["editor"], reason="correction")
        item = item_update(item=item, user=self.users["editor"], expected_version=item.version, notes=notes)
        item = item_submit(item=item, user=self.users["editor"])
        return item_approve(item=item, user=self.users["admin"])

    def sample(self, model: type[models.Model]) -> models.Model:
        """Some row of `model` (the first by primary key), for URLs that need an object of that kind."""
        preferred = {
            AssessmentItem: self.draft_item,
            Source: self.source,
            Comment: self.comment,
            Edition: self.edition,
            CountryAssessment: self.korea_2025,
            User: self.users["researcher"],
        }
        if model in preferred:
            return preferred[model]
        history_of = getattr(model, "instance_type", None)  # a simple-history model
        if history_of in preferred:
            return model.objects.filter(id=preferred[history_of].pk).order_by("history_id").first()
        row = model._base_manager.order_by("pk").first()
        if row is None:
            raise LookupError(f"the security world has no {model._meta.label} row; add one in world()")
        return row


def edition_ensure(country_assessment: CountryAssessment, user: User) -> Edition:
    """The first edition of an approved assessment: the demo publishes Korea 2022 as v1 with the real publishing
    service; publish it the same way if a demo without it is ever loaded."""
    existing = country_assessment.editions.order_by("number").first()
    return existing or annex_publish(country_assessment=country_assessment, user=user)


@pytest.fixture
def world(demo) -> World:
    users: dict[str, User | None] = {name: User.objects.get(username=name) for name in ROLES[2:]}
    users["anonymous"] = None
    users["outsider"] = UserFactory(username="outsider", role="Researcher")
    korea_2022 = CountryAssessment.objects.select_related("country", "cycle").get(country__code="KOR", cycle__year=2022)
    korea_2025 = CountryAssessment.objects.select_related("country", "cycle").get(country__code="KOR", cycle__year=2025)
    draft_item = korea_2025.items.select_related("indicator").get(indicator__code="BC-1")
    draft_item = item_update(
        item=draft_item,
        user=users["researcher"],
        expected_version=draft_item.version,
        rating="fair",
        notes="Draft notes.[@hrw-2022-south-korea]",
    )
    comment = comment_create(item=draft_item, user=users["reviewer"], body="Please cite the 2024 report.")
    # One row in each table of django-axes, so its admin pages have an object to show.
    AccessAttempt.objects.create(
        username="someone", ip_address="192.0.2.1", user_agent="test", failures_since_start=1, get_data="", post_data=""
    )
    AccessLog.objects.create(username="researcher", ip_address="192.0.2.1", user_agent="test")
    AccessFailureLog.objects.create(username="someone", ip_address="192.0.2.1", user_agent="test", locked_out=False)
    Group.objects.get(name="Researcher")  # roles exist (demo)
    return World(
        users=users,
        korea_2022=korea_2022,
        korea_2025=korea_2025,
        draft_item=draft_item,
        approved_item=korea_2022.items.select_related("indicator").get(indicator__code="PM-2"),
        source=Source.objects.get(key="hrw-2022-south-korea"),
        comment=comment,
        edition=edition_ensure(korea_2022, users["editor"]),
    )
