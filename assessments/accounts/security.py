"""Login and session safety: the client address for lockouts, and the login time kept in the session."""

import hashlib
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


# --- throttles (password reset mail) ---------------------------------------------------------------------


def throttle_hit(scope: str, subject: str, *, limit: int, window: int) -> bool:
    """Count one request of `subject` (an address, an e-mail...) in `scope`; False once more than `limit` came
    within `window` seconds of the first. Kept in the cache named by R2P_THROTTLE_CACHE (default: "default");
    subjects are stored hashed."""
    from django.core.cache import caches

    cache = caches[getattr(settings, "R2P_THROTTLE_CACHE", "default")]
    digest = hashlib.sha256(f"{scope}\0{subject}".encode()).hexdigest()[:32]
    key = f"r2p-throttle:{scope}:{digest}"
    cache.add(key, 0, timeout=window)  # the window starts with the first request
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count <= limit


def password_reset_allowed(request: HttpRequest, email: str) -> bool:
    """Whether a password reset mail may be sent for `email` asked from this client (both counted every time)."""
    from assessments.limits import PASSWORD_RESET_PER_ADDRESS, PASSWORD_RESET_PER_CLIENT, PASSWORD_RESET_WINDOW_SECONDS

    window = PASSWORD_RESET_WINDOW_SECONDS
    by_client = throttle_hit("reset-client", client_ip(request) or "?", limit=PASSWORD_RESET_PER_CLIENT, window=window)
    by_address = throttle_hit(
        "reset-address", email.strip().casefold(), limit=PASSWORD_RESET_PER_ADDRESS, window=window
    )
    return by_client and by_address
