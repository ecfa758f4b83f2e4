"""Due dates, reminders and the daily digest (time-machine: the clock is moved, not waited for)."""

import datetime as dt

from django.core import mail
from django.test import Client
from django.urls import reverse

from assessments.models import Assignment, CountryAssessment, DigestSent
from assessments.review.deadlines import (
    daily_digests,
    due_dates_set,
    due_state,
    send_daily_digests,
    send_due_reminders,
)
from assessments.review.services import thread_create
from tests.workflow.conftest import drafted, in_review

DUE = dt.date(2026, 3, 31)


def test_due_state():
    assert due_state(None, DUE) == ""
    assert due_state(DUE, DUE - dt.timedelta(days=30)) == ""
    assert due_state(DUE, DUE - dt.timedelta(days=3)) == "due"
    assert due_state(DUE, DUE + dt.timedelta(days=1)) == "overdue"


def test_due_dates_are_set_for_a_whole_cycle_with_history(korea_2025, people):
    count = due_dates_set(cycle=korea_2025.cycle, due_date=DUE, user=people["editor"])
    assert count == CountryAssessment.objects.filter(cycle=korea_2025.cycle, legacy_score__isnull=True).count()
    korea_2025.refresh_from_db()
    assert korea_2025.due_date == DUE
    latest = korea_2025.history.order_by("-history_date", "-history_id").first()
    assert latest.history_user == people["editor"] and "due date" in latest.history_change_reason


def test_reminders_before_and_after_the_due_date_once_a_day(korea_2025, people, time_machine):
    due_dates_set(cycle=korea_2025.cycle, due_date=DUE, user=people["editor"])
    time_machine.move_to(dt.datetime(2026, 3, 20, 6, 0, tzinfo=dt.UTC))
    assert send_due_reminders() == 0  # 11 days before: nothing
    time_machine.move_to(dt.datetime(2026, 3, 24, 6, 0, tzinfo=dt.UTC))
    assert send_due_reminders() == 2  # 7 days before: the researcher and the reviewer, one email each
    assert sorted(m.to[0] for m in mail.outbox) == ["researcher@example.org", "reviewer@example.org"]
    assert "due in 7 days" in mail.outbox[0].body
    assert send_due_reminders() == 0  # not twice on one day
    time_machine.move_to(dt.datetime(2026, 4, 7, 6, 0, tzinfo=dt.UTC))
    mail.outbox.clear()
    assert send_due_reminders() == 2
    assert "overdue by 7 days" in mail.outbox[0].body


def test_an_assignment_due_date_wins_over_the_assessment_one(korea_2025, people, time_machine):
    due_dates_set(cycle=korea_2025.cycle, due_date=DUE, user=people["editor"])
    Assignment.objects.filter(country_assessment=korea_2025, user=people["reviewer"]).update(
        due_date=DUE + dt.timedelta(days=14)
    )
    time_machine.move_to(dt.datetime(2026, 3, 30, 6, 0, tzinfo=dt.UTC))
    assert send_due_reminders() == 1 and mail.outbox[0].to == ["researcher@example.org"]


def test_daily_digest_one_email_per_person_per_day(item, people, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC))
    item = in_review(item, people)
    thread_create(item=item, user=people["reviewer"], body="Please check, @researcher.")
    thread_create(item=item, user=people["reviewer"], body="And this.")
    digests = daily_digests()
    researcher, reviewer = digests[people["researcher"].pk], digests[people["reviewer"].pk]
    assert len(researcher.mentions) == 1 and len(researcher.comments) == 1 and researcher.waiting == []
    assert reviewer.comments == [] and len(reviewer.waiting) == 1  # the item waits for their review
    time_machine.move_to(dt.datetime(2026, 3, 3, 6, 0, tzinfo=dt.UTC))
    assert send_daily_digests() == 2
    assert send_daily_digests() == 0  # once a day
    assert DigestSent.objects.filter(day=dt.date(2026, 3, 3)).count() == 2
    body = next(m.body for m in mail.outbox if m.to == ["researcher@example.org"])
    assert "You were mentioned" in body and "New comments" in body
    time_machine.move_to(dt.datetime(2026, 3, 5, 6, 0, tzinfo=dt.UTC))
    mail.outbox.clear()
    assert send_daily_digests() == 1  # two days later: no new comments; the item still waits for the reviewer
    assert mail.outbox[0].to == ["reviewer@example.org"]


def test_dashboard_shows_due_and_overdue(korea_2025, people, time_machine, django_assert_max_num_queries):
    due_dates_set(cycle=korea_2025.cycle, due_date=DUE, user=people["editor"])
    drafted(korea_2025.items.get(indicator__code="BC-1"), people["researcher"])
    client = Client()
    client.force_login(people["researcher"])
    time_machine.move_to(dt.datetime(2026, 3, 28, 9, 0, tzinfo=dt.UTC))
    assert "Due 31 Mar 2026" in client.get(reverse("dashboard")).content.decode()
    time_machine.move_to(dt.datetime(2026, 4, 2, 9, 0, tzinfo=dt.UTC))
    with django_assert_max_num_queries(9):
        text = client.get(reverse("dashboard")).content.decode()
    assert "Overdue since 31 Mar" in text and "1 overdue" in text


def test_editors_set_the_due_date_of_a_cycle(korea_2025, people):
    client = Client()
    client.force_login(people["editor"])
    response = client.post(reverse("cycle-due-date", args=[2025]), {"due_date": "2026-03-31"})
    assert response.status_code == 302
    korea_2025.refresh_from_db()
    assert korea_2025.due_date == DUE
    assert "due 31 Mar 2026" in client.get(reverse("cycle-detail", args=[2025])).content.decode()
