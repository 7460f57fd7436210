"""``lanterne.sync``: pull an athlete's sources from a worker, then run their day.

Dispatch sends ``sync`` (athlete id and date; never a secret) instead of ``run_day`` for an
athlete with an API source (``strava``, ``oura``). The task reads the athlete's tokens from
the database (decrypted with ``LANTERNE_SECRET_KEY``; refreshed ones are written back
encrypted), and every Strava request first takes one from the application's budget shared
by all workers in Redis (``strava_budget.py``).

**Waiting, never blocking.** When the shared budget is used up (or Strava answers 429 all the
same), the sync keeps what it stored and the task sends itself again with a countdown until
the window reopens, for the sources still owed, instead of sleeping in a worker; meanwhile
the worker runs other tasks.

**The day is never lost.** Once the sync is done, or has failed (a source down, a token
refused, no token: one warning line), or would wait past ``LANTERNE_SYNC_WAIT_MAX_S`` after
its first try (a used-up daily budget), the task queues ``run_day``, which decides the day on
the data stored by then. A sync task lost with its worker is redelivered; one lost before it
queued ``run_day`` is sent again by the next dispatch (the day is not done). Syncing twice
stores nothing twice (cursors, upserts), and ``run_day`` is idempotent.
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

import msgspec

from lanterne_rouge.cluster.context import WorkerContext, worker_context
from lanterne_rouge.cluster.names import RUN_DAY, SYNC
from lanterne_rouge.errors import LanterneError
from lanterne_rouge.utils.logger import get_logger, redact_text

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from celery import Celery

    from lanterne_rouge.cluster.strava_budget import BudgetedTransport
    from lanterne_rouge.memory.athlete_cards import AthleteCard
    from lanterne_rouge.sources.tokens import StoredTokens
    from lanterne_rouge.training.thresholds import ThresholdHistory

log = get_logger(__name__)

__all__ = ["SYNC", "SyncOutcome", "register", "sync", "sync_athlete"]


def register(app: Celery) -> None:
    app.task(name=SYNC, bind=True, acks_late=True, reject_on_worker_lost=True)(sync)


class SyncOutcome(msgspec.Struct):
    """What a sync did: each source's one-line summary or failure, and the sources owed."""

    done: dict[str, str] = msgspec.field(default_factory=dict)
    failed: dict[str, str] = msgspec.field(default_factory=dict)
    owed: list[str] = msgspec.field(default_factory=list)
    retry_at: float | None = None  # Unix s: when the shared budget lets the owed ones go on


def sync(
    task: Any,
    athlete_id: str,
    day: str,
    sources: list[str] | None = None,
    first_try: float | None = None,
) -> str:
    """Sync the athlete's sources (or the ``sources`` still owed), then queue ``run_day``."""
    ctx = worker_context()
    now = time.time()
    first = first_try or now
    try:
        outcome = sync_athlete(ctx, athlete_id, date.fromisoformat(day), sources)
    except Exception:  # a bug: shown in full, and the day still runs on the stored data
        task.app.send_task(RUN_DAY, args=[athlete_id, day])
        raise
    wait = max(1.0, (outcome.retry_at or 0.0) - time.time())  # from now, not from the start
    if outcome.retry_at is not None and _may_wait(ctx, outcome.retry_at - first, wait):
        task.apply_async(
            args=[athlete_id, day],
            kwargs={"sources": outcome.owed, "first_try": first},
            countdown=wait,
        )
        log.info("sync postponed", athlete=athlete_id, day=day, sources=outcome.owed, wait=wait)
        return "postponed"
    if outcome.owed:
        log.warning("sync gave up waiting", athlete=athlete_id, day=day, sources=outcome.owed)
    task.app.send_task(RUN_DAY, args=[athlete_id, day])
    return "synced"


def _may_wait(ctx: WorkerContext, since_first_try: float, wait: float) -> bool:
    """Whether the day may wait for its sync: within ``LANTERNE_SYNC_WAIT_MAX_S`` of the first
    try, and for less than the visibility timeout (Redis would hand a task held longer to
    another worker, again and again)."""
    cluster = ctx.cluster
    return since_first_try <= cluster.sync_wait_max_s and wait < cluster.visibility_timeout_s


def sync_athlete(
    ctx: WorkerContext, athlete_id: str, day: date, sources: list[str] | None = None
) -> SyncOutcome:
    """Sync each source of the athlete; a failing one is noted and the others go on."""
    outcome = SyncOutcome()
    card = ctx.store().cards.get(athlete_id)
    if card is None:
        outcome.failed["athletes"] = f"no athlete {athlete_id!r}"
        return outcome
    for source in card.synced if sources is None else sources:
        try:
            if source == "strava":
                summary, retry_at = _strava(ctx, card, day)
                if retry_at is not None:
                    outcome.owed.append(source)
                    outcome.retry_at = max(outcome.retry_at or 0.0, retry_at)
            else:
                summary = _oura(ctx, card, day)
        except LanterneError as exc:
            reason = redact_text(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
            outcome.failed[source] = reason
            log.warning("sync failed", athlete=athlete_id, source=source, reason=reason)
            continue
        outcome.done[source] = summary
        log.info("synced", athlete=athlete_id, source=source, summary=summary)
    return outcome


def _strava(ctx: WorkerContext, card: AthleteCard, day: date) -> tuple[str, float | None]:
    from lanterne_rouge.cluster.strava_budget import (
        BudgetedTransport,
        SharedStravaBudget,
        StravaLimits,
    )
    from lanterne_rouge.sources.connect import open_strava
    from lanterne_rouge.sources.sync import sync_strava

    limits = StravaLimits(ctx.cluster.strava_per_quarter, ctx.cluster.strava_per_day)
    transport: BudgetedTransport = BudgetedTransport(SharedStravaBudget(ctx.redis, limits))
    thresholds, where = _athlete(ctx, card)
    client = open_strava(  # max_wait 0: a spent window re-queues the task, never sleeps here
        ctx.settings, tokens=_tokens(ctx, card, "strava"), transport=transport, max_wait=0.0
    )
    try:
        report = sync_strava(
            ctx.store(), card.athlete_id, client, today=day, thresholds=thresholds, where=where
        )
    finally:
        client.close()
    return report.summary().splitlines()[0], transport.retry_at or report.retry_at


def _oura(ctx: WorkerContext, card: AthleteCard, day: date) -> str:
    from lanterne_rouge.sources.connect import open_oura
    from lanterne_rouge.sources.sync import sync_oura

    client = open_oura(ctx.settings, tokens=_tokens(ctx, card, "oura"), max_wait=0.0)
    try:
        report = sync_oura(ctx.store(), card.athlete_id, client, today=day)
    finally:
        client.close()
    return report.summary().splitlines()[0]


def _tokens(ctx: WorkerContext, card: AthleteCard, provider: str) -> StoredTokens:
    from lanterne_rouge.memory.secrets import AthleteSecrets, SecretBox
    from lanterne_rouge.sources.tokens import StoredTokens

    secrets = AthleteSecrets(ctx.store(), SecretBox.of(ctx.settings.secret_key))
    return StoredTokens(secrets, card.athlete_id, provider)


def _athlete(ctx: WorkerContext, card: AthleteCard) -> tuple[ThresholdHistory, ZoneInfo]:
    """The athlete's thresholds (seeded from their mission) and time zone."""
    from zoneinfo import ZoneInfo

    from lanterne_rouge.memory.athletes import mission_seeds
    from lanterne_rouge.training.thresholds import ThresholdHistory

    store = ctx.store()
    profile = (
        store.profiles.seed(
            card.athlete_id, mission_seeds(ctx.mission(card.mission).athlete), now=datetime.now(UTC)
        )
        if card.mission
        else store.profiles.profile(card.athlete_id)
    )
    return (profile.thresholds if profile else ThresholdHistory()), ZoneInfo(card.timezone or "UTC")
