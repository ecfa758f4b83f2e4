"""Template helpers of the data (import/export) area."""

from django import template

from assessments.io.services import is_data_editor

register = template.Library()


@register.filter
def can_exchange_data(user) -> bool:
    """Editors and admins may import and export; non-staff users are answered without a query."""
    return bool(user.is_authenticated and user.is_staff and is_data_editor(user))
