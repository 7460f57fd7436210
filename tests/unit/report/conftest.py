"""A store with a few days of the demo athlete run by the real orchestrator."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from lanterne_rouge.memory.state_store import StateStore
from lanterne_rouge.orchestrator import build_orchestrator
from lanterne_rouge.sources.demo import DEMO_ATHLETE, seed_demo

FIRST_DAY = date(2026, 3, 7)  # Saturday: the Monday run writes a weekly reflection
DAYS = 4
LAST_DAY = FIRST_DAY + timedelta(days=DAYS - 1)


@pytest.fixture(autouse=True)
def no_outside_channels(monkeypatch: pytest.MonkeyPatch) -> None:
    """A developer's own mail or Telegram settings are never used by a test."""
    import os

    for key in list(os.environ):
        if key.startswith(("LANTERNE_SMTP_", "LANTERNE_TELEGRAM_", "TELEGRAM_", "LANTERNE_DASH")):
            monkeypatch.delenv(key)


@pytest.fixture(autouse=True)
def fresh_logging() -> None:
    """Log to this test's stderr: an earlier in-process CLI call may have left a closed one."""
    from lanterne_rouge.utils.logger import configure_logging

    configure_logging("WARNING")


@pytest.fixture
def seeded(store: StateStore) -> StateStore:
    for offset in range(DAYS):
        day = FIRST_DAY + timedelta(days=offset)
        build_orchestrator(store, seed_demo(store, day)).run_day(
            DEMO_ATHLETE, day, data_label="demo"
        )
    return store
