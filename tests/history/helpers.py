"""Helpers shared by the history tests."""

from tests.rows import EDITORIAL, history_rows

__all__ = ["EDITORIAL", "history_rows", "new_rows"]


def new_rows(before: dict[str, int]) -> dict[str, int]:
    """Historical rows written since `before`, per model, leaving out models with none."""
    after = history_rows()
    return {name: after[name] - count for name, count in before.items() if after[name] != count}
