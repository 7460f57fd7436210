"""A model server that answers in 7 s while 8 other runs and an import start: none crashes;
each finishes or says in one line that the day is being run elsewhere (real processes)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from support.openai_server import OpenAICompatibleServer, Reply, answer

REPO = Path(__file__).resolve().parents[3]
WELLNESS = REPO.parent / "shared" / "data" / "intervals_icu" / "wellness.csv"
MISSION = REPO / "config" / "missions" / "tour_de_france_sim.toml"
NEUTRAL = "Today's session follows from your recent signals and the mission ahead."
DAY = "2025-06-20"


def _start(*args: str, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "lanterne_rouge", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ | env,
    )


def test_a_slow_model_blocks_no_other_run_and_no_import(lanterne_env: Path) -> None:
    env = {
        "LANTERNE_MISSION_FILE": str(MISSION),
        "LANTERNE_LLM_PROVIDER": "openai",
        "OPENAI_API_KEY": "sk-test-not-a-real-key-0000",
        "LANTERNE_LLM_DEADLINE_S": "20",
    }
    importing = ("import", "intervals-wellness", str(WELLNESS), "--since", "2025-05-01")
    first_import = subprocess.run(
        [sys.executable, "-m", "lanterne_rouge", *importing],
        capture_output=True,
        text=True,
        env=os.environ | env,
        timeout=60,
    )
    assert first_import.returncode == 0, first_import.stderr
    with OpenAICompatibleServer() as server:
        server.enqueue(*[Reply(delay_s=7.0, body=answer(NEUTRAL).body)] * 3)
        env["OPENAI_BASE_URL"] = server.url
        runs = [_start("run", "--date", DAY, env=env) for _ in range(9)]
        importer = _start(*importing, env=env)
        ended = _wait_all([*runs, importer])
        results = [(p, *p.communicate()) for p in runs]
        imported = importer.communicate()

    for _, stdout, stderr in [*results, (importer, *imported)]:
        assert "Traceback" not in stderr and "database is locked" not in stdout + stderr, stderr
    assert importer.returncode == 0 and "stored" in imported[0].lower(), imported
    decided = [(p, out) for p, out, _ in results if "Decision:" in out]
    assert len(decided) == 1, "exactly one run decides the day and calls the model"
    slow, out = decided[0]
    assert slow.returncode == 0 and "explained by: openai" in out
    elsewhere = 0
    for p, stdout, stderr in results:
        assert p.returncode == 0, stderr
        if p is slow:
            continue
        said = stdout.splitlines()[0]
        assert said in (
            f"me {DAY} is being run elsewhere ({_owner(slow)}); it finishes there.",
            f"me {DAY} is already done (attempt 1); use --force to record a new attempt.",
        ), stdout
        elsewhere += "being run elsewhere" in said
    assert elsewhere >= 1, "no run overlapped the slow one"
    assert ended[importer.pid] < ended[slow.pid], "the import waited for the model"
    assert len(server.requests) == 1
    with sqlite3.connect(lanterne_env / "home" / "lanterne.db") as conn:
        assert conn.execute("SELECT status FROM runs").fetchall() == [("done",)]
        reports = conn.execute("SELECT count(*) FROM messages WHERE kind = 'coach_report'")
        assert reports.fetchone() == (1,)


def _owner(process: subprocess.Popen[str]) -> str:
    import socket

    return f"{socket.gethostname()}:{process.pid}"


def _wait_all(processes: list[subprocess.Popen[str]]) -> dict[int, float]:
    """Wait for every process (draining its output), noting when each one ended."""
    import threading

    ended: dict[int, float] = {}

    def wait(p: subprocess.Popen[str]) -> None:
        p.wait(timeout=90)
        ended[p.pid] = time.monotonic()

    threads = [threading.Thread(target=wait, args=(p,)) for p in processes]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return ended
