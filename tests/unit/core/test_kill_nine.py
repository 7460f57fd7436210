"""kill -9 at every point of the day, in real processes: never a half day, and the next run
leaves exactly one reasoning-log row, one report and one morning message for the day.

Each case runs ``lanterne-rouge run`` in a process that kills itself (SIGKILL, nothing to
clean up) at one point, then runs the same command again normally and counts.
"""

from __future__ import annotations

import csv
import os
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from unit.notify.local_servers import BotApi, bot_api_server, telegram_env

DAY = "2026-03-10"

# Kills the process at CRASH_AT, then runs the command line. Each point patches one seam.
HARNESS = """
import os, signal, sys

def die():
    os.kill(os.getpid(), signal.SIGKILL)

def patch(owner, name, *, after, when=lambda *a, **k: True):
    original = getattr(owner, name)
    def wrapped(*a, **k):
        if not after and when(*a, **k):
            die()
        out = original(*a, **k)
        if after and when(*a, **k):
            die()
        return out
    setattr(owner, name, wrapped)

from lanterne_rouge import reasoning_log
from lanterne_rouge.agents.communication_agent import CommunicationAgent
from lanterne_rouge.memory.memory_bus import MemoryBus
from lanterne_rouge.memory.outbox import Outbox
from lanterne_rouge.notify.channels import TelegramChannel
from lanterne_rouge.orchestrator import Finisher
from lanterne_rouge.report import html

kind = lambda kind: (lambda bus, envelope: envelope.kind == kind)
point = os.environ["CRASH_AT"]
if point == "phase 1, the plan stored, not committed":
    patch(MemoryBus, "publish", after=True, when=kind("plan"))
elif point == "between phases 1 and 2":
    patch(Finisher, "finish", after=False)
elif point == "phase 2, the narrator explaining":
    patch(CommunicationAgent, "report", after=False)
elif point == "between phases 2 and 3":
    patch(CommunicationAgent, "report", after=True)
elif point == "phase 3, the report stored, not committed":
    patch(MemoryBus, "publish", after=True, when=kind("coach_report"))
elif point == "after phase 3, before the effects":
    patch(MemoryBus, "deliver_owed", after=False)
elif point == "the row written, not marked done":
    patch(reasoning_log, "append_row_once", after=True)
elif point == "half the row written":
    def torn(fd, data, size, path):
        os.write(fd, data[: len(data) // 2])
        die()
    reasoning_log._write_whole = torn
elif point == "the message sent, not recorded":
    patch(TelegramChannel, "send", after=True)
elif point == "the report written, not marked done":
    patch(html, "write_report", after=True)
elif point == "every effect done, none marked yet":
    patch(Outbox, "finish", after=False)
else:
    raise SystemExit(f"unknown point {point!r}")

from lanterne_rouge.cli import main
sys.argv = ["lanterne-rouge", *sys.argv[1:]]
main()
"""

POINTS = [
    "phase 1, the plan stored, not committed",
    "between phases 1 and 2",
    "phase 2, the narrator explaining",
    "between phases 2 and 3",
    "phase 3, the report stored, not committed",
    "after phase 3, before the effects",
    "the row written, not marked done",
    "half the row written",
    "the message sent, not recorded",
    "the report written, not marked done",
    "every effect done, none marked yet",
]


@pytest.fixture
def bot_api() -> Iterator[BotApi]:
    with bot_api_server() as api:
        yield api


def _run(env: dict[str, str], crash_at: str | None = None) -> subprocess.CompletedProcess[str]:
    code = HARNESS if crash_at else "from lanterne_rouge.cli import main; main()"
    extra = {"CRASH_AT": crash_at} if crash_at else {}
    argv = ["-c", code] if crash_at else ["-m", "lanterne_rouge"]
    return subprocess.run(
        [sys.executable, *argv, "run", "--date", DAY],
        capture_output=True,
        text=True,
        env=os.environ | env | extra,
        timeout=60,
    )


@pytest.mark.parametrize("point", POINTS)
def test_a_kill_at_any_point_is_finished_by_the_next_run_exactly_once(
    point: str, lanterne_env: Path, bot_api: BotApi
) -> None:
    env = telegram_env(bot_api)
    killed = _run(env, crash_at=point)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    db = lanterne_env / "home" / "lanterne.db"
    with sqlite3.connect(db) as conn:
        statuses = [s for (s,) in conn.execute("SELECT status FROM runs")]
        kinds = [k for (k,) in conn.execute("SELECT kind FROM messages ORDER BY seq")]
    if point.startswith("phase 1"):
        assert statuses == [] and kinds == [], "a crash in phase 1 leaves nothing"
    else:
        assert statuses in (["decided"], ["done"]) and "plan" in kinds, "never a half day"

    again = _run(env)
    assert again.returncode == 0, again.stderr
    assert "Traceback" not in again.stderr

    output = lanterne_env / "output"
    rows = list(csv.DictReader((output / "reasoning_log.csv").open(newline="")))
    assert [r["date"] for r in rows] == [DAY]
    assert [p.name for p in output.glob("report-*.html")] == [f"report-demo-{DAY}.html"]
    assert len(bot_api.requests) == 1
    with sqlite3.connect(db) as conn:
        assert [s for (s,) in conn.execute("SELECT status FROM runs")] == ["done"]
        reports = conn.execute("SELECT count(*) FROM messages WHERE kind = 'coach_report'")
        assert reports.fetchone() == (1,)
        decisions = conn.execute("SELECT count(*) FROM messages WHERE kind = 'decision'")
        assert decisions.fetchone() == (1,), "a decided day is finished, not decided again"
        owed = conn.execute("SELECT count(*) FROM outbox WHERE status != 'done'")
        assert owed.fetchone() == (0,)
    if point == "half the row written":
        assert "Mended a torn last line" in again.stdout
