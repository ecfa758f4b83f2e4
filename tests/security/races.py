"""Two users acting on the same item at the same moment: exactly one wins, the other is told, nothing is lost.

Used by test_concurrency.py on PostgreSQL (in the test database) and, through sqlite_races.py, on a SQLite file
in a subprocess (pytest's in-memory SQLite database behaves differently under threads from the real file).

Each trial starts two threads at a barrier; the window between reading the item and writing it is widened by
`RACE_WINDOW` seconds, so without the row lock (PostgreSQL) or the immediate write transaction (SQLite) both
would read the same version and both would "win".
"""

import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import connections

from assessments.models import AssessmentItem, Assignment, AssignmentRole, ItemStatus
from assessments.workflow import content
from assessments.workflow.services import (
    EditConflict,
    item_approve,
    item_reopen,
    item_request_changes,
    item_submit,
    item_update,
)

RACE_WINDOW = 0.02
REFUSALS = (EditConflict, PermissionDenied)


@dataclass
class Summary:
    scenario: str
    trials: int = 0
    one_winner: int = 0
    silent_overwrites: int = 0  # both "won", or the item does not hold exactly the winner's change
    problems: list[str] = field(default_factory=list)


@contextmanager
def widened_race_window(seconds: float = RACE_WINDOW):
    original = content.items_locked

    def slow(items):
        current = original(items)
        if threading.current_thread() is not threading.main_thread():  # only the racers, not the set-up
            time.sleep(seconds)
        return current

    content.items_locked = slow
    try:
        yield
    finally:
        content.items_locked = original


def race(*calls: Callable[[], object]) -> list[object]:
    """Run the calls in parallel threads released together; each one's result or exception."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(index: int, call: Callable[[], object]) -> None:
        try:
            barrier.wait()
            results[index] = call()
        except Exception as error:  # the outcome under test
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def fresh(pk: int) -> AssessmentItem:
    return AssessmentItem.objects.get(pk=pk)


def _judge(summary: Summary, trial: int, results: list[object], check: Callable[[int], list[str]]) -> None:
    summary.trials += 1
    winners = [i for i, result in enumerate(results) if not isinstance(result, Exception)]
    unexpected = [repr(r) for r in results if isinstance(r, Exception) and not isinstance(r, REFUSALS)]
    if unexpected:
        summary.problems.append(f"trial {trial}: unexpected errors {unexpected}")
        return
    if len(winners) != 1:
        summary.silent_overwrites += len(winners) > 1
        summary.problems.append(f"trial {trial}: {len(winners)} winners {results}")
        return
    problems = check(winners[0])
    if problems:
        summary.silent_overwrites += 1
        summary.problems += [f"trial {trial}: {problem}" for problem in problems]
    else:
        summary.one_winner += 1


def edits(item_pk: int, users: tuple[User, User], trials: int) -> Summary:
    """Two people save the same item, both from the version they opened."""
    summary = Summary("edit vs edit")
    for trial in range(trials):
        before = fresh(item_pk)
        rows = before.history.count()
        texts = [f"Text of writer {n} in trial {trial}" for n in (0, 1)]
        results = race(
            *[
                lambda n=n, version=before.version, texts=texts: item_update(
                    item=fresh(item_pk), user=users[n], expected_version=version, notes=texts[n]
                )
                for n in (0, 1)
            ]
        )

        def check(winner: int, before=before, rows=rows, texts=texts) -> list[str]:
            after = fresh(item_pk)
            problems = []
            if after.notes != texts[winner]:
                problems.append(f"notes are {after.notes!r}, not the winner's")
            if after.version != before.version + 1:
                problems.append(f"version {before.version} → {after.version}")
            if after.history.count() != rows + 1:
                problems.append(f"{after.history.count() - rows} history rows for one change")
            return problems

        _judge(summary, trial, results, check)
    return summary


def _make_in_review(item_pk: int, researcher: User, editor: User, trial: int) -> AssessmentItem:
    item = fresh(item_pk)
    if item.status == ItemStatus.APPROVED:
        item = item_reopen(item=item, user=editor, reason="next trial")
    if item.status == ItemStatus.IN_REVIEW:
        return item
    item = item_update(item=item, user=researcher, expected_version=item.version, notes=f"Notes for trial {trial}")
    return item_submit(item=item, user=researcher)


def verdicts(item_pk: int, researcher, reviewers: tuple[User, User], editor, trials: int, *, mixed: bool) -> Summary:
    """Two reviewers decide on the same item in review: both approve, or one approves as the other returns it."""
    summary = Summary("approve vs request changes" if mixed else "approve vs approve")
    for trial in range(trials):
        before = _make_in_review(item_pk, researcher, editor, trial)
        rows = before.history.count()
        second = (
            (
                lambda why=f"Change it ({trial})": item_request_changes(
                    item=fresh(item_pk), user=reviewers[1], comment=why
                )
            )
            if mixed
            else (lambda: item_approve(item=fresh(item_pk), user=reviewers[1]))
        )
        results = race(lambda: item_approve(item=fresh(item_pk), user=reviewers[0]), second)

        def check(winner: int, before=before, rows=rows) -> list[str]:
            after = fresh(item_pk)
            wanted = ItemStatus.APPROVED if winner == 0 or not mixed else ItemStatus.CHANGES_REQUESTED
            problems = []
            if after.status != wanted:
                problems.append(f"status {after.status}, the winner made it {wanted}")
            if after.notes != before.notes or after.version != before.version:
                problems.append("content changed by a review decision")
            if after.history.count() != rows + 1:
                problems.append(f"{after.history.count() - rows} history rows for one decision")
            return problems

        _judge(summary, trial, results, check)
    return summary


def _make_editable(item_pk: int, researcher, reviewer, editor, trial: int) -> AssessmentItem:
    item = fresh(item_pk)
    if item.status == ItemStatus.IN_REVIEW:
        item = item_request_changes(item=item, user=reviewer, comment=f"Back to you ({trial})")
    elif item.status == ItemStatus.APPROVED:
        item = item_reopen(item=item, user=editor, reason="next trial")
    return item


def submit_vs_edit(item_pk: int, researcher, reviewer, editor, trials: int) -> Summary:
    """The researcher submits the version they see while an editor saves a change to it."""
    summary = Summary("submit vs edit")
    for trial in range(trials):
        before = _make_editable(item_pk, researcher, reviewer, editor, trial)
        rows = before.history.count()
        edit = f"Editor's change in trial {trial}"
        results = race(
            lambda v=before.version: item_submit(item=fresh(item_pk), user=researcher, expected_version=v),
            lambda v=before.version, edit=edit: item_update(
                item=fresh(item_pk), user=editor, expected_version=v, notes=edit
            ),
        )

        def check(winner: int, before=before, rows=rows, edit=edit) -> list[str]:
            after = fresh(item_pk)
            problems = []
            if winner == 0 and (after.status != ItemStatus.IN_REVIEW or after.notes != before.notes):
                problems.append(f"submitted, but status {after.status} and notes {after.notes!r}")
            if winner == 1 and (after.status != before.status or after.notes != edit):
                problems.append(f"edited, but status {after.status} and notes {after.notes!r}")
            if after.history.count() != rows + 1:
                problems.append(f"{after.history.count() - rows} history rows for one action")
            return problems

        _judge(summary, trial, results, check)
    return summary


def run_all(trials: int) -> list[Summary]:
    """All scenarios on Republic of Korea 2025 of the demo data (loaded by the caller)."""
    users = {user.username: user for user in User.objects.filter(username__in=["researcher", "reviewer", "editor"])}
    second_reviewer, _ = User.objects.get_or_create(username="second-reviewer", defaults={"email": "r2@example.org"})
    item = AssessmentItem.objects.get(
        country_assessment__country__code="KOR", country_assessment__cycle__year=2025, indicator__code="BC-1"
    )
    Assignment.objects.get_or_create(
        country_assessment=item.country_assessment, user=second_reviewer, role=AssignmentRole.REVIEWER
    )
    item = item_update(item=item, user=users["researcher"], expected_version=item.version, rating="fair", notes="Start")
    researcher, reviewer, editor = users["researcher"], users["reviewer"], users["editor"]
    with widened_race_window():
        return [
            edits(item.pk, (researcher, editor), trials),
            submit_vs_edit(item.pk, researcher, reviewer, editor, trials),
            verdicts(item.pk, researcher, (reviewer, second_reviewer), editor, trials, mixed=False),
            verdicts(item.pk, researcher, (reviewer, second_reviewer), editor, trials, mixed=True),
        ]
