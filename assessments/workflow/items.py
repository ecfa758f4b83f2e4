"""Creating country assessments with their items, and keeping citations in step with notes."""

from collections.abc import Iterable

from django.db import transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from assessments.citations.syntax import extract_citations
from assessments.models import (
    AssessmentItem,
    Citation,
    Country,
    CountryAssessment,
    Cycle,
    Indicator,
    ItemKind,
    Source,
)
from assessments.search.services import search_index_update


@transaction.atomic
def country_assessment_create(
    *, country: Country, cycle: Cycle, user=None, reason: str = "created", legacy_score: int | None = None
) -> CountryAssessment:
    """Create the assessment of a country in a cycle with its overview, indicator and conclusion items."""
    assessment = CountryAssessment(country=country, cycle=cycle, legacy_score=legacy_score)
    assessment.full_clean()
    assessment._history_user = user
    assessment._change_reason = reason
    assessment.save()
    if legacy_score is None:
        items_create(country_assessment=assessment, user=user, reason=reason)
    return assessment


@transaction.atomic
def country_assessments_add(
    *, cycle: Cycle, countries: Iterable[Country], user, reason: str = "added to the cycle"
) -> list[CountryAssessment]:
    """Start the assessments of several countries in a cycle at once, each with all its items."""
    from django.core.exceptions import PermissionDenied, ValidationError

    from assessments.workflow import permissions

    if not permissions.can_add_countries(user):
        raise PermissionDenied("Only editors and admins add countries to a cycle.")
    countries = list(countries)
    if not countries:
        raise ValidationError("Choose at least one country.")
    if not Indicator.objects.filter(cycle=cycle).exists():
        raise ValidationError(f"The {cycle.year} framework has no indicators yet: add them before the countries.")
    present = set(
        CountryAssessment.objects.filter(cycle=cycle, country__in=countries).values_list("country__name", flat=True)
    )
    if present:
        raise ValidationError(f"Already in {cycle.year}: {', '.join(sorted(present))}.")
    return [country_assessment_create(country=country, cycle=cycle, user=user, reason=reason) for country in countries]


def items_create(*, country_assessment: CountryAssessment, user=None, reason: str) -> list[AssessmentItem]:
    items = [AssessmentItem(country_assessment=country_assessment, kind=ItemKind.OVERVIEW)]
    items += [
        AssessmentItem(country_assessment=country_assessment, kind=ItemKind.INDICATOR, indicator=indicator)
        for indicator in Indicator.objects.filter(cycle=country_assessment.cycle_id).order_by("position")
    ]
    items.append(AssessmentItem(country_assessment=country_assessment, kind=ItemKind.CONCLUSION))
    return bulk_create_with_history(items, AssessmentItem, default_user=user, default_change_reason=reason)


def citations_sync(*, items: Iterable[AssessmentItem], user=None, reason: str) -> None:
    """Make each item's Citation rows match the citations in its notes, writing history for changes only."""
    items = list(items)
    wanted = {item.pk: extract_citations(item.notes) for item in items}
    keys = {ref.key for refs in wanted.values() for ref in refs}
    sources = dict(Source.objects.filter(key__in=keys).values_list("key", "pk"))
    existing: dict[tuple[int, int], Citation] = {
        (citation.item_id, citation.position): citation
        for citation in Citation.objects.filter(item__in=[item.pk for item in items])
    }
    to_create, to_update, seen = [], [], set()
    for item_pk, refs in wanted.items():
        for position, ref in enumerate(refs, start=1):
            seen.add((item_pk, position))
            source_id = sources.get(ref.key)
            current = existing.get((item_pk, position))
            if current is None:
                to_create.append(
                    Citation(
                        item_id=item_pk,
                        position=position,
                        key=ref.key,
                        source_id=source_id,
                        locator=ref.locator,
                    )
                )
            elif (current.key, current.source_id, current.locator) != (ref.key, source_id, ref.locator):
                current.key, current.source_id, current.locator = ref.key, source_id, ref.locator
                to_update.append(current)
    stale = [citation for slot, citation in existing.items() if slot not in seen]
    for citation in stale:
        citation._history_user = user
        citation._change_reason = reason
        citation.delete()
    if to_create:
        bulk_create_with_history(to_create, Citation, batch_size=500, default_user=user, default_change_reason=reason)
    if to_update:
        bulk_update_with_history(
            to_update,
            Citation,
            ["key", "source", "locator"],
            batch_size=500,
            default_user=user,
            default_change_reason=reason,
        )
    search_index_update(items=items)


def citations_resolve(*, source: Source, user=None, reason: str) -> int:
    """Point citations of a newly created source's key at it."""
    unresolved = list(Citation.objects.filter(key=source.key, source__isnull=True))
    for citation in unresolved:
        citation.source = source
    if unresolved:
        bulk_update_with_history(unresolved, Citation, ["source"], default_user=user, default_change_reason=reason)
    return len(unresolved)
