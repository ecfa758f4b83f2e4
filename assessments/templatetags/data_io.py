"""Template helpers of the data (import/export) area."""

from django import template

from assessments.services.accounts import is_editor

register = template.Library()


@register.filter
def can_exchange_data(user) -> bool:
    """Editors and admins may import and export; non-staff users are answered without a query."""
    if not user.is_authenticated or not user.is_staff:
        return False
    if not hasattr(user, "_r2p_is_editor"):
        user._r2p_is_editor = is_editor(user)
    return user._r2p_is_editor
