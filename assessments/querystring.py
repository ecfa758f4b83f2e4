"""Reading query parameters safely: a value that does not fit is ignored (None or the default), never a 500.

Views read `request.GET` through these, so a crafted query string (huge integers, NUL bytes, non-ASCII digits,
thousands of characters) cannot reach the database or `reverse()` in a shape they refuse.
"""

import re

DB_INT_MAX = 2**31 - 1  # the smallest integer column r2p filters on by a query parameter (years, ids) fits this
TEXT_MAX = 200  # characters of a search or filter text
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def int_param(value, *, minimum: int = 0, maximum: int = DB_INT_MAX) -> int | None:
    """A whole number written in ASCII digits within [minimum, maximum], or None."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or len(text) > 12 or not text.isascii() or not text.isdigit():
        return None
    number = int(text)
    return number if minimum <= number <= maximum else None


def text_param(value, *, max_length: int = TEXT_MAX) -> str:
    """Text without control characters (PostgreSQL refuses NUL), trimmed, at most `max_length` characters."""
    if not isinstance(value, str):
        return ""
    return _CONTROL.sub("", value).strip()[:max_length]


def choice_param(value, choices, default: str = "") -> str:
    """`value` when it is one of `choices`, else `default`."""
    return value if isinstance(value, str) and value in choices else default


def code_param(value, *, max_length: int = 20) -> str:
    """An identifier-like code (letters, digits, - and _), upper-cased; "" for anything else."""
    text = text_param(value, max_length=max_length + 1).upper()
    return text if len(text) <= max_length and re.fullmatch(r"[A-Z0-9_-]*", text) else ""
