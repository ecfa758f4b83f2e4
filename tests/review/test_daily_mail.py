"""The worker sends the day's reminders and digests by itself (clock + task), and people can turn them off."""

import datetime as dt

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from assessments.background.clock import clock_tick
from assessments.models import MailPreference
from assessments.review.deadlines import daily_mail_run, due_dates_set, send_daily_digests, send_due_reminders
from assessments.review.services import mail_preferences_set, thread_create
from tests.workflow.conftest import in_review

DUE = dt.date(2026, 3, 31)
WEEK_BEFORE = dt.date(2026, 3, 24)


def at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=dt.UTC)


def test_nothing_goes_out_before_the_mail_hour(korea_2025, people, time_machine, settings):
    settings.R2P_DAILY_MAIL_HOUR = 7
    due_dates_set(cycle=korea_2025.cycle, due_date=DUE, user=people["editor"])
    time_machine.move_to(at(WEEK_BEFORE, 6))
    assert daily_mail_run() is None and mail.outbox == []
    time_machine.move_to(at(WEEK_BEFORE, 7))
    assert daily_mail_run() == {"reminders": 2, "digests": 0}  # nothing waits for review, nobody commented
    assert daily_mail_run() == {"reminders": 0, "digests": 0}  # once a day, however often it runs


def test_the_clock_enqueues_the_day_once_and_the_worker_sends_it(korea_2025, people, time_machine, settings, queue):
    cache.clear()
    settings.R2P_DAILY_MAIL_HOUR = 7
    due_dates_set(cycle=korea_2025.cycle, due_date=DUE, user=people["editor"])
    time_machine.move_to(at(WEEK_BEFORE, 5))
    assert clock_tick() == []  # before the hour
    time_machine.move_to(at(WEEK_BEFORE, 8))
    assert clock_tick() == ["send_daily_mail"]
    assert clock_tick() == []  # a second worker ticking in the same interval adds nothing
    assert queue.waiting() == 1
    queue.run()
    reminders = [m for m in mail.outbox if m.subject == "r2p: due dates"]
    assert sorted(m.to[0] for m in reminders) == ["researcher@example.org", "reviewer@example.org"]
    cache.delete("r2p:clock:daily-mail-queued")  # the interval has passed
    assert clock_tick() == []  # the day is done
    time_machine.move_to(at(WEEK_BEFORE + dt.timedelta(days=1), 8))
    assert clock_tick() == ["send_daily_mail"]  # a new day


def test_r2p_worker_in_batch_mode_looks_at_the_clock(korea_2025, people, time_machine, settings, queue):
    from unittest import mock

    from django.core.management import call_command

    cache.clear()
    settings.R2P_DAILY_MAIL_HOUR = 7
    due_dates_set(cycle=korea_2025.cycle, due_date=DUE, user=people["editor"])
    time_machine.move_to(at(WEEK_BEFORE, 9))
    with mock.patch("assessments.management.commands.r2p_worker.call_command", lambda *a, **k: queue.run()):
        call_command("r2p_worker", batch=True, no_reconcile=True)
    assert sum(m.subject == "r2p: due dates" for m in mail.outbox) == 2


def test_people_who_turn_reminders_off_get_none(korea_2025, people, time_machine):
    due_dates_set(cycle=korea_2025.cycle, due_date=DUE, user=people["editor"])
    mail_preferences_set(user=people["reviewer"], daily_digest=True, due_reminders=False)
    time_machine.move_to(at(WEEK_BEFORE, 8))
    assert send_due_reminders() == 1
    assert mail.outbox[0].to == ["researcher@example.org"]
    assert "Choose what r2p emails you: http" in mail.outbox[0].body and "/work/email/" in mail.outbox[0].body


def test_people_who_turn_the_digest_off_get_none(item, people, time_machine):
    time_machine.move_to(at(dt.date(2026, 3, 2), 9))
    item = in_review(item, people)
    thread_create(item=item, user=people["reviewer"], body="Please check, @researcher.")
    mail_preferences_set(user=people["researcher"], daily_digest=False, due_reminders=True)
    time_machine.move_to(at(dt.date(2026, 3, 3), 8))
    assert send_daily_digests() == 1
    assert mail.outbox[0].to == ["reviewer@example.org"]


@pytest.mark.django_db
def test_the_email_settings_page(people, django_assert_max_num_queries):
    client = Client()
    client.force_login(people["researcher"])
    with django_assert_max_num_queries(6):
        page = client.get(reverse("mail-preferences")).content.decode()
    assert "Daily digest" in page and "checked" in page  # on by default
    response = client.post(reverse("mail-preferences"), {"due_reminders": "on"})
    assert response.status_code == 302
    preference = MailPreference.objects.get(user=people["researcher"])
    assert preference.daily_digest is False and preference.due_reminders is True
    page = client.get(reverse("mail-preferences")).content.decode()
    assert page.count("checked") == 1
    assert reverse("mail-preferences") in client.get(reverse("dashboard")).content.decode()
