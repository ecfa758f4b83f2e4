"""Pages anyone can read: published annexes only."""

from django.views.generic import ListView

from assessments.models import Edition


class AnnexListView(ListView):
    template_name = "public/annex_list.html"
    context_object_name = "editions"

    def get_queryset(self):
        return Edition.objects.select_related("country_assessment__country", "country_assessment__cycle").order_by(
            "-country_assessment__cycle__year", "country_assessment__country__name", "-number"
        )
