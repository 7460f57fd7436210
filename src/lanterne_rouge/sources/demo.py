"""The bundled demo athlete: a recorded history and a Tour mission, moved to end today.

The bundled files are read once a process; a run on a store already seeded for the same day
writes nothing (the daily run seeds the demo every morning, and most mornings it is there).
"""

from __future__ import annotations

from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path

from lanterne_rouge.memory.state_store import StateStore
from lanterne_rouge.mission_config import Mission
from lanterne_rouge.mission_file import load_mission
from lanterne_rouge.sources.history_csv import History, read_history

DEMO_ATHLETE = "demo"
DEMO_SOURCE = "demo"


def _demo_file(name: str) -> Path:
    return Path(str(resources.files("lanterne_rouge.demo").joinpath(name)))


@cache
def _bundled() -> tuple[History, date, Mission]:
    """The bundled history, its last day and the mission (read once; only moved copies of
    them leave this module)."""
    history = read_history(_demo_file("history.csv"), source=DEMO_SOURCE)
    last = history.last_day
    assert last is not None, "the bundled demo history is empty"
    return history, last, load_mission(_demo_file("mission.toml"))


def seed_demo(store: StateStore, today: date) -> Mission:
    """Store the demo history so its last day is ``today``; return the demo mission, moved alike."""
    history, last, _ = _bundled()
    moved = history.shifted((today - last).days)
    with store.transaction():
        if not _seeded(store, moved):
            store.delete_source(DEMO_ATHLETE, DEMO_SOURCE)
            store.upsert_recovery(DEMO_ATHLETE, moved.recovery)
            store.upsert_loads(DEMO_ATHLETE, moved.loads)
    return demo_mission(today)


def _seeded(store: StateStore, moved: History) -> bool:
    """Whether the demo athlete's stored inputs are already exactly ``moved``: every day the
    demo's, none missing, none more."""
    return (
        store.loads(DEMO_ATHLETE) == moved.loads and store.recovery(DEMO_ATHLETE) == moved.recovery
    )


def demo_mission(today: date) -> Mission:
    """The demo mission as ``seed_demo`` moves it for a run on ``today``."""
    _, last, mission = _bundled()
    return mission.shifted((today - last).days)
