"""``output/reasoning_log.csv``: one row per attempt at an athlete-day."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

COLUMNS = (
    "date",
    "athlete_id",
    "attempt",
    "run_id",
    "data",
    "phase",
    "action",
    "rule",
    "workout",
    "minutes",
    "tss_target",
    "readiness",
    "ctl",
    "atl",
    "tsb",
    "explanation",
    "provider",
    "model",
    "prompt_id",
    "prompt_version",
    "fallback_reason",
)


def append_row(path: Path, row: dict[str, Any]) -> None:
    """Append one row, writing the header first when the file is new."""
    unknown = set(row) - set(COLUMNS)
    if unknown:
        raise ValueError(f"unknown reasoning-log columns: {sorted(unknown)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    new = not path.exists() or path.stat().st_size == 0
    with path.open("a", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        if new:
            writer.writeheader()
        writer.writerow({k: "" if row.get(k) is None else row.get(k) for k in COLUMNS})


def read_rows(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))
