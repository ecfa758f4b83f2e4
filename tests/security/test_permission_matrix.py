"""Every named URL × every role → the expected status (table in url_matrix.py).

A URL that the table does not cover fails `test_every_named_url_has_an_entry`, so a new page cannot ship
without someone deciding who may see it.
"""

import pytest

from tests.security.conftest import ROLES
from tests.security.matrix import named_urls, run_case
from tests.security.url_matrix import URLS, cases_for


def test_every_named_url_has_an_entry():
    missing = [f"{url.name}  ({url.route})" for url in named_urls() if cases_for(url.name) is None]
    assert not missing, (
        "These URLs have no entry in tests/security/url_matrix.py (add one saying what each role gets):\n  "
        + "\n  ".join(missing)
    )


def test_table_has_no_stale_entries():
    names = {url.name for url in named_urls()}
    stale = sorted(set(URLS) - names)
    assert not stale, f"url_matrix.URLS names URLs that no longer exist: {stale}"


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(world, role, security_figures):
    outcomes = [run_case(url.name, case, role, world) for url in named_urls() for case in cases_for(url.name) or []]
    wrong = [outcome.describe() for outcome in outcomes if not outcome.matches(outcome.expected)]
    security_figures.add("URL × role cases", len(outcomes))
    assert outcomes
    assert not wrong, (
        f"{len(wrong)} of {len(outcomes)} answers for {role} differ from url_matrix.py:\n  " + "\n  ".join(wrong)
    )
