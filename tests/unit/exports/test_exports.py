"""A workout exports as well-formed .zwo XML; the plan as a calendar that parses."""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import icalendar
import pytest

from lanterne_rouge.exports import plan_to_ics, workout_to_zwo
from lanterne_rouge.memory.state_store import StateStore
from lanterne_rouge.orchestrator import build_orchestrator
from lanterne_rouge.sources.demo import DEMO_ATHLETE, seed_demo
from lanterne_rouge.workouts import library

CliRunner = Callable[..., subprocess.CompletedProcess[str]]
DAY = date(2026, 3, 10)


@pytest.mark.parametrize("workout_id", [w.id for w in library().workout if w.steps])
@pytest.mark.parametrize("stretch", [0.37, 1.0, 1.8], ids=["short", "as-is", "long"])
def test_zwo_is_well_formed_and_steps_sum_to_the_duration(workout_id: str, stretch: float) -> None:
    template = next(w for w in library().workout if w.id == workout_id)
    workout = template.as_workout(stretch)
    root = ET.fromstring(workout_to_zwo(workout))
    assert root.tag == "workout_file" and root.findtext("name") == workout.name
    blocks = root.find("workout")
    assert blocks is not None and len(blocks) == len(workout.steps)
    assert sum(int(b.attrib["Duration"]) for b in blocks) == workout.minutes * 60
    assert all(0 < float(b.attrib["Power"]) < 2 for b in blocks)


def test_plan_calendar_parses_with_one_event_per_planned_day(store: StateStore) -> None:
    coach = build_orchestrator(store, seed_demo(store, DAY))
    plan = coach.run_day(DEMO_ATHLETE, DAY, data_label="demo").plan
    text = plan_to_ics(plan, athlete_id=DEMO_ATHLETE, created=datetime(2026, 3, 10, tzinfo=UTC))
    calendar = icalendar.Calendar.from_ical(text)
    events = list(calendar.walk("VEVENT"))
    assert [e.decoded("dtstart") for e in events] == [d.day for d in plan.days]
    assert str(events[0]["summary"]).startswith(plan.workout.name)
    assert len({str(e["uid"]) for e in events}) == len(events)


def test_export_command_writes_the_files(lanterne_env: Path, cli: CliRunner) -> None:
    missing = cli("export", "zwo", "--date", "2026-03-10")
    assert missing.returncode != 0 and "run the coach first" in missing.stderr
    assert cli("run", "--date", "2026-03-10").returncode == 0
    for fmt in ("zwo", "ics"):
        done = cli("export", fmt, "--date", "2026-03-10", "--out", f"plan.{fmt}")
        assert done.returncode == 0, done.stderr
        assert (lanterne_env / f"plan.{fmt}").stat().st_size > 100
