"""The review tests use the workflow fixtures (the demo people, Korea 2025's BC-1)."""

from tests.background.conftest import queue  # noqa: F401  (the real task queues, for the daily mail)
from tests.workflow.conftest import item  # noqa: F401
