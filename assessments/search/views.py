"""The search pages: staff search (everything the person may see) and the public search (published annexes)."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from .forms import SearchForm
from .highlight import marked_html, notes_readable
from .selectors import SearchResults, search_public, search_staff


def _present(results: SearchResults) -> None:
    """Escape and mark the snippets once, here, so templates only print them."""
    for group in results.groups:
        for hit in group.hits:
            hit.title_html = marked_html(hit.title)
            hit.snippet_html = marked_html(notes_readable(hit.snippet))


class SearchView(LoginRequiredMixin, TemplateView):
    template_name = "search/search.html"
    public = False

    def get_template_names(self):
        if self.request.htmx and not self.request.htmx.boosted:
            return ["search/_results.html"]
        return [self.template_name]

    def search(self, form: SearchForm) -> SearchResults:
        return search_staff(user=self.request.user, text=form.text, filters=form.filters())

    def get_context_data(self, **kwargs):
        form = SearchForm(self.request.GET or None, public=self.public)
        results = self.search(form)
        _present(results)
        return {**super().get_context_data(**kwargs), "form": form, "results": results, "public": self.public}


class PublicSearchView(SearchView):
    """Published annexes only (their current editions), for everyone."""

    template_name = "search/public_search.html"
    public = True

    def dispatch(self, request, *args, **kwargs):
        return TemplateView.dispatch(self, request, *args, **kwargs)

    def search(self, form: SearchForm) -> SearchResults:
        return search_public(text=form.text, filters=form.filters())
