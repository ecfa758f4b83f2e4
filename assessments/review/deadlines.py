"""Due dates, reminders and the daily digest.

`send_due_reminders` and `send_daily_digests` are run by the background worker (`daily_mail_run`, enqueued by
`r2p_worker` every few minutes; never from a request); each person gets at most one email of each kind per day
(`DigestSent`), however often they are called, and none of a kind they turned off (`MailPreference`).
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from assessments.accounts.services import display_name
from assessments.models import (
    AssessmentItem,
    Assignment,
    AssignmentRole,
    Comment,
    CountryAssessment,
    Cycle,
    DigestKind,
    DigestSent,
    ItemStatus,
    MailPreference,
)
from assessments.review.mentions import mentioned_usernames

REMIND_BEFORE = (7, 1)  # days before the due date
REMIND_AFTER = (1, 7, 14)  # days after it


def effective_due(assignment_due: date | None, assessment_due: date | None) -> date | None:
    """A person's due date: their assignment's, else the assessment's."""
    return assignment_due or assessment_due


def due_state(due: date | None, today: date) -> str:
    """ "overdue", "due" (within a week) or "" (later, or no date)."""
    if due is None:
        return ""
    if due < today:
        return "overdue"
    return "due" if (due - today).days <= 7 else ""


@transaction.atomic
def due_dates_set(*, cycle: Cycle, due_date: date | None, user, reason: str = "") -> int:
    """Give every country assessment of a cycle the same due date (in bulk, with history); return how many."""
    assessments = list(CountryAssessment.objects.select_for_update().filter(cycle=cycle, legacy_score__isnull=True))
    for assessment in assessments:
        assessment.due_date = due_date
    if assessments:
        bulk_update_with_history(
            assessments,
            CountryAssessment,
            ["due_date"],
            default_user=user,
            default_change_reason=reason or f"due date set to {due_date or 'none'}",
        )
    return len(assessments)


def _claim(user_id: int, day: date, kind: str) -> bool:
    """Record that `kind` is sent to the user today; False if it already was."""
    try:
        with transaction.atomic():
            DigestSent.objects.create(user_id=user_id, day=day, kind=kind)
    except IntegrityError:
        return False
    return True


def _opted_out(field_name: str) -> set[int]:
    """Users who turned off one kind of email (one query)."""
    return set(MailPreference.objects.filter(**{field_name: False}).values_list("user_id", flat=True))


def _footer() -> str:
    from django.urls import reverse

    return f"\n--\nChoose what r2p emails you: {settings.R2P_SITE_URL}{reverse('mail-preferences')}\n"


# --- reminders -----------------------------------------------------------------------------------------


def send_due_reminders(*, today: date | None = None) -> int:
    """Remind people of assessments due in 7 or 1 days, or overdue by 1, 7 or 14 days, that are not yet
    fully approved; one email per person per day. Returns the number of emails sent."""
    today = today or timezone.localdate()
    unfinished = AssessmentItem.objects.exclude(status=ItemStatus.APPROVED).values("country_assessment_id")
    assignments = (
        Assignment.objects.filter(user__is_active=True, country_assessment__in=unfinished)
        .exclude(user__email="")
        .filter(Q(due_date__isnull=False) | Q(country_assessment__due_date__isnull=False))
        .select_related("user", "country_assessment__country", "country_assessment__cycle")
    )
    lines: dict[int, tuple] = {}
    for assignment in assignments:
        due = effective_due(assignment.due_date, assignment.country_assessment.due_date)
        days = (due - today).days
        what = f"{assignment.country_assessment} ({assignment.get_role_display().lower()})"
        if days in REMIND_BEFORE:
            line = f"{what}: due in {days} day{'s' if days != 1 else ''}, on {due:%d %B %Y}"
        elif -days in REMIND_AFTER:
            line = f"{what}: overdue by {-days} day{'s' if days != -1 else ''} (was due {due:%d %B %Y})"
        else:
            continue
        user, found = lines.setdefault(assignment.user_id, (assignment.user, []))
        found.append(f"- {line}\n  {settings.R2P_SITE_URL}{assignment.country_assessment.get_absolute_url()}")
    sent = 0
    opted_out = _opted_out("due_reminders")
    for user_id, (user, found) in sorted(lines.items()):
        if user_id in opted_out or not _claim(user_id, today, DigestKind.REMINDER):
            continue
        greeting = f"Hello {display_name(user)},\n\nThese assessments need your work:\n\n"
        body = greeting + "\n".join(found) + "\n" + _footer()
        sent += send_mail("r2p: due dates", body, settings.DEFAULT_FROM_EMAIL, [user.email], fail_silently=True)
    return sent


# --- the daily digest ----------------------------------------------------------------------------------


@dataclass
class Digest:
    user: object
    comments: list[str] = field(default_factory=list)
    mentions: list[str] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.comments or self.mentions or self.waiting)

    def body(self) -> str:
        parts = [f"Hello {display_name(self.user)},\n"]
        for title, lines in (
            ("You were mentioned", self.mentions),
            ("New comments on your assessments", self.comments),
            ("Waiting for you", self.waiting),
        ):
            if lines:
                parts.append(f"\n{title}:\n" + "\n".join(lines) + "\n")
        return "".join(parts)


def daily_digests(*, now=None) -> dict[int, Digest]:
    """What each assigned person would read in today's digest (comments and mentions of the last 24 hours,
    by others; items waiting for them). Four queries, whatever the number of people."""
    now = now or timezone.now()
    assignments = list(Assignment.objects.filter(user__is_active=True).exclude(user__email="").select_related("user"))
    by_assessment: dict[int, list] = {}
    for assignment in assignments:
        by_assessment.setdefault(assignment.country_assessment_id, []).append(assignment)
    digests: dict[int, Digest] = {}

    def digest(user) -> Digest:
        return digests.setdefault(user.pk, Digest(user))

    comments = Comment.objects.filter(created_at__gt=now - timedelta(days=1), created_at__lte=now).select_related(
        "author", "item__country_assessment__country", "item__country_assessment__cycle", "item__indicator"
    )
    for comment in comments:
        people = {a.user.pk: a.user for a in by_assessment.get(comment.item.country_assessment_id, [])}
        mentioned = mentioned_usernames(comment.body)
        link = f"{settings.R2P_SITE_URL}{comment.item.get_absolute_url()}#thread-{comment.parent_id or comment.pk}"
        line = f"- {display_name(comment.author)} on {comment.item}: {comment.body[:140]}\n  {link}"
        for user in people.values():
            if user.pk == comment.author_id:
                continue
            (digest(user).mentions if user.username.lower() in mentioned else digest(user).comments).append(line)
    waiting = AssessmentItem.objects.filter(
        status__in=[ItemStatus.IN_REVIEW, ItemStatus.CHANGES_REQUESTED], country_assessment__in=list(by_assessment)
    ).select_related("country_assessment__country", "country_assessment__cycle", "indicator")
    for item in waiting:
        wanted = AssignmentRole.REVIEWER if item.status == ItemStatus.IN_REVIEW else AssignmentRole.RESEARCHER
        for assignment in by_assessment.get(item.country_assessment_id, []):
            if assignment.role == wanted and assignment.user_id != (
                item.last_edited_by_id if wanted == AssignmentRole.REVIEWER else None
            ):
                verb = "to review" if wanted == AssignmentRole.REVIEWER else "returned with changes requested"
                digest(assignment.user).waiting.append(
                    f"- {item} ({verb})\n  {settings.R2P_SITE_URL}{item.get_absolute_url()}"
                )
    return {pk: d for pk, d in digests.items() if d}


def send_daily_digests(*, now=None) -> int:
    """Send each person their daily digest, at most once a day; return the number of emails sent."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    sent = 0
    opted_out = _opted_out("daily_digest")
    for user_id, digest in sorted(daily_digests(now=now).items()):
        if user_id in opted_out or not _claim(user_id, today, DigestKind.DIGEST):
            continue
        subject = f"r2p daily digest, {today:%d %B %Y}"
        body = digest.body() + _footer()
        sent += send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [digest.user.email], fail_silently=True)
    return sent


# --- the daily run -------------------------------------------------------------------------------------


def daily_mail_run(*, now=None) -> dict[str, int] | None:
    """Send today's reminders and digests once the day's mail hour has come (None before it).

    Safe to call as often as the worker likes: each person's email of a kind is claimed once a day."""
    now = now or timezone.now()
    if timezone.localtime(now).hour < settings.R2P_DAILY_MAIL_HOUR:
        return None
    return {"reminders": send_due_reminders(today=timezone.localdate(now)), "digests": send_daily_digests(now=now)}
