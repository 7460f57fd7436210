"""The Strava bulk export: a zip with ``activities.csv`` and the activity files it names.

``activities.csv`` (``Activity ID``, ``Activity Date``, ``Activity Type``, ``Filename``
required; ``Activity Date`` is UTC, e.g. ``May 6, 2024, 4:02:34 AM``; some columns appear
twice, and the first of each name is used) lists the activities. Each row whose ``Filename``
names a ``.fit.gz``, ``.gpx``(``.gz``) or ``.tcx``(``.gz``) member is read with
``fit_files``, so its load comes from the recorded streams; a row without a file uses its
summary (moving time, average heart rate, and the duration estimate). The activity keeps
Strava's id (source ``strava_export``), so the export and the API never double count
(``activity_days`` matches them by start time).

The archive is rejected whole, before anything is stored, when it is not a zip, when an
entry has an unsafe name (absolute, or with ``..``), when an entry the import reads is
damaged (CRC or decompression error) or too large, or when ``activities.csv`` is missing or
has the wrong header. A member that is intact but cannot be decoded as its type skips that
activity, with a message naming the archive, member and reason. Other members (media,
routes, profile files) are ignored.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Callable
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path, PurePosixPath

import msgspec

from lanterne_rouge.errors import DataError
from lanterne_rouge.sources import csv_rows
from lanterne_rouge.sources.activity import SourceActivity, local_day
from lanterne_rouge.sources.csv_rows import FieldError
from lanterne_rouge.sources.dates import outside
from lanterne_rouge.sources.fit_files import kind_of, read_activity_file
from lanterne_rouge.sources.sports import our_sport

SOURCE = "strava_export"
REQUIRED = {"Activity ID", "Activity Date", "Activity Type", "Filename"}
MAX_MEMBER_BYTES = 256 * 1024 * 1024
_DATE_FORMATS = ("%b %d, %Y, %I:%M:%S %p", "%d %b %Y, %H:%M:%S", "%Y-%m-%d %H:%M:%S")


class Export(msgspec.Struct):
    activities: list[SourceActivity] = msgspec.field(default_factory=list)
    skipped: list[str] = msgspec.field(default_factory=list)
    rows: int = 0


def read_export(
    path: Path,
    *,
    where: tzinfo,
    latest: date,
    since: date | None = None,
    on_row: Callable[[int, int], None] | None = None,
) -> Export:
    """Read the archive; ``DataError`` naming it when it must be rejected whole.

    Activities dated outside ``EARLIEST``..``latest`` are skipped (``sources.dates``).
    """
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise DataError(f"{path}: not a readable zip archive: {exc}") from exc
    with archive:
        members = _checked_members(path, archive)
        csv_name = _find_csv(path, members)
        text = _member(path, archive, members[csv_name]).decode("utf-8-sig", errors="replace")
        result = Export()
        rows = list(
            csv_rows.read_rows(
                path,
                REQUIRED,
                what="Strava export activities.csv",
                skipped=result.skipped,
                text=text,
                name=f"{path.name}:activities.csv",
            )
        )
        prefix = csv_name[: -len("activities.csv")]
        for done, (line, row) in enumerate(rows, start=1):
            where_row = (
                f"{path.name}:activities.csv line {line} (activity {row.get('Activity ID') or '?'})"
            )
            try:
                activity = _row_activity(path, archive, members, prefix, row, where, result)
            except FieldError as exc:
                result.skipped.append(f"{where_row}: {exc}")
                activity = None
            except _MemberError as exc:
                result.skipped.append(f"{path.name}:{exc}")
                activity = None
            if activity is not None and (why := outside(activity.local_day, latest)):
                result.skipped.append(f"{where_row}: field Activity Date: {why}")
                activity = None
            if activity is not None and (since is None or activity.local_day >= since):
                result.rows += 1
                result.activities.append(activity)
            if on_row is not None:
                on_row(done, len(rows))
    return result


class _MemberError(Exception):
    """An intact member that cannot be decoded: that activity is skipped."""


def _checked_members(path: Path, archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    members = {}
    for info in archive.infolist():
        name = info.filename
        parts = PurePosixPath(name.replace("\\", "/")).parts
        if name.startswith(("/", "\\")) or ".." in parts or (parts and ":" in parts[0]):
            raise DataError(f"{path}: unsafe entry name {name!r}; the archive is rejected")
        if not info.is_dir():
            members[name.replace("\\", "/")] = info
    return members


def _find_csv(path: Path, members: dict[str, zipfile.ZipInfo]) -> str:
    found = sorted(
        (n for n in members if n == "activities.csv" or n.endswith("/activities.csv")),
        key=len,
    )
    if not found:
        raise DataError(f"{path}: no activities.csv in the archive (is it a Strava export?)")
    return found[0]


def _member(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    if info.file_size > MAX_MEMBER_BYTES:
        raise DataError(f"{path}: entry {info.filename} is too large ({info.file_size} bytes)")
    try:
        return archive.read(info)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError) as exc:
        raise DataError(
            f"{path}: damaged entry {info.filename} ({exc}); the archive is rejected"
        ) from exc
    except NotImplementedError as exc:
        raise DataError(f"{path}: entry {info.filename} uses an unsupported compression") from exc


def _row_activity(
    path: Path,
    archive: zipfile.ZipFile,
    members: dict[str, zipfile.ZipInfo],
    prefix: str,
    row: dict[str, str],
    where: tzinfo,
    result: Export,
) -> SourceActivity:
    ident = row.get("Activity ID", "")
    if not ident:
        raise FieldError("Activity ID", "", "missing")
    start = _activity_date(row)
    kind_name = row.get("Activity Type") or "Other"
    summary = _summary(row, ident, kind_name, start, where)
    filename = row.get("Filename", "")
    if not filename:
        return _required(summary, row)
    member = prefix + filename
    info = members.get(member) or members.get(filename)
    kind = kind_of(filename)
    if info is None or kind is None:
        result.skipped.append(
            f"{path.name}:{member}: activity {ident}: file not in the archive or not "
            "FIT/GPX/TCX; its summary row is used"
        )
        return _required(summary, row)
    data = _member(path, archive, info)
    try:
        found = read_activity_file(
            info.filename, data, kind=kind, source=SOURCE, where=where, external_id=ident
        )
    except DataError as exc:
        raise _MemberError(f"{info.filename}: activity {ident}: {exc}") from exc
    first = found[0]
    return msgspec.structs.replace(
        first,
        source_type=kind_name,
        sport=our_sport(kind_name),
        name=row.get("Activity Name") or first.name,
        moving_s=summary.moving_s if summary else first.moving_s,
    )


def _required(summary: SourceActivity | None, row: dict[str, str]) -> SourceActivity:
    if summary is None:
        raise FieldError("Moving Time", row.get("Moving Time", ""), "not a positive duration")
    return summary


def _activity_date(row: dict[str, str]) -> datetime:
    value = row.get("Activity Date", "")
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).replace(tzinfo=UTC)
        except ValueError:
            continue
    raise FieldError("Activity Date", value, "not a date such as 'May 6, 2024, 4:02:34 AM'")


def _summary(
    row: dict[str, str], ident: str, kind_name: str, start: datetime, where: tzinfo
) -> SourceActivity | None:
    moving = csv_rows.number(row, "Moving Time") or csv_rows.number(row, "Elapsed Time")
    if moving is None or moving <= 0:
        return None
    return SourceActivity(
        source=SOURCE,
        external_id=ident,
        source_type=kind_name,
        sport=our_sport(kind_name),
        start_utc=start,
        local_day=local_day(start, where),
        moving_s=moving,
        elapsed_s=csv_rows.number(row, "Elapsed Time"),
        name=row.get("Activity Name") or None,
        average_hr=csv_rows.number(row, "Average Heart Rate"),
        average_power=csv_rows.number(row, "Average Watts"),
    )
