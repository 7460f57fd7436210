"""The roster, dispatch, failures and ``fleet status``, in process, against real Redis."""

from __future__ import annotations

import base64
import json
import re
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
import redis
from typer.testing import CliRunner

from lanterne_rouge.cli import app as cli_app
from lanterne_rouge.cluster.app import make_app
from lanterne_rouge.cluster.context import WorkerContext
from lanterne_rouge.cluster.fleet import due_days, fleet_status, mark_delivered
from lanterne_rouge.cluster.names import queue_keys
from lanterne_rouge.cluster.roster import load_roster
from lanterne_rouge.cluster.settings import ClusterSettings
from lanterne_rouge.cluster.tasks import RUN_DAY, enqueue_due
from lanterne_rouge.errors import ConfigError
from lanterne_rouge.utils.config_loader import Settings
from support.fleet import NOW, Fleet, enrol, make_fleet, seed_histories


@pytest.fixture
def fleet(tmp_path: Path) -> Fleet:
    return make_fleet(tmp_path / "fleet", 6)


@pytest.fixture
def ctx(tmp_path: Path, fleet: Fleet, redis_url: str) -> WorkerContext:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'fleet.db'}", output_dir=tmp_path)
    found = WorkerContext(settings, ClusterSettings(broker_url=redis_url))
    enrol(found.store(), fleet)
    return found


def test_each_athletes_day_is_due_after_their_local_morning(fleet: Fleet) -> None:
    tokyo, paris, new_york = load_roster(fleet.roster).athletes[:3]
    assert [a.due_day(NOW) for a in (tokyo, paris, new_york)] == [
        date(2026, 3, 11),
        date(2026, 3, 11),
        date(2026, 3, 10),
    ]
    early = NOW.replace(hour=21)  # Tokyo 06:00 exactly; Paris 22:00, after midnight not yet
    assert tokyo.due_day(early) == date(2026, 3, 11)
    assert paris.model_copy(update={"morning": time(23, 0)}).due_day(early) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[[athletes]]\nid = "a"\ntimezone = "Mars/Olympus"\nmission = "m.toml"\n',
            "athletes[1].timezone",
        ),
        ('[[athletes]]\nid = "a"\ntimezone = "UTC"\nmision = "m.toml"\n', "athletes[1].mision"),
        ('[[athletes]]\nid = "a"\ntimezone = "UTC"\nmission = "m.toml"\n' * 2, "listed twice"),
        ("[[athletes]\n", "not valid TOML"),
        (
            '[[athletes]]\nid = "a"\ntimezone = "UTC"\nmission = "m.toml"\nemail = "anna"\n',
            "athletes[1].email: 'anna' is not an email address",
        ),
        (
            '[[athletes]]\nid = "a"\ntimezone = "UTC"\nmission = "m.toml"\ntelegram_chat = "x"\n',
            "athletes[1].telegram_chat: 'x' is not a Telegram chat id",
        ),
    ],
    ids=["unknown-zone", "typo", "twice", "broken", "email", "telegram"],
)
def test_a_bad_roster_is_one_error_naming_the_file_and_field(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "fleet.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape(message)) as caught:
        load_roster(path)
    assert str(path) in str(caught.value)


def test_each_athlete_carries_their_channels(fleet: Fleet) -> None:
    first, second = load_roster(fleet.roster).athletes[:2]
    assert (first.email, first.telegram_chat) == ("rider00000@example.org", "100000")
    assert (second.email, second.telegram_chat) == ("rider00001@example.org", None)


def test_dispatch_enqueues_due_days_once_with_ids_only(
    ctx: WorkerContext, fleet: Fleet, redis_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-never-in-a-task-0000")
    app = make_app(ctx.cluster)
    assert enqueue_due(ctx, app, now_days=due_days(ctx, NOW)) == 6
    assert enqueue_due(ctx, app, now_days=due_days(ctx, NOW)) == 0  # still queued
    client = redis.Redis.from_url(redis_url)
    raw = [m for key in queue_keys() for m in client.lrange(key, 0, -1)]
    assert len(raw) == 6 and all(b"sk-never" not in m for m in raw)
    bodies = [json.loads(m) for m in raw]
    assert {b["headers"]["task"] for b in bodies} == {RUN_DAY}
    sent = [json.loads(base64.b64decode(b["body"])) for b in bodies]
    assert sorted(tuple(args) for args, kwargs, _ in sent if not kwargs) == sorted(
        (a, d.isoformat()) for a, d in fleet.days().items()
    )


def test_a_day_is_dispatched_again_until_it_is_done_and_delivered(
    ctx: WorkerContext, fleet: Fleet
) -> None:
    store = ctx.store()
    first = fleet.athletes[0]
    with store.transaction():
        run = store.day_runs.claim(first.id, first.today(NOW), now=datetime.now(UTC))
        store.day_runs.finish(run.run_id, now=datetime.now(UTC))
    assert first.id in {a for a, _ in due_days(ctx, NOW)}  # its effects may have been lost
    mark_delivered(ctx.redis, first.id, first.today(NOW))
    assert first.id not in {a for a, _ in due_days(ctx, NOW)}


def test_a_failed_athlete_is_reported_with_its_reason_and_the_others_run(
    ctx: WorkerContext, fleet: Fleet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed_histories(ctx.store(), fleet, days=60)
    broken = tmp_path / "broken.toml"
    broken.write_text("[event]\nname = 3\n", encoding="utf-8")  # broken since it was added
    card = ctx.store().cards.get("rider00000")
    assert card is not None
    ctx.store().cards.put(card.model_copy(update={"mission": broken}), now=datetime.now(UTC))
    monkeypatch.setattr("lanterne_rouge.cluster.tasks.worker_context", lambda: ctx)
    app = make_app(ctx.cluster)
    app.conf.task_always_eager = True  # run_day enqueues deliver: run it here too
    for athlete, day in fleet.days().items():
        app.tasks[RUN_DAY].apply(args=[athlete, day.isoformat()])

    status = fleet_status(ctx, date(2026, 3, 11))
    assert status.done == ("rider00001", "rider00003", "rider00004")
    assert list(status.failed) == ["rider00000"]
    assert (
        status.failed["rider00000"].startswith("run_day: ")
        and "broken.toml" in (status.failed["rider00000"])
    )
    assert status.pending == ("rider00002", "rider00005")  # New York: their day is the 10th

    monkeypatch.setenv("LANTERNE_BROKER_URL", ctx.cluster.broker_url)
    monkeypatch.setenv("LANTERNE_DATABASE_URL", ctx.settings.resolved_database_url())
    shown = CliRunner().invoke(cli_app, ["fleet", "status", "--date", "2026-03-11"])
    assert shown.exit_code == 0, shown.output
    assert shown.output.splitlines()[0] == "Fleet on 2026-03-11: 3 done, 2 pending, 1 failed"
    assert "Failed:  rider00000: run_day: " in shown.output
    assert "Pending: rider00002, rider00005" in shown.output


def test_fleet_commands_say_in_one_line_when_redis_is_unreachable(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from lanterne_rouge.cli import main

    monkeypatch.setenv("LANTERNE_BROKER_URL", "redis://127.0.0.1:1/0")
    monkeypatch.setattr("sys.argv", ["lanterne-rouge", "fleet", "status"])
    with pytest.raises(SystemExit) as code:
        main()
    assert code.value.code != 0
    err = capsys.readouterr().err.strip()
    assert err.startswith("lanterne-rouge: error: cannot reach Redis at redis://127.0.0.1:1/0")
    assert len(err.splitlines()) == 1
