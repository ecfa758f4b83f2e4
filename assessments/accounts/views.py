"""Account pages r2p changes from Django's: the password reset form, throttled."""

import logging
from collections.abc import Callable

from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect

from assessments.accounts.security import client_ip, password_reset_allowed

logger = logging.getLogger("r2p.security")


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, sending at most PASSWORD_RESET_PER_ADDRESS mails per address and answering at most
    PASSWORD_RESET_PER_CLIENT requests per client per PASSWORD_RESET_WINDOW_SECONDS (assessments/limits.py).

    Over a limit, no mail is sent but the answer is the same page as always ("if an account uses that address,
    an email is on its way"), so the form tells nobody whether an address has an account or has been throttled.
    """

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        if not password_reset_allowed(self.request, email):
            logger.warning("password reset throttled for client %s", client_ip(self.request))
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


class RightRequiredMixin(LoginRequiredMixin):
    """Signed-in people for whom `right(user)` (a rule of workflow.permissions) holds; others get 403 `refusal`."""

    right: Callable
    refusal: str

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not type(self).right(request.user):  # from the class: a function, not bound to the view
            raise PermissionDenied(self.refusal)
        return super().dispatch(request, *args, **kwargs)
