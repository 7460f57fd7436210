"""The command's process ends at once when it is done, with its status, its exit handlers run
and its output flushed; it ends the usual way whenever that is not certain to lose nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

# An object whose finaliser runs only when the interpreter is torn down.
PROBE = """
import atexit, sys, threading, time
from lanterne_rouge.cli.process_end import leave

class Teardown:
    def __del__(self):
        sys.stderr.write("torn down\\n")

kept = Teardown()
atexit.register(lambda: sys.stdout.write("exit handler ran\\n"))
sys.stdout.write("x" * 200_000 + "\\n")
{before}
leave({code})
"""

LATE_THREAD = """
def late():
    time.sleep(0.3)
    open(sys.argv[1], "w").write("finished")
threading.Thread(target=late).start()
"""


def _run(tmp_path: Path, code: str, before: str = "") -> subprocess.CompletedProcess[str]:
    script = PROBE.format(code=code, before=before)
    return subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "thread.txt")],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_it_runs_the_exit_handlers_flushes_the_output_and_skips_the_teardown(
    tmp_path: Path,
) -> None:
    done = _run(tmp_path, "3")
    assert done.returncode == 3
    assert done.stdout == "x" * 200_000 + "\nexit handler ran\n"
    assert "torn down" not in done.stderr


def test_a_thread_still_running_gets_the_usual_exit(tmp_path: Path) -> None:
    done = _run(tmp_path, "4", before=LATE_THREAD)
    assert done.returncode == 4
    assert (tmp_path / "thread.txt").read_text() == "finished"
    assert done.stdout.endswith("exit handler ran\n")
    assert "torn down" in done.stderr


# A file left open: its buffer reaches the disk only when the interpreter is torn down.
PROFILED = """
left_open = open(sys.argv[1], "w")
left_open.write("flushed at teardown")
sys.setprofile(lambda *args: None)
"""


def test_a_profiled_process_gets_the_usual_exit(tmp_path: Path) -> None:
    done = _run(tmp_path, "5", before=PROFILED)
    assert done.returncode == 5
    assert (tmp_path / "thread.txt").read_text() == "flushed at teardown"


def test_a_status_that_is_a_message_is_printed_as_the_usual_exit_does(tmp_path: Path) -> None:
    done = _run(tmp_path, "'no such athlete'")
    assert done.returncode == 1
    assert done.stderr.startswith("no such athlete\n")
    assert done.stdout.endswith("exit handler ran\n")


def test_the_daily_run_as_a_process_prints_its_day_and_its_errors(lanterne_env: Path) -> None:
    day = subprocess.run(
        [sys.executable, "-m", "lanterne_rouge", "run", "--date", "2026-03-10"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert day.returncode == 0, day.stderr
    assert "Decision: " in day.stdout
    wrong = subprocess.run(
        [sys.executable, "-m", "lanterne_rouge", "run", "--date", "1800-01-01"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert wrong.returncode == 2
    assert wrong.stderr.startswith("lanterne-rouge: error: --date 1800-01-01")
    assert wrong.stderr.count("\n") == 1


PLUGINS_PROBE = """
import atexit, os, sys
sys.argv = ["lanterne-rouge", "run", "--date", "1800-01-01"]
atexit.register(lambda: print("plugins:", repr(os.environ.get("PYDANTIC_DISABLE_PLUGINS"))))
from lanterne_rouge.cli import console
console()
"""


def test_pydantic_looks_for_no_plugins_unless_told_to(lanterne_env: Path) -> None:
    import os

    shown = []
    for given in (None, ""):
        env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
        if given is not None:
            env["PYDANTIC_DISABLE_PLUGINS"] = given
        done = subprocess.run(
            [sys.executable, "-c", PLUGINS_PROBE], capture_output=True, text=True, env=env
        )
        assert done.returncode == 2, done.stderr
        shown.append(done.stdout.strip().splitlines()[-1])
    assert shown == ["plugins: '__all__'", "plugins: ''"]


COLLECTOR_PROBE = """
import atexit, gc, sys
sys.argv = ["lanterne-rouge", *sys.argv[1:]]
atexit.register(lambda: print("collector on:", gc.isenabled()))
from lanterne_rouge.cli import console
console()
"""


@pytest.mark.parametrize(
    ("args", "on"),
    [(["run", "--date", "2026-03-10"], False), (["run", "--help"], True)],
    ids=["the-daily-run", "any-other-command"],
)
def test_the_daily_run_leaves_the_collector_off_as_its_process_ends(
    lanterne_env: Path, args: list[str], on: bool
) -> None:
    done = subprocess.run(
        [sys.executable, "-c", COLLECTOR_PROBE, *args], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == f"collector on: {on}"
