"""With 40 countries × 36 indicators, the overview pages answer well under a second."""

import statistics
import time

from django.urls import reverse

from tests.factories import make_edition

from .conftest import add_countries

BUDGET_MS = 1000  # the issue asks for "well under a second"; this catches regressions, not noise


def test_forty_countries_render_fast(user_client, cycle_2022, korea_2022, capsys):  # Korea: published by the demo
    for assessment in add_countries(cycle_2022, 39):
        make_edition(assessment)
    staff = user_client("editor")
    pages = {
        "staff overview": (staff, reverse("cycle-overview", args=[2022])),
        "staff heatmap": (staff, reverse("cycle-heatmap", args=[2022])),
        "staff charts": (staff, reverse("cycle-charts", args=[2022])),
        "staff indicator": (staff, reverse("cycle-indicator", args=[2022, "BC-1"])),
    }
    timings = {}
    for label, (client, path) in pages.items():
        client.get(path)  # warm-up
        samples = []
        for _ in range(3):
            start = time.perf_counter()
            response = client.get(path)
            samples.append(1000 * (time.perf_counter() - start))
            assert response.status_code == 200
        timings[label] = statistics.median(samples)
    staff.logout()
    for label, path in {
        "public regional": reverse("public:regional", args=[2022]),
        "public indicator": reverse("public:regional-indicator", args=[2022, "BC-1"]),
        "data.csv": reverse("public:regional-csv", args=[2022]),
        "data.json": reverse("public:regional-json", args=[2022]),
        "api list": reverse("public:api-editions"),
    }.items():
        staff.get(path)
        samples = []
        for _ in range(3):
            start = time.perf_counter()
            assert staff.get(path).status_code == 200
            samples.append(1000 * (time.perf_counter() - start))
        timings[label] = statistics.median(samples)
    text = staff.get(reverse("public:regional", args=[2022])).content.decode()
    assert text.count('<tr id="hm-') == 40
    with capsys.disabled():
        print(
            "\n40 countries × 36 indicators, median of 3 (ms): " + ", ".join(f"{k} {v:.0f}" for k, v in timings.items())
        )
    slow = {label: ms for label, ms in timings.items() if ms > BUDGET_MS}
    assert not slow, slow
