"""Real Celery worker processes over real PostgreSQL and Redis: every day exactly once.

200 athletes across three time zones are dispatched; the first worker is killed with SIGKILL
mid-batch, a second one finishes. Each athlete ends with one finished run, one decision, one
CSV row, one report and one morning message on each of their channels (a real local SMTP
server, a local Telegram Bot API). Beat, run as its own process, dispatches due days to a
worker.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from datetime import time as clock_time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from lanterne_rouge.cluster.app import make_app
from lanterne_rouge.cluster.context import WorkerContext
from lanterne_rouge.cluster.day import athlete_folder
from lanterne_rouge.cluster.fleet import due_days
from lanterne_rouge.cluster.settings import ClusterSettings
from lanterne_rouge.cluster.tasks import enqueue_due
from lanterne_rouge.memory.state_store import StateStore
from lanterne_rouge.memory.tables import messages, metadata, notifications, runs
from lanterne_rouge.reasoning_log import read_rows
from lanterne_rouge.utils.config_loader import Settings
from support.fleet import (
    NOW,
    Fleet,
    SteadyModelServer,
    enrol,
    make_fleet,
    seed_histories,
)
from unit.notify.local_servers import (
    BOT_TOKEN,
    SMTP_PASSWORD,
    SMTP_USER,
    BotApi,
    Mailbox,
    bot_api_server,
)

ATHLETES = 200
KEY = "sk-fleet-test-key-0000"


@pytest.fixture
def model() -> Iterator[SteadyModelServer]:
    with SteadyModelServer(delay_s=0.1) as server:
        yield server


@pytest.fixture
def bot() -> Iterator[BotApi]:
    with bot_api_server() as api:
        yield api


def _channels(mailbox: Mailbox, bot: BotApi) -> dict[str, str]:
    """The fleet's mail server and bot; each athlete's address and chat are in the roster."""
    return {
        "LANTERNE_SMTP_HOST": "127.0.0.1",
        "LANTERNE_SMTP_PORT": str(mailbox.port),
        "LANTERNE_SMTP_SECURITY": "none",
        "LANTERNE_SMTP_USER": SMTP_USER,
        "LANTERNE_SMTP_PASSWORD": SMTP_PASSWORD,
        "LANTERNE_SMTP_FROM": "coach@example.org",
        "TELEGRAM_BOT_TOKEN": BOT_TOKEN,
        "TELEGRAM_API_BASE_URL": bot.url,
        "LANTERNE_NOTIFY_BACKOFF_S": "0.01",
        "LANTERNE_NOTIFY_TIMEOUT_S": "5",
    }


def _environment(
    tmp_path: Path, database: str, broker: str, fleet: Fleet, model: SteadyModelServer
) -> dict[str, str]:
    env = os.environ.copy()
    env.update(
        LANTERNE_DATABASE_URL=database,
        LANTERNE_BROKER_URL=broker,
        LANTERNE_HOME=str(tmp_path / "home"),
        LANTERNE_OUTPUT_DIR=str(tmp_path / "output"),
        LANTERNE_VISIBILITY_TIMEOUT_S="8",  # a killed worker's days go back to the queue
        LANTERNE_LLM_PROVIDER="openai",
        OPENAI_API_KEY=KEY,
        OPENAI_BASE_URL=model.url,
        LANTERNE_LLM_MODEL="fleet-model",
        LANTERNE_LLM_ALLOW_UNPRICED="true",
    )
    return env


def _worker(env: dict[str, str], cwd: Path, log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "lanterne_rouge", "worker", "--concurrency", "8"],
        env=env,
        cwd=cwd,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )


def _done(store: StateStore) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).where(runs.c.status == "done")).scalar_one())


def _wait(check: Callable[[], bool], timeout: float, every: float = 0.05) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(every)


@pytest.mark.timeout(300)
def test_a_worker_killed_mid_batch_leaves_every_day_done_exactly_once_by_another(
    tmp_path: Path,
    postgres_url: str,
    redis_url: str,
    model: SteadyModelServer,
    mailbox: Mailbox,
    bot: BotApi,
) -> None:
    fleet = make_fleet(tmp_path / "fleet", ATHLETES)
    store = StateStore(postgres_url)
    enrol(store, fleet)
    seed_histories(store, fleet)
    env = _environment(tmp_path, postgres_url, redis_url, fleet, model) | _channels(mailbox, bot)
    # as the workers: a task lost with the killed worker (even one it had taken off the queue
    # but not yet noted as taken) is sent again by the next dispatch after this timeout
    cluster = ClusterSettings(broker_url=redis_url, visibility_timeout_s=8)
    ctx = WorkerContext(Settings(database_url=postgres_url), cluster)
    assert enqueue_due(ctx, make_app(cluster), now_days=due_days(ctx, NOW)) == ATHLETES
    assert enqueue_due(ctx, make_app(cluster), now_days=due_days(ctx, NOW)) == 0

    log = tmp_path / "workers.log"
    first = _worker(env, tmp_path, log)
    _wait(lambda: _done(store) >= 40, timeout=120)
    first.send_signal(signal.SIGKILL)
    first.wait()
    done_at_kill = _done(store)
    assert 40 <= done_at_kill < ATHLETES, log.read_text()[-3000:]

    second = _worker(env, tmp_path, log)
    app = make_app(cluster)
    output = tmp_path / "output"

    def finished() -> bool:
        # beat's part: a day lost with the killed worker is sent again once its mark expires
        enqueue_due(ctx, app, now_days=due_days(ctx, NOW))
        return all(  # the report is the last effect of a day
            any(athlete_folder(output, a.id).glob("report-*.html")) for a in fleet.athletes
        )

    try:
        _wait(finished, timeout=150, every=2.0)
        time.sleep(1)  # anything still in flight would show up as a duplicate now
    finally:
        second.terminate()
        second.wait(30)

    days = fleet.days()
    with store.engine.connect() as conn:
        run_rows = conn.execute(select(runs.c.athlete_id, runs.c.day, runs.c.status)).all()
        decisions = conn.execute(
            select(messages.c.athlete_id).where(messages.c.kind == "decision")
        ).all()
    assert sorted((r.athlete_id, r.day, r.status) for r in run_rows) == sorted(
        (a, d, "done") for a, d in days.items()
    )
    assert sorted(r.athlete_id for r in decisions) == sorted(days)
    for athlete, day in days.items():
        folder = athlete_folder(tmp_path / "output", athlete)
        rows = read_rows(folder / "reasoning_log.csv")
        assert [(r["athlete_id"], r["date"]) for r in rows] == [(athlete, day.isoformat())]
        assert len(list(folder.glob("report-*.html"))) == 1
    _one_message_each(fleet, store, mailbox, bot)
    logged = log.read_text()
    assert "Traceback" not in logged and KEY not in logged
    assert not any(KEY in row for row in _every_row(store))  # nor in the database

    store.close()


def test_beat_dispatches_every_due_day_to_a_worker(
    tmp_path: Path, postgres_url: str, redis_url: str, model: SteadyModelServer
) -> None:
    now = datetime.now(UTC)
    fleet = make_fleet(tmp_path / "fleet", 6, morning=clock_time(0, 0))  # due all day, every zone
    store = StateStore(postgres_url)
    enrol(store, fleet)
    seed_histories(store, fleet, days=60, now=now)
    env = _environment(tmp_path, postgres_url, redis_url, fleet, model)
    env["LANTERNE_DISPATCH_EVERY_S"] = "1"
    log = tmp_path / "beat.log"
    processes = [
        _worker(env, tmp_path, log),
        subprocess.Popen(
            [sys.executable, "-m", "lanterne_rouge", "beat"],
            env=env,
            cwd=tmp_path,
            stdout=log.open("ab"),
            stderr=subprocess.STDOUT,
        ),
    ]
    try:
        _wait(lambda: _done(store) == 6, timeout=90)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(30)
    assert sorted(r.athlete_id for r in _runs(store)) == sorted(fleet.days(now)), log.read_text()[
        -3000:
    ]
    store.close()


def _one_message_each(fleet: Fleet, store: StateStore, mailbox: Mailbox, bot: BotApi) -> None:
    """One email per athlete, one Telegram message per athlete with a chat; never two. A
    delivery the kill cut off mid-send is left ``sending`` (it may have gone out) and is never
    sent again: it may count zero, never two."""
    emails = Counter(to for m in mailbox.messages for to in m.rcpt_tos)
    chats = Counter(str(body["chat_id"]) for _, body in bot.requests)
    with store.engine.connect() as conn:
        ledger = {
            (r.athlete_id, r.channel): r.status
            for r in conn.execute(
                select(notifications.c.athlete_id, notifications.c.channel, notifications.c.status)
            )
        }
    cut_off = [k for k, status in ledger.items() if status != "sent"]
    assert all(status == "sending" for k, status in ledger.items() if k in cut_off)
    assert len(cut_off) <= 8  # at most the deliveries in flight in the killed worker
    for a in fleet.athletes:
        assert a.email is not None
        expected = 0 if (a.id, "email") in cut_off else 1
        assert emails[a.email] in ({0, 1} if expected == 0 else {1}), a.id
        if a.telegram_chat:
            expected = 0 if (a.id, "telegram") in cut_off else 1
            assert chats[a.telegram_chat] in ({0, 1} if expected == 0 else {1}), a.id
        else:
            assert (a.id, "telegram") not in ledger
    assert sum(emails.values()) == len(emails) and sum(chats.values()) == len(chats)


def _every_row(store: StateStore) -> Iterator[str]:
    """Every row of every table, as text."""
    with store.engine.connect() as conn:
        for table in metadata.sorted_tables:
            for row in conn.execute(select(table)):
                yield repr(tuple(row))


def _runs(store: StateStore) -> list[Any]:
    with store.engine.connect() as conn:
        return list(conn.execute(select(runs.c.athlete_id, runs.c.day)).all())
