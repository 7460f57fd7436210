"""intervals.icu exports: the wellness CSV (one row per day) and the activities CSV.

**Wellness** (``date`` plus ``ctlLoad``/``atlLoad`` required): ``readiness``, ``hrv``
(rMSSD, ms), ``restingHR``, ``sleepSecs`` and ``sleepScore`` become the day's recovery record
(source ``intervals_wellness``); ``ctlLoad`` becomes the day's load and ``atlLoad`` its
fatigue load (they differ on days with strength work, which counts for fatigue only). The
export's own ``ctl``/``atl`` of the first imported day give the **fitness seed**: the CTL and
ATL at the end of the day before, solved from ``ctl[d0] = seed + (load[d0] - seed) * k``, so
the fitness model over the imported days reproduces the export even when it starts
mid-history (``--since``, or an export that does).

**Activities** (``id``, ``start_date_local``, ``type``, ``moving_time`` required): each row
is an activity of source ``intervals_activities``, bucketed by ``start_date_local``. The load
is ours, from ``training.load``: the export's ``icu_normalized_watts`` counts as measured power
only when ``device_watts`` is true, with the row's ``icu_ftp``; heart-rate load uses the
row's ``lthr``, ``icu_resting_hr`` and ``hr_max``. intervals.icu's own loads are not used.

A malformed cell skips its record (or, for a recovery value, only that field) with a message
naming the file, line and field; a file without the required columns is rejected whole.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import msgspec
from pydantic import ValidationError

from lanterne_rouge.memory.activity_store import FitnessSeed
from lanterne_rouge.memory.records import DailyLoad, RecoveryRecord
from lanterne_rouge.sources import csv_rows
from lanterne_rouge.sources.activity import SourceActivity
from lanterne_rouge.sources.csv_rows import FieldError
from lanterne_rouge.sources.dates import outside
from lanterne_rouge.sources.recovery import checked_recovery
from lanterne_rouge.sources.sports import our_sport

WELLNESS_SOURCE = "intervals_wellness"
ACTIVITIES_SOURCE = "intervals_activities"
WELLNESS_COLUMNS = {"date", "ctlLoad", "atlLoad"}
ACTIVITY_COLUMNS = {"id", "start_date_local", "type", "moving_time"}

_RECOVERY_COLUMNS = {
    "readiness": "readiness_score",
    "hrv": "hrv_rmssd",
    "restingHR": "resting_hr",
    "sleepSecs": "sleep_secs",
    "sleepScore": "sleep_score",
}
_WHOLE = {"readiness_score", "sleep_secs", "sleep_score"}
_K_CTL = 1.0 - math.exp(-1.0 / 42.0)
_K_ATL = 1.0 - math.exp(-1.0 / 7.0)
_THRESHOLD_COLUMNS = {
    "icu_ftp": "ftp",
    "lthr": "threshold_hr",
    "icu_resting_hr": "resting_hr",
    "hr_max": "max_hr",
}


class Wellness(msgspec.Struct):
    recovery: list[RecoveryRecord] = msgspec.field(default_factory=list)
    loads: list[DailyLoad] = msgspec.field(default_factory=list)
    seed: FitnessSeed | None = None
    skipped: list[str] = msgspec.field(default_factory=list)
    rows: int = 0


class _Day(msgspec.Struct):
    day: date
    line: int
    ctl: float | None
    atl: float | None
    load: float
    fatigue: float


def read_wellness(path: Path, *, latest: date, since: date | None = None) -> Wellness:
    """Read a wellness export; ``DataError`` if the file itself is unusable.

    Rows dated outside ``EARLIEST``..``latest`` are skipped (``sources.dates``).
    """
    result = Wellness()
    days: dict[date, _Day] = {}
    rows = csv_rows.read_rows(
        path, WELLNESS_COLUMNS, what="intervals.icu wellness CSV", skipped=result.skipped
    )
    for line, row in rows:
        where = f"{path.name} line {line}"
        try:
            day = csv_rows.day(row, "date")
        except FieldError as exc:
            result.skipped.append(f"{where}: {exc}")
            continue
        if (why := outside(day, latest)) is not None:
            result.skipped.append(f"{where}: field date: {why}")
            continue
        if since is not None and day < since:
            continue
        result.rows += 1
        if day in days:
            result.skipped.append(f"{where}: field date: {day} repeats line {days[day].line}")
            continue
        recovery = _recovery(row, day, where, result.skipped)
        if recovery is not None:
            result.recovery.append(recovery)
        entry = _load(row, day, line, where, result.skipped)
        if entry is not None:
            days[day] = entry
    for entry in days.values():
        try:
            result.loads.append(
                DailyLoad(
                    day=entry.day,
                    source=WELLNESS_SOURCE,
                    load=entry.load,
                    fatigue_load=entry.fatigue,
                    method="recorded",
                )
            )
        except ValidationError as exc:
            err = exc.errors()[0]
            result.skipped.append(
                f"{path.name} line {entry.line}: field {err['loc'][0]}: {err['msg']}"
            )
    result.loads.sort(key=lambda d: d.day)
    result.recovery.sort(key=lambda r: r.day)
    result.seed = _seed(days, path, result.skipped)
    return result


def _recovery(
    row: dict[str, str], day: date, where: str, skipped: list[str]
) -> RecoveryRecord | None:
    values: dict[str, float | int] = {}
    for column, name in _RECOVERY_COLUMNS.items():
        try:
            value = csv_rows.number(row, column)
        except FieldError as exc:
            skipped.append(f"{where}: {exc}")
            continue
        if value is not None:
            values[name] = round(value) if name in _WHOLE else value
    return checked_recovery(day, WELLNESS_SOURCE, values, where, skipped)


def _load(row: dict[str, str], day: date, line: int, where: str, skipped: list[str]) -> _Day | None:
    try:
        load = csv_rows.number(row, "ctlLoad")
        fatigue = csv_rows.number(row, "atlLoad")
        ctl = csv_rows.number(row, "ctl")
        atl = csv_rows.number(row, "atl")
    except FieldError as exc:
        skipped.append(f"{where}: {exc}")
        return None
    if load is None and fatigue is None:
        return _Day(day, line, ctl, atl, 0.0, 0.0)
    load = load if load is not None else 0.0
    return _Day(day, line, ctl, atl, load, fatigue if fatigue is not None else load)


def _seed(days: dict[date, _Day], path: Path, skipped: list[str]) -> FitnessSeed | None:
    """CTL/ATL at the end of the day before the first imported day (module docstring)."""
    if not days:
        return None
    first = days[min(days)]
    if first.ctl is None or first.atl is None:
        return None
    ctl = (first.ctl - _K_CTL * first.load) / (1.0 - _K_CTL)
    atl = (first.atl - _K_ATL * first.fatigue) / (1.0 - _K_ATL)
    if ctl < -0.01 or atl < -0.01:
        skipped.append(
            f"{path.name} line {first.line}: fields ctl/atl: inconsistent with the day's load; "
            "fitness starts from zero"
        )
        return None
    return FitnessSeed(
        source=WELLNESS_SOURCE,
        day=first.day - timedelta(days=1),
        ctl=max(0.0, ctl),
        atl=max(0.0, atl),
    )


class Activities(msgspec.Struct):
    activities: list[SourceActivity] = msgspec.field(default_factory=list)
    skipped: list[str] = msgspec.field(default_factory=list)
    rows: int = 0


def read_activities(path: Path, *, latest: date, since: date | None = None) -> Activities:
    """Read an activities export; ``DataError`` if the file itself is unusable.

    Activities dated outside ``EARLIEST``..``latest`` are skipped (``sources.dates``).
    """
    result = Activities()
    rows = csv_rows.read_rows(
        path, ACTIVITY_COLUMNS, what="intervals.icu activities CSV", skipped=result.skipped
    )
    for line, row in rows:
        where = f"{path.name} line {line} (activity {row.get('id') or '?'})"
        try:
            activity = _activity(row)
        except FieldError as exc:
            result.skipped.append(f"{where}: {exc}")
            continue
        if (why := outside(activity.local_day, latest)) is not None:
            result.skipped.append(f"{where}: field start_date_local: {why}")
            continue
        if since is not None and activity.local_day < since:
            continue
        result.rows += 1
        result.activities.append(activity)
    return result


def _activity(row: dict[str, str]) -> SourceActivity:
    if not row.get("id"):
        raise FieldError("id", "", "missing")
    local_start = csv_rows.timestamp(row, "start_date_local")
    if local_start is None:
        raise FieldError("start_date_local", "", "missing")
    moving = csv_rows.number(row, "moving_time")
    if moving is None or moving <= 0:
        raise FieldError("moving_time", row.get("moving_time", ""), "not a positive duration")
    kind = row.get("type") or "Other"
    thresholds = {
        name: value
        for column, name in _THRESHOLD_COLUMNS.items()
        if (value := csv_rows.number(row, column)) is not None and value > 0
    }
    return SourceActivity(
        source=ACTIVITIES_SOURCE,
        external_id=row["id"],
        source_type=kind,
        sport=our_sport(kind),
        start_utc=_start_utc(row, local_start),
        local_day=local_start.date(),
        moving_s=moving,
        elapsed_s=csv_rows.number(row, "elapsed_time"),
        name=row.get("name") or None,
        average_power=csv_rows.number(row, "icu_average_watts"),
        normalized_power=csv_rows.number(row, "icu_normalized_watts"),
        device_watts=csv_rows.boolean(row, "device_watts"),
        average_hr=csv_rows.number(row, "average_heartrate"),
        rpe=csv_rows.number(row, "icu_rpe"),
        thresholds=thresholds,
    )


def _start_utc(row: dict[str, str], local_start: datetime) -> datetime:
    """``start_date`` (UTC), else the local start in the row's time zone, else as UTC."""
    start = csv_rows.timestamp(row, "start_date")
    if start is not None:
        return start.astimezone(UTC) if start.tzinfo else start.replace(tzinfo=UTC)
    name = row.get("timezone", "").rsplit(") ", 1)[-1].strip()
    try:
        return local_start.replace(tzinfo=ZoneInfo(name)).astimezone(UTC)
    except (ZoneInfoNotFoundError, ValueError):
        return local_start.replace(tzinfo=UTC)
