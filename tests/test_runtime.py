"""A server process's garbage collector (r2p.runtime, applied by r2p.wsgi)."""

import gc
import importlib

import pytest

from r2p.runtime import YOUNG_COLLECTION_THRESHOLD, tune_garbage_collector


@pytest.fixture
def collector_restored():
    threshold = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)


def test_start_up_objects_are_frozen_and_young_objects_collected_less_often(collector_restored):
    gc.unfreeze()
    _, middle, oldest = gc.get_threshold()

    tune_garbage_collector()

    assert gc.get_freeze_count() > 10_000  # Django and the app's modules, loaded by the time this runs
    assert gc.get_threshold() == (YOUNG_COLLECTION_THRESHOLD, middle, oldest)


def test_the_server_application_tunes_its_process(collector_restored):
    gc.set_threshold(700, 10, 10)
    import r2p.wsgi

    importlib.reload(r2p.wsgi)  # loaded once per server process (maybe earlier in this one): the tuning is part of it

    assert gc.get_threshold()[0] == YOUNG_COLLECTION_THRESHOLD
