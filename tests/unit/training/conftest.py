"""Real intervals.icu exports shared by the training tests (see shared/data/README.md)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

DATA_DIR = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "intervals_icu"


def _read(name: str) -> list[dict[str, str]]:
    path = DATA_DIR / name
    if not path.exists():
        pytest.fail(f"missing real data file {path}: shared/ must sit beside the checkout")
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="session")
def wellness_rows() -> list[dict[str, str]]:
    """wellness.csv, oldest day first (the export is newest first)."""
    return sorted(_read("wellness.csv"), key=lambda row: row["date"])


@pytest.fixture(scope="session")
def activity_rows() -> list[dict[str, str]]:
    """activities.csv as exported (newest first)."""
    return _read("activities.csv")
