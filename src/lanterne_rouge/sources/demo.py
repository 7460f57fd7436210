"""The bundled demo athlete: a recorded history and a Tour mission, moved to end today."""

from __future__ import annotations

from datetime import date
from importlib import resources
from pathlib import Path

from lanterne_rouge.memory.state_store import StateStore
from lanterne_rouge.mission_config import Mission
from lanterne_rouge.mission_file import load_mission
from lanterne_rouge.sources.history_csv import read_history

DEMO_ATHLETE = "demo"
DEMO_SOURCE = "demo"


def _demo_file(name: str) -> Path:
    return Path(str(resources.files("lanterne_rouge.demo").joinpath(name)))


def seed_demo(store: StateStore, today: date) -> Mission:
    """Store the demo history so its last day is ``today``; return the demo mission, moved alike."""
    history = read_history(_demo_file("history.csv"), source=DEMO_SOURCE)
    last = history.last_day
    assert last is not None, "the bundled demo history is empty"
    shift = (today - last).days
    moved = history.shifted(shift)
    with store.transaction():
        store.delete_source(DEMO_ATHLETE, DEMO_SOURCE)
        store.upsert_recovery(DEMO_ATHLETE, moved.recovery)
        store.upsert_loads(DEMO_ATHLETE, moved.loads)
    return demo_mission(today)


def demo_mission(today: date) -> Mission:
    """The demo mission as ``seed_demo`` moves it for a run on ``today``."""
    last = read_history(_demo_file("history.csv"), source=DEMO_SOURCE).last_day
    assert last is not None, "the bundled demo history is empty"
    return load_mission(_demo_file("mission.toml")).shifted((today - last).days)
