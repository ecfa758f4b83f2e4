"""Forms of the review feature."""

from django import forms

from assessments.models import MailPreference


class MailPreferenceForm(forms.Form):
    daily_digest = forms.BooleanField(
        required=False,
        label="Daily digest",
        help_text=MailPreference._meta.get_field("daily_digest").help_text,
    )
    due_reminders = forms.BooleanField(
        required=False,
        label="Due-date reminders",
        help_text=MailPreference._meta.get_field("due_reminders").help_text,
    )

    @classmethod
    def for_user(cls, user) -> "MailPreferenceForm":
        preference = MailPreference.objects.filter(user=user).first() or MailPreference()
        return cls(initial={"daily_digest": preference.daily_digest, "due_reminders": preference.due_reminders})
