"""The command line as a user meets it: real processes, one-line errors, no tracebacks."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from lanterne_rouge.memory.records import DailyLoad
from lanterne_rouge.memory.state_store import StateStore

CliRunner = Callable[..., subprocess.CompletedProcess[str]]
REPO = Path(__file__).resolve().parents[3]
MISSION = REPO / "config" / "missions" / "tour_de_france_sim.toml"


def test_run_tour_coach_runs_the_demo_on_a_fresh_home(lanterne_env: Path, cli: CliRunner) -> None:
    done = subprocess.run(
        [sys.executable, str(REPO / "run_tour_coach.py")],
        capture_output=True,
        text=True,
        cwd=lanterne_env,
        timeout=60,
        env=os.environ.copy(),
    )
    assert done.returncode == 0, done.stderr
    assert "DEMO DATA" in done.stdout
    assert "Decision: " in done.stdout and "(rule: " in done.stdout
    assert "Workout: " in done.stdout and "Why: " in done.stdout
    rows = list(csv.DictReader((lanterne_env / "output" / "reasoning_log.csv").open()))
    assert len(rows) == 1
    assert rows[0]["explanation"] and rows[0]["provider"] == "offline"
    assert rows[0]["prompt_id"] and rows[0]["prompt_version"] and rows[0]["model"]


def test_second_run_says_the_day_is_done_and_history_shows_both_attempts(
    lanterne_env: Path, cli: CliRunner
) -> None:
    args = ("run", "--date", "2026-03-10")
    assert cli(*args).returncode == 0
    again = cli(*args)
    assert again.returncode == 0 and "already done" in again.stdout
    assert cli(*args, "--force").returncode == 0
    shown = cli("history", "--kind", "decision", "--format", "json")
    decisions = json.loads(shown.stdout)
    assert len(decisions) == 2
    assert len({d["run_id"] for d in decisions}) == 2
    everything = json.loads(cli("history", "--format", "json").stdout)
    assert {m["payload"]["kind"] for m in everything} == {
        "observation",
        "mission_status",
        "decision",
        "plan",
        "coach_report",
    }


def test_fitness_command_prints_csv(lanterne_env: Path, cli: CliRunner) -> None:
    cli("run", "--date", "2026-03-10")
    out = cli("fitness", "--format", "csv", "--since", "2026-03-01")
    assert out.returncode == 0, out.stderr
    rows = list(csv.DictReader(out.stdout.splitlines()))
    assert rows[0]["day"] == "2026-03-01" and rows[-1]["day"] == "2026-03-09"
    assert all(float(r["ctl"]) > 0 for r in rows)


@pytest.mark.parametrize(
    ("edit", "field"),
    [
        (
            lambda s: s.replace("[targets]\n", '[targets]\ncolour = "red"\n'),
            "targets.colour: unknown key",
        ),
        (lambda s: s.replace("ftp = 250", 'ftp = "strong"'), "athlete.ftp"),
        (lambda s: s.replace("start = 2026-07-04\n", ""), "mission.start: Field required"),
        (
            lambda s: s.replace("day = 2026-07-05\n", "day = 2026-08-30\n"),
            "stages: stage 2 day 2026-08-30",
        ),
    ],
    ids=["unknown-key", "wrong-type", "missing-date", "stage-outside-event"],
)
def test_bad_mission_file_fails_in_one_line_naming_the_field(
    lanterne_env: Path,
    cli: CliRunner,
    edit: Callable[[str], str],
    field: str,
) -> None:
    mission = lanterne_env / "bad.toml"
    mission.write_text(edit(MISSION.read_text()))
    _give_athlete_data("a1", lanterne_env)  # so the mission file, not the demo, is used
    done = cli("run", "--athlete", "a1", "--mission", str(mission))
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert str(mission) in lines[0] and field in lines[0]


def _give_athlete_data(athlete: str, home: Path) -> None:
    store = StateStore(f"sqlite:///{home / 'home' / 'lanterne.db'}")
    store.upsert_loads(athlete, [DailyLoad(day=date(2026, 3, 1), source="manual", load=50)])
    store.close()


def test_run_with_a_good_mission_uses_stored_data(lanterne_env: Path, cli: CliRunner) -> None:
    _give_athlete_data("a1", lanterne_env)
    done = cli(
        "run",
        "--athlete",
        "a1",
        "--mission",
        str(MISSION),
        "--date",
        "2026-03-02",
    )
    assert done.returncode == 0, done.stderr
    assert "DEMO" not in done.stdout and "athlete a1" in done.stdout
    assert "Tour de France indoor simulation 2026" in done.stdout


def test_replay_prints_each_day_and_matches(lanterne_env: Path, cli: CliRunner) -> None:
    done = cli("replay", str(REPO / "tests" / "agent_scenarios" / "missing_recovery"))
    assert done.returncode == 0, done.stderr
    assert "recovery_data_missing" in done.stdout
    assert "13 of 13 days match" in done.stdout


def test_unknown_scenario_is_one_line(lanterne_env: Path, cli: CliRunner) -> None:
    done = cli("replay", "no-such-scenario")
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert "no-such-scenario: no scenario there" in done.stderr


def test_replay_of_a_stage_race_prints_stage_results_and_points(cli: CliRunner) -> None:
    done = cli("replay", str(REPO / "tests" / "agent_scenarios" / "time_zones"))
    assert done.returncode == 0, done.stderr
    assert "Stage 2: breakaway, 12 points (IF 0.90, TSS 162)" in done.stdout
    assert done.stdout.rstrip().endswith("Points after the last day: 72.")


def test_the_day_printout_shows_new_stage_results_and_points_only_once_scoring_starts() -> None:
    from lanterne_rouge.cli.format import format_day
    from lanterne_rouge.replay import replay
    from lanterne_rouge.sources.scenarios import load_scenario

    days = replay(load_scenario(REPO / "tests" / "agent_scenarios" / "time_zones"))
    text = {d.result.run.day.isoformat(): format_day(d.result, Path("log.csv")) for d in days}
    assert "Points:" not in text["2026-10-03"], "nothing scored before the first stage is over"
    assert "Stage 1: gc, 5 points (IF 0.80, TSS 96)" in text["2026-10-04"]
    assert "Points:   5 after 1 stages" in text["2026-10-04"]
    assert "Points:   72 after 4 stages" in text["2026-10-09"]
