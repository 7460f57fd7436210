"""Plans climb toward the target within the safe ramp and taper into the start day."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from pydantic import ValidationError

from lanterne_rouge.agents.plan_builder import build_plan
from lanterne_rouge.messages import Workout, WorkoutStep
from lanterne_rouge.mission_file import load_mission
from lanterne_rouge.replay import replay
from lanterne_rouge.sources.scenarios import load_scenario
from lanterne_rouge.training.fitness import pmc
from lanterne_rouge.training.fitness_state import seed_state
from lanterne_rouge.workouts import library

REPO = Path(__file__).resolve().parents[3]
SCENARIOS = REPO / "tests" / "agent_scenarios"
TOUR = load_mission(REPO / "config" / "missions" / "tour_de_france_sim.toml")


@pytest.mark.parametrize("name", ["taper", "gran_fondo_taper"])
def test_taper_plans_land_form_in_the_band_without_breaking_the_ramp(name: str) -> None:
    scenario = load_scenario(SCENARIOS / name)
    mission = scenario.mission
    low, high = mission.targets.form_min, mission.targets.form_max
    history = {
        p.day: p.ctl
        for p in pmc({d.day: d.load for d in scenario.history.loads}, end=mission.mission.end)
    }
    checked = 0
    for day in replay(scenario):
        plan = day.result.plan
        ctl = {**history, **{p.day: p.projected_ctl for p in plan.days}}
        for planned in plan.days:
            week_before = planned.day - timedelta(days=7)
            if week_before < plan.days[0].day:
                week_before_ctl = history[week_before]
            else:
                week_before_ctl = ctl[week_before]
            ramp = planned.projected_ctl - week_before_ctl
            assert ramp <= mission.targets.max_weekly_ramp + 0.01, (day.expected.day, planned)
        start = [p for p in plan.days if p.day == mission.mission.start]
        if start and day.expected.day < mission.mission.start:
            checked += 1
            assert low <= start[0].projected_tsb <= high, (day.expected.day, start[0])
    assert checked >= mission.phases.taper_days, "every taper day plans up to the start"


@pytest.mark.parametrize("ctl", [30.0, 60.0, 90.0], ids=["low", "mid", "high"])
def test_weekly_ramp_of_a_build_plan_never_exceeds_the_limit(ctl: float) -> None:
    today = date(2026, 4, 14)
    state = seed_state(today - timedelta(days=1), seed_ctl=ctl, seed_atl=ctl)
    days = build_plan(today, state, TOUR, "push", None, library())
    assert len(days) == 7
    assert days[-1].projected_ctl - ctl <= TOUR.targets.max_weekly_ramp + 1e-6
    if ctl < TOUR.targets.ctl:
        assert days[-1].projected_ctl > ctl, "below target, fitness climbs"
    assert days[0].workout.tss_target > 0


def test_stage_days_and_rest_days_keep_their_fixed_shape() -> None:
    first = TOUR.mission.start
    state = seed_state(first - timedelta(days=1), seed_ctl=70, seed_atl=70)
    days = build_plan(first, state, TOUR, "push", TOUR.stages[0].type, library())
    by_day = {d.day: d.workout for d in days}
    assert by_day[first].name == "Stage: time trial"
    rest = TOUR.rest_days[0]
    later = build_plan(rest - timedelta(days=2), state, TOUR, "push", "mountain", library())
    by_day = {d.day: d.workout for d in later}
    assert by_day[rest].minutes == 0 and by_day[rest].tss_target == 0
    assert by_day[rest + timedelta(days=1)].name.startswith("Stage: ")


@pytest.mark.parametrize(
    ("template", "stretch", "name", "described"),
    [
        ("sweet_spot_3x15", 0.6, "Sweet spot 3 x 9 min", "3 x 9 min at 90% FTP, 3 min at 55%"),
        ("threshold_2x20", 1.5, "Threshold 2 x 30 min", "2 x 30 min at 97% FTP"),
        ("vo2max_5x4", 0.5, "VO2max 5 x 2 min", "5 x 2 min at 115% FTP, 2 min at 50%"),
        ("recovery_spin", 0.5, "Recovery spin", "min at 50% FTP."),
    ],
    ids=["sweet-spot-shortened", "threshold-lengthened", "vo2max-halved", "steady-spin"],
)
def test_a_stretched_workout_says_what_it_holds(
    template: str, stretch: float, name: str, described: str
) -> None:
    found = next(w for w in library().workout if w.id == template)
    workout = found.as_workout(stretch)
    assert workout.name == name
    assert described in workout.description
    assert f"{workout.minutes} min in all" in workout.description or workout.description.startswith(
        f"{workout.minutes} min"
    )
    assert found.as_workout(1.0).name == found.name  # unstretched: the hand-written text


def test_todays_stage_is_planned_by_how_it_is_ridden() -> None:
    first = TOUR.stages[2]  # a flat stage, 150 TSS expected
    state = seed_state(first.day - timedelta(days=1), seed_ctl=70, seed_atl=70)
    hardest = build_plan(first.day, state, TOUR, "push", first.type, library(), share=1.0)
    easiest = build_plan(first.day, state, TOUR, "ease", first.type, library(), share=0.6)
    expected = TOUR.stage_load(first.type)
    assert hardest[0].workout.tss_target == pytest.approx(expected, rel=0.05)
    assert easiest[0].workout.tss_target == pytest.approx(0.6 * expected, rel=0.05)


def _described_by_equality(steps: tuple[WorkoutStep, ...]) -> str:
    """The description as it was first written: work blocks found by the steps' equality."""
    total = sum(s.minutes for s in steps)
    top = max(s.pct_ftp for s in steps)
    work = [s for s in steps if s.pct_ftp == top]
    if len(work) == len(steps) or len({s.pct_ftp for s in steps}) == 1:
        return f"{total} min at {steps[0].pct_ftp:g}% FTP."
    first, last = steps.index(work[0]), len(steps) - 1 - steps[::-1].index(work[-1])
    between = [s for s in steps[first:last] if s not in work]
    lengths = sorted({s.minutes for s in work})
    blocks = (
        (f"{len(work)} x {lengths[0]} min" if len(work) > 1 else f"{lengths[0]} min")
        if len(lengths) == 1
        else f"{len(work)} blocks of {lengths[0]}-{lengths[-1]} min"
    )
    text = f"{blocks} at {work[0].pct_ftp:g}% FTP"
    if between and len({(s.minutes, s.pct_ftp) for s in between}) == 1:
        text += f", {between[0].minutes} min at {between[0].pct_ftp:g}% between"
    return f"{text}; {total} min in all with warm-up and cool-down."


@pytest.mark.parametrize("stretch", [0.2, 0.5, 0.93, 1.0, 1.37, 2.5], ids=str)
def test_every_stretched_workout_is_valid_and_described_as_before(stretch: float) -> None:
    for template in library().workout:
        workout = template.as_workout(stretch)
        assert Workout.model_validate(workout.model_dump()) == workout, template.id
        if workout.steps and workout.description != template.description:
            assert workout.description == _described_by_equality(workout.steps), template.id


def test_a_step_stretched_past_its_bound_is_refused() -> None:
    longest = max(library().workout, key=lambda t: max((s.minutes for s in t.steps), default=0))
    with pytest.raises(ValidationError):
        longest.as_workout(1000.0)
