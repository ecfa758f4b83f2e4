"""Session timeouts: idle (SESSION_COOKIE_AGE since the last request) and absolute (since login).

SESSION_SAVE_EVERY_REQUEST stays off (it would write the session on every page); instead the expiry is
renewed by marking the session modified at most once every R2P_SESSION_REFRESH_SECONDS. A request
costs no query beyond the session and user look-ups that authentication makes anyway.
"""

import re
import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout
from django.http import HttpResponseBadRequest

from assessments.accounts.security import SESSION_LOGIN_AT, SESSION_SEEN_AT, session_stamp

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class SessionTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if session.get(SESSION_KEY) is not None:
            self._check(request, session)
        return self.get_response(request)

    def _check(self, request, session) -> None:
        now = int(time.time())
        login_at = session.get(SESSION_LOGIN_AT)
        seen_at = session.get(SESSION_SEEN_AT)
        if login_at is None or seen_at is None:
            # A session from before this middleware: start counting now.
            session_stamp(session, login=login_at is None, now=now)
            return
        expired = (
            now - login_at >= settings.R2P_SESSION_ABSOLUTE_SECONDS or now - seen_at >= settings.SESSION_COOKIE_AGE
        )
        if expired or not request.user.is_authenticated:
            # Too old, or the account was deactivated (or its password changed): end the session for good,
            # so re-activating the account does not revive it.
            logout(request)
            return
        if now - seen_at >= settings.R2P_SESSION_REFRESH_SECONDS:
            session_stamp(session, login=False, now=now)  # modified → saved with a fresh expiry


class QueryStringGuardMiddleware:
    """Answer 400 to a query string no page can use: control characters (PostgreSQL refuses NUL in text), integers
    beyond a 64-bit column, or an oversized value. Views also parse their own parameters safely
    (`assessments.querystring`); this covers the pages r2p does not write itself (the Django admin's changelist
    filters, import-export's admin views), which pass unknown parameters to the database as lookups."""

    MAX_VALUE_CHARS = 2_000
    MAX_PARAMETERS = 100

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        problem = self.problem(request.GET)
        if problem:
            return HttpResponseBadRequest(f"Bad query string: {problem}.", content_type="text/plain; charset=utf-8")
        return self.get_response(request)

    @classmethod
    def problem(cls, query) -> str:
        if len(query) > cls.MAX_PARAMETERS:
            return "too many parameters"
        if "_to_field" in query and not query.get("_to_field"):  # the admin's delete view fails on an empty one
            return "an empty _to_field"
        for name, values in query.lists():
            for value in (name, *values):
                if len(value) > cls.MAX_VALUE_CHARS:
                    return "a value is too long"
                if _CONTROL.search(value):
                    return "control characters"
                digits = value.strip().lstrip("+-")
                if digits.isdigit() and (len(digits) > 18 or not digits.isascii()):
                    return "a number out of range"
        return ""
