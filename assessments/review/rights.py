"""Who may suggest and decide suggestions: the rules live in the one rights module (workflow.permissions)."""

from assessments.workflow.permissions import can_decide_suggestion, can_suggest_item

__all__ = ["can_decide_suggestion", "can_suggest_item"]
