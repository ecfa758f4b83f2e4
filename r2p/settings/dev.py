"""Local development: debug on, SQLite in var/, console email."""

from .base import *  # noqa: F403
from .base import REDIS_URL, VAR_DIR

DEBUG = True
VAR_DIR.mkdir(parents=True, exist_ok=True)
# Each dev server process keeps its own export cache, so a changed renderer shows after a restart.
if not REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
