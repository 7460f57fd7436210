"""The weekly reflection: compliance, the mornings after hard and easy days, form against the
plan, and the ``reflect`` command that shows it."""

from __future__ import annotations

import json
import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from lanterne_rouge.agents.planning_agent import ramp_limit
from lanterne_rouge.agents.reflection_agent import ReflectionAgent, reflect
from lanterne_rouge.memory.memory_bus import MemoryBus
from lanterne_rouge.memory.records import DailyLoad
from lanterne_rouge.messages import (
    Decision,
    Envelope,
    Evidence,
    Observation,
    Payload,
    Plan,
    PlannedDay,
    Reflection,
    Workout,
)
from lanterne_rouge.mission_file import load_mission

REPO = Path(__file__).resolve().parents[3]
MONDAY = date(2026, 3, 2)
RUN = uuid.uuid4()


def _envelope(day: date, payload: Payload) -> Envelope:
    return Envelope(run_id=RUN, athlete_id="me", day=day, producer="test", payload=payload)


def _decision(action: str) -> Decision:
    return Decision(
        action=action,  # type: ignore[arg-type]
        rule="r_" + action,
        reason="because",
        evidence=(Evidence(name="x", value=1),),
    )


def _obs(readiness: int, hrv: float, tsb: float) -> Observation:
    return Observation(
        data_label="test", readiness_score=readiness, hrv_rmssd=hrv, ctl=50, atl=50, tsb=tsb
    )


def _plan(day: date, tss: float, tsb_by_offset: list[float]) -> Plan:
    workout = Workout(name="w", type="endurance", minutes=60, tss_target=tss)
    days = tuple(
        PlannedDay(
            day=day + timedelta(days=i),
            workout=workout,
            projected_ctl=50,
            projected_atl=50,
            projected_tsb=tsb,
        )
        for i, tsb in enumerate(tsb_by_offset)
    )
    return Plan(action="maintain", workout=workout, days=days)


def _week() -> dict[str, Any]:
    """push Mon, recover Tue, push Wed, rest Thu; mornings after each, and the next Monday."""
    actions = ["push", "recover", "push", "rest", "maintain", "maintain", "maintain"]
    days = [MONDAY + timedelta(days=i) for i in range(8)]
    mornings = {  # readiness falls after pushes, comes back after recovery days
        days[1]: _obs(70, 50.0, -8.0),
        days[2]: _obs(84, 62.0, -4.0),
        days[3]: _obs(72, 52.0, -9.0),
        days[4]: _obs(88, 64.0, -3.0),
        days[7]: _obs(80, 60.0, 1.5),
    }
    return {
        "decisions": [_envelope(d, _decision(a)) for d, a in zip(days, actions, strict=False)],
        "plans": [
            _envelope(MONDAY, _plan(MONDAY, 100.0, [0, -5, -6, -7, -6, -4, -2])),
            *(_envelope(d, _plan(d, 100.0, [0])) for d in days[1:7]),
        ],
        "loads": [DailyLoad(day=d, source="s", load=50.0) for d in days[:7]],
        "observations": [_envelope(d, o) for d, o in mornings.items()],
    }


def test_reflection_reports_compliance_mornings_after_and_form_against_plan() -> None:
    week = _week()
    r = reflect(MONDAY, week["decisions"], week["plans"], week["loads"], week["observations"])
    assert (r.planned_load, r.actual_load, r.compliance) == (700.0, 350.0, 0.5)
    assert r.after_push is not None and r.after_recovery is not None
    assert (r.after_push.days, r.after_push.readiness, r.after_push.hrv_rmssd) == (2, 71.0, 51.0)
    assert (r.after_recovery.days, r.after_recovery.readiness) == (2, 86.0)
    # Friday is the last morning inside the week with an observation: Monday's plan (the
    # week's first) projected -6 for it, and Friday's morning said -3
    assert (r.form_day, r.form_planned, r.form_actual) == (MONDAY + timedelta(days=4), -6, -3.0)
    assert r.rules == {"r_push": 2, "r_recover": 1, "r_rest": 1, "r_maintain": 3}
    assert any("only 50%" in n for n in r.notes)
    assert any("after push days 71, after recovery days 86 (+15)" in n for n in r.notes)


def test_done_counts_all_training_and_compliance_only_the_planned_days() -> None:
    week = _week()
    plans = week["plans"][:5]  # the coach ran Monday to Friday only
    r = reflect(MONDAY, week["decisions"][:5], plans, week["loads"], week["observations"])
    assert (r.actual_load, r.done_on_planned_days, r.planned_load) == (350.0, 250.0, 500.0)
    assert r.compliance == 0.5


def test_compliance_is_not_computed_inside_a_stage_race() -> None:
    week = _week()
    race = (MONDAY + timedelta(days=5), MONDAY + timedelta(days=27))
    r = reflect(MONDAY, week["decisions"], week["plans"], week["loads"], race=race)
    assert r.compliance is None and r.actual_load == 350.0
    assert r.notes[0] == "a stage race week: compliance is not computed inside the race"
    after = reflect(
        MONDAY,
        week["decisions"],
        week["plans"],
        week["loads"],
        race=(MONDAY - timedelta(days=30), MONDAY - timedelta(days=1)),
    )
    assert after.compliance == 0.5


def test_a_week_with_nothing_planned_has_no_compliance_and_no_day_after() -> None:
    r = reflect(MONDAY, [], [], [])
    assert r.compliance is None and r.after_push is None and r.form_day is None
    assert "7 days of the week have no decision" in r.notes


def _reflection(compliance: float | None) -> Reflection:
    return Reflection(
        week_start=MONDAY,
        week_end=MONDAY + timedelta(days=6),
        planned_load=100,
        actual_load=100 * (compliance or 0),
        compliance=compliance,
        actions={},
        rules={},
    )


@pytest.mark.parametrize(
    ("compliance", "limit"),
    [(None, 6.0), (0.9, 6.0), (0.7, 6.0), (0.5, 3.0), (0.1, 1.5)],  # never under a quarter
)
def test_poor_compliance_lowers_the_weekly_ramp_of_the_plan(
    compliance: float | None, limit: float
) -> None:
    tour = load_mission(REPO / "config" / "missions" / "tour_de_france_sim.toml")
    got, why = ramp_limit(tour, _reflection(compliance) if compliance is not None else None)
    assert got == limit
    assert bool(why) == (limit < 6.0)


@pytest.fixture
def shared_db(store: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The ``store`` fixture's database, also the one the command line opens."""
    monkeypatch.setenv("LANTERNE_DATABASE_URL", f"sqlite:///{tmp_path / 'test.db'}")
    return store


def _store_week(store: Any) -> None:
    week = _week()
    bus = MemoryBus(store)
    with store.transaction():
        for e in (*week["decisions"], *week["plans"], *week["observations"]):
            bus.publish(e)
        store.upsert_loads("me", week["loads"])


def test_reflect_command_reviews_a_week_from_the_stored_history(shared_db: Any, cli: Any) -> None:
    _store_week(shared_db)
    shown = cli("reflect", "--week", "2026-03-04", "--athlete", "me")
    assert shown.returncode == 0, shown.stderr
    assert (
        "Week 2026-03-02 .. 2026-03-08: planned 700 TSS, done 350 TSS (350 on planned days), "
        "compliance 50%" in (shown.stdout)
    )
    assert "after push days 71, after recovery days 86" in shown.stdout
    assert "(reviewed now, not stored)" in shown.stdout
    as_json = cli("reflect", "--week", "2026-03-02", "--athlete", "me", "--json")
    assert json.loads(as_json.stdout)["compliance"] == 0.5


def test_reflect_command_shows_the_stored_reflection_when_there_is_one(
    shared_db: Any, cli: Any
) -> None:
    _store_week(shared_db)
    stored = ReflectionAgent(shared_db).reflect_week("me", MONDAY)
    edited = stored.model_copy(update={"notes": ("a note only the stored one has",)})
    with shared_db.transaction():
        MemoryBus(shared_db).publish(_envelope(MONDAY + timedelta(days=7), edited))
    shown = cli("reflect", "--week", "2026-03-08", "--athlete", "me")
    assert "a note only the stored one has" in shown.stdout
    assert "(stored by the daily run)" in shown.stdout
