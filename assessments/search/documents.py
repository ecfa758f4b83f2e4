"""What is indexed for each kind of thing: the text of its search document (title, body, extra)."""

import html
import re

from django.utils.html import strip_tags

from assessments.accounts.services import display_name
from assessments.models import AssessmentItem, Comment, Edition, Source

from .backends import MARK_END, MARK_START
from .models import DocumentKind, SearchDocument

PUNCTUATION = re.compile(r"[^\w]+|_")
CITATION_MARKUP = re.compile(r"\[@|\^\[")


def clean(text: str) -> str:
    """Indexed text never holds the highlight marks, so a snippet's marks are only the engine's."""
    return (text or "").replace(MARK_START, "").replace(MARK_END, "").strip()


def words_of(text: str) -> str:
    """A key or URL as separate words ("hrw.org/world-report/2022" → "hrw org world report 2022")."""
    return PUNCTUATION.sub(" ", text or "").strip()


def html_text(fragment: str) -> str:
    return " ".join(html.unescape(strip_tags(fragment or "")).split())


def item_title(item: AssessmentItem) -> str:
    ca = item.country_assessment
    return f"{ca.country.name} {ca.cycle.year} · {item.label}"


def item_document(item: AssessmentItem, cited: list[Source]) -> SearchDocument:
    """The notes of an overview, indicator or conclusion; cited sources are matched with a low weight."""
    return SearchDocument(
        kind=DocumentKind.ITEM,
        item=item,
        country_assessment_id=item.country_assessment_id,
        indicator_id=item.indicator_id,
        slug=item.slug,
        title=clean(item_title(item)),
        body=clean(item.notes),
        extra=clean(" ".join(f"{source.author_abbreviation} {source.author_text} {source.title}" for source in cited)),
    )


def comment_document(comment: Comment) -> SearchDocument:
    item = comment.item
    return SearchDocument(
        kind=DocumentKind.COMMENT,
        item=item,
        comment=comment,
        country_assessment_id=item.country_assessment_id,
        indicator_id=item.indicator_id,
        slug=item.slug,
        title=clean(f"{item_title(item)} · comment by {display_name(comment.author)}"),
        body=clean(comment.body),
    )


def source_document(source: Source) -> SearchDocument:
    year = str(source.issued_year or "n.d.")
    body = " · ".join(
        part
        for part in (
            source.author_text,
            source.author_abbreviation,
            year,
            source.container_title,
            source.publisher,
            source.un_symbol,
            source.url,
            source.note,
        )
        if part
    )
    return SearchDocument(
        kind=DocumentKind.SOURCE,
        source=source,
        slug="",
        title=clean(source.title),
        body=clean(body),
        extra=clean(f"{source.key} {words_of(source.key)} {words_of(source.url)} {words_of(source.un_symbol)}"),
    )


def edition_documents(edition: Edition, indicators: dict[str, int]) -> list[SearchDocument]:
    """A published edition as the public reads it: one document per indicator, plus overview and conclusion.

    `indicators` maps the cycle's indicator codes to their ids (for the indicator filter)."""
    snapshot = edition.snapshot
    place = f"{snapshot['country']['name']} {snapshot['cycle']}"
    footnotes = {note["number"]: note["text"] for note in snapshot.get("footnotes", [])}

    def document(slug: str, label: str, part: dict, rating: str = "") -> SearchDocument:
        return SearchDocument(
            kind=DocumentKind.PUBLISHED,
            edition=edition,
            country_assessment_id=edition.country_assessment_id,
            indicator_id=indicators.get(slug),
            slug=slug,
            rating=rating,
            title=clean(f"{place} · {label}"),
            body=clean(html_text(part.get("notes_html", ""))),
            extra=clean(" ".join(footnotes.get(number, "") for number in part.get("footnotes", []))),
        )

    documents = [
        document("overview", "Overview", snapshot["overview"]),
        document("conclusion", "Conclusion", snapshot["conclusion"]),
    ]
    for indicator in snapshot["indicators"]:
        rating = _rating_value(indicator.get("rating"))
        documents.append(
            document(indicator["code"], f"{indicator['code']} {indicator['title']}", indicator, rating=rating)
        )
    return documents


def _rating_value(label: str | None) -> str:
    from assessments.models import Rating

    if not label:
        return ""
    try:
        return Rating.from_label(label).value
    except ValueError:
        return ""
