"""The day's steps as the fleet runs them (decide -> narrate -> deliver), in process, against
real PostgreSQL, Redis, a local model server and a local SMTP server: each step safe to
repeat, and no database connection held while the model answers."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, select, text, update

from lanterne_rouge.cluster.app import make_app
from lanterne_rouge.cluster.context import WorkerContext
from lanterne_rouge.cluster.day import athlete_folder, decide_day, deliver_day, narrate_day
from lanterne_rouge.cluster.fleet import failures, fleet_status
from lanterne_rouge.cluster.settings import ClusterSettings
from lanterne_rouge.cluster.tasks import RUN_DAY
from lanterne_rouge.memory.tables import outbox, runs
from lanterne_rouge.reasoning_log import read_rows
from lanterne_rouge.utils.config_loader import Settings
from support.fleet import NOW, Fleet, SteadyModelServer, enrol, make_fleet, seed_histories
from support.ledger import ledger_row
from support.openai_server import Recorded, Reply
from unit.notify.local_servers import SMTP_PASSWORD, SMTP_USER, Mailbox


class WatchingModelServer(SteadyModelServer):
    """Notes, as each request arrives, how many connections the worker's pool has checked
    out and which sessions of the database are inside a transaction or a statement."""

    def __init__(self, delay_s: float) -> None:
        super().__init__(delay_s)
        self.pool: Engine | None = None
        self.observer: Engine | None = None
        self.seen: list[tuple[int, list[str]]] = []

    def _next(self, recorded: Recorded) -> Reply:
        assert self.pool is not None and self.observer is not None
        with self.observer.connect() as conn:
            busy = conn.execute(
                text(
                    "SELECT state FROM pg_stat_activity WHERE datname = current_database() "
                    "AND pid <> pg_backend_pid() AND state <> 'idle'"
                )
            ).scalars()
            states = list(busy)
        self.seen.append((self.pool.pool.checkedout(), states))  # type: ignore[attr-defined]
        return super()._next(recorded)


@pytest.fixture
def model() -> Iterator[WatchingModelServer]:
    with WatchingModelServer(delay_s=0.5) as server:
        yield server


@pytest.fixture
def fleet(tmp_path: Path) -> Fleet:
    return make_fleet(tmp_path / "fleet", 3)


@pytest.fixture
def ctx(
    tmp_path: Path,
    fleet: Fleet,
    postgres_url: str,
    redis_url: str,
    model: WatchingModelServer,
    mailbox: Mailbox,
) -> Iterator[WorkerContext]:
    settings = Settings(
        database_url=postgres_url,
        output_dir=tmp_path / "output",
        llm_provider="openai",
        openai_api_key="sk-steps-test-0000",  # type: ignore[arg-type]
        openai_base_url=model.url,
        llm_model="fleet-model",
        llm_allow_unpriced=True,
        smtp_host="127.0.0.1",
        smtp_port=mailbox.port,
        smtp_security="none",
        smtp_user=SMTP_USER,
        smtp_password=SMTP_PASSWORD,  # type: ignore[arg-type]
        smtp_from="coach@example.org",
    )
    context = WorkerContext(settings, ClusterSettings(broker_url=redis_url))
    enrol(context.store(), fleet)
    seed_histories(context.store(), fleet, days=60)
    model.pool = context.store().engine
    model.observer = create_engine(postgres_url)
    yield context
    model.observer.dispose()
    context.store().close()


def test_each_step_repeated_does_nothing_more_and_the_model_waits_without_a_connection(
    ctx: WorkerContext, fleet: Fleet, model: WatchingModelServer, mailbox: Mailbox
) -> None:
    athlete = fleet.athletes[0]
    day = athlete.today(NOW)
    assert decide_day(ctx, athlete.id, day) == "decided"
    assert decide_day(ctx, athlete.id, day) == "decided"  # a repeated decide decides nothing
    (run,) = ctx.store().day_runs.of(athlete.id, day)
    assert (run.status, run.lease_owner) == ("decided", None)  # any worker may narrate it

    assert narrate_day(ctx, athlete.id, day) == "done"
    assert model.seen == [(0, [])]  # nothing checked out, no session in a transaction
    assert narrate_day(ctx, athlete.id, day) == "done"
    assert decide_day(ctx, athlete.id, day) == "done"
    assert len(model.requests) == 1

    for _ in range(2):  # the deliver task redelivered
        deliver_day(ctx, athlete.id, day)
    assert [to for m in mailbox.messages for to in m.rcpt_tos] == [athlete.email]
    folder = athlete_folder(ctx.settings.output_dir, athlete.id)
    assert [r["date"] for r in read_rows(folder / "reasoning_log.csv")] == [day.isoformat()]
    assert [p.name for p in folder.glob("report-*.html")] == [f"report-{athlete.id}-{day}.html"]
    with ctx.store().engine.connect() as conn:
        owed = conn.execute(select(outbox.c.effect, outbox.c.status, outbox.c.attempts)).all()
    assert sorted(owed) == [
        ("morning_message", "done", 1),
        ("reasoning_log_row", "done", 1),
        ("report", "done", 1),
    ]


def test_a_day_a_live_worker_is_narrating_is_left_to_it(
    ctx: WorkerContext, fleet: Fleet, model: WatchingModelServer
) -> None:
    athlete = fleet.athletes[1]
    day = athlete.today(NOW)
    decide_day(ctx, athlete.id, day)
    holder = f"{socket.gethostname()}:{os.getppid()}"  # alive, and not this process
    with ctx.store().engine.begin() as conn:
        conn.execute(
            update(runs).values(
                lease_owner=holder, lease_until=datetime.now(UTC) + timedelta(minutes=2)
            )
        )
    assert narrate_day(ctx, athlete.id, day) == "held"
    assert model.requests == []
    with ctx.store().engine.begin() as conn:  # the holder died: its lease is free at once
        conn.execute(update(runs).values(lease_owner=f"{socket.gethostname()}:999999999"))
    assert narrate_day(ctx, athlete.id, day) == "done"
    assert len(model.requests) == 1


def test_a_step_stuck_behind_a_lock_ends_and_the_day_is_recorded_failed_in_one_line(
    ctx: WorkerContext, fleet: Fleet, postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    bounded = WorkerContext(
        ctx.settings,
        ctx.cluster.model_copy(
            update={"db_lock_timeout_s": 0.5, "task_max_retries": 1, "retry_backoff_max_s": 1}
        ),
    )
    monkeypatch.setattr("lanterne_rouge.cluster.tasks.worker_context", lambda: bounded)
    app = make_app(bounded.cluster)
    app.conf.task_always_eager = True  # the retry runs here too
    athlete = fleet.athletes[2]
    day = athlete.today(NOW)
    blocker = create_engine(postgres_url)
    with blocker.connect() as conn, conn.begin():
        conn.execute(text("LOCK TABLE runs IN ACCESS EXCLUSIVE MODE"))  # a session hung
        app.tasks[RUN_DAY].apply(args=[athlete.id, day.isoformat()])
        reason = failures(bounded.redis, day)[athlete.id]
    blocker.dispose()
    assert reason.startswith("run_day: the state store failed: ") and "lock timeout" in reason
    assert "\n" not in reason
    assert fleet_status(bounded, day).failed == {athlete.id: reason}

    app.tasks[RUN_DAY].apply(args=[athlete.id, day.isoformat()])  # the next dispatch
    assert athlete.id in fleet_status(bounded, day).done
    assert athlete.id not in failures(bounded.redis, day)


def test_a_model_that_never_answers_ends_at_the_narrators_deadline(
    ctx: WorkerContext, fleet: Fleet
) -> None:
    athlete = fleet.athletes[0]
    day = athlete.today(NOW)
    with SteadyModelServer(delay_s=20) as hung:
        settings = ctx.settings.model_copy(
            update={"openai_base_url": hung.url, "llm_deadline_s": 1.0}
        )
        slow = WorkerContext(settings, ctx.cluster)
        decide_day(slow, athlete.id, day)
        assert narrate_day(slow, athlete.id, day) == "done"
    assert _stored_fallback(slow, athlete.id) == (
        "openai fleet-model: timeout: no complete answer within 1.0 s (1 attempt)"
    )


def _stored_fallback(ctx: WorkerContext, athlete_id: str) -> str | None:
    from lanterne_rouge.memory.memory_bus import MemoryBus
    from lanterne_rouge.messages import CoachReport

    found = MemoryBus(ctx.store()).latest(CoachReport, athlete_id)
    assert found is not None
    return found.fallback_reason


def test_an_athlete_over_budget_is_explained_offline_and_fleet_status_says_so(
    ctx: WorkerContext, fleet: Fleet, model: WatchingModelServer
) -> None:
    from lanterne_rouge.cli.fleet import format_status

    priced = WorkerContext(  # a model with a price: budgets hold (unpriced ones are refused)
        ctx.settings.model_copy(update={"llm_model": "gpt-4o-mini", "llm_daily_budget_usd": 0.02}),
        ctx.cluster,
    )
    spender = fleet.athletes[0]
    priced.store().record_llm_call(ledger_row(spender.id, spender.today(NOW), cost_usd=0.02))
    for athlete in fleet.athletes[:2]:
        decide_day(priced, athlete.id, athlete.today(NOW))
        narrate_day(priced, athlete.id, athlete.today(NOW))
    assert len(model.requests) == 1  # rider00001's; rider00000 had spent its day
    assert _stored_fallback(priced, spender.id) is not None
    status = fleet_status(priced, spender.today(NOW))
    assert status.over_budget == (spender.id,)
    assert f"Budget:  1 over budget, explained offline: {spender.id}" in format_status(status)
