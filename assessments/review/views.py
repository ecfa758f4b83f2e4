"""Review views on one item: threads on passages, replies, suggestions, withdraw, changes since a review,
presence. Each state change is a POST-only view calling one service."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views import View

from assessments.accounts.services import display_name
from assessments.history.diff import diff_counts, word_diff_html
from assessments.models import Comment, Cycle, Rating, Suggestion
from assessments.review import rights
from assessments.review.deadlines import due_dates_set
from assessments.review.forms import MailPreferenceForm
from assessments.review.presence import presence_update
from assessments.review.selectors import last_reviewed_version, mention_people, notes_at_version, review_context
from assessments.review.services import (
    comment_reply,
    item_seen_record,
    item_withdraw,
    mail_preferences_set,
    suggestion_accept,
    suggestion_create,
    suggestion_reject,
    suggestions_accept_all,
    thread_create,
)
from assessments.workflow import permissions
from assessments.workflow.comments import comment_reopen
from assessments.workflow.services import WorkflowError
from assessments.workflow.views import ItemActionView, ItemMixin


class ThreadsMixin(ItemActionView):
    def threads(self, request) -> HttpResponse:
        if not request.htmx:
            return self.back("#comments")
        context = {"item": self.item, "can_comment": True, **review_context(self.item, request.user)}
        return TemplateResponse(request, "workflow/_comments.html", context)

    def comment(self, pk: int) -> Comment:
        comment = get_object_or_404(Comment, pk=pk, item=self.item)
        comment.item = self.item
        return comment


class ThreadCreateView(ThreadsMixin):
    """Start a thread, on the selected passage when one was sent."""

    def post(self, request, *args, **kwargs):
        body = request.POST.get("body", "").strip()
        if not body:
            messages.error(request, "Write something to comment.")
            return self.threads(request)
        try:
            version = int(request.POST["version"]) if request.POST.get("version") else None
        except ValueError:
            version = None
        try:
            thread_create(
                item=self.item,
                user=request.user,
                body=body,
                quote=request.POST.get("quote", "").replace("\r\n", "\n"),
                prefix_hint=request.POST.get("prefix", "").replace("\r\n", "\n"),
                version=version,
            )
        except WorkflowError as refused:
            messages.error(request, " ".join(refused.messages))
        return self.threads(request)


class CommentReplyView(ThreadsMixin):
    def post(self, request, *args, **kwargs):
        body = request.POST.get("body", "").strip()
        if body:
            comment_reply(parent=self.comment(kwargs["pk"]), user=request.user, body=body)
        return self.threads(request)


class CommentReopenView(ThreadsMixin):
    def post(self, request, *args, **kwargs):
        comment_reopen(comment=self.comment(kwargs["pk"]), user=request.user)
        return self.threads(request)


class ItemWithdrawView(ItemActionView):
    def post(self, request, *args, **kwargs):
        try:
            item = item_withdraw(item=self.item, user=request.user)
        except WorkflowError as refused:
            messages.error(request, " ".join(refused.messages))
            return self.back("#review")
        messages.success(request, f"{item.label} is withdrawn from review and back in draft.")
        return self.back()


# --- suggestions ---------------------------------------------------------------------------------------


class SuggestionCreateView(ItemActionView):
    def post(self, request, *args, **kwargs):
        rating = request.POST.get("suggested_rating", "")
        if rating not in Rating.values or not self.item.is_indicator:
            rating = ""
        try:
            suggestion_create(
                item=self.item, user=request.user, notes=request.POST.get("suggested_notes", ""), rating=rating
            )
        except WorkflowError as refused:
            messages.error(request, " ".join(refused.messages))
            return self.back("#suggestions")
        messages.success(request, "Your suggestion is saved; the researchers can accept or reject it.")
        return self.back("#suggestions")


class SuggestionDecideView(ItemActionView):
    accept = True

    def post(self, request, *args, **kwargs):
        suggestion = get_object_or_404(Suggestion, pk=kwargs["pk"], item=self.item)
        try:
            if self.accept:
                suggestion_accept(suggestion=suggestion, user=request.user)
                messages.success(request, f"Suggestion by {display_name(suggestion.author)} accepted.")
            else:
                suggestion_reject(suggestion=suggestion, user=request.user)
                messages.success(request, f"Suggestion by {display_name(suggestion.author)} rejected.")
        except WorkflowError as refused:
            messages.error(request, " ".join(refused.messages))
        return self.back("#suggestions")


class SuggestionAcceptAllView(ItemActionView):
    def post(self, request, *args, **kwargs):
        if not rights.can_decide_suggestion(request.user, self.item):
            raise PermissionDenied("You may not accept suggestions on this item now.")
        accepted, left = suggestions_accept_all(item=self.item, user=request.user)
        note = f" {left} no longer appl{'ies' if left == 1 else 'y'} and stay open." if left else ""
        messages.success(request, f"{accepted} suggestion{'s' if accepted != 1 else ''} accepted.{note}")
        return self.back("#suggestions")


# --- changes since my last review ----------------------------------------------------------------------


class ChangesSinceView(ItemMixin, View):
    """The word diff between the version the user last acted on (or `?since=N`) and the item now."""

    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        item = self.item
        since = request.GET.get("since", "")
        version = int(since) if since.isdigit() else last_reviewed_version(item, request.user)
        old = notes_at_version(item, version) if version else None
        context = {
            "item": item,
            "assessment": item.country_assessment,
            "since_version": version,
            "known": old is not None,
            "same": old == item.notes,
            "diff": word_diff_html(old or "", item.notes) if old is not None else "",
            "counts": diff_counts(old or "", item.notes) if old is not None else (0, 0),
        }
        _seen(item, request.user)
        return TemplateResponse(request, "review/changes_since.html", context)


def _seen(item, user) -> None:
    """Record the version a reviewer has open; the cache spares the database while it does not change."""
    key = f"r2p:seen:{user.pk}:{item.pk}"
    if cache.get(key) != item.version:
        item_seen_record(item=item, user=user)
        cache.set(key, item.version, 60 * 60)


# --- presence ------------------------------------------------------------------------------------------


class PresenceView(ItemMixin, View):
    """htmx, polled every 20 s by the open editor: who else has this item open (kept in the cache, no DB)."""

    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        others = presence_update(self.item, request.user)
        _seen(self.item, request.user)  # open for 20 s or more: read
        return TemplateResponse(request, "review/_presence.html", {"item": self.item, "others": others})


# --- due dates -----------------------------------------------------------------------------------------


class CycleDueDateView(LoginRequiredMixin, View):
    """Editors set one due date for every country assessment of a cycle."""

    http_method_names = ["post"]

    def post(self, request, year: int):
        cycle = get_object_or_404(Cycle, year=year)
        if not permissions.can_assign(request.user):
            raise PermissionDenied("Only editors and admins set due dates.")
        raw = request.POST.get("due_date", "").strip()
        try:
            due = date.fromisoformat(raw) if raw else None
        except ValueError:
            messages.error(request, "Give the due date as YYYY-MM-DD.")
            return redirect(cycle.get_absolute_url())
        count = due_dates_set(cycle=cycle, due_date=due, user=request.user)
        messages.success(request, f"Due date {'set to ' + raw if due else 'cleared'} for {count} assessments.")
        return redirect(cycle.get_absolute_url())


# --- @mentions, email preferences ----------------------------------------------------------------------


class MentionPeopleView(ItemMixin, View):
    """JSON for the comment box's @mention menu: the people assigned to the item's assessment."""

    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        if not permissions.can_comment_item(request.user, self.item):
            raise PermissionDenied("You may not comment on this item.")
        return JsonResponse({"people": mention_people(self.item)})


class MailPreferencesView(LoginRequiredMixin, View):
    """Each person chooses whether r2p sends them the daily digest and due-date reminders."""

    http_method_names = ["get", "post"]
    template_name = "review/mail_preferences.html"

    def get(self, request):
        return self.render(request, MailPreferenceForm.for_user(request.user))

    def post(self, request):
        form = MailPreferenceForm(request.POST)
        if not form.is_valid():
            return self.render(request, form, status=400)
        mail_preferences_set(user=request.user, **form.cleaned_data)
        messages.success(request, "Your email choices are saved.")
        return redirect("mail-preferences")

    def render(self, request, form, status=200):
        return TemplateResponse(request, self.template_name, {"form": form}, status=status)
