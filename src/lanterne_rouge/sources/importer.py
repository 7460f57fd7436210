"""``lanterne-rouge import KIND PATH``: files in, one transaction per file.

A file is read and checked completely before anything is written. A file that cannot be used
(wrong header, not a zip, a damaged entry, a truncated FIT file) raises ``DataError`` naming
it, and nothing stored changes. A bad record is skipped with a message naming the file,
record and field, and the rest of the file is stored in one transaction: all of it or, if
the store fails, none of it.

Kinds:

- ``intervals-wellness``: recovery and daily loads per day, and the fitness seed
  (``intervals_icu``);
- ``intervals-activities``, ``strava-export``, ``fit``, ``gpx``, ``tcx``: activities, each
  with the load computed by ``training.load`` (method recorded), summed per local day into
  the ``activities`` daily loads with each session counted once (``activity_days``).

Importing the same file again replaces what it stored before: nothing is counted twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, tzinfo
from enum import StrEnum
from pathlib import Path

import msgspec

from lanterne_rouge.errors import DataError
from lanterne_rouge.memory.activity_store import ActivityStore, FitnessSeed, StoredActivity
from lanterne_rouge.memory.state_store import StateStore
from lanterne_rouge.sources.activity import MAX_ACTIVITY_LOAD, Scoring, SourceActivity, with_load
from lanterne_rouge.sources.activity_days import rebuild_days
from lanterne_rouge.sources.dates import latest_day, outside
from lanterne_rouge.sources.progress import Progress, Silent
from lanterne_rouge.sources.sports import SportTable
from lanterne_rouge.training.errors import TrainingInputError
from lanterne_rouge.training.load_models import AthleteThresholds
from lanterne_rouge.training.thresholds import ThresholdHistory

SHOWN_SKIPS = 20


class ImportKind(StrEnum):
    intervals_wellness = "intervals-wellness"
    intervals_activities = "intervals-activities"
    strava_export = "strava-export"
    fit = "fit"
    gpx = "gpx"
    tcx = "tcx"


class ImportReport(msgspec.Struct):
    """What one file import stored and what it skipped, and why."""

    path: Path
    kind: ImportKind
    recovery_days: int = 0
    load_days: int = 0
    activities: int = 0
    seed: FitnessSeed | None = None
    first: date | None = None
    last: date | None = None
    skipped: list[str] = msgspec.field(default_factory=list)

    def summary(self) -> str:
        stored = []
        if self.kind is ImportKind.intervals_wellness:
            stored.append(
                f"{self.load_days} days of load and {self.recovery_days} days of recovery"
            )
        else:
            stored.append(f"{self.activities} activities ({self.load_days} days of load)")
        span = f" from {self.first} to {self.last}" if self.first else ""
        lines = [
            f"Imported {self.path.name} ({self.kind}): stored {stored[0]}{span}; "
            f"skipped {len(self.skipped)}."
        ]
        if self.seed is not None:
            lines.append(
                f"Fitness before {self.seed.day}: CTL {self.seed.ctl:.2f}, ATL "
                f"{self.seed.atl:.2f} (the export's own, kept as the history's seed)."
            )
        lines.extend(f"  skipped: {reason}" for reason in self.skipped[:SHOWN_SKIPS])
        if len(self.skipped) > SHOWN_SKIPS:
            lines.append(f"  ... and {len(self.skipped) - SHOWN_SKIPS} more skipped")
        return "\n".join(lines)


def import_file(
    store: StateStore,
    athlete_id: str,
    kind: ImportKind,
    path: Path,
    *,
    thresholds: AthleteThresholds | ThresholdHistory,
    where: tzinfo,
    since: date | None = None,
    latest: date | None = None,
    progress: Progress | None = None,
    sports: SportTable | None = None,
) -> ImportReport:
    """Import one file; ``DataError`` (nothing stored) when the file must be rejected.

    Loads use the thresholds in force on each activity's day and the sport table (default:
    the bundled one). Records dated outside 1990-01-01..``latest`` (default: tomorrow in
    ``where``) are skipped, each with a message.
    """
    shown = progress or Silent()
    if not path.is_file():
        raise DataError(f"{path}: no such file")
    last_day = latest or latest_day(where)
    if kind is ImportKind.intervals_wellness:
        return _import_wellness(store, athlete_id, path, since, last_day)
    report = ImportReport(path=path, kind=kind)
    parsed = _read_activities(kind, path, where, since, last_day, shown, report)
    scoring = Scoring.of(thresholds, sports)
    stored = _within_a_day(_with_loads(parsed, scoring, path, report, shown), path, report)
    _store_activities(store, athlete_id, stored, report)
    return report


def _import_wellness(
    store: StateStore, athlete_id: str, path: Path, since: date | None, latest: date
) -> ImportReport:
    from lanterne_rouge.sources.intervals_icu import read_wellness

    wellness = read_wellness(path, since=since, latest=latest)
    report = ImportReport(path=path, kind=ImportKind.intervals_wellness, skipped=wellness.skipped)
    days = [d.day for d in wellness.loads] + [r.day for r in wellness.recovery]
    with store.transaction():
        report.recovery_days = store.upsert_recovery(athlete_id, wellness.recovery)
        report.load_days = store.upsert_loads(athlete_id, wellness.loads)
        if wellness.seed is not None:
            store.activities.save_seed(athlete_id, wellness.seed)
    report.seed = wellness.seed
    report.first, report.last = (min(days), max(days)) if days else (None, None)
    return report


def _read_activities(
    kind: ImportKind,
    path: Path,
    where: tzinfo,
    since: date | None,
    latest: date,
    progress: Progress,
    report: ImportReport,
) -> list[SourceActivity]:
    if kind is ImportKind.intervals_activities:
        from lanterne_rouge.sources.intervals_icu import read_activities

        found = read_activities(path, since=since, latest=latest)
        report.skipped.extend(found.skipped)
        return found.activities
    if kind is ImportKind.strava_export:
        from lanterne_rouge.sources.strava_export import read_export

        export = read_export(path, where=where, since=since, latest=latest, on_row=progress.update)
        report.skipped.extend(export.skipped)
        return export.activities
    from lanterne_rouge.sources.fit_files import read_activity_file

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DataError(f"{path}: cannot read: {exc}") from exc
    found_in_file = read_activity_file(
        str(path), data, kind=kind.value, source=kind.value, where=where
    )
    kept = []
    for activity in found_in_file:
        if (why := outside(activity.local_day, latest)) is not None:
            named = f"{path.name}: activity {activity.external_id}"
            report.skipped.append(f"{named}: field start: {why}")
        elif since is None or activity.local_day >= since:
            kept.append(activity)
    return kept


def _with_loads(
    parsed: Sequence[SourceActivity],
    scoring: Scoring,
    path: Path,
    report: ImportReport,
    progress: Progress,
) -> list[StoredActivity]:
    stored: dict[tuple[str, str], StoredActivity] = {}
    for done, activity in enumerate(parsed, start=1):
        try:
            stored[(activity.source, activity.external_id)] = with_load(activity, scoring)
        except TrainingInputError as exc:
            report.skipped.append(
                f"{path.name}: activity {activity.external_id} ({activity.local_day}): {exc}"
            )
        progress.update(done, len(parsed))
    return list(stored.values())


def _within_a_day(
    stored: list[StoredActivity], path: Path, report: ImportReport
) -> list[StoredActivity]:
    """Drop an activity that would take its day's load past what a day may hold (each one
    is plausible alone, but not all of them on one day), naming it; the rest are kept."""
    kept: list[StoredActivity] = []
    totals: dict[date, tuple[float, float]] = {}
    for activity in sorted(stored, key=lambda a: a.start_utc):
        load, fatigue = totals.get(activity.local_day, (0.0, 0.0))
        load, fatigue = load + activity.load, fatigue + activity.fatigue_load
        if max(load, fatigue) > MAX_ACTIVITY_LOAD:
            report.skipped.append(
                f"{path.name}: activity {activity.external_id} ({activity.local_day}): field "
                f"load: the day would hold {max(load, fatigue):,.0f}, above "
                f"{MAX_ACTIVITY_LOAD:,.0f}"
            )
            continue
        totals[activity.local_day] = (load, fatigue)
        kept.append(activity)
    return kept


def _store_activities(
    store: StateStore, athlete_id: str, stored: list[StoredActivity], report: ImportReport
) -> None:
    ledger = store.activities
    with store.transaction():
        days = {a.local_day for a in stored} | _previous_days(ledger, athlete_id, stored)
        report.activities = ledger.upsert_activities(athlete_id, stored)
        rebuild_days(store, athlete_id, days)
    report.load_days = len({a.local_day for a in stored})
    if stored:
        report.first = min(a.local_day for a in stored)
        report.last = max(a.local_day for a in stored)


def _previous_days(
    ledger: ActivityStore, athlete_id: str, stored: list[StoredActivity]
) -> set[date]:
    """Days the same activities were on before (a re-import may move one)."""
    days: set[date] = set()
    for source in {a.source for a in stored}:
        keys = {a.external_id for a in stored if a.source == source}
        days |= {
            old.local_day
            for old in ledger.activities(athlete_id, source=source)
            if old.external_id in keys
        }
    return days
