"""Which athlete-days are due, done, waiting or failed, and what the model cost.

A day is *due* once the athlete's local morning time has passed, and *finished* once it is
done in the database and delivered (noted in Redis by ``deliver``). Dispatch enqueues each
due day that is not finished, at most once per visibility timeout (a Redis key set only if
absent), so a dispatch every few minutes never floods the queue, and a task lost with a
worker is sent again. A day whose tasks ran out of retries is *failed*, with its one-line
reason, in Redis until it succeeds; the next enqueue (after the timeout) tries it again. A
failed athlete never stops the others.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING

import msgspec
from sqlalchemy import func, select

from lanterne_rouge.memory.tables import llm_calls, runs

if TYPE_CHECKING:
    from redis import Redis

    from lanterne_rouge.cluster.context import WorkerContext
    from lanterne_rouge.memory.state_store import StateStore

PREFIX = "lanterne:fleet"
FAILURES_KEPT_S = 14 * 86_400


def done_days(store: StateStore, days: Iterable[date]) -> set[tuple[str, date]]:
    wanted = sorted(set(days))
    if not wanted:
        return set()
    query = select(runs.c.athlete_id, runs.c.day).where(
        runs.c.day.in_(wanted), runs.c.status == "done"
    )
    with store.engine.connect() as conn:
        return {(row.athlete_id, row.day) for row in conn.execute(query)}


def due_days(ctx: WorkerContext, now: datetime) -> list[tuple[str, date]]:
    """Athlete-days whose morning has passed and that are not both done and delivered, in
    roster order. A day done but not delivered (its ``deliver`` task lost with a worker) is
    sent again: ``run_day`` finds it done and queues ``deliver``."""
    candidates = []
    for athlete in ctx.roster().athletes:
        day = athlete.due_day(now)
        if day is not None:
            candidates.append((athlete.id, day))
    days = {d for _, d in candidates}
    finished = done_days(ctx.store(), days) & delivered(ctx.redis, days)
    return [c for c in candidates if c not in finished]


def mark_queued(
    client: Redis, days: list[tuple[str, date]], ttl_s: float
) -> list[tuple[str, date]]:
    """The days nobody enqueued in the last ``ttl_s``, now marked as enqueued."""
    pipe = client.pipeline(transaction=False)
    for athlete_id, day in days:
        pipe.set(f"{PREFIX}:queued:{athlete_id}:{day.isoformat()}", "1", nx=True, ex=int(ttl_s))
    return [d for d, fresh in zip(days, pipe.execute(), strict=True) if fresh]


def mark_delivered(client: Redis, athlete_id: str, day: date) -> None:
    key = f"{PREFIX}:delivered:{day.isoformat()}"
    client.sadd(key, athlete_id)
    client.expire(key, FAILURES_KEPT_S)


def delivered(client: Redis, days: Iterable[date]) -> set[tuple[str, date]]:
    pipe = client.pipeline(transaction=False)
    wanted = sorted(set(days))
    for day in wanted:
        pipe.smembers(f"{PREFIX}:delivered:{day.isoformat()}")
    return {
        (_text(a), d) for d, members in zip(wanted, pipe.execute(), strict=True) for a in members
    }


def record_failure(client: Redis, athlete_id: str, day: date, reason: str) -> None:
    key = f"{PREFIX}:failed:{day.isoformat()}"
    client.hset(key, athlete_id, reason[:300])
    client.expire(key, FAILURES_KEPT_S)


def clear_failure(client: Redis, athlete_id: str, day: date) -> None:
    client.hdel(f"{PREFIX}:failed:{day.isoformat()}", athlete_id)


def failures(client: Redis, day: date) -> dict[str, str]:
    raw = client.hgetall(f"{PREFIX}:failed:{day.isoformat()}")
    return {_text(k): _text(v) for k, v in raw.items()}


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


class FleetStatus(msgspec.Struct, frozen=True):
    day: date
    done: tuple[str, ...]
    pending: tuple[str, ...]
    failed: dict[str, str] = msgspec.field(default_factory=dict)
    model_calls: int = 0  # sent to the model
    model_usd: float = 0.0
    over_budget: tuple[str, ...] = ()  # explained offline: a budget was reached


def fleet_status(ctx: WorkerContext, day: date) -> FleetStatus:
    roster = [a.id for a in ctx.roster().athletes]
    store = ctx.store()
    done = {a for a, _ in done_days(store, [day])}
    failed = {a: r for a, r in failures(ctx.redis, day).items() if a not in done}
    c = llm_calls.c
    sent = select(func.count(), func.coalesce(func.sum(c.cost_usd), 0.0)).where(
        c.day == day, c.outcome != "skipped"
    )
    refused = select(c.athlete_id).where(
        c.day == day, c.outcome == "skipped", c.reason.like("budget:%")
    )
    with store.engine.connect() as conn:
        calls, usd = conn.execute(sent).one()
        over = set(conn.execute(refused).scalars())
    return FleetStatus(
        day=day,
        done=tuple(a for a in roster if a in done),
        pending=tuple(a for a in roster if a not in done and a not in failed),
        failed=failed,
        model_calls=int(calls),
        model_usd=float(usd),
        over_budget=tuple(a for a in roster if a in over),
    )
