"""The fleet's Celery tasks: dispatch, then each athlete-day's steps: ``sync`` (an athlete with
an API source), ``run_day`` (decide), ``narrate``, ``deliver``.

Each task takes an athlete id and an ISO date, nothing else (never a secret), and is safe to
run twice: each step finds the day's state in the database (``cluster/day.py``) and carries
on or does nothing, then sends the next step. ``narrate`` holds no database connection while
the model answers, so a slow model never holds one; threads keep many answers in flight.

A task that fails on something that may pass (the database busy, slow or gone, a source or
channel down) is retried with exponential back-off and jitter; once retries are used up, or
at once for a problem that retrying cannot fix (a broken mission file), the day is recorded
as failed with its one-line reason and the worker moves on. Every step is bounded by its own
timeouts (the narrator's deadline, the database's statement and lock timeouts, the channels'
and Redis' socket timeouts), which hold in the threads pool, where Celery's time limits do
not fire; the prefork pool adds Celery's hard time limit.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from lanterne_rouge.cluster.context import WorkerContext, worker_context
from lanterne_rouge.cluster.fleet import (
    clear_failure,
    due_days,
    mark_delivered,
    mark_queued,
    record_failure,
)
from lanterne_rouge.cluster.names import (
    DELIVER,
    DISPATCH,
    NARRATE,
    NEW_DAY_PRIORITY,
    RUN_DAY,
    SYNC,
)
from lanterne_rouge.errors import LanterneError, SourceError, StoreError
from lanterne_rouge.utils.logger import get_logger, redact_text

if TYPE_CHECKING:
    from celery import Celery

log = get_logger(__name__)

__all__ = ["DELIVER", "DISPATCH", "NARRATE", "RUN_DAY", "SYNC"]


def register(app: Celery, *, max_retries: int, backoff_max_s: int) -> None:
    day_options: dict[str, Any] = {
        "bind": True,
        "acks_late": True,
        "reject_on_worker_lost": True,
        "max_retries": max_retries,
        "retry_backoff_max": backoff_max_s,
    }
    app.task(name=DISPATCH, bind=True, acks_late=True)(dispatch)
    app.task(name=RUN_DAY, **day_options)(run_day)
    app.task(name=NARRATE, **day_options)(narrate)
    app.task(name=DELIVER, **day_options)(deliver)
    from lanterne_rouge.cluster import sync

    sync.register(app)


def dispatch(task: Any) -> int:
    """Enqueue every due day that is not done; returns how many were enqueued (on the app the
    task runs in: no import of the worker's app module, which imports this one)."""
    from lanterne_rouge.cluster.roster import utc_now

    ctx = worker_context()
    return enqueue_due(ctx, task.app, now_days=due_days(ctx, utc_now()))


def enqueue_due(ctx: WorkerContext, app: Celery, *, now_days: list[tuple[str, date]]) -> int:
    """Send each day nobody sent within the visibility timeout, on one broker connection:
    ``sync`` first for an athlete with an API source (it queues ``run_day``), else ``run_day``."""
    fresh = mark_queued(ctx.redis, now_days, ctx.cluster.visibility_timeout_s)
    syncing = ctx.store().cards.syncing() if fresh else set()
    with app.producer_or_acquire() as producer:
        for athlete_id, day in fresh:
            name = SYNC if athlete_id in syncing else RUN_DAY
            app.send_task(
                name,
                args=[athlete_id, day.isoformat()],
                producer=producer,
                priority=NEW_DAY_PRIORITY,
            )
    log.info("dispatched", days=len(fresh))
    return len(fresh)


def run_day(task: Any, athlete_id: str, day: str) -> None:
    """The day's first step: phase 1 (decide), then ``narrate``."""
    from lanterne_rouge.cluster.day import decide_day

    def work(ctx: WorkerContext, the_day: date) -> None:
        state = decide_day(ctx, athlete_id, the_day)
        task.app.tasks[DELIVER if state == "done" else NARRATE].delay(athlete_id, day)

    _guarded(task, athlete_id, day, work)


def narrate(task: Any, athlete_id: str, day: str) -> None:
    from lanterne_rouge.cluster.day import narrate_day

    def work(ctx: WorkerContext, the_day: date) -> None:
        if narrate_day(ctx, athlete_id, the_day) == "done":
            task.app.tasks[DELIVER].delay(athlete_id, day)

    _guarded(task, athlete_id, day, work)


def deliver(task: Any, athlete_id: str, day: str) -> None:
    from lanterne_rouge.cluster.day import deliver_day

    def work(ctx: WorkerContext, the_day: date) -> None:
        if deliver_day(ctx, athlete_id, the_day):
            mark_delivered(ctx.redis, athlete_id, the_day)
            clear_failure(ctx.redis, athlete_id, the_day)

    _guarded(task, athlete_id, day, work)


def _retryable() -> tuple[type[BaseException], ...]:
    from celery.exceptions import SoftTimeLimitExceeded

    from lanterne_rouge.cluster.day import EffectsOwed

    return (StoreError, SourceError, EffectsOwed, OSError, SoftTimeLimitExceeded)


def _guarded(
    task: Any, athlete_id: str, day: str, work: Callable[[WorkerContext, date], None]
) -> None:
    from celery.utils.time import get_exponential_backoff_interval

    ctx = worker_context()
    the_day = date.fromisoformat(day)
    try:
        work(ctx, the_day)
    except _retryable() as exc:
        retries = task.request.retries
        if retries < task.max_retries:
            wait = get_exponential_backoff_interval(2, retries, task.retry_backoff_max, True)
            log.warning(
                "task retried",
                task=task.name,
                athlete=athlete_id,
                day=day,
                reason=_one_line(exc),
                countdown=wait,
            )
            raise task.retry(countdown=wait) from exc
        _failed(ctx, task, athlete_id, the_day, exc)
    except LanterneError as exc:
        _failed(ctx, task, athlete_id, the_day, exc)
    except Exception as exc:  # a bug: recorded for fleet status, then shown in full
        _failed(ctx, task, athlete_id, the_day, exc)
        raise


def _failed(ctx: WorkerContext, task: Any, athlete_id: str, day: date, exc: BaseException) -> None:
    reason = _one_line(exc)
    record_failure(ctx.redis, athlete_id, day, f"{task.name.split('.')[-1]}: {reason}")
    log.error("day failed", task=task.name, athlete=athlete_id, day=day.isoformat(), reason=reason)


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return redact_text(text[0] if text else type(exc).__name__)
