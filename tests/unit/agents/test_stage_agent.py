"""The stage agent: which ride is a stage's ride, its mode and points, and the standings."""

from __future__ import annotations

import math
import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest

from lanterne_rouge.agents.stage_agent import (
    StageAgent,
    intensity_factor,
    score_stage,
    stage_rides,
    standings,
)
from lanterne_rouge.memory.activity_store import ActivityStore, StoredActivity
from lanterne_rouge.memory.memory_bus import MemoryBus
from lanterne_rouge.memory.state_store import StateStore
from lanterne_rouge.messages import Envelope, StageInfo, StageResult
from lanterne_rouge.mission_config import Mission, Stage

ATHLETE = "a1"
PARIS = timezone(timedelta(hours=2))
NEW_YORK = timezone(timedelta(hours=-4))
START = date(2026, 7, 4)


def mission(stage_types: Sequence[str] = ("flat", "mountain", "flat"), **scoring: Any) -> Mission:
    """A stage race of one stage a day from ``START``, scored like the shipped tour."""
    days = [START + timedelta(days=i) for i in range(len(stage_types))]
    return Mission.model_validate(
        {
            "mission": {
                "id": "mini-tour",
                "name": "Mini tour",
                "kind": "stage_race",
                "start": days[0],
                "end": days[-1],
            },
            "athlete": {"ftp": 250, "threshold_hr": 168, "max_hr": 188, "resting_hr": 50},
            "targets": {"ctl": 70, "form_min": 0, "form_max": 15, "max_weekly_ramp": 6},
            "stages": [
                {"number": i + 1, "day": d, "type": t}
                for i, (d, t) in enumerate(zip(days, stage_types, strict=True))
            ],
            "scoring": {
                "modes": [
                    {"name": "breakaway", "min_if": 0.88, "min_tss": 90},
                    {"name": "gc", "min_if": 0.75, "min_tss": 60},
                    {"name": "domestique", "min_if": 0.60, "min_tss": 40},
                ],
                "points": {
                    "flat": {"breakaway": 8, "gc": 5, "domestique": 2},
                    "mountain": {"breakaway": 20, "gc": 12, "domestique": 4},
                },
                "bonuses": [
                    {"name": "Finisher", "kind": "finisher", "points": 25},
                    {
                        "name": "Breakaway pair",
                        "kind": "streak",
                        "mode": "breakaway",
                        "length": 2,
                        "points": 15,
                    },
                ],
            }
            | scoring,
        }
    )


def activity(
    external_id: str,
    local_start: datetime,
    *,
    tss: float,
    hours: float = 1.0,
    source: str = "strava",
    sport: str = "ride",
    detail: dict[str, Any] | None = None,
) -> StoredActivity:
    """An activity started at ``local_start`` (aware); its local day is that clock's date."""
    return StoredActivity(
        source=source,
        external_id=external_id,
        sport=sport,
        source_type=sport.title(),
        start_utc=local_start.astimezone(UTC),
        local_day=local_start.date(),
        moving_s=hours * 3600,
        elapsed_s=hours * 3600 + 300,
        tss=tss,
        load=tss,
        fatigue_load=tss,
        method="power",
        method_source="test",
        detail=detail or {},
    )


def at(day: date, hour: int, minute: int = 0, zone: timezone = PARIS) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)


def result(stage: Stage, mode: str, points: int) -> StageResult:
    return StageResult(
        mission_id="m",
        stage=StageInfo(number=stage.number, type=stage.type),
        stage_day=stage.day,
        mode=mode,
        points=points,
        reason="given",
    )


def results_of(tour: Mission, modes: Sequence[str | None]) -> dict[int, StageResult]:
    """Results by stage number; None leaves that stage without a result."""
    assert tour.scoring is not None
    return {
        s.number: result(s, m, tour.scoring.points_for(s.type, m))
        for s, m in zip(tour.stages, modes, strict=True)
        if m is not None
    }


TOUR = mission()
STAGE_1, STAGE_2, STAGE_3 = TOUR.stages
assert TOUR.scoring is not None
SCORING = TOUR.scoring

# -- intensity factor -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("detail", "tss", "hours", "expected"),
    [
        ({"intensity_factor": 0.912}, 30, 1.0, 0.912),
        ({}, 81, 1.0, 0.9),
        ({}, 100, 2.0, round(math.sqrt(0.5), 3)),
        ({"intensity_factor": 0}, 64, 1.0, 0.8),
        ({"intensity_factor": "0.95"}, 64, 1.0, 0.8),
        ({}, 0, 1.0, 0.0),
    ],
    ids=[
        "recorded-wins",
        "from-tss-one-hour",
        "from-tss-two-hours",
        "zero-recorded-ignored",
        "text-recorded-ignored",
        "no-load",
    ],
)
def test_intensity_factor_is_the_recorded_one_else_implied_by_tss_and_hours(
    detail: dict[str, Any], tss: float, hours: float, expected: float
) -> None:
    ride = activity("r1", at(START, 10), tss=tss, hours=hours, detail=detail)
    assert intensity_factor(ride) == pytest.approx(expected)


# -- scoring one stage ----------------------------------------------------------------------


def test_a_stage_without_a_ride_is_rest_with_no_points() -> None:
    scored = score_stage("m", STAGE_2, None, SCORING)
    assert scored.stage == StageInfo(number=2, type="mountain")
    assert scored.stage_day == STAGE_2.day
    assert (scored.mode, scored.points) == ("rest", 0)
    assert scored.activity_id is None and scored.tss is None
    assert scored.reason == "no ride on the stage day"


def test_a_stage_ride_is_classified_and_scored_by_stage_type() -> None:
    ride = activity("r1", at(STAGE_2.day, 9), tss=100, hours=1.0)  # IF 1.0
    scored = score_stage("m", STAGE_2, ride, SCORING)
    assert (scored.mode, scored.points) == ("breakaway", 20)
    assert (scored.activity_source, scored.activity_id) == ("strava", "r1")
    assert (scored.intensity_factor, scored.tss) == (1.0, 100.0)
    assert scored.reason == "IF 1.00, TSS 100"


def test_the_same_ride_on_a_flat_stage_earns_the_flat_points() -> None:
    ride = activity("r1", at(STAGE_1.day, 9), tss=64, detail={"intensity_factor": 0.8})
    assert score_stage("m", STAGE_1, ride, SCORING).points == 5  # gc on a flat stage


def test_a_ride_below_every_mode_is_rest_but_keeps_the_activity() -> None:
    ride = activity("easy", at(STAGE_1.day, 9), tss=25, hours=1.0)  # IF 0.5
    scored = score_stage("m", STAGE_1, ride, SCORING)
    assert (scored.mode, scored.points) == ("rest", 0)
    assert scored.activity_id == "easy" and scored.tss == 25.0
    assert "below every ride mode" in scored.reason


# -- which ride is the stage's ride ---------------------------------------------------------


def test_the_stage_ride_is_the_highest_tss_ride_of_the_day() -> None:
    morning = activity("morning", at(STAGE_1.day, 8), tss=60)
    evening = activity("evening", at(STAGE_1.day, 18), tss=95, sport="virtualride")
    other_day = activity("next", at(STAGE_2.day, 8), tss=200)
    rides = stage_rides([STAGE_1], [morning, evening, other_day])
    assert rides == {1: evening}


def test_other_sports_are_not_stage_rides() -> None:
    run = activity("run", at(STAGE_1.day, 7), tss=150, sport="run")
    ride = activity("ride", at(STAGE_1.day, 17), tss=50)
    assert stage_rides([STAGE_1, STAGE_2], [run, ride]) == {1: ride, 2: None}
    assert stage_rides([STAGE_1], [run]) == {1: None}


def test_one_session_from_two_sources_counts_once_by_source_precedence() -> None:
    from_api = activity("a1", at(STAGE_1.day, 9), tss=80, source="strava")
    from_file = activity("f1", at(STAGE_1.day, 9, 0) + timedelta(seconds=20), tss=130, source="fit")
    assert stage_rides([STAGE_1], [from_file, from_api]) == {1: from_api}
    other = activity("later", at(STAGE_1.day, 17), tss=100, source="fit")
    assert stage_rides([STAGE_1], [from_file, from_api, other]) == {1: other}


def test_an_activity_is_the_ride_of_one_stage_at_most() -> None:
    split = Stage(number=4, day=STAGE_1.day, type="flat")  # two stages given the same day
    only = activity("only", at(STAGE_1.day, 9), tss=90)
    assert stage_rides([STAGE_1, split], [only]) == {1: only, 4: None}
    second = activity("second", at(STAGE_1.day, 16), tss=70)
    assert stage_rides([STAGE_1, split], [only, second]) == {1: only, 4: second}


def test_an_evening_ride_counts_for_its_local_day() -> None:
    late = activity("late", at(STAGE_1.day, 21, 30, zone=NEW_YORK), tss=90)
    assert late.start_utc.date() == STAGE_2.day  # already the next day in UTC
    assert stage_rides([STAGE_1, STAGE_2], [late]) == {1: late, 2: None}


# -- standings ------------------------------------------------------------------------------


def test_every_stage_ridden_earns_the_finisher_bonus() -> None:
    table = standings(TOUR, results_of(TOUR, ["gc", "domestique", "gc"]))
    assert table.bonuses == (("Finisher", 25),)
    assert table.points == 5 + 4 + 5 + 25


@pytest.mark.parametrize(
    "modes",
    [["gc", "rest", "gc"], ["gc", None, "gc"], [None, None, None]],
    ids=["a-rest-stage", "a-stage-without-result", "no-results"],
)
def test_no_finisher_bonus_unless_every_stage_has_a_ridden_result(
    modes: list[str | None],
) -> None:
    table = standings(TOUR, results_of(TOUR, modes))
    assert table.bonuses == ()
    assert table.points == sum(r.points for r in table.results.values())


LONG_TOUR = mission(("flat",) * 6)


@pytest.mark.parametrize(
    ("modes", "streaks"),
    [
        (["breakaway", "breakaway", "gc", "breakaway", "breakaway", "breakaway"], 2),
        (["breakaway"] * 6, 1),
        (["breakaway", "gc", "breakaway", "gc", "breakaway", "gc"], 0),
        (["breakaway", None, "breakaway", "gc", "gc", "gc"], 0),
        (["breakaway", "breakaway", None, "breakaway", "gc", "gc"], 1),
        (["gc", "rest", "breakaway", "breakaway", "rest", "gc"], 1),
    ],
    ids=[
        "two-separate-runs",
        "one-long-run",
        "never-two-in-a-row",
        "run-broken-by-missing-result",
        "missing-result-after-a-run",
        "run-between-rests",
    ],
)
def test_a_streak_bonus_is_earned_once_per_long_enough_run(
    modes: list[str | None], streaks: int
) -> None:
    table = standings(LONG_TOUR, results_of(LONG_TOUR, modes))
    assert table.bonuses.count(("Breakaway pair", 15)) == streaks


def test_standings_total_stage_points_and_every_bonus() -> None:
    table = standings(LONG_TOUR, results_of(LONG_TOUR, ["breakaway"] * 6))
    assert sorted(table.bonuses) == [("Breakaway pair", 15), ("Finisher", 25)]
    assert table.points == 6 * 8 + 15 + 25


# -- the agent over a real store ------------------------------------------------------------


def publish(store: StateStore, day: date, results: Sequence[StageResult]) -> None:
    """Publish as the daily run does: each result in an envelope of that day's run."""
    bus, run_id = MemoryBus(store), uuid.uuid4()
    for item in results:
        bus.publish(
            Envelope(
                run_id=run_id,
                athlete_id=ATHLETE,
                day=day,
                producer=StageAgent.producer,
                payload=item,
            )
        )


def test_a_late_ride_replaces_a_rest_result_and_the_latest_result_counts(
    store: StateStore,
) -> None:
    agent = StageAgent(TOUR, store)
    assert agent.update(ATHLETE, STAGE_1.day) == ([], standings(TOUR, {}))

    day_after = STAGE_2.day
    fresh, table = agent.update(ATHLETE, day_after)
    assert [(r.stage.number, r.mode, r.points) for r in fresh] == [(1, "rest", 0)]
    assert table is not None and table.points == 0
    publish(store, day_after, fresh)

    ride = activity("late", at(STAGE_1.day, 21, 30, zone=NEW_YORK), tss=100)  # IF 1.0
    ActivityStore(store).upsert_activities(ATHLETE, [ride])
    two_days_after = STAGE_3.day
    fresh, table = StageAgent(TOUR, store).update(ATHLETE, two_days_after)
    assert [(r.stage.number, r.mode, r.points, r.activity_id) for r in fresh] == [
        (1, "breakaway", 8, "late"),
        (2, "rest", 0, None),
    ]
    assert table is not None and table.points == 8
    publish(store, two_days_after, fresh)

    again, table = StageAgent(TOUR, store).update(ATHLETE, two_days_after)
    assert again == []
    assert table is not None
    assert {n: r.mode for n, r in table.results.items()} == {1: "breakaway", 2: "rest"}
    assert table.points == 8


def test_stages_scored_from_stored_rides_earn_the_bonuses(store: StateStore) -> None:
    rides = [
        activity(f"s{s.number}", at(s.day, 10), tss=100, detail={"intensity_factor": 0.9})
        for s in TOUR.stages
    ]
    ActivityStore(store).upsert_activities(ATHLETE, rides)
    fresh, table = StageAgent(TOUR, store).update(ATHLETE, STAGE_3.day + timedelta(days=1))
    assert [(r.stage.number, r.mode) for r in fresh] == [(n, "breakaway") for n in (1, 2, 3)]
    assert table is not None
    assert sorted(table.bonuses) == [("Breakaway pair", 15), ("Finisher", 25)]
    assert table.points == 8 + 20 + 8 + 15 + 25


def test_stages_are_not_checked_again_after_the_recovery_weeks(store: StateStore) -> None:
    agent = StageAgent(TOUR, store)
    after_event = TOUR.mission.end + timedelta(days=1)
    fresh, _ = agent.update(ATHLETE, after_event)
    publish(store, after_event, fresh)
    ActivityStore(store).upsert_activities(ATHLETE, [activity("late", at(STAGE_1.day, 9), tss=100)])
    long_after = TOUR.mission.end + timedelta(days=TOUR.phases.recovery_days + 2)
    fresh, table = agent.update(ATHLETE, long_after)
    assert fresh == []
    assert table is not None and table.results[1].mode == "rest" and table.points == 0


def test_a_mission_without_scoring_has_no_results_or_standings(store: StateStore) -> None:
    unscored = Mission.model_validate(TOUR.model_dump() | {"scoring": None})
    ActivityStore(store).upsert_activities(ATHLETE, [activity("r", at(STAGE_1.day, 9), tss=100)])
    assert StageAgent(unscored, store).update(ATHLETE, STAGE_3.day) == ([], None)


def test_results_of_another_mission_with_the_same_stages_do_not_count(store: StateStore) -> None:
    tour = mission()
    stage = tour.stages[0]
    other = result(stage, "gc", 10).model_copy(update={"mission_id": "last-years-race"})
    publish(store, stage.day + timedelta(days=1), [other])
    fresh, table = StageAgent(tour, store).update(ATHLETE, stage.day + timedelta(days=1))
    assert [r.mission_id for r in fresh] == [tour.mission.id]
    assert table is not None and table.results[stage.number].mode == "rest"
