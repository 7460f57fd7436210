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

from lanterne_rouge.errors import DataError, DayAlreadyDone, DayInProgress
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
    coach = ctx.coach(ctx.athlete(athlete_id).mission)
    try:
        coach.run_day(athlete_id, day, data_label="stored")
    except (DayAlreadyDone, DayInProgress) as found:
        log.info("day not run here", athlete=athlete_id, day=day.isoformat(), why=str(found))
        return DayOutcome(athlete_id, day, ran=False)
    return DayOutcome(athlete_id, day, ran=True)


def do_effects(ctx: WorkerContext, athlete_id: str, day: date) -> None:
    """The CSV row and the report of the day's last finished run."""
    from lanterne_rouge.day_view import load_day_view
    from lanterne_rouge.orchestrator import log_row
    from lanterne_rouge.reasoning_log import append_row_once
    from lanterne_rouge.report.html import write_report

    store = ctx.store()
    done = [r for r in store.day_runs.of(athlete_id, day) if r.status == "done"]
    if not done:
        raise DataError(f"{athlete_id} {day}: no finished run to deliver")
    run = done[-1]
    folder = athlete_folder(ctx.settings.output_dir, athlete_id)
    csv_path = folder / "reasoning_log.csv"
    with _locked(folder / ".reasoning_log.lock"):  # a redelivered twin may be here too
        append_row_once(csv_path, log_row(stored_result(store, run)), retry=True)
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
    from lanterne_rouge.memory.memory_bus import MemoryBus
    from lanterne_rouge.messages import CoachReport, Decision, MissionStatus, Observation, Plan
    from lanterne_rouge.orchestrator import DayResult

    bus, who, ident = MemoryBus(store), run.athlete_id, run.run_id
    observation = bus.latest(Observation, who, run_id=ident)
    status = bus.latest(MissionStatus, who, run_id=ident)
    decision = bus.latest(Decision, who, run_id=ident)
    plan = bus.latest(Plan, who, run_id=ident)
    report = bus.latest(CoachReport, who, run_id=ident)
    if observation is None or status is None or decision is None or plan is None or not report:
        raise DataError(f"{run.athlete_id} {run.day}: run {run.run_id} is missing messages")
    return DayResult(run, observation, status, decision, plan, report)
