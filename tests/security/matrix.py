"""The machinery of the permission matrix: every named URL, the cases for it, and how a case is checked.

The table itself is in url_matrix.py.
"""

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.security.conftest import ROLES, World


@dataclass(frozen=True)
class Redirect:
    """A 302 to the named page (the login page, typically; `args` for a page with URL arguments), whatever the
    query string."""

    to: str
    args: tuple = ()

    def __str__(self) -> str:
        return f"302→{self.to}{list(self.args) if self.args else ''}"

    def url(self) -> str:
        return reverse(self.to, args=self.args)


Expected = int | Redirect
LOGIN = Redirect("login")
ADMIN_LOGIN = Redirect("admin:login")


def expect(anonymous: Expected, outsider: Expected, researcher: Expected, reviewer: Expected, editor, admin):
    """Expected responses in ROLES order: anonymous, outsider, researcher, reviewer, editor, admin."""
    return dict(zip(ROLES, (anonymous, outsider, researcher, reviewer, editor, admin), strict=True))


def everyone(status: Expected) -> dict[str, Expected]:
    return dict.fromkeys(ROLES, status)


Params = Callable[[World], Mapping[str, Any] | tuple]


@dataclass(frozen=True)
class Case:
    """One request to a URL, made as each role, and what each role must get.

    `params` builds the URL's kwargs (a dict) or positional args (a tuple) from the world; `data` the POST
    body; `query` the query string. Each request runs in a transaction that is rolled back, so a POST that
    succeeds for one role leaves the world unchanged for the next.
    """

    expect: Mapping[str, Expected]
    params: Params | None = None
    method: str = "get"
    data: Callable[[World], Mapping[str, Any]] | None = None
    query: Callable[[World], Mapping[str, Any]] | None = None
    label: str = ""

    def __post_init__(self):
        missing = set(ROLES) - set(self.expect)
        if missing:
            raise ValueError(f"case {self.label or self.method} has no expectation for {sorted(missing)}")

    def url(self, name: str, world: World) -> str:
        params = self.params(world) if self.params else {}
        if isinstance(params, tuple):
            return reverse(name, args=params)
        return reverse(name, kwargs=params)


@dataclass(frozen=True)
class NamedURL:
    name: str  # with namespaces, e.g. "public:annex-list" or "admin:auth_user_change"
    route: str  # the pattern, for messages
    kwargs: tuple[str, ...] = field(default=())


def named_urls() -> list[NamedURL]:
    """Every named URL pattern of the project, namespaces included, in URLconf order."""

    def walk(resolver: URLResolver, prefix: str, kwargs: tuple, namespace: str | None) -> Iterator[NamedURL]:
        for pattern in resolver.url_patterns:
            groups = kwargs + tuple(pattern.pattern.regex.groupindex)  # an include's route has kwargs too
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                yield from walk(pattern, prefix + str(pattern.pattern), groups, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                yield NamedURL(name, prefix + str(pattern.pattern), groups)

    seen: dict[str, NamedURL] = {}
    for url in walk(get_resolver(), "", (), None):
        seen.setdefault(url.name, url)  # reverse() uses the first pattern of a name
    return list(seen.values())


@dataclass
class Outcome:
    name: str
    case: Case
    role: str
    url: str
    status: int
    location: str

    def matches(self, expected: Expected) -> bool:
        if isinstance(expected, Redirect):
            return self.status == 302 and urlsplit(self.location).path == expected.url()
        return self.status == expected

    def describe(self) -> str:
        got = f"{self.status}" + (f"→{self.location}" if self.location else "")
        label = f" [{self.case.label}]" if self.case.label else ""
        request = f"{self.case.method.upper()} {self.url}"
        return f"{self.name}{label} {request} as {self.role}: expected {self.expected}, got {got}"

    @property
    def expected(self) -> Expected:
        return self.case.expect[self.role]


def run_case(name: str, case: Case, role: str, world: World) -> Outcome:
    """Make the request as `role` inside a transaction that is rolled back afterwards."""
    client = world.client(role)
    url = case.url(name, world)
    try:
        with transaction.atomic():
            data = case.data(world) if case.data else {}
            query = case.query(world) if case.query else None
            if case.method == "get":
                response = client.get(url, query)
            else:
                response = getattr(client, case.method)(url, data)
            transaction.set_rollback(True)
    except Exception as error:  # a crash is a wrong answer, reported with the others
        return Outcome(name, case, role, url, 500, f"raised {error!r}")
    return Outcome(name, case, role, url, response.status_code, response.headers.get("Location", ""))
