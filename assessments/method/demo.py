"""Demo (and benchmark) method data: coverage periods of the demo cycles and a codebook for every indicator.

A few indicators get guidance written for them; the others get guidance built from the indicator's title, so
that every indicator of every demo cycle has a question and a meaning for each level."""

from datetime import date

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from assessments.models import Cycle, Indicator

from .codebook import GUIDANCE_FIELDS
from .models import IndicatorGuidance

# Three years up to the middle of the cycle's year, as the 2022 annex covers July 2019 to June 2022. The cycle
# being written (2025) gets its period only when asked (`loaddemo --with-2025-coverage`): the change-rationale
# rule applies once a cycle has a period, and the benchmark dataset (benchmarks/dataset.py) and the tests written
# before the rule change 2025 ratings without a rationale.
COVERAGE = {year: (date(year - 3, 7, 1), date(year, 6, 30)) for year in (2019, 2022, 2025)}
COVERED_BY_DEFAULT = (2019, 2022)

WRITTEN = {
    "BC-1": (
        "Did the state protect its populations from genocide, war crimes, ethnic cleansing and crimes against "
        "humanity during the period?",
        "No atrocity crimes or credible allegations of them; protection is routine and verified independently.",
        "No atrocity crimes; isolated, investigated allegations of serious violations.",
        "No atrocity crimes, but serious violations against some groups that are not consistently addressed.",
        "Credible reports of violations that may amount to atrocity crimes, or failure to protect a group at risk.",
        "The state commits or permits atrocity crimes, or fails entirely to protect a population from them.",
    ),
    "BC-2": (
        "Did the state reduce the risk factors for atrocity crimes (UN Framework of Analysis) during the period?",
        "Risk factors are low and falling, with a deliberate national prevention effort.",
        "Risk factors are low or falling; prevention is part of policy without a dedicated effort.",
        "Some risk factors persist or rise without a clear response.",
        "Several risk factors rise, and state policy contributes to some of them.",
        "Risk factors are high and rising, and the state drives them.",
    ),
    "BC-3": (
        "Has the state dealt with past atrocities through truth, justice, reparation and guarantees of non-recurrence?",
        "Comprehensive transitional justice, with prosecutions, reparations and a public record.",
        "Substantial measures in place; some gaps in reparation or accountability.",
        "Partial or stalled measures, or no past atrocities requiring them are acknowledged.",
        "Measures are token, reversed, or resisted by the state.",
        "Past atrocities are denied, and victims or those who document them are persecuted.",
    ),
    "PM-1": (
        "Has the state appointed a national R2P Focal Point, and does the Focal Point work?",
        "A senior Focal Point, active in the Global Network and coordinating across government.",
        "A Focal Point appointed and participating in the Global Network.",
        "A Focal Point appointed, with little sign of activity.",
        "No Focal Point, but the state has expressed interest in appointing one.",
        "No Focal Point and no interest in appointing one.",
    ),
}


def _built(title: str) -> tuple[str, ...]:
    """Guidance for an indicator without written guidance, from its title."""
    action = title[0].lower() + title[1:]
    return (
        f"How well did the state do on {action} during the coverage period?"
        if title.split()[0].endswith(("ion", "ing"))
        else f"To what extent did the state {action} during the coverage period?",
        f"Fully done and sustained throughout the period, with independent evidence that it works: {action}.",
        "Largely done; minor gaps or delays that the state is addressing.",
        "Partly done: commitments exist but implementation is incomplete or uneven.",
        "Little done: commitments are formal only, or earlier progress was reversed in the period.",
        "Not done, or the state acts against it.",
    )


def demo_guidance(indicator: Indicator) -> dict[str, str]:
    texts = WRITTEN.get(indicator.code) or _built(indicator.title)
    return dict(zip(GUIDANCE_FIELDS, texts, strict=True))


@transaction.atomic
def method_demo_ensure(years=(2019, 2022, 2025), *, covered=COVERED_BY_DEFAULT) -> list[str]:
    """Give the demo cycles a codebook, and those of `covered` a coverage period, where they have none; return what
    was created."""
    created = []
    for cycle in Cycle.objects.filter(year__in=years):
        if not cycle.has_coverage_period and cycle.year in COVERAGE and cycle.year in covered:
            cycle.coverage_start, cycle.coverage_end = COVERAGE[cycle.year]
            cycle.save(update_fields=["coverage_start", "coverage_end"])
            created.append(f"coverage period {cycle.year}")
        missing = Indicator.objects.filter(cycle=cycle, guidance__isnull=True)
        rows = [IndicatorGuidance(indicator=indicator, **demo_guidance(indicator)) for indicator in missing]
        if rows:
            bulk_create_with_history(rows, IndicatorGuidance, default_change_reason="demo codebook")
            created.append(f"codebook {cycle.year}")
    return created
