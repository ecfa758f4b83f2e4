"""Reading a published annex into a `ParsedAnnex`, checking it, and writing it (one service, all or nothing)."""

import datetime
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from assessments.citations.sources import source_fields_from_csl
from assessments.framework.models import MAX_POINTS, RATING_POINTS
from assessments.framework.scoring import derive_trend, score_from_points, score_from_ratings
from assessments.models import (
    Country,
    CountryAssessment,
    Cycle,
    Edition,
    Indicator,
    ItemKind,
    Rating,
    Source,
    Trend,
)
from assessments.workflow.content import ContentChange, WriteKind, items_content_write
from assessments.workflow.items import country_assessment_create
from assessments.workflow.permissions import can_import_archive

from .convert import bytes_to_text, file_to_text
from .document import ParsedAnnex
from .footnotes import SourceMatcher
from .matching import indicators_for_cycle, normalise
from .parsing import check_duplicates_and_missing, parse_annex_text

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


def archive_reason(file_name: str) -> str:
    return f"imported from {Path(file_name).name}"[:100]


# --- reading and checking (no writes) ------------------------------------------------------------------------


def annex_parse(
    *,
    cycle: Cycle,
    country: Country | None = None,
    text: str | None = None,
    path: str | Path | None = None,
    content: bytes | None = None,
    file_name: str = "",
) -> ParsedAnnex:
    """Read an annex from text, a file on disk or uploaded bytes, match it to the library and check it."""
    if text is None:
        if content is not None:
            text = bytes_to_text(content, file_name)
        elif path is not None:
            text = file_to_text(path)
        else:
            raise ValueError("give text, path or content")
    sources = SourceMatcher(Source.objects.only("key", "title", "url", "authors", "author_abbreviation", "issued_year"))
    parsed = parse_annex_text(text, indicators=indicators_for_cycle(cycle), sources=sources)
    annex_check(parsed, cycle=cycle, country=country)
    return parsed


def annex_check(parsed: ParsedAnnex, *, cycle: Cycle, country: Country | None) -> None:
    """Add every inconsistency of the original to `parsed.flags`: the detailed table is the record.

    Run again after corrections: the flags of an earlier check are replaced."""
    if parsed.checked_from >= 0:
        del parsed.flags[parsed.checked_from :]
    parsed.checked_from = len(parsed.flags)
    check_duplicates_and_missing(parsed, indicators_for_cycle(cycle))
    if parsed.cycle_year and parsed.cycle_year != cycle.year:
        parsed.flag("inconsistent", "title", f"the title says {parsed.cycle_year}, importing into {cycle.year}")
    if country is not None and parsed.country_name and normalise(parsed.country_name) != normalise(country.name):
        parsed.flag("uncertain", "title", f"the title names {parsed.country_name!r}, importing as {country.name}")
    ratings = {row.code: row.rating for row in parsed.rows if row.code and row.rating}
    for rating, code in parsed.summary:
        if code in ratings and ratings[code] != rating:
            parsed.flag(
                "inconsistent",
                code,
                f"summary table lists it as {Rating(rating).label}, the detailed table rates it "
                f"{Rating(ratings[code]).label}",
            )
    listed = {code for _rating, code in parsed.summary}
    if parsed.summary:
        for code in sorted(set(ratings) - listed):
            parsed.flag("inconsistent", code, "rated in the detailed table but missing from the summary table")
    computed = score_from_ratings(ratings.values())
    if parsed.score is not None and computed is not None and computed != parsed.score:
        parsed.flag(
            "inconsistent", "score", f"printed score {parsed.score}, the detailed table's ratings give {computed}"
        )
    if parsed.score is not None and parsed.previous_score is not None and parsed.difference is not None:
        if parsed.score - parsed.previous_score != parsed.difference:
            parsed.flag(
                "inconsistent",
                "score",
                f"printed difference {parsed.difference:+d}, but {parsed.score} − {parsed.previous_score} = "
                f"{parsed.score - parsed.previous_score:+d}",
            )
    if cycle.previous_id and parsed.previous_year and parsed.previous_year != cycle.previous.year:
        parsed.flag(
            "inconsistent",
            "score",
            f"previous score printed for {parsed.previous_year}, the previous cycle is {cycle.previous.year}",
        )
    _check_trends(parsed, cycle=cycle, country=country, ratings=ratings)


def _check_trends(parsed: ParsedAnnex, *, cycle: Cycle, country: Country | None, ratings: dict[str, str]) -> None:
    previous = None
    if country is not None and cycle.previous_id:
        previous = CountryAssessment.objects.filter(country=country, cycle=cycle.previous_id).first()
    known = {}
    if previous is not None:
        known = dict(
            previous.items.filter(kind=ItemKind.INDICATOR).exclude(rating="").values_list("indicator__code", "rating")
        )
    if known:
        previous_score = score_from_ratings(known.values())
        if parsed.previous_score is not None and previous_score != parsed.previous_score:
            parsed.flag(
                "inconsistent",
                "score",
                f"printed previous score {parsed.previous_score}, r2p's {cycle.previous.year} ratings give "
                f"{previous_score}",
            )
        continues = {i.code: i.continues_code for i in Indicator.objects.filter(cycle=cycle)}
        for row in parsed.rows:
            if row.code and row.rating and row.trend:
                before = continues.get(row.code, row.code)  # the indicator it continues (renamed, or new: None)
                expected = derive_trend(row.rating, known.get(before))
                if expected != row.trend:
                    parsed.flag(
                        "inconsistent",
                        row.code,
                        f"trend printed as {Trend(row.trend).label}; the rating went from "
                        f"{Rating(known[before]).label if before in known else 'no rating'} to "
                        f"{Rating(row.rating).label} ({Trend(expected).label})",
                    )
        return
    legacy = previous.legacy_score if previous is not None else None
    if legacy is not None and parsed.previous_score is not None and legacy != parsed.previous_score:
        parsed.flag(
            "inconsistent",
            "score",
            f"printed previous score {parsed.previous_score}, r2p records {legacy} for {cycle.previous.year}",
        )
    printed = parsed.previous_score if parsed.previous_score is not None else legacy
    low = high = counted = 0
    for row in parsed.rows:
        if not (row.rating and row.trend) or row.trend == Trend.NEW:
            continue
        points = RATING_POINTS[row.rating]
        allowed = {
            Trend.INCREASE: range(0, points),
            Trend.DECREASE: range(points + 1, MAX_POINTS + 1),
            Trend.UNCHANGED: range(points, points + 1),
        }[Trend(row.trend)]
        if not allowed:
            parsed.flag(
                "inconsistent", row.code, f"{Trend(row.trend).label} is impossible from a {Rating(row.rating).label}"
            )
            return
        low, high, counted = low + allowed[0], high + allowed[-1], counted + 1
    if printed is not None and counted:
        lowest, highest = score_from_points(low, counted), score_from_points(high, counted)
        if not lowest <= printed <= highest:
            parsed.flag(
                "inconsistent",
                "trends",
                f"the previous score {printed} is outside the range {lowest}–{highest} that the trends allow",
            )


# --- writing -------------------------------------------------------------------------------------------------


def _has_content(assessment: CountryAssessment) -> bool:
    return (
        assessment.editions.exists()
        or assessment.items.exclude(notes="").exists()
        or assessment.items.exclude(rating="").exists()
    )


@transaction.atomic
def country_assessment_import_archive(
    *, parsed: ParsedAnnex, country: Country, cycle: Cycle, user, file_name: str
) -> CountryAssessment:
    """Write an imported annex, all or nothing: new sources, the assessment with every item approved as
    published, citations, and the previous cycle's printed score as its legacy score where it has no ratings.

    Every row's history says "imported from <file>"; the items are approved by the import, not by a person
    (the history names the importing user with the reason "imported from <file>", never "approved")."""
    if not can_import_archive(user):
        raise PermissionDenied("Only editors and administrators import archived annexes.")
    reason = archive_reason(file_name)
    Country.objects.select_for_update().get(pk=country.pk)  # one import per country at a time
    assessment = CountryAssessment.objects.select_for_update().filter(country=country, cycle=cycle).first()
    if assessment is not None and _has_content(assessment):
        raise ValidationError(
            f"{country.name} {cycle.year} already has ratings, notes or an edition; the import never overwrites them."
        )
    problems = [f"{flag.where}: {flag.message}" for flag in parsed.flags if flag.kind == "blocking"]
    codes = {row.code for row in parsed.rows if row.code}
    framework = set(cycle.indicators.values_list("code", flat=True))
    if not codes <= framework:
        problems.append(f"indicators not in the {cycle.year} framework: {', '.join(sorted(codes - framework))}")
    if len([row for row in parsed.rows if row.code]) != len(codes):
        problems.append("two rows of the detailed table are matched to the same indicator; correct one of them")
    if problems:
        raise ValidationError(problems)

    _sources_create(parsed, user=user, reason=reason)

    if assessment is None:
        assessment = country_assessment_create(country=country, cycle=cycle, user=user, reason=reason)
    elif assessment.legacy_score is not None or not assessment.items.exists():
        raise ValidationError(f"{country.name} {cycle.year} holds a legacy score only; it cannot take an annex.")
    items = {item.slug: item for item in assessment.items.select_related("indicator")}
    changes = [
        ContentChange(item=items[ItemKind.OVERVIEW.value], values={"notes": parsed.overview.strip()}),
        ContentChange(item=items[ItemKind.CONCLUSION.value], values={"notes": parsed.conclusion.strip()}),
    ]
    for row in parsed.rows:
        if row.code in items:
            values = {"rating": row.rating, "trend": row.trend, "notes": row.notes.strip()}
            changes.append(ContentChange(item=items[row.code], values=values))
    # The archive path of the one content service: approved as the published record, "imported from <file>".
    items_content_write(changes=changes, user=user, reason=reason, kind=WriteKind.ARCHIVE)
    _previous_legacy_score(parsed, country=country, cycle=cycle, user=user, reason=reason)
    return assessment


def _sources_create(parsed: ParsedAnnex, *, user, reason: str) -> list[Source]:
    if not parsed.new_sources:
        return []
    taken = set(Source.objects.filter(key__in=list(parsed.new_sources)).values_list("key", flat=True))
    if taken:
        raise ValidationError(
            f"sources proposed as new already exist: {', '.join(sorted(taken))}; review the import again"
        )
    sources = []
    for key, proposed in parsed.new_sources.items():
        source = Source(**source_fields_from_csl({**proposed.csl, "id": key}))
        source.full_clean()
        source.refresh_author_text()
        sources.append(source)
    return bulk_create_with_history(sources, Source, default_user=user, default_change_reason=reason)


def _previous_legacy_score(parsed: ParsedAnnex, *, country: Country, cycle: Cycle, user, reason: str) -> None:
    """The previous cycle's printed score becomes its legacy score where r2p has no ratings for it."""
    if parsed.previous_score is None or cycle.previous_id is None:
        return
    previous = CountryAssessment.objects.select_for_update().filter(country=country, cycle=cycle.previous_id).first()
    if previous is None:
        country_assessment_create(
            country=country, cycle=cycle.previous, user=user, reason=reason, legacy_score=parsed.previous_score
        )
        return
    if previous.legacy_score is None and not previous.items.exclude(rating="").exists():
        previous.legacy_score = parsed.previous_score
        previous.full_clean()
        previous._history_user = user
        previous._change_reason = reason
        previous.save()


def published_at_from(value: datetime.date | datetime.datetime | str | None) -> datetime.datetime | None:
    """The original publication date as an aware datetime at noon UTC (a date alone has no time zone)."""
    if value in (None, ""):
        return None
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value)
    if isinstance(value, datetime.datetime):
        return value if value.tzinfo else value.replace(tzinfo=datetime.UTC)
    return datetime.datetime.combine(value, datetime.time(12), tzinfo=datetime.UTC)


@transaction.atomic
def archive_publish(
    *, country_assessment: CountryAssessment, user, published_on, file_name: str, original=None
) -> Edition:
    """Publish the imported annex as edition v1 carrying its original publication date, with `original` (a
    StoredOriginal: the uploaded file, stored whole) attached for download in the same transaction."""
    from assessments.publishing.services import annex_publish

    from .originals import edition_original_attach

    edition = annex_publish(
        country_assessment=country_assessment,
        user=user,
        reason=f"{archive_reason(file_name)}; published {published_on}",
        published_at=published_at_from(published_on),
    )
    if original is not None:
        edition_original_attach(edition=edition, stored=original)
    return edition
