"""A per-user rate for work done inside requests (draft previews render on request, since drafts change)."""

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone


def draft_render_allowed(user) -> bool:
    """True while the user has rendered fewer than R2P_DRAFT_RENDERS_PER_MINUTE drafts this minute."""
    minute = timezone.now().strftime("%Y%m%d%H%M")
    key = f"r2p:draft-renders:{user.pk}:{minute}"
    cache.add(key, 0, 120)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, 120)
        count = 1
    return count <= settings.R2P_DRAFT_RENDERS_PER_MINUTE
