"""Real intervals.icu exports shared by the training tests (see shared/data/README.md)."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from lanterne_rouge.training.readiness_models import RecoveryDay

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


def _optional(text: str) -> float | None:
    return float(text) if text else None


@pytest.fixture(scope="module")
def oura_history(wellness_rows: list[dict[str, str]]) -> list[RecoveryDay]:
    """The export's nights as the readiness rules read them."""
    return [
        RecoveryDay(
            day=date.fromisoformat(row["date"]),
            readiness_score=_optional(row["readiness"]),
            hrv_rmssd=_optional(row["hrv"]),
            resting_hr=_optional(row["restingHR"]),
            sleep_secs=_optional(row["sleepSecs"]),
            sleep_score=_optional(row["sleepScore"]),
        )
        for row in wellness_rows
    ]
