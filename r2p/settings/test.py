"""Test run: fast hashing, in-memory email, no lockouts between tests unless a test enables them."""

import tempfile
from pathlib import Path

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

# Tasks run in-process when enqueued (the test is the worker); tests/background runs the same tasks on the
# database backend, and on RQ when REDIS_URL is set (make test-pg).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="r2p-test-media-"))
# The tests drive RQ through django_rq's functions; its app (the admin's RQ dashboard, the rqworker command) is
# for deployments and stays out, so the URL matrix and the backup are the same with and without Redis.
INSTALLED_APPS = [app for app in INSTALLED_APPS if app != "django_rq"]  # noqa: F405
if REDIS_URL:  # noqa: F405
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 600}}  # noqa: F405
    RQ = {"JOB_CLASS": "django_tasks_rq.backend.Job"}
