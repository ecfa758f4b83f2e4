"""Session timeouts: idle (SESSION_COOKIE_AGE since the last request) and absolute (since login).

SESSION_SAVE_EVERY_REQUEST stays off (it would write the session on every page); instead the expiry is
renewed by marking the session modified at most once every R2P_SESSION_REFRESH_SECONDS. A request
costs no query beyond the session and user look-ups that authentication makes anyway.
"""

import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout

from assessments.security import SESSION_LOGIN_AT, SESSION_SEEN_AT, session_stamp


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
