"""The daily run: idempotent per athlete-day, --force adds an attempt, a crash leaves nothing."""

from __future__ import annotations

from datetime import date
from itertools import pairwise
from pathlib import Path

import pytest

from lanterne_rouge.errors import DayAlreadyDone
from lanterne_rouge.memory.state_store import StateStore
from lanterne_rouge.messages import KINDS
from lanterne_rouge.orchestrator import build_orchestrator
from lanterne_rouge.reasoning_log import read_rows
from lanterne_rouge.sources.demo import DEMO_ATHLETE, seed_demo

DAY = date(2026, 3, 10)  # a Tuesday: no weekly reflection


def _coach(store: StateStore, tmp_path: Path):  # type: ignore[no-untyped-def]
    mission = seed_demo(store, DAY)
    return build_orchestrator(store, mission, reasoning_log=tmp_path / "out" / "log.csv")


def test_same_day_twice_leaves_one_decision_and_one_csv_row(
    store: StateStore, tmp_path: Path
) -> None:
    coach = _coach(store, tmp_path)
    coach.run_day(DEMO_ATHLETE, DAY, data_label="demo")
    with pytest.raises(DayAlreadyDone, match="already done"):
        coach.run_day(DEMO_ATHLETE, DAY, data_label="demo")
    assert len(store.messages(DEMO_ATHLETE, kinds=["decision"])) == 1
    assert len(read_rows(tmp_path / "out" / "log.csv")) == 1
    assert len(store.runs(DEMO_ATHLETE, DAY)) == 1


def test_force_records_a_second_attempt_beside_the_first(store: StateStore, tmp_path: Path) -> None:
    coach = _coach(store, tmp_path)
    first = coach.run_day(DEMO_ATHLETE, DAY, data_label="demo")
    second = coach.run_day(DEMO_ATHLETE, DAY, data_label="demo", force=True)
    assert [r.attempt for r in store.runs(DEMO_ATHLETE, DAY)] == [1, 2]
    decisions = store.messages(DEMO_ATHLETE, kinds=["decision"])
    assert {d.run_id for d in decisions} == {first.run.run_id, second.run.run_id}
    rows = read_rows(tmp_path / "out" / "log.csv")
    assert [r["attempt"] for r in rows] == ["1", "2"]


def test_every_message_of_the_day_is_stored_with_a_causation_chain(
    store: StateStore, tmp_path: Path
) -> None:
    result = _coach(store, tmp_path).run_day(DEMO_ATHLETE, DAY, data_label="demo")
    day_messages = store.messages(DEMO_ATHLETE, run_id=result.run.run_id)
    kinds = [m.kind for m in day_messages]
    assert kinds == ["observation", "mission_status", "decision", "plan", "coach_report"]
    for parent, child in pairwise(day_messages):
        assert child.causation_id == parent.message_id
    assert all(m.created_at.tzinfo is not None for m in day_messages)
    assert set(kinds) <= set(KINDS)


class Boom(RuntimeError):
    pass


def test_a_crash_between_agents_leaves_no_partial_day(store: StateStore, tmp_path: Path) -> None:
    coach = _coach(store, tmp_path)

    class ExplodingPlanner:
        producer = "planning_agent"

        def plan(self, *args: object) -> None:
            raise Boom("planner fell over")

    broken = build_orchestrator(
        store, seed_demo(store, DAY), reasoning_log=tmp_path / "out" / "log.csv"
    )
    object.__setattr__(broken.agents, "planning", ExplodingPlanner())
    with pytest.raises(Boom):
        broken.run_day(DEMO_ATHLETE, DAY, data_label="demo")
    assert store.messages(DEMO_ATHLETE) == []
    assert store.runs(DEMO_ATHLETE) == []
    assert not (tmp_path / "out" / "log.csv").exists()
    # the day is still free and runs cleanly afterwards
    coach.run_day(DEMO_ATHLETE, DAY, data_label="demo")
    assert len(store.messages(DEMO_ATHLETE)) == 5


def test_monday_run_publishes_a_reflection_on_the_week_before(
    store: StateStore, tmp_path: Path
) -> None:
    coach = _coach(store, tmp_path)
    for day in range(2, 9):  # Monday 2 .. Sunday 8 March 2026
        coach.run_day(DEMO_ATHLETE, date(2026, 3, day), data_label="demo")
    monday = coach.run_day(DEMO_ATHLETE, date(2026, 3, 9), data_label="demo")
    assert monday.reflection is not None
    assert monday.reflection.week_start == date(2026, 3, 2)
    assert sum(monday.reflection.actions.values()) == 7
    assert len(store.messages(DEMO_ATHLETE, kinds=["reflection"])) == 1
