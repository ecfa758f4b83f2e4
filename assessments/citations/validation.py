"""Checks on citations in notes. (Extended by the citations work.)"""

from assessments.citations.syntax import extract_citations
from assessments.models import Source


def citation_problems(text: str) -> list[str]:
    """Unknown citation keys, with their position, as messages."""
    refs = extract_citations(text)
    known = set(Source.objects.filter(key__in={ref.key for ref in refs}).values_list("key", flat=True))
    problems = []
    for ref in refs:
        if ref.key not in known:
            line, column = ref.line_and_column(text)
            problems.append(f"Unknown source @{ref.key} (line {line}, column {column}).")
    return problems
