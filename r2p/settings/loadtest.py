"""`make loadtest`: production settings (DEBUG off), served over plain HTTP on loopback.

The database is var/loadtest/db.sqlite3 (R2P_VAR_DIR overrides the directory) or DATABASE_URL.
"""

import os
from pathlib import Path

os.environ.setdefault("R2P_VAR_DIR", str(Path(__file__).resolve().parent.parent.parent / "var" / "loadtest"))

from .base import *  # noqa: E402, F403
from .base import STATIC_ROOT, VAR_DIR  # noqa: E402

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# Server errors are printed; the 409 answers to edit conflicts, which the load test provokes, are not.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {"django.request": {"level": "ERROR"}},
}
VAR_DIR.mkdir(parents=True, exist_ok=True)
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # the pages' CSS is not fetched by the load test
# The simulated staff share two demo accounts (editor, reviewer): a per-person limit on draft previews would
# count as one person's the work of dozens.
R2P_DRAFT_RENDERS_PER_MINUTE = int(os.environ.get("R2P_DRAFT_RENDERS_PER_MINUTE", "100000"))
