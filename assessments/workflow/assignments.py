"""Who researches and who reviews each country assessment; editors and admins assign."""

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.functions import Lower
from simple_history.utils import bulk_update_with_history

from assessments.accounts.services import EDITOR, RESEARCHER, REVIEWER
from assessments.models import (
    AssessmentItem,
    Assignment,
    AssignmentRole,
    Country,
    CountryAssessment,
    Cycle,
    ItemStatus,
)
from assessments.workflow import permissions

# The role group a user needs for each assignment role (editors and admins may take either).
ROLE_GROUPS = {AssignmentRole.RESEARCHER: RESEARCHER, AssignmentRole.REVIEWER: REVIEWER}


def assignable_users(role: str) -> QuerySet[User]:
    """Active users who may be given an assignment in this role."""
    return (
        User.objects.filter(is_active=True)
        .filter(Q(groups__name__in=[ROLE_GROUPS[role], EDITOR]) | Q(is_superuser=True))
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def assignment_candidates(*, exclude: list[Assignment] = ()) -> dict[str, list[User]]:
    """Role → people who may be assigned in it, minus those already holding it (one query)."""
    taken = {(assignment.role, assignment.user_id) for assignment in exclude}
    users: dict[int, User] = {}
    groups: dict[int, set[str]] = {}
    rows = (
        User.objects.filter(is_active=True)
        .filter(Q(groups__name__in=[*ROLE_GROUPS.values(), EDITOR]) | Q(is_superuser=True))
        .order_by("first_name", "last_name", "username")
        .values_list("pk", "username", "first_name", "last_name", "is_superuser", "groups__name")
    )
    for pk, username, first_name, last_name, is_superuser, group in rows:
        users.setdefault(pk, User(pk=pk, username=username, first_name=first_name, last_name=last_name))
        names = groups.setdefault(pk, set())
        if is_superuser or group == EDITOR:
            names.update(ROLE_GROUPS.values())
        elif group:
            names.add(group)
    return {
        role: [user for pk, user in users.items() if group in groups[pk] and (role, pk) not in taken]
        for role, group in ROLE_GROUPS.items()
    }


def _forget_cached_roles(user: User) -> None:
    user.__dict__.pop("_r2p_assigned_roles", None)


def assignment_problem(*, assignee: User, role: str) -> str:
    """Why `assignee` may not take `role` (empty when they may): the rule every way of assigning applies."""
    if role not in AssignmentRole.values:
        return f"{role!r} is not an assignment role."
    if not assignable_users(role).filter(pk=assignee.pk).exists():
        return f"{assignee} does not have the {ROLE_GROUPS[role]} role."
    return ""


@transaction.atomic
def assignment_create(
    *, country_assessment: CountryAssessment, assignee: User, role: str, user, reason: str | None = None
) -> Assignment:
    """Give `assignee` the role of researcher or reviewer on a country assessment."""
    if not permissions.can_assign(user):
        raise PermissionDenied("Only editors and admins assign people.")
    problem = assignment_problem(assignee=assignee, role=role)
    if problem:
        raise ValidationError(problem)
    from assessments.method.second import open_blind_ratings

    if open_blind_ratings(assignee, country_assessment):  # issue 19: assigning them would show the first ratings
        raise ValidationError(
            f"{assignee} has blind second ratings to give on {country_assessment}: an editor cancels them first."
        )
    if Assignment.objects.filter(country_assessment=country_assessment, user=assignee, role=role).exists():
        raise ValidationError(f"{assignee} is already {AssignmentRole(role).label.lower()} of {country_assessment}.")
    assignment = Assignment(country_assessment=country_assessment, user=assignee, role=role)
    assignment.full_clean()
    assignment._history_user = user
    assignment._change_reason = reason or f"assigned as {AssignmentRole(role).label.lower()}"
    assignment.save()
    _forget_cached_roles(assignee)
    return assignment


@transaction.atomic
def assignment_delete(*, assignment: Assignment, user) -> None:
    """Take an assignment away; the history keeps who had it and who removed it."""
    if not permissions.can_assign(user):
        raise PermissionDenied("Only editors and admins assign people.")
    assignment._history_user = user
    assignment._change_reason = f"unassigned as {assignment.get_role_display().lower()}"
    assignment.delete()
    if Assignment.user.is_cached(assignment):
        _forget_cached_roles(assignment.user)


@transaction.atomic
def item_review_ask(*, item: AssessmentItem, reviewer: User, user) -> Assignment:
    """An editor asks `reviewer` to review `item`, of any cycle (a correction to last cycle's annex too): the
    reviewer becomes a reviewer of the item's country assessment (kept if they already are one), so they reach the
    item and may approve it, and is told by email when the item is (or once it is) in review."""
    if not permissions.can_ask_review(user, item):
        raise PermissionDenied("Only editors ask for a review, of an item not approved yet.")
    existing = Assignment.objects.filter(
        country_assessment=item.country_assessment_id, user=reviewer, role=AssignmentRole.REVIEWER
    ).first()
    assignment = existing or assignment_create(
        country_assessment=item.country_assessment,
        assignee=reviewer,
        role=AssignmentRole.REVIEWER,
        user=user,
        reason=f"asked to review {item.label}",
    )
    if item.status == ItemStatus.IN_REVIEW:
        from assessments.background.tasks import item_notification_enqueue

        item_notification_enqueue(item=item, event="submitted", actor=user, note=f"Review asked of {reviewer}.")
    return assignment


# --- Bulk assignments from a CSV (country, researcher, reviewer[, due_date]) --------------------------------

BULK_COLUMNS = ("country", "researcher", "reviewer")
BULK_OPTIONAL = ("due_date",)
BULK_MAX_ROWS = 1000


@dataclass
class BulkRow:
    """One line of a bulk assignment file, what it names and what is wrong with it."""

    line: int
    country: str
    researcher: str
    reviewer: str
    due_date: str = ""
    errors: list[str] = field(default_factory=list)
    assessment: CountryAssessment | None = None
    researcher_user: User | None = None
    reviewer_user: User | None = None
    due: date | None = None


@dataclass
class BulkResult:
    created: int = 0
    removed: int = 0
    due_dates: int = 0
    rows: list[BulkRow] = field(default_factory=list)


class BulkAssignmentError(ValidationError):
    """The file has rows in error; nothing was written. `rows` lists every row with its errors."""

    def __init__(self, rows: list[BulkRow]):
        self.rows = rows
        bad = [row for row in rows if row.errors]
        super().__init__(
            f"Nothing was assigned: {len(bad)} of {len(rows)} row{'s' if len(rows) != 1 else ''} "
            "have errors. Correct the file and upload it again."
        )


def bulk_rows_read(content: bytes) -> list[dict[str, str]]:
    """The rows of an uploaded CSV (header: country, researcher, reviewer and optionally due_date)."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError("The file is not UTF-8 text; save it as CSV UTF-8.") from error
    reader = csv.DictReader(io.StringIO(text))
    header = {(name or "").strip().lower().replace(" ", "_"): name for name in reader.fieldnames or []}
    missing = [column for column in BULK_COLUMNS if column not in header]
    if missing:
        raise ValidationError(
            f"The file has no {', '.join(missing)} column; the first line must be: country,researcher,reviewer,due_date"
        )
    rows = []
    for row in reader:
        values = {
            column: (row.get(header[column]) or "").strip()
            for column in (*BULK_COLUMNS, *BULK_OPTIONAL)
            if column in header
        }
        if any(values.values()):
            values["line"] = str(reader.line_num)
            rows.append(values)
        if len(rows) > BULK_MAX_ROWS:
            raise ValidationError(f"The file has more than {BULK_MAX_ROWS} rows.")
    if not rows:
        raise ValidationError("The file has no rows under its header.")
    return rows


def _parse_day(text: str) -> date:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def bulk_rows_check(*, cycle: Cycle, rows: list[dict[str, str]]) -> list[BulkRow]:
    """Resolve every row (country, people, date) and list what is wrong with each, in five queries."""
    checked = [
        BulkRow(
            line=int(row.get("line") or number),
            country=row.get("country", ""),
            researcher=row.get("researcher", ""),
            reviewer=row.get("reviewer", ""),
            due_date=row.get("due_date", ""),
        )
        for number, row in enumerate(rows, start=2)
    ]
    assessments = {}
    for assessment in CountryAssessment.objects.filter(cycle=cycle).select_related("country"):
        assessments[assessment.country.code.casefold()] = assessment
        assessments[assessment.country.name.casefold()] = assessment
    known_countries = {key.casefold() for pair in Country.objects.values_list("code", "name") for key in pair}
    wanted = {name.casefold() for row in checked for name in (row.researcher, row.reviewer) if name}
    users: dict[str, User] = {}
    people = (
        list(
            User.objects.filter(is_active=True)
            .annotate(username_key=Lower("username"), email_key=Lower("email"))
            .filter(Q(username_key__in=wanted) | Q(email_key__in=wanted))
            .order_by("pk")
        )
        if wanted
        else []
    )
    for person in people:  # a username wins over someone else's email address
        users.setdefault(person.username.casefold(), person)
    for person in people:
        if person.email:
            users.setdefault(person.email.casefold(), person)
    candidates = assignment_candidates()
    eligible = {role: {person.pk for person in people} for role, people in candidates.items()}
    seen: dict[int, int] = {}
    for row in checked:
        key = row.country.casefold()
        if not row.country:
            row.errors.append("No country.")
        elif key not in assessments:
            if key in known_countries:
                row.errors.append(f"{row.country} is not in {cycle.year}: add it to the cycle first.")
            else:
                row.errors.append(f"Unknown country {row.country!r}: use its ISO code (e.g. KOR) or UN name.")
        else:
            row.assessment = assessments[key]
            if row.assessment.legacy_score is not None:
                row.errors.append(f"{row.assessment} has a published score only; nobody works on it.")
            if row.assessment.pk in seen:
                row.errors.append(f"{row.assessment.country.name} is already on line {seen[row.assessment.pk]}.")
            seen.setdefault(row.assessment.pk, row.line)
        for role, name, attribute in (
            (AssignmentRole.RESEARCHER, row.researcher, "researcher_user"),
            (AssignmentRole.REVIEWER, row.reviewer, "reviewer_user"),
        ):
            if not name:
                continue
            person = users.get(name.casefold())
            if person is None:
                row.errors.append(f"Unknown {role}: no active user {name!r}.")
            elif person.pk not in eligible[role]:
                row.errors.append(f"{name} does not have the {ROLE_GROUPS[role]} role.")
            else:
                setattr(row, attribute, person)
        if not row.researcher and not row.reviewer and not row.due_date:
            row.errors.append("Name a researcher, a reviewer or a due date.")
        if row.researcher_user and row.reviewer_user and row.researcher_user == row.reviewer_user:
            row.errors.append("The researcher cannot review their own work: name two different people.")
        if row.due_date:
            try:
                row.due = _parse_day(row.due_date)
            except ValueError:
                row.errors.append(f"{row.due_date!r} is not a date: write it as YYYY-MM-DD.")
    return checked


@transaction.atomic
def assignments_bulk_set(*, cycle: Cycle, rows: list[dict[str, str]], user, reason: str = "") -> BulkResult:
    """Assign the researcher and reviewer (and set the due date) of many country assessments of a cycle at once.

    Each row makes the named person the researcher (or reviewer) of the country, replacing whoever held the
    role; an empty cell leaves that role or date as it is. All or nothing: if any row is wrong (unknown
    country or person, a country not in the cycle, a role the person lacks, a bad date), nothing is written and
    `BulkAssignmentError.rows` says what is wrong with each row."""
    if not permissions.can_assign(user):
        raise PermissionDenied("Only editors and admins assign people.")
    checked = bulk_rows_check(cycle=cycle, rows=rows)
    if any(row.errors for row in checked):
        raise BulkAssignmentError(checked)
    reason = (reason or "").strip() or "bulk assignment"
    result = BulkResult(rows=checked)
    assessment_ids = [row.assessment.pk for row in checked]
    locked = {
        assessment.pk: assessment
        for assessment in CountryAssessment.objects.select_for_update().filter(pk__in=assessment_ids)
    }
    existing: dict[tuple[int, str], list[Assignment]] = {}
    for assignment in Assignment.objects.filter(country_assessment__in=assessment_ids).select_related("user"):
        existing.setdefault((assignment.country_assessment_id, assignment.role), []).append(assignment)
    due_changed = []
    for row in checked:
        for role, person in (
            (AssignmentRole.RESEARCHER, row.researcher_user),
            (AssignmentRole.REVIEWER, row.reviewer_user),
        ):
            if person is None:
                continue
            holders = existing.get((row.assessment.pk, role), [])
            for holder in holders:
                if holder.user_id != person.pk:
                    holder._history_user = user
                    holder._change_reason = f"unassigned as {role.label.lower()} ({reason})"
                    holder.delete()
                    _forget_cached_roles(holder.user)
                    result.removed += 1
            if not any(holder.user_id == person.pk for holder in holders):
                assignment = Assignment(country_assessment=row.assessment, user=person, role=role)
                assignment.full_clean()
                assignment._history_user = user
                assignment._change_reason = f"assigned as {role.label.lower()} ({reason})"
                assignment.save()
                _forget_cached_roles(person)
                result.created += 1
        assessment = locked[row.assessment.pk]
        if row.due is not None and assessment.due_date != row.due:
            assessment.due_date = row.due
            due_changed.append(assessment)
    if due_changed:
        bulk_update_with_history(
            due_changed,
            CountryAssessment,
            ["due_date"],
            default_user=user,
            default_change_reason=f"due date ({reason})",
        )
        result.due_dates = len(due_changed)
    return result
