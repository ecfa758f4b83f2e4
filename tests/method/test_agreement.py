"""Weighted kappa against an example worked by hand."""

import pytest

from assessments.method.agreement import exact_agreement, weighted_kappa

# Points: Very Strong 4, Strong 3, Fair 2, Weak 1, Very Weak 0.
# First rater 4, 3, 1, 2; second rater 4, 2, 1, 0.
PAIRS = [("very_strong", "very_strong"), ("strong", "fair"), ("weak", "weak"), ("fair", "very_weak")]


def test_quadratic_kappa_worked_by_hand():
    # Observed disagreement (squared distances): (0 + 1 + 0 + 4) / 4 = 1.25.
    # Expected, every first rating against every second (16 combinations):
    #   4: 0+4+9+16 = 29; 3: 1+1+4+9 = 15; 1: 9+1+0+1 = 11; 2: 4+0+1+4 = 9 → 64 / 16 = 4.
    # kappa = 1 − 1.25 / 4 = 0.6875
    assert weighted_kappa(PAIRS) == pytest.approx(0.6875)


def test_linear_kappa_worked_by_hand():
    # Observed (0 + 1 + 0 + 2) / 4 = 0.75; expected (9 + 7 + 5 + 5) / 16 = 1.625; kappa = 1 − 0.75/1.625 = 7/13.
    assert weighted_kappa(PAIRS, weights="linear") == pytest.approx(7 / 13)


def test_edges():
    assert exact_agreement(PAIRS) == 0.5
    assert weighted_kappa([("fair", "fair"), ("weak", "weak")]) == 1
    assert weighted_kappa([("fair", "fair")] * 3) is None  # no variation: kappa is undefined
    assert weighted_kappa([]) is None and exact_agreement([]) is None
    with pytest.raises(ValueError):
        weighted_kappa(PAIRS, weights="cubic")
