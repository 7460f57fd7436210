"""An athlete's day in the fleet, as three steps, each safe to repeat.

1. ``decide_day``: phase 1 (claim, observe, decide, plan) in one short transaction; the day is
   left *decided* with no lease held, for whichever worker takes the next step.
2. ``narrate_day``: phases 2 and 3 through the orchestrator's ``Finisher`` (the same code as
   ``lanterne-rouge repair``): the model call with no database connection checked out, then
   one short transaction storing the report, the usage row and the effects owed.
3. ``deliver_day``: the effects owed in the outbox (the row in the athlete's own
   ``reasoning_log.csv``, the morning message on the athlete's channels, the report), each
   marked done; one that fails stays owed for the next delivery or ``repair``.

A repeated step finds the day's state in the ``runs`` table (decided, held, done) and carries
on from there or does nothing. Each athlete has a folder of their own under the output folder,
so workers never append to one shared file.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from lanterne_rouge.errors import DataError, DayAlreadyDone
from lanterne_rouge.utils.logger import get_logger

if TYPE_CHECKING:
    from lanterne_rouge.cluster.context import WorkerContext

log = get_logger(__name__)

DayState = Literal["decided", "held", "done"]


class EffectsOwed(DataError):
    """Some of the day's effects failed; they stay owed (the task is retried)."""


def athlete_folder(output_dir: Path, athlete_id: str) -> Path:
    return output_dir / "athletes" / athlete_id


def decide_day(ctx: WorkerContext, athlete_id: str, day: date) -> DayState:
    """Phase 1, unless the day is decided or done already."""
    try:
        ctx.coach_of(athlete_id).decide(athlete_id, day, data_label="stored")
    except DayAlreadyDone:  # done, or claimed by a twin at the same moment: decided by it
        last = ctx.store().day_runs.last(athlete_id, day)
        return "done" if last is not None and last.status == "done" else "decided"
    return "decided"


def narrate_day(ctx: WorkerContext, athlete_id: str, day: date) -> DayState:
    """Phases 2 and 3 of the athlete's decided days; ``held`` when a live worker holds this
    one (it finishes there and delivers)."""
    finisher = ctx.coach_of(athlete_id).finisher
    if any(r.run.day == day for r in finisher.finish_decided(athlete_id)):
        return "done"
    last = ctx.store().day_runs.last(athlete_id, day)
    if last is None:
        raise DataError(f"{athlete_id} {day} is not decided: nothing to explain")
    return "done" if last.status == "done" else "held"


def deliver_day(ctx: WorkerContext, athlete_id: str, day: date) -> bool:
    """The athlete's owed effects; whether the day is done and delivered. ``EffectsOwed``
    (one line each) when any failed."""
    outcomes = ctx.coach_of(athlete_id).bus.deliver_owed(athlete_id)
    failed = [o for o in outcomes if o.error]
    if failed:
        raise EffectsOwed("; ".join(f"{o.effect} of {o.day}: {o.error}" for o in failed))
    if any(o.day == day for o in outcomes):  # effects are owed by a day's last phase: done
        return True
    last = ctx.store().day_runs.last(athlete_id, day)
    return last is not None and last.status == "done"
