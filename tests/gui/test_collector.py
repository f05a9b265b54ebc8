"""The window's cycle collection runs in the GUI thread only (gui/app.py): a collection
set off in a background job's thread would destroy Qt objects there and crash."""

from __future__ import annotations

import gc

from quotedesk.gui.app import collect_when_due


def test_the_gui_thread_collects_a_generation_when_cpythons_threshold_is_passed():
    threshold, enabled = gc.get_threshold(), gc.isenabled()
    gc.disable()
    try:
        gc.set_threshold(100, 10, 10)
        gc.collect()
        kept = [[] for _ in range(150)]  # 150 new container objects: past gen 0's 100
        assert gc.get_count()[0] >= 150
        collect_when_due()
        young, middle, _ = gc.get_count()
        assert young < 100 and middle == 1  # one young-generation collection, no more
        collect_when_due()  # nothing due: nothing collected
        assert gc.get_count()[1] == 1
    finally:
        gc.set_threshold(*threshold)
        if enabled:
            gc.enable()
    assert len(kept) == 150
