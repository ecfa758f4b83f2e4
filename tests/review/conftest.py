"""The review tests use the workflow fixtures (the demo people, Korea 2025's BC-1)."""

from tests.workflow.conftest import item  # noqa: F401
