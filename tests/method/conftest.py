from datetime import date

import pytest

from assessments.models import Cycle


@pytest.fixture
def people(demo, django_user_model):
    return {name: django_user_model.objects.get(username=name) for name in ["researcher", "reviewer", "editor"]}


@pytest.fixture
def covered_2025(demo) -> Cycle:
    """The 2025 cycle with its coverage period set (which switches the change-rationale rule on)."""
    cycle = Cycle.objects.get(year=2025)
    cycle.coverage_start, cycle.coverage_end = date(2022, 7, 1), date(2025, 6, 30)
    cycle.save()
    return cycle
