"""A full output folder (a real 1 MiB tmpfs, filled up): the run says so in one line, leaves
no torn row and keeps the effects owed; once there is room, ``repair`` writes them."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lanterne_rouge.cli import app


@pytest.fixture
def small_output(lanterne_env: Path) -> Iterator[Path]:
    """The output folder on its own 1 MiB filesystem (needs the right to mount: root)."""
    output = lanterne_env / "output"
    output.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(output)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small filesystem here: {mounted.stderr.strip()}")
    try:
        yield output
    finally:
        subprocess.run(["umount", "-l", str(output)], check=False)


def _fill(folder: Path) -> Path:
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        while os.write(fd, b"\0" * 4096):
            pass
    except OSError:
        pass
    finally:
        os.close(fd)
    return filler


def _run_days_until_a_row_crosses_a_page(log: Path) -> int:
    """Run days until the log's last page has less room than a row: the next row's write
    then really runs out of space half-way (a tmpfs page is 4 KiB)."""
    day = 1
    while True:
        done = CliRunner().invoke(app, ["run", "--date", f"2026-03-{day:02}"])
        assert done.exit_code == 0, done.output
        if 4096 - log.stat().st_size % 4096 < 500:
            return day
        day += 1


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "lanterne_rouge", *args],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        timeout=60,
    )


def test_a_full_output_folder_is_one_line_no_torn_row_and_repair_writes_it(
    small_output: Path,
) -> None:
    log = small_output / "reasoning_log.csv"
    last = _run_days_until_a_row_crosses_a_page(log)
    size_before = log.stat().st_size
    filler = _fill(small_output)

    day = f"2026-03-{last + 1:02}"
    full = _cli("run", "--date", day)
    assert full.returncode == 0, full.stderr
    assert "Traceback" not in full.stderr
    not_done = [line for line in full.stdout.splitlines() if line.startswith("Not done")]
    assert not_done == [
        f"Not done for demo {day}: the reasoning-log row and the report (No space left on "
        f"device in {small_output}); kept owed: the next run or `lanterne-rouge repair` does it."
    ]
    assert log.stat().st_size == size_before, "no torn row"
    assert log.read_bytes().endswith(b"\r\n")
    assert not list(small_output.glob(".*.tmp")), "no half-written report either"
    assert not (small_output / f"report-demo-{day}.html").exists()

    filler.unlink()
    repaired = _cli("repair")
    assert repaired.returncode == 0, repaired.stdout + repaired.stderr
    assert f"Report:   {small_output / f'report-demo-{day}.html'}" in repaired.stdout
    rows = list(csv.DictReader(log.open(newline="")))
    assert [r["date"] for r in rows] == [f"2026-03-{d:02}" for d in range(1, last + 2)]
    assert _cli("repair").stdout.strip() == (
        "Nothing owed: every day is finished and every effect done."
    )
