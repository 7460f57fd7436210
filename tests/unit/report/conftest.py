"""A store with a few days of the demo athlete run by the real orchestrator, and one with the
first eight stages of the Tour scenario scored."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from lanterne_rouge.memory.state_store import StateStore
from lanterne_rouge.mission_config import Mission
from lanterne_rouge.orchestrator import build_orchestrator
from lanterne_rouge.replay import replay_into
from lanterne_rouge.sources.demo import DEMO_ATHLETE, seed_demo
from lanterne_rouge.sources.scenarios import load_scenario

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


TOUR = Path(__file__).resolve().parents[2] / "agent_scenarios" / "tour_de_france"
TOUR_DAYS = 12  # 2026-07-01 .. 07-12: stages 1-8 scored, a breakaway hat-trick earned


@pytest.fixture(scope="module")
def tour(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[StateStore, Mission]]:
    scenario = load_scenario(TOUR)
    scenario = load_scenario(TOUR, expected=scenario.expected[:TOUR_DAYS])
    store = StateStore(f"sqlite:///{tmp_path_factory.mktemp('tour') / 'tour.db'}")
    replay_into(store, scenario)
    yield store, scenario.mission
    store.close()
