"""One fitness history: the observation, planner, `fitness`, chart and dashboard agree."""

from __future__ import annotations

import csv
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lanterne_rouge.cli import app
from lanterne_rouge.day_view import load_day_view
from lanterne_rouge.memory.fitness_history import fitness_history
from lanterne_rouge.memory.records import DailyLoad
from lanterne_rouge.memory.state_store import StateStore
from lanterne_rouge.messages import Observation, Plan
from lanterne_rouge.training.fitness import pmc

REPO = Path(__file__).resolve().parents[3]
WELLNESS = REPO.parent / "shared" / "data" / "intervals_icu" / "wellness.csv"
MISSION = REPO / "config" / "missions" / "tour_de_france_sim.toml"
DAY = date(2025, 6, 25)

runner = CliRunner()


def _cli(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, (result.output, result.exception)
    return result.stdout


def _export() -> dict[str, dict[str, str]]:
    with WELLNESS.open(newline="", encoding="utf-8-sig") as handle:
        return {row["date"]: row for row in csv.DictReader(handle)}


@pytest.fixture
def seeded_day(lanterne_env: Path) -> StateStore:
    """A wellness export imported from mid-history (so it starts from a seed), one day run."""
    shutil.copy(MISSION, lanterne_env / "mission.toml")
    _cli("import", "intervals-wellness", str(WELLNESS), "--since", "2025-03-01")
    _cli("run", "--date", DAY.isoformat(), "--mission", str(lanterne_env / "mission.toml"))
    return StateStore(f"sqlite:///{lanterne_env / 'home' / 'lanterne.db'}")


def test_the_charts_value_on_the_day_is_the_observations(seeded_day: StateStore) -> None:
    view = load_day_view(seeded_day, "me")
    obs, last = view.observation, view.history[-1]
    assert isinstance(obs, Observation) and last.day == DAY - timedelta(days=1)
    assert (round(last.ctl, 2), round(last.atl, 2)) == (obs.ctl, obs.atl)
    assert round(last.ctl - last.atl, 2) == obs.tsb  # form going into the day
    export = _export()["2025-06-24"]  # and it is intervals.icu's own, seed included
    assert obs.ctl == pytest.approx(float(export["ctl"]), abs=0.01)
    assert obs.tsb == pytest.approx(float(export["ctl"]) - float(export["atl"]), abs=0.02)


def test_fitness_command_and_planner_show_the_same_numbers(seeded_day: StateStore) -> None:
    view = load_day_view(seeded_day, "me")
    rows = {r["day"]: r for r in csv.DictReader(_cli("fitness", "--format", "csv").splitlines())}
    yesterday = rows["2025-06-24"]
    assert (float(yesterday["ctl"]), float(yesterday["atl"])) == (
        view.observation.ctl,
        view.observation.atl,
    )
    plan = view.plan
    assert isinstance(plan, Plan)
    today = plan.days[0]  # the projection starts from the same end-of-yesterday state
    assert today.projected_ctl >= view.observation.ctl * 0.97


def test_the_cached_path_gives_the_batch_numbers(store: StateStore) -> None:
    first = date(2025, 1, 1)
    loads = [DailyLoad(day=first + timedelta(days=i), load=(i * 37) % 90) for i in range(60)]
    store.upsert_loads("me", loads)
    whole = pmc({d.day: d.load for d in loads}, end=date(2025, 2, 20))
    middle = date(2025, 1, 20)
    fitness_history(store, "me", middle, since=middle + timedelta(days=1), remember=True)
    cached = store.fitness_state("me", until=middle)
    assert cached is not None and cached.day == middle
    later = fitness_history(store, "me", date(2025, 2, 20), since=date(2025, 1, 25))
    assert later.points == tuple(p for p in whole if p.day >= date(2025, 1, 25))
    assert later.state is not None and later.state.point == whole[-1]


def test_a_seed_saved_after_a_run_drops_the_cached_states(store: StateStore) -> None:
    from lanterne_rouge.memory.activity_store import ActivityStore, FitnessSeed

    store.upsert_loads("me", [DailyLoad(day=date(2025, 1, 2), load=50.0)])
    fitness_history(store, "me", date(2025, 1, 2), since=date(2025, 1, 3), remember=True)
    assert store.fitness_state("me", until=date(2025, 1, 2)) is not None
    seed = FitnessSeed(source="intervals_wellness", day=date(2025, 1, 1), ctl=40.0, atl=40.0)
    ActivityStore(store).save_seed("me", seed)
    assert store.fitness_state("me", until=date(2025, 1, 2)) is None
    state = fitness_history(store, "me", date(2025, 1, 2), since=date(2025, 1, 3)).state
    assert state is not None and state.ctl > 40.0
