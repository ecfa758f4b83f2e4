"""Settings of a long-running server process, applied once the application is loaded (r2p.wsgi)."""

import gc

# Django's template contexts are reference cycles (each ContextDict points back at its Context), so whatever a page
# renders is garbage only the cycle collector frees: ~2,800 objects a request on the cycle overview at 193 countries.
# With everything start-up loaded still in the collected generations, the full collections this triggers walked
# ~150,000 objects each: 60-170 ms pauses every ~20 requests, the overview's p95 5× its median in `make bench
# BENCH_SCALE=full`. Frozen, start-up's objects are never walked again; a young generation of 10,000 (Python's
# default is 700) collects a few requests' garbage at a time. Measured over 300 requests on SQLite: overview p95
# 42.5 ms (700) and 39.1 ms (10,000) against the admin change page's 26 ms; 50,000 made the pauses longer (p95 51 ms).
YOUNG_COLLECTION_THRESHOLD = 10_000


def tune_garbage_collector() -> None:
    """Freeze the objects loaded at start-up and collect the young generation less often."""
    gc.collect()
    gc.freeze()
    _, middle, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_COLLECTION_THRESHOLD, middle, oldest)
