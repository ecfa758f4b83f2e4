"""Emails of second assessments: the second researcher is asked (one email for the batch); once they rated, the
editor who asked is told, and the item's reviewers too when the ratings disagree. Nothing here names the first
rating to the second researcher."""

from django.conf import settings
from django.core.mail import send_mass_mail
from django.urls import reverse

from assessments.accounts.services import display_name
from assessments.models import Assignment, AssignmentRole

from .models import SecondAssessment


def _site(path: str) -> str:
    return f"{settings.R2P_SITE_URL}{path}"


def notify_second_requested(seconds: list[SecondAssessment]) -> int:
    """One email to the researcher asked, listing the indicators to rate blind."""
    if not seconds or not seconds[0].researcher.email or not seconds[0].researcher.is_active:
        return 0
    first = seconds[0]
    subject = (
        f"{display_name(first.requested_by)} asks you for {len(seconds)} blind rating{'s' if len(seconds) > 1 else ''}"
    )
    lines = [f"{subject} (second assessment, {first.item.country_assessment.cycle.year}).", ""]
    lines += [f"- {second.item}: {_site(reverse('second-rating', args=[second.pk]))}" for second in seconds]
    lines += ["", "You rate without seeing the first rating. Your queue: " + _site(reverse("dashboard"))]
    message = (subject, "\n".join(lines) + "\n", settings.DEFAULT_FROM_EMAIL, [first.researcher.email])
    return send_mass_mail([message], fail_silently=True)


def notify_second_submitted(second: SecondAssessment) -> int:
    """The editor who asked hears of the rating; the item's reviewers too when it disagrees (they settle it)."""
    item = second.item
    addresses = {second.requested_by.email} if second.requested_by.email and second.requested_by.is_active else set()
    if second.needs_settling:
        addresses |= set(
            Assignment.objects.filter(country_assessment_id=item.country_assessment_id, role=AssignmentRole.REVIEWER)
            .exclude(user__email="")
            .filter(user__is_active=True)
            .values_list("user__email", flat=True)
        )
    addresses.discard(second.researcher.email)
    if not addresses:
        return 0
    verdict = "disagrees: please settle it" if second.needs_settling else "agrees with the first rating"
    subject = f"Second assessment of {item} {verdict}"
    body = (
        f"{display_name(second.researcher)} gave {item} a blind second rating, which {verdict}.\n\n"
        f"Open the item: {_site(item.get_absolute_url())}#second-assessment\n"
        f"Agreement in {item.country_assessment.cycle.year}: "
        f"{_site(reverse('method-agreement', args=[item.country_assessment.cycle.year]))}\n"
    )
    messages = [(subject, body, settings.DEFAULT_FROM_EMAIL, [address]) for address in sorted(addresses)]
    return send_mass_mail(messages, fail_silently=True)


def notify_second_event(*, second_ids: list[int], event: str) -> int:
    seconds = list(
        SecondAssessment.objects.filter(pk__in=second_ids)
        .select_related(
            "researcher",
            "requested_by",
            "item__indicator",
            "item__country_assessment__country",
            "item__country_assessment__cycle",
        )
        .order_by("item__country_assessment__country__name", "item__indicator__position")
    )
    if event == "requested":
        return notify_second_requested(seconds)
    return sum(notify_second_submitted(second) for second in seconds)
