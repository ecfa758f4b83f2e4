"""Test run: fast hashing, in-memory email, no lockouts between tests unless a test enables them."""

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ALLOWED_HOSTS = ["*"]
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # Throttle counters apart from the render cache, so tests/conftest.py can clear them before each test.
    "throttle": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "r2p-throttle"},
}
R2P_THROTTLE_CACHE = "throttle"

# Tests serve static files through the finders; whitenoise need not warn that collectstatic never ran.
WHITENOISE_AUTOREFRESH = True
