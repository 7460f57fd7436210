"""A store with a few days of the demo athlete run by the real orchestrator (the Tour
scenario's store, ``tour``, is shared from ``tests/conftest.py``)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from lanterne_rouge.memory.state_store import StateStore
from lanterne_rouge.orchestrator import build_orchestrator
from lanterne_rouge.sources.demo import DEMO_ATHLETE, seed_demo

FIRST_DAY = date(2026, 3, 7)  # Saturday: the Monday run writes a weekly reflection
DAYS = 4
LAST_DAY = FIRST_DAY + timedelta(days=DAYS - 1)


@pytest.fixture
def seeded(store: StateStore) -> StateStore:
    for offset in range(DAYS):
        day = FIRST_DAY + timedelta(days=offset)
        build_orchestrator(store, seed_demo(store, day)).run_day(
            DEMO_ATHLETE, day, data_label="demo"
        )
    return store
