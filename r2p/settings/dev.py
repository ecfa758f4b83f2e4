"""Local development: debug on, SQLite in var/, console email."""

from .base import *  # noqa: F403
from .base import VAR_DIR

DEBUG = True
VAR_DIR.mkdir(parents=True, exist_ok=True)
# Each dev server process keeps its own export cache, so a changed renderer shows after a restart.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
