"""An athlete's day in the fleet: run it, then do its effects; each safe to repeat.

``run_athlete_day`` claims and runs the day through the same orchestrator as
``lanterne-rouge run``; a day already done is left alone. ``do_effects`` then writes the
day's row in the athlete's ``reasoning_log.csv`` (unless a row of that run is already there)
and its report (written whole, so writing it again changes nothing). Each athlete has a
folder of their own under the output folder, so workers never append to one shared file.
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from lanterne_rouge.errors import DataError, DayAlreadyDone
from lanterne_rouge.utils.logger import get_logger

if TYPE_CHECKING:
    from lanterne_rouge.cluster.context import WorkerContext
    from lanterne_rouge.memory.records import RunRecord
    from lanterne_rouge.memory.state_store import StateStore
    from lanterne_rouge.orchestrator import DayResult

log = get_logger(__name__)


@dataclass(frozen=True)
class DayOutcome:
    athlete_id: str
    day: date
    ran: bool  # False: the day was done before (a repeated task)


def athlete_folder(output_dir: Path, athlete_id: str) -> Path:
    return output_dir / "athletes" / athlete_id


def run_athlete_day(ctx: WorkerContext, athlete_id: str, day: date) -> DayOutcome:
    coach = ctx.coach(ctx.roster().get(athlete_id).mission)
    try:
        coach.run_day(athlete_id, day, data_label="stored")
    except DayAlreadyDone:
        log.info("day already done", athlete=athlete_id, day=day.isoformat())
        return DayOutcome(athlete_id, day, ran=False)
    return DayOutcome(athlete_id, day, ran=True)


def do_effects(ctx: WorkerContext, athlete_id: str, day: date) -> None:
    """The CSV row and the report of the day's last finished run."""
    from lanterne_rouge.orchestrator import log_row
    from lanterne_rouge.reasoning_log import append_row, read_rows
    from lanterne_rouge.report.html import write_report
    from lanterne_rouge.report.view import load_day_view

    store = ctx.store()
    done = [r for r in store.runs(athlete_id, day) if r.status == "done"]
    if not done:
        raise DataError(f"{athlete_id} {day}: no finished run to deliver")
    run = done[-1]
    folder = athlete_folder(ctx.settings.output_dir, athlete_id)
    csv_path = folder / "reasoning_log.csv"
    with _locked(folder / ".reasoning_log.lock"):  # a redelivered twin may be here too
        if not any(row["run_id"] == str(run.run_id) for row in read_rows(csv_path)):
            append_row(csv_path, log_row(stored_result(store, run)))
    view = load_day_view(store, athlete_id, day, tsb_convention=ctx.settings.tsb_convention)
    write_report(view, folder)


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def stored_result(store: StateStore, run: RunRecord) -> DayResult:
    """The day's result as it was stored by its run."""
    from lanterne_rouge.messages import CoachReport, Decision, MissionStatus, Observation, Plan
    from lanterne_rouge.orchestrator import DayResult

    found = {m.kind: m.payload for m in store.messages(run.athlete_id, run_id=run.run_id)}
    observation, status = found.get("observation"), found.get("mission_status")
    decision, plan, report = found.get("decision"), found.get("plan"), found.get("coach_report")
    if not (
        isinstance(observation, Observation)
        and isinstance(status, MissionStatus)
        and isinstance(decision, Decision)
        and isinstance(plan, Plan)
        and isinstance(report, CoachReport)
    ):
        raise DataError(f"{run.athlete_id} {run.day}: run {run.run_id} is missing messages")
    return DayResult(run, observation, status, decision, plan, report)
