"""Email the right people when an item moves through review."""

from django.conf import settings
from django.core.mail import send_mass_mail

from assessments.accounts.services import display_name
from assessments.models import AssessmentItem, Assignment, AssignmentRole

SUBJECTS = {
    "submitted": "{item} is ready for your review",
    "changes_requested": "Changes requested on {item}",
    "approved": "{item} was approved",
    "reopened": "{item} was reopened",
}
# Who hears about each event: reviewers are told of new work; researchers of the outcome.
AUDIENCE = {
    "submitted": [AssignmentRole.REVIEWER],
    "changes_requested": [AssignmentRole.RESEARCHER],
    "approved": [AssignmentRole.RESEARCHER],
    "reopened": [AssignmentRole.RESEARCHER, AssignmentRole.REVIEWER],
}


def notify_item_event(*, item: AssessmentItem, event: str, actor, note: str = "") -> int:
    """Send one email per recipient (with the reviewer's comment or the reopening reason); return how many."""
    recipients = sorted(
        set(
            Assignment.objects.filter(country_assessment_id=item.country_assessment_id, role__in=AUDIENCE[event])
            .exclude(user=actor)
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    )
    if not recipients:
        return 0
    subject = SUBJECTS[event].format(item=item)
    actor_name = display_name(actor)
    body = f"{subject} by {actor_name}.\n\n"
    if note.strip():
        body += "".join(f"> {line}\n" for line in note.strip().splitlines()) + "\n"
    body += f"Open it: {settings.R2P_SITE_URL}{item.get_absolute_url()}\n"
    messages = [(subject, body, settings.DEFAULT_FROM_EMAIL, [address]) for address in recipients]
    return send_mass_mail(messages, fail_silently=True)
