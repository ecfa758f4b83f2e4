"""Find Pandoc-style citations in notes: `[@key]`, `[@key, p. 4]`, `[@a; @b, para. 70]`, `^[prose [@key]]`."""

import re
from dataclasses import dataclass

KEY_PATTERN = r"[A-Za-z0-9_][A-Za-z0-9_:.#$%&+?<>~/-]*"
# A bracketed group whose every part starts with @key; the group holds no nested brackets.
CITATION_GROUP = re.compile(r"\[(\s*@" + KEY_PATTERN + r"[^\[\]]*)\]")
# Citations in a group are separated by ";"; a locator containing one escapes it as \;.
UNESCAPED_SEMICOLON = re.compile(r"(?<!\\);")
CITATION_ITEM = re.compile(r"^\s*@(?P<key>" + KEY_PATTERN + r")\s*(?:,\s*(?P<locator>.*?))?\s*$", re.S)


@dataclass(frozen=True)
class CitationRef:
    key: str
    locator: str
    offset: int  # character offset of the group in the notes, for error messages

    def line_and_column(self, text: str) -> tuple[int, int]:
        before = text[: self.offset]
        return before.count("\n") + 1, self.offset - (before.rfind("\n") + 1) + 1


def clean_key(key: str) -> str:
    """Keys may not end with punctuation that belongs to the sentence."""
    return key.rstrip(".:,;")


def parse_group(body: str, offset: int = 0) -> list[CitationRef] | None:
    """Parse the inside of one `[...]` group; None when it is not a citation group."""
    refs = []
    for part in UNESCAPED_SEMICOLON.split(body):
        match = CITATION_ITEM.match(part)
        if not match:
            return None
        locator = (match.group("locator") or "").strip().replace("\\;", ";")
        refs.append(CitationRef(key=clean_key(match.group("key")), locator=locator, offset=offset))
    return refs


def extract_citations(text: str) -> list[CitationRef]:
    """Every citation in reading order."""
    refs: list[CitationRef] = []
    for match in CITATION_GROUP.finditer(text or ""):
        parsed = parse_group(match.group(1), match.start())
        if parsed:
            refs.extend(parsed)
    return refs
