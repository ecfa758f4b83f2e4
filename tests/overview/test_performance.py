"""With 40 countries × 36 indicators the overview pages render every country (their times are in `make bench`)."""

from django.urls import reverse

from tests.factories import make_edition

from .conftest import add_countries


def test_forty_countries_render(user_client, cycle_2022, korea_2022):  # Korea: published by the demo
    for assessment in add_countries(cycle_2022, 39):
        make_edition(assessment)
    staff = user_client("editor")
    for name, args in [
        ("cycle-overview", [2022]),
        ("cycle-heatmap", [2022]),
        ("cycle-charts", [2022]),
        ("cycle-indicator", [2022, "BC-1"]),
    ]:
        assert staff.get(reverse(name, args=args)).status_code == 200
    staff.logout()
    for name, args in [
        ("public:regional", [2022]),
        ("public:regional-indicator", [2022, "BC-1"]),
        ("public:regional-csv", [2022]),
        ("public:regional-json", [2022]),
        ("public:api-editions", []),
    ]:
        assert staff.get(reverse(name, args=args)).status_code == 200
    text = staff.get(reverse("public:regional", args=[2022])).content.decode()
    assert text.count('<tr id="hm-') == 40
