"""Production settings, login lockouts, password rules and session lifetimes."""

import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.accounts.security import client_ip
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct-horse-battery"  # UserFactory's
IP = "203.0.113.5"


def test_check_deploy_with_production_settings_reports_nothing():
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        DJANGO_SETTINGS_MODULE="r2p.settings.prod",
        DJANGO_SECRET_KEY="x" * 20 + os.urandom(24).hex(),
        DJANGO_ALLOWED_HOSTS="r2p.example.org",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues (0 silenced)." in output


def test_production_settings_refuse_to_start_without_secrets():
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env["DJANGO_SETTINGS_MODULE"] = "r2p.settings.prod"
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "Set the DJANGO_SECRET_KEY environment variable" in result.stderr


def test_pages_carry_csp_and_referrer_policy(client, db):
    response = client.get(reverse("login"))
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "object-src 'none'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


# ----- Login lockout (django-axes) -----


def attempt(client, username, password, ip=IP):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


@pytest.fixture
def rosa(db):
    return UserFactory(username="rosa")


def test_lockout_after_repeated_failures_for_that_username_and_address(client, rosa):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, "rosa", "wrong").status_code == 200  # the form again, with an error
    assert attempt(client, "rosa", "wrong").status_code == 429  # the limit: locked out
    locked = attempt(client, "rosa", PASSWORD)
    assert locked.status_code == 429, "the right password does not open a locked pair"
    assert re.search(r"paused for\s+15 minutes", locked.content.decode())
    assert "_auth_user_id" not in client.session


def test_lockout_does_not_affect_other_addresses_or_users(client, rosa, django_user_model):
    UserFactory(username="ben")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "rosa", "wrong")
    assert attempt(client, "rosa", PASSWORD).status_code == 429
    # The same user from elsewhere: an attacker cannot lock the real user out.
    assert attempt(client, "rosa", PASSWORD, ip="198.51.100.7").status_code == 302
    client.post(reverse("logout"))
    # Another user from the locked address.
    assert attempt(client, "ben", PASSWORD).status_code == 302


def test_lockout_ends_after_the_cool_off(client, rosa):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            attempt(client, "rosa", "wrong")
        assert attempt(client, "rosa", PASSWORD).status_code == 429
    cool_off = timedelta(hours=settings.AXES_COOLOFF_TIME)
    assert cool_off <= timedelta(hours=1), "a lockout is a cool-off, never a long or permanent lock"
    with time_machine.travel(start + cool_off - timedelta(seconds=30), tick=False):
        assert attempt(client, "rosa", PASSWORD).status_code == 429
    with time_machine.travel(start + cool_off + timedelta(seconds=1), tick=False):
        assert attempt(client, "rosa", PASSWORD).status_code == 302
        assert client.session["_auth_user_id"] == str(rosa.pk)


def test_client_address_trusts_only_the_configured_proxies(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    settings.R2P_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.1"
    settings.R2P_PROXY_COUNT = 1  # the proxy appended the real client; "6.6.6.6" was made up by the client
    assert client_ip(request) == "203.0.113.9"
    settings.R2P_PROXY_COUNT = 3  # fewer entries than proxies: fall back to the socket address
    assert client_ip(request) == "10.0.0.1"


# ----- Passwords -----


@pytest.mark.parametrize("password", ["short1!", "password1234", "12345678901234", "rosalind1234", "Rosalind2025"])
def test_weak_passwords_are_refused(password, db):
    user = User(username="rosalind", first_name="Rosalind", last_name="Example", email="rosa@example.org")
    with pytest.raises(ValidationError):
        validate_password(password, user)


def test_strong_password_is_accepted_and_weak_change_is_refused(client, rosa):
    validate_password("tidal-marmot-quarry-57", rosa)
    client.force_login(rosa)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "abc123", "new_password2": "abc123"},
    )
    assert response.status_code == 200 and response.context["form"].errors
    rosa.refresh_from_db()
    assert rosa.check_password(PASSWORD)


# ----- Sessions -----


@pytest.fixture
def logged_in(client, rosa):
    """Log in through the login page at a fixed time; returns (client, start)."""
    start = timezone.now().replace(microsecond=0)
    with time_machine.travel(start, tick=False):
        assert attempt(client, "rosa", PASSWORD).status_code == 302
    return client, start


def get_at(client, when, url=None):
    with time_machine.travel(when, tick=False):
        return client.get(url or reverse("password_change"))


def is_login_redirect(response) -> bool:
    return response.status_code == 302 and response.url.startswith(reverse("login"))


def test_idle_session_ends(logged_in):
    client, start = logged_in
    assert get_at(client, start + timedelta(minutes=5)).status_code == 200
    idle = timedelta(seconds=settings.SESSION_COOKIE_AGE)
    assert is_login_redirect(get_at(client, start + timedelta(minutes=5) + idle + timedelta(seconds=1)))


def test_activity_keeps_the_session_until_the_absolute_limit(logged_in):
    client, start = logged_in
    step = timedelta(seconds=settings.SESSION_COOKIE_AGE) * 0.45
    absolute = timedelta(seconds=settings.R2P_SESSION_ABSOLUTE_SECONDS)
    when = start + step
    while when < start + absolute:
        # Each visit lies beyond the idle limit from login, so only the renewal keeps the session alive.
        assert get_at(client, when).status_code == 200, f"logged out early at {when - start}"
        when += step
    assert is_login_redirect(get_at(client, start + absolute + timedelta(seconds=1)))
    assert not Session.objects.filter(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value).exists()


def test_session_expiry_is_renewed_at_most_once_a_minute(logged_in):
    client, start = logged_in
    key = client.cookies[settings.SESSION_COOKIE_NAME].value

    def writes_at(seconds):
        with CaptureQueriesContext(connection) as queries:
            get_at(client, start + timedelta(seconds=seconds))
        return [q["sql"] for q in queries if "django_session" in q["sql"] and not q["sql"].startswith("SELECT")]

    assert writes_at(10) == []
    assert writes_at(50) == []
    expiry = Session.objects.get(session_key=key).expire_date
    assert len(writes_at(70)) == 1
    assert Session.objects.get(session_key=key).expire_date == expiry + timedelta(seconds=70)
    assert writes_at(100) == []


def test_middleware_adds_no_query(client, rosa, settings, django_assert_num_queries):
    client.force_login(rosa)
    url = reverse("password_change")
    client.get(url)
    with CaptureQueriesContext(connection) as with_middleware:
        client.get(url)
    timeout = "assessments.accounts.middleware.SessionTimeoutMiddleware"
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != timeout]
    with CaptureQueriesContext(connection) as without:
        client.get(url)
    assert len(with_middleware) == len(without)
    client.logout()
    with django_assert_num_queries(0):  # an anonymous visitor without a session costs nothing
        client.get(reverse("login"))


def test_logout_ends_the_session_for_good(logged_in):
    client, start = logged_in
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    with time_machine.travel(start + timedelta(minutes=1), tick=False):
        client.post(reverse("logout"))
    assert not Session.objects.filter(session_key=cookie).exists()
    client.cookies[settings.SESSION_COOKIE_NAME] = cookie  # replaying the old cookie
    assert is_login_redirect(get_at(client, start + timedelta(minutes=2)))


def test_deactivation_ends_sessions_even_if_reactivated(logged_in, rosa):
    client, start = logged_in
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    User.objects.filter(pk=rosa.pk).update(is_active=False)
    assert is_login_redirect(get_at(client, start + timedelta(seconds=10)))
    assert not Session.objects.filter(session_key=cookie).exists()
    User.objects.filter(pk=rosa.pk).update(is_active=True)
    client.cookies[settings.SESSION_COOKIE_NAME] = cookie
    assert is_login_redirect(get_at(client, start + timedelta(seconds=20)))


def test_password_change_ends_other_sessions(logged_in, rosa):
    client, start = logged_in
    other = Client()
    other.force_login(rosa)
    rosa.set_password("tidal-marmot-quarry-57")
    rosa.save()
    assert is_login_redirect(get_at(client, start + timedelta(seconds=10)))
    assert is_login_redirect(other.get(reverse("password_change")))
