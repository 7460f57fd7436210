"""Mission phases follow the calendar and never stick in taper after the event."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from lanterne_rouge.agents.mission_agent import mission_phase, mission_status
from lanterne_rouge.mission_file import load_mission

REPO = Path(__file__).resolve().parents[3]
TOUR = load_mission(REPO / "config" / "missions" / "tour_de_france_sim.toml")


@pytest.mark.parametrize(
    ("day", "phase"),
    [
        (date(2026, 3, 1), "base"),
        (date(2026, 4, 11), "build"),
        (date(2026, 6, 6), "peak"),
        (date(2026, 6, 24), "taper"),
        (date(2026, 7, 3), "taper"),
        (date(2026, 7, 4), "event"),
        (date(2026, 7, 26), "event"),
        (date(2026, 7, 27), "recovery"),
        (date(2026, 8, 2), "recovery"),
        (date(2026, 8, 3), "complete"),
    ],
    ids=str,
)
def test_phase_by_day(day: date, phase: str) -> None:
    assert mission_phase(TOUR, day) == phase


def test_status_reports_stage_rest_day_and_ramp() -> None:
    before = mission_status(TOUR, date(2026, 6, 6), current_ctl=65)
    assert before.days_to_go == 28 and before.ramp_needed == 2.5 and before.ramp_safe
    stage = mission_status(TOUR, date(2026, 7, 4), current_ctl=70)
    assert stage.stage is not None and stage.stage.number == 1 and stage.ramp_needed is None
    rest = mission_status(TOUR, date(2026, 7, 13), current_ctl=70)
    assert rest.rest_day and rest.stage is None


def test_unsafe_ramp_is_flagged() -> None:
    status = mission_status(TOUR, date(2026, 6, 20), current_ctl=40)
    assert status.ramp_needed is not None and status.ramp_needed > 6 and not status.ramp_safe


def test_reflection_counts_all_training_and_compares_only_planned_days(store) -> None:  # type: ignore[no-untyped-def]
    from lanterne_rouge.agents.reflection_agent import ReflectionAgent
    from lanterne_rouge.orchestrator import build_orchestrator
    from lanterne_rouge.sources.demo import DEMO_ATHLETE, seed_demo

    coach = build_orchestrator(store, seed_demo(store, date(2026, 3, 8)))
    result = coach.run_day(DEMO_ATHLETE, date(2026, 3, 6), data_label="demo")
    reflection = ReflectionAgent(store).reflect_week(DEMO_ATHLETE, date(2026, 3, 2))
    (load,) = store.loads(DEMO_ATHLETE, since=date(2026, 3, 6), until=date(2026, 3, 6))
    week = store.loads(DEMO_ATHLETE, since=date(2026, 3, 2), until=date(2026, 3, 8))
    assert reflection.planned_load == result.plan.workout.tss_target
    assert reflection.done_on_planned_days == round(load.load, 1)
    assert reflection.actual_load == round(sum(d.load for d in week), 1) > load.load
    assert reflection.compliance is None  # one planned day is too few to judge
    assert "6 days of the week have no decision" in reflection.notes
