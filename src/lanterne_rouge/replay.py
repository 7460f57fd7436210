"""Replay a recorded scenario day by day into a throwaway store (the sandbox)."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from lanterne_rouge.memory.state_store import StateStore
from lanterne_rouge.orchestrator import DayResult, build_orchestrator
from lanterne_rouge.sources.activity_days import rebuild_days
from lanterne_rouge.sources.scenarios import SCENARIO_ATHLETE, Arrival, Expected, Scenario


@dataclass(frozen=True)
class ReplayedDay:
    expected: Expected
    result: DayResult

    @property
    def matches(self) -> bool:
        d = self.result.decision
        return (d.action, d.rule) == (self.expected.action, self.expected.rule)


def replay(
    scenario: Scenario,
    *,
    store_dir: Path | None = None,
    on_day: Callable[[ReplayedDay], None] | None = None,
) -> list[ReplayedDay]:
    """Run each expected day of the scenario in order; the store is deleted afterwards."""
    with tempfile.TemporaryDirectory(prefix="lanterne-replay-", dir=store_dir) as tmp:
        store = StateStore(f"sqlite:///{Path(tmp) / 'replay.db'}")
        try:
            return replay_into(store, scenario, on_day=on_day)
        finally:
            store.close()


def replay_into(
    store: StateStore,
    scenario: Scenario,
    *,
    on_day: Callable[[ReplayedDay], None] | None = None,
) -> list[ReplayedDay]:
    """Run each expected day of the scenario in order into ``store``, which is kept."""
    with store.transaction():
        store.upsert_recovery(SCENARIO_ATHLETE, scenario.history.recovery)
        store.upsert_loads(SCENARIO_ATHLETE, scenario.history.loads)
    coach = build_orchestrator(store, scenario.mission)
    out = []
    pending = sorted(scenario.arrivals, key=lambda a: a.day)
    for expected in scenario.expected:
        arrived = [a for a in pending if a.day <= expected.day]
        pending = pending[len(arrived) :]
        _store_arrivals(store, arrived)
        result = coach.run_day(SCENARIO_ATHLETE, expected.day, data_label="scenario")
        day = ReplayedDay(expected, result)
        out.append(day)
        if on_day:
            on_day(day)
    return out


def _store_arrivals(store: StateStore, arrived: list[Arrival]) -> None:
    """Activities the coach sees from today on, and their days' loads, as a sync stores them."""
    if not arrived:
        return
    with store.transaction():
        store.activities.upsert_activities(SCENARIO_ATHLETE, [a.activity for a in arrived])
        rebuild_days(store, SCENARIO_ATHLETE, {a.activity.local_day for a in arrived})
