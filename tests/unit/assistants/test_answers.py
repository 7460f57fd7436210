"""The assistants' answers in process: several athletes, the errors they give, their units."""

from __future__ import annotations

from datetime import date

import pytest

from lanterne_rouge.assistants.answers import Answers
from lanterne_rouge.day_view import NothingToShow
from lanterne_rouge.errors import ConfigError
from lanterne_rouge.memory.state_store import StateStore
from lanterne_rouge.mission_config import Mission
from lanterne_rouge.orchestrator import build_orchestrator
from lanterne_rouge.sources.demo import DEMO_ATHLETE, demo_mission, seed_demo
from lanterne_rouge.sources.scenarios import SCENARIO_ATHLETE


@pytest.fixture
def answers(tour: tuple[StateStore, Mission]) -> Answers:
    store, mission = tour
    day = date(2026, 3, 10)
    if not store.day_runs.of(DEMO_ATHLETE):
        build_orchestrator(store, seed_demo(store, day)).run_day(
            DEMO_ATHLETE, day, data_label="demo"
        )

    def mission_for(athlete: str, day: date) -> Mission:
        return demo_mission(day) if athlete == DEMO_ATHLETE else mission

    return Answers(store, (SCENARIO_ATHLETE, DEMO_ATHLETE), mission_for)


def test_every_athlete_served_is_listed_and_can_be_asked_about(answers: Answers) -> None:
    listed = answers.list_athletes()["athletes"]
    assert listed == [
        {"athlete": SCENARIO_ATHLETE, "newest_day": "2026-07-12"},
        {"athlete": DEMO_ATHLETE, "newest_day": "2026-03-10"},
    ]
    assert answers.decision(athlete=DEMO_ATHLETE)["day"] == "2026-03-10"
    plan = answers.plan(athlete=DEMO_ATHLETE)
    assert plan["projected_at_event_start"] is not None, "the demo's Tour is 40 days out"
    assert plan["event_start"] == "2026-04-19"


def test_an_athlete_not_served_and_a_day_never_run_are_one_line_each(answers: Answers) -> None:
    with pytest.raises(
        ConfigError, match="athlete 'x' is not served here; ask about scenario, demo"
    ):
        answers.decision(athlete="x")
    with pytest.raises(
        NothingToShow, match="no daily run stored for athlete 'demo' for 2020-01-01"
    ):
        answers.decision(date(2020, 1, 1), athlete=DEMO_ATHLETE)
    with pytest.raises(NothingToShow, match=r"no weekly reflection stored .* week of 2020-01-01"):
        answers.reflection(date(2020, 1, 1))


def test_the_fitness_answer_says_its_units_and_defaults_to_the_last_six_weeks(
    answers: Answers,
) -> None:
    fitness = answers.fitness()
    assert len(fitness["days"]) == 42 and fitness["until"] == fitness["days"][-1]["day"]
    assert set(fitness["units"]) == {"load", "ctl", "atl", "tsb", "ramp_rate"}
