"""The recorded-history CSV used by the demo athlete and the replay scenarios.

One row per day: ``day, readiness_score, hrv_rmssd, resting_hr, sleep_secs, sleep_score, load``
(an empty cell is a missing value; an optional ``fatigue_load`` column counts for fatigue only).
A bad row is skipped with a message naming the file, line and field; the rest is kept.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path

import msgspec
from pydantic import ValidationError

from lanterne_rouge.errors import DataError
from lanterne_rouge.memory.records import DailyLoad, RecoveryRecord

RECOVERY_FIELDS = ("readiness_score", "hrv_rmssd", "resting_hr", "sleep_secs", "sleep_score")
REQUIRED_COLUMNS = {"day", "load"}


class History(msgspec.Struct):
    recovery: list[RecoveryRecord] = msgspec.field(default_factory=list)
    loads: list[DailyLoad] = msgspec.field(default_factory=list)
    skipped: list[str] = msgspec.field(default_factory=list)

    @property
    def last_day(self) -> date | None:
        days = [r.day for r in self.recovery] + [d.day for d in self.loads]
        return max(days) if days else None

    def shifted(self, days: int) -> History:
        """The same history moved ``days`` later."""
        delta = timedelta(days=days)
        return History(
            recovery=[r.model_copy(update={"day": r.day + delta}) for r in self.recovery],
            loads=[d.model_copy(update={"day": d.day + delta}) for d in self.loads],
            skipped=list(self.skipped),
        )


def read_history(path: Path, *, source: str) -> History:
    """Read a history CSV; raises ``DataError`` if the file itself is unusable."""
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            missing = REQUIRED_COLUMNS - set(reader.fieldnames or ())
            if missing:
                raise DataError(f"{path}: missing column(s) {sorted(missing)}")
            return _parse_rows(path, enumerate(reader, start=2), source)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise DataError(f"{path}: cannot read history: {exc}") from exc


def _parse_rows(path: Path, rows: Iterable[tuple[int, dict[str, str]]], source: str) -> History:
    history = History()
    for line, row in rows:
        try:
            day = date.fromisoformat(row["day"])
            values = {k: row[k] for k in RECOVERY_FIELDS if row.get(k)}
            if values:
                history.recovery.append(RecoveryRecord(day=day, source=source, **values))
            if row.get("load"):
                fatigue = row.get("fatigue_load") or None
                history.loads.append(
                    DailyLoad(
                        day=day,
                        source=source,
                        load=row["load"],
                        fatigue_load=fatigue,
                        method="recorded",
                    )
                )
        except ValidationError as exc:
            err = exc.errors()[0]
            history.skipped.append(
                f"{path.name} line {line}: {'.'.join(map(str, err['loc']))}: {err['msg']}"
            )
        except (ValueError, TypeError) as exc:
            history.skipped.append(f"{path.name} line {line}: day: {exc}")
    return history
