"""Emails of the review conversation: new threads, replies, @mentions, withdrawals.

Plain functions called after commit (`transaction.on_commit`); the background-task worker can call them as they
are. Each person gets at most one email per event: a mention wins over a reply, a reply over a new thread.
"""

from django.conf import settings
from django.core.mail import send_mass_mail

from assessments.accounts.services import display_name
from assessments.models import AssessmentItem, Assignment, AssignmentRole, Comment
from assessments.review.mentions import mentioned_usernames


def _assigned(item: AssessmentItem) -> list:
    return [
        a.user
        for a in Assignment.objects.filter(country_assessment_id=item.country_assessment_id).select_related("user")
    ]


def comment_recipients(comment: Comment) -> dict[int, tuple[object, str]]:
    """user pk → (user, why) for everyone to tell about `comment`, never its author."""
    item = comment.item
    assigned = _assigned(item)
    recipients: dict[int, tuple[object, str]] = {}
    if comment.parent_id is None:
        for user in assigned:
            recipients[user.pk] = (user, "thread")
    else:
        thread = Comment.objects.filter(pk=comment.parent_id) | Comment.objects.filter(parent_id=comment.parent_id)
        for earlier in thread.select_related("author"):
            recipients[earlier.author_id] = (earlier.author, "reply")
    names = mentioned_usernames(comment.body)
    for user in assigned:
        if user.username.lower() in names:
            recipients[user.pk] = (user, "mention")
    recipients.pop(comment.author_id, None)
    return {pk: pair for pk, pair in recipients.items() if pair[0].email and pair[0].is_active}


SUBJECTS = {
    "thread": "{author} commented on {item}",
    "reply": "{author} replied on {item}",
    "mention": "{author} mentioned you on {item}",
}


def notify_comment(*, comment_id: int) -> int:
    """Email the people concerned by a new comment or reply; return how many emails were sent."""
    comment = Comment.objects.select_related(
        "author", "item__country_assessment__country", "item__country_assessment__cycle", "item__indicator"
    ).get(pk=comment_id)
    item = comment.item
    messages = []
    for user, why in comment_recipients(comment).values():
        subject = SUBJECTS[why].format(author=display_name(comment.author), item=item)
        body = f"{subject}:\n\n"
        if comment.anchor_quote:
            body += f"On the passage: “{comment.anchor_quote[:300]}”\n\n"
        body += "".join(f"> {line}\n" for line in comment.body.splitlines())
        thread = comment.parent_id or comment.pk
        body += f"\nOpen it: {settings.R2P_SITE_URL}{item.get_absolute_url()}#thread-{thread}\n"
        messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]))
    return send_mass_mail(messages, fail_silently=True) if messages else 0


def notify_withdrawn(*, item: AssessmentItem, actor) -> int:
    """Tell the reviewers that a submission was withdrawn (nothing for them to review any more)."""
    recipients = sorted(
        set(
            Assignment.objects.filter(country_assessment_id=item.country_assessment_id, role=AssignmentRole.REVIEWER)
            .exclude(user=actor)
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    )
    subject = f"{item} was withdrawn from review"
    body = f"{subject} by {display_name(actor)}.\n\nOpen it: {settings.R2P_SITE_URL}{item.get_absolute_url()}\n"
    messages = [(subject, body, settings.DEFAULT_FROM_EMAIL, [address]) for address in recipients]
    return send_mass_mail(messages, fail_silently=True) if messages else 0
