"""Login and session safety: the client address for lockouts, and the login time kept in the session."""

import time

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

SESSION_LOGIN_AT = "r2p_login_at"  # epoch seconds of the login; the absolute timeout counts from it
SESSION_SEEN_AT = "r2p_seen_at"  # epoch seconds of the last expiry refresh; the idle timeout counts from it


def client_ip(request: HttpRequest) -> str | None:
    """The address login lockouts key on.

    Behind `R2P_PROXY_COUNT` reverse proxies that each append to X-Forwarded-For, the client is the entry that
    many places from the right; anything further left was written by the client and is not trusted.
    """
    proxies = settings.R2P_PROXY_COUNT
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


def session_stamp(session, *, login: bool, now: int | None = None) -> None:
    now = int(time.time()) if now is None else now
    if login:
        session[SESSION_LOGIN_AT] = now
    session[SESSION_SEEN_AT] = now


@receiver(user_logged_in, dispatch_uid="r2p-session-stamp")
def _stamp_login(sender, request, user, **kwargs) -> None:
    """Record when the session began; login() saves the session anyway, so this costs no query."""
    if request is not None and hasattr(request, "session"):
        session_stamp(request.session, login=True)
