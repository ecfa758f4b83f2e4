"""Every query parameter of every URL in the matrix, fuzzed: a bad value gets 400 or is ignored, never a 500.

The parameter names are read from the code (every `request.GET` access and the forms bound to it) plus Django
admin's own, and each is sent to every GET URL of url_matrix.py: first a fixed list of values known to break
parsers (huge and negative integers, NUL bytes, non-ASCII digits, long text...), then hypothesis's values.
"""

import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

from django.db import transaction
from django.urls import resolve
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.security.matrix import named_urls
from tests.security.url_matrix import cases_for

ROOT = Path(__file__).resolve().parents[2]
_GET_ACCESS = re.compile(
    r"GET(?:\.get|\.getlist)?\(\s*[\"'](\w+)[\"']|GET\[[\"'](\w+)[\"']\]|[\"'](\w+)[\"'] in (?:self\.)?request\.GET"
)
# Forms bound to the query string (the data export form) and the Django admin's changelist parameters.
FORM_AND_ADMIN_PARAMS = {"resource", "format", "cycle", "country", "q", "o", "p", "e", "all", "_popup", "_to_field"}
NASTY = [
    "9" * 40,
    "-1",
    "0",
    "99999999999",
    "2147483648",
    "1e309",
    "NaN",
    "\x00",
    "a\x00b",
    "٢٠٢٢",
    "²",
    "%",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "KOR/../x",
    "a" * 5000,
    " ",
    "\ud7ff\ue000\U0010ffff",
]


def _names_in(text: str) -> set[str]:
    return {name for match in _GET_ACCESS.finditer(text) for name in match.groups() if name}


def query_parameters() -> list[str]:
    names = set(FORM_AND_ADMIN_PARAMS)
    for path in (ROOT / "assessments").rglob("*.py"):
        names |= _names_in(path.read_text(encoding="utf-8"))
    return sorted(names)


def get_urls(world) -> list[str]:
    urls = []
    for url in named_urls():
        case = next((case for case in cases_for(url.name) or [] if case.method == "get"), None)
        if case is not None:
            urls.append(case.url(url.name, world))
    return urls


def own_parameters(url: str) -> set[str] | None:
    """The parameters the module of the URL's view reads (None for a view r2p does not define, e.g. the admin)."""
    view = resolve(urlsplit(url).path).func
    module = sys.modules.get(getattr(view, "view_class", view).__module__)
    if module is None or not module.__name__.startswith("assessments."):
        return None
    return _names_in(Path(module.__file__).read_text(encoding="utf-8")) | (
        FORM_AND_ADMIN_PARAMS if module.__name__ == "assessments.io.views" else set()
    )


def status_of(client, url: str, query: dict) -> int:
    try:
        with transaction.atomic():
            response = client.get(url, query)
            transaction.set_rollback(True)
    except Exception:  # a crash is what this test looks for
        return 500
    return response.status_code


def test_the_parameters_read_by_the_code_are_found():
    names = query_parameters()
    assert {"page", "a", "b", "user", "type", "q", "sort", "status", "assignee", "code", "cycle", "key"} <= set(names)


def test_known_bad_values_in_every_parameter_of_every_url(world, security_figures):
    """Every GET URL of the matrix, as the admin (who reaches every page): each bad value in every parameter at
    once, then each parameter its view reads on its own (so a 400 for one cannot hide a crash on another)."""
    client = world.client("admin")
    names = query_parameters()
    failures, requests = [], 0
    for url in get_urls(world):
        own = own_parameters(url)
        for value in NASTY if own is not None else NASTY[:8]:
            requests += 1
            status = status_of(client, url, dict.fromkeys(names, value))
            if status >= 500:
                failures.append(f"{url} ?*={value[:20]!r} → {status}")
        for name in sorted(own or ()):
            for value in ("9" * 40, "-5", "a\x00", "٢٠٢٢"):
                requests += 1
                status = status_of(client, url, {name: value})
                if status >= 500:
                    failures.append(f"{url} ?{name}={value[:20]!r} → {status}")
    security_figures.add("query-parameter fuzzing: requests without a 500", requests - len(failures))
    assert not failures, f"{len(failures)} of {requests} requests failed:\n  " + "\n  ".join(failures[:50])


EXAMPLES = 200
_VALUES = st.one_of(
    st.text(max_size=50),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(NASTY),
    st.from_regex(r"-?[0-9]{1,25}", fullmatch=True),
)


def test_hypothesis_fuzzes_query_parameters(world, security_figures):
    client = world.client("admin")
    urls = get_urls(world)
    names = query_parameters()
    failures: list[str] = []

    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(url=st.sampled_from(urls), query=st.dictionaries(st.sampled_from(names), _VALUES, max_size=4))
    def fuzz(url, query):
        status = status_of(client, url, query)
        if status >= 500:
            failures.append(f"{url} {query!r} → {status}")
        assert status < 500, f"{url} {query!r} → {status}"

    fuzz()
    security_figures.add("query-parameter fuzzing: hypothesis examples without a 500", EXAMPLES)
    assert not failures
