"""Replaying each recorded scenario reproduces its expected decisions, deterministically,
and what each scenario is about (points, late and duplicate rides, time zones, compliance)."""

from __future__ import annotations

import re
from datetime import date
from functools import cache
from pathlib import Path

import pytest

from lanterne_rouge.replay import ReplayedDay, replay
from lanterne_rouge.sources.scenarios import load_scenario

HERE = Path(__file__).resolve().parent
SCENARIOS = sorted(p.name for p in HERE.iterdir() if (p / "history.csv").is_file())
REQUIRED = {
    "steady_build",
    "overreaching",
    "missing_recovery",
    "taper",
    "tour_de_france",
    "illness",
    "late_activities",
    "duplicate_activities",
    "day_after_event",
    "time_zones",
    "poor_compliance",
    "gran_fondo_taper",
}
POINTS_TOTAL = re.compile(r"total:?\s+\*\*(\d+)\s+points\*\*", re.IGNORECASE)


@cache
def replayed(name: str) -> tuple[ReplayedDay, ...]:
    return tuple(replay(load_scenario(HERE / name)))


def by_day(name: str) -> dict[date, ReplayedDay]:
    return {d.result.run.day: d for d in replayed(name)}


def test_there_are_at_least_twelve_scenarios_each_with_a_readme() -> None:
    assert set(SCENARIOS) >= REQUIRED
    assert len(SCENARIOS) >= 12
    for name in SCENARIOS:
        assert (HERE / name / "README.md").read_text(encoding="utf-8").startswith("# ")


SCORED = [n for n in SCENARIOS if load_scenario(HERE / n).mission.scoring is not None]


def test_the_scored_scenarios_are_the_stage_races_with_rides() -> None:
    assert set(SCORED) >= {"tour_de_france", "late_activities", "duplicate_activities"}
    assert "time_zones" in SCORED


@pytest.mark.parametrize("name", SCORED)
def test_points_equal_the_hand_checked_total_in_the_readme(name: str) -> None:
    match = POINTS_TOTAL.search((HERE / name / "README.md").read_text(encoding="utf-8"))
    assert match is not None, f"{name}/README.md states no 'Total: **N points**'"
    last = replayed(name)[-1].result.status
    assert last.points == int(match.group(1))
    assert last.stages_scored == len(load_scenario(HERE / name).mission.stages)


def test_the_tour_has_21_stages_two_rest_days_and_scores_every_stage_once() -> None:
    days = replayed("tour_de_france")
    mission = load_scenario(HERE / "tour_de_france").mission
    assert len(mission.stages) == 21 and len(mission.rest_days) == 2
    results = [r for d in days for r in d.result.stage_results]
    assert sorted(r.stage.number for r in results) == list(range(1, 22))
    assert len({r.activity_id for r in results}) == 21
    rest_rules = {d.result.run.day: d.result.decision.rule for d in days}
    assert all(rest_rules[day] == "event_rest_day" for day in mission.rest_days)
    eleven = next(r for r in results if r.stage.number == 11)
    assert (eleven.mode, eleven.points) == ("rest", 0), "an easy spin earns nothing"


def test_a_late_ride_replaces_the_rest_result_of_its_stage() -> None:
    days = by_day("late_activities")
    stage_2 = [
        (day, r.mode, r.points)
        for day, d in sorted(days.items())
        for r in d.result.stage_results
        if r.stage.number == 2
    ]
    assert stage_2 == [(date(2026, 8, 7), "rest", 0), (date(2026, 8, 9), "breakaway", 20)]
    assert days[date(2026, 8, 7)].result.observation.yesterday_load == 0
    assert (
        days[date(2026, 8, 10)].result.observation.week_load
        > days[date(2026, 8, 8)].result.observation.week_load
    ), "the late ride's load counts once it arrives"
    points = [days[date(2026, 8, d)].result.status.points for d in range(6, 14)]
    assert points == [5, 5, 13, 36, 36, 36, 73, 73]


def test_duplicate_records_of_a_ride_count_once_for_load_and_points() -> None:
    days = by_day("duplicate_activities")
    assert days[date(2026, 9, 5)].result.observation.yesterday_load == pytest.approx(134.5)
    assert days[date(2026, 9, 6)].result.observation.yesterday_load == pytest.approx(211.2)
    results = [r for d in days.values() for r in d.result.stage_results]
    assert [(r.stage.number, r.activity_source) for r in results] == [
        (1, "strava"),
        (2, "strava"),
        (3, "strava"),
    ], "one result per stage, from the source that ranks first"


def test_stage_days_follow_the_local_date_across_time_zones() -> None:
    results = [r for d in replayed("time_zones") for r in d.result.stage_results]
    assert [(r.stage.number, r.activity_id) for r in results] == [
        (1, "tz-1"),
        (2, "tz-2"),
        (3, "tz-3"),
        (4, "tz-4"),
    ]


def test_after_a_week_of_poor_compliance_pushes_are_held_and_the_ramp_lowered() -> None:
    days = by_day("poor_compliance")
    monday = days[date(2026, 4, 6)].result
    assert monday.reflection is not None and monday.reflection.compliance is not None
    assert monday.reflection.compliance < 0.7
    for day, d in days.items():
        plan, rule = d.result.plan, d.result.decision.rule
        if day >= date(2026, 4, 6):
            assert rule != "ready_to_push"
            assert plan.ramp_limit == pytest.approx(6 * monday.reflection.compliance)
            assert plan.adjustments and "lowered" in plan.adjustments[0]
        else:
            assert plan.ramp_limit == 6 and not plan.adjustments
    assert {d.result.decision.rule for day, d in days.items() if day >= date(2026, 4, 6)} == {
        "low_compliance"
    }


def test_the_phase_never_sticks_in_taper_after_a_single_event() -> None:
    days = by_day("day_after_event")
    phases = [(day, d.result.status.phase) for day, d in sorted(days.items())]
    event = date(2026, 9, 13)
    assert all(phase != "taper" for day, phase in phases if day >= event)
    assert days[event].result.decision.rule == "event_day"
    assert days[event].result.plan.workout.name == "Event day"
    assert days[date(2026, 9, 14)].result.decision.rule == "post_event_recovery"
    assert phases[-1][1] == "complete"


@pytest.mark.parametrize("name", SCENARIOS)
def test_replay_matches_expected_action_and_rule(name: str) -> None:
    scenario = load_scenario(HERE / name)
    days = replayed(name)
    got = [(d.expected.day, d.result.decision.action, d.result.decision.rule) for d in days]
    want = [(e.day, e.action, e.rule) for e in scenario.expected]
    assert got == want


@pytest.mark.parametrize("name", SCENARIOS)
def test_replay_is_deterministic(name: str) -> None:
    scenario = load_scenario(HERE / name)
    first = [d.result.decision for d in replay(scenario)]
    second = [d.result.decision for d in replay(scenario)]
    assert first == second
    plans = [d.result.plan for d in replay(scenario)]
    assert plans == [d.result.plan for d in replay(scenario)]


def test_the_tour_rests_a_stage_only_for_illness_or_very_low_readiness() -> None:
    limits = load_scenario(HERE / "tour_de_france").mission.thresholds
    stage_days = [d.result for d in replayed("tour_de_france") if d.result.status.stage]
    assert len(stage_days) == 21
    for day in stage_days:
        obs, decision = day.observation, day.decision
        if decision.action == "rest":
            rise = (
                None if obs.resting_hr is None else obs.resting_hr - (obs.resting_hr_baseline or 0)
            )
            illness = obs.hrv_status == "low" and rise is not None and rise >= limits.rhr_rise_bpm
            very_low = (
                obs.readiness_score is not None and obs.readiness_score < limits.readiness_rest
            )
            assert illness or very_low, day.run.day
            assert "costs up to" in decision.reason, decision.reason
        else:
            assert decision.ride_mode in ("breakaway", "gc", "domestique"), day.run.day
    assert sum(d.decision.action == "rest" for d in stage_days) == 6


def test_stage_rides_are_planned_at_the_missions_stage_loads() -> None:
    days = {d.result.run.day: d.result for d in replayed("tour_de_france")}
    mission = load_scenario(HERE / "tour_de_france").mission
    first = days[date(2026, 7, 1)].plan  # three taper days, then the first stages ahead
    for planned in first.days:
        stage = mission.stage_on(planned.day)
        if stage is not None:
            assert planned.workout.tss_target == pytest.approx(
                mission.stage_load(stage.type), rel=0.1
            )
