"""Reads of the review feature: versions from history, threads, suggestions, what changed since a review."""

from dataclasses import dataclass, field

from django.db.models import Max

from assessments.accounts.services import display_name
from assessments.models import AssessmentItem, Comment, CommentKind, ItemSeen, ItemStatus, Rating, Suggestion
from assessments.review.anchors import REMOVED, Anchor, Located, locate
from assessments.review.suggestions import Rebased, rebase


def notes_at_version(item: AssessmentItem, version: int) -> str | None:
    """The item's notes as saved at `version` (from its history), or None when history does not have it."""
    row = item.history.filter(version=version).order_by("-history_date", "-history_id").values("notes").first()
    return None if row is None else row["notes"]


# --- threads -------------------------------------------------------------------------------------------


@dataclass
class Thread:
    comment: Comment
    replies: list[Comment] = field(default_factory=list)
    located: Located | None = None  # where its passage is in the notes now (None: not on a passage)

    @property
    def pk(self) -> int:
        return self.comment.pk

    @property
    def is_open(self) -> bool:
        return not self.comment.is_resolved

    @property
    def requests_changes(self) -> bool:
        return self.comment.kind == CommentKind.CHANGES_REQUESTED

    @property
    def anchored(self) -> bool:
        return bool(self.comment.anchor_quote)


def threads_for(item: AssessmentItem, notes: str | None = None) -> list[Thread]:
    """The item's threads with their replies (one query), each anchored passage located in `notes`.

    Open requests for changes come first, then threads on a passage in the order of the text (passages
    removed last), then the other threads by date."""
    notes = item.notes if notes is None else notes
    comments = list(item.comments.select_related("author", "resolved_by").order_by("created_at", "pk"))
    threads: dict[int, Thread] = {}
    for comment in comments:
        if comment.parent_id is None:
            threads[comment.pk] = Thread(comment)
    for comment in comments:
        if comment.parent_id is not None and comment.parent_id in threads:
            threads[comment.parent_id].replies.append(comment)
    for thread in threads.values():
        c = thread.comment
        if c.anchor_quote:
            thread.located = locate(Anchor(c.anchor_quote, c.anchor_prefix, c.anchor_suffix), notes)

    def order(thread: Thread):
        if thread.requests_changes and thread.is_open:
            return (0, -thread.comment.created_at.timestamp(), 0)
        if thread.located is not None:
            position = thread.located.start if thread.located.state != REMOVED else len(notes) + 1
            return (1, position, thread.pk)
        return (2, thread.comment.created_at.timestamp(), thread.pk)

    return sorted(threads.values(), key=order)


def open_thread_count(item: AssessmentItem) -> int:
    return item.comments.threads().open().count()


# --- suggestions ---------------------------------------------------------------------------------------


@dataclass
class ShownSuggestion:
    suggestion: Suggestion
    rebased: Rebased
    diff: str


def suggestions_for(item: AssessmentItem) -> list[ShownSuggestion]:
    """Open suggestions on the item (one query), each rebased onto the current version with its word diff."""
    shown = []
    for suggestion in item.suggestions.open().select_related("author").order_by("created_at", "pk"):
        rebased = rebase(suggestion, item)
        shown.append(ShownSuggestion(suggestion, rebased, rebased.diff_html(item.notes, suggestion)))
    return shown


def contributions_since(item: AssessmentItem, since=None) -> list[tuple[int, int]]:
    """(suggester, acceptor) user ids of suggestions accepted into the item after `since` (four-eyes per
    contribution: the suggester's text was seen by the acceptor)."""
    accepted = item.suggestions.accepted()
    if since is not None:
        accepted = accepted.filter(decided_at__gt=since)
    return list(accepted.values_list("author_id", "decided_by_id"))


# --- withdrawing, changes since a review ---------------------------------------------------------------


def submitted_at(item: AssessmentItem):
    """When the item's current stay in review began (None if it is not in review)."""
    if item.status != ItemStatus.IN_REVIEW:
        return None
    before = (
        item.history.exclude(status=ItemStatus.IN_REVIEW)
        .order_by("-history_date", "-history_id")
        .values_list("history_date", flat=True)
        .first()
    )
    return before


def reviewer_acted_since_submission(item: AssessmentItem) -> bool:
    """Whether anyone but its researchers commented on or suggested changes to the item since it was submitted."""
    since = submitted_at(item)
    if since is None:
        return False
    from assessments.models import Assignment, AssignmentRole

    researchers = Assignment.objects.filter(
        country_assessment_id=item.country_assessment_id, role=AssignmentRole.RESEARCHER
    ).values("user_id")
    others_comment = item.comments.filter(created_at__gt=since).exclude(author__in=researchers)
    others_suggest = item.suggestions.filter(created_at__gt=since).exclude(author__in=researchers)
    return others_comment.exists() or others_suggest.exists()


def last_reviewed_version(item: AssessmentItem, user) -> int | None:
    """The latest version of the item the user saw before this one or acted on: had it open in the editor,
    changed its state or content, commented, suggested."""
    seen = ItemSeen.objects.filter(user=user, item=item).first()
    versions = [
        seen.base_before(item.version) if seen else None,
        item.history.filter(history_user=user).aggregate(v=Max("version"))["v"],
        item.comments.filter(author=user).aggregate(v=Max("item_version"))["v"],
        item.suggestions.filter(author=user).aggregate(v=Max("base_version"))["v"],
    ]
    known = [v for v in versions if v is not None]
    return max(known) if known else None


def review_context(item: AssessmentItem, user, notes: str | None = None) -> dict:
    """What the editor and the thread partial need of the review feature (two queries: comments, suggestions)."""
    from assessments.review import rights
    from assessments.workflow import permissions

    threads = threads_for(item, notes)
    return {
        "threads": threads,
        "open_threads": sum(1 for thread in threads if thread.is_open),
        "suggestions": suggestions_for(item),
        "can_suggest": rights.can_suggest_item(user, item),
        "can_decide_suggestions": rights.can_decide_suggestion(user, item),
        "can_withdraw": permissions.can_withdraw_item(user, item),
        "ratings": Rating.choices,
    }


def mention_people(item: AssessmentItem) -> list[dict[str, str]]:
    """The people a comment on the item can @mention: those assigned to its country assessment (one query)."""
    from assessments.models import Assignment

    assigned = (
        Assignment.objects.filter(country_assessment_id=item.country_assessment_id, user__is_active=True)
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "user__username")
    )
    people: dict[str, dict[str, str]] = {}
    for assignment in assigned:
        user = assignment.user
        entry = people.setdefault(user.username, {"username": user.username, "name": display_name(user), "roles": ""})
        role = assignment.get_role_display().lower()
        entry["roles"] = f"{entry['roles']}, {role}" if entry["roles"] else role
    return list(people.values())
