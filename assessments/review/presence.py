"""Who has an item open right now: kept in the cache (no database), refreshed by the editor every 20 s."""

from django.core.cache import cache
from django.utils import timezone

from assessments.accounts.services import display_name

PRESENCE_SECONDS = 45  # someone polling every 20 s counts as present for this long


def presence_update(item, user, *, now=None) -> list[str]:
    """Record that `user` has the item open; return the names of the others who had it open lately."""
    now = (now or timezone.now()).timestamp()
    key = f"r2p:presence:{item.pk}"
    present = {pk: (name, seen) for pk, (name, seen) in cache.get(key, {}).items() if now - seen < PRESENCE_SECONDS}
    present[user.pk] = (display_name(user), now)
    cache.set(key, present, PRESENCE_SECONDS * 2)
    return sorted(name for pk, (name, _seen) in present.items() if pk != user.pk)
