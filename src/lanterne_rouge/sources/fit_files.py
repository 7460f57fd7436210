"""Single activity files: FIT (fitdecode) here, GPX and TCX in ``track_files``.

Each reader turns one file's bytes into ``SourceActivity`` records with power and heart-rate
streams on a 1-second grid, so the load comes from the stream (normalized power from the
recorded watts). A file that cannot be decoded (truncated, bad CRC, not XML) raises
``DataError`` naming it; nothing of it is stored.

- **FIT**: one activity per ``session`` message (a multisport file gives several), with its
  ``sport``/``sub_sport``, ``start_time``, ``total_timer_time`` (moving) and
  ``total_elapsed_time``; ``record`` messages give the streams. The local day comes from the
  ``activity`` message's ``local_timestamp`` when the device wrote one, else from the
  athlete's time zone. The external id is the ``file_id`` serial number and creation time
  (stable however the file is copied), else a hash of the content.
- **GPX** and **TCX**: ``track_files``.

The heavy parsers are imported inside the functions, so the daily run never pays for them.
"""

from __future__ import annotations

import gzip
import io
import zlib
from datetime import datetime, timedelta, tzinfo
from pathlib import PurePath
from typing import Any

import msgspec

from lanterne_rouge.errors import DataError
from lanterne_rouge.sources.activity import SourceActivity, local_day
from lanterne_rouge.sources.file_samples import Sample, aware, digest, streams
from lanterne_rouge.sources.sports import our_sport
from lanterne_rouge.sources.track_files import read_gpx, read_tcx

MAX_FILE_BYTES = 256 * 1024 * 1024


def read_activity_file(
    name: str, data: bytes, *, kind: str, source: str, where: tzinfo, external_id: str | None = None
) -> list[SourceActivity]:
    """The activities of one file; ``kind`` is ``fit``, ``gpx`` or ``tcx`` (``.gz`` allowed)."""
    if name.endswith(".gz") or data[:2] == b"\x1f\x8b":
        data = _gunzip(name, data)
    readers = {"fit": _read_fit, "gpx": read_gpx, "tcx": read_tcx}
    if kind not in readers:
        raise DataError(f"{name}: unknown activity file type {kind!r} (fit, gpx or tcx)")
    found = readers[kind](name, data, source, where)
    if not found:
        raise DataError(f"{name}: no activity with timed samples in the file")
    if external_id is not None:
        found = [_renamed(a, external_id, i, len(found)) for i, a in enumerate(found)]
    return found


def kind_of(name: str) -> str | None:
    """``fit``, ``gpx`` or ``tcx`` from a file name (``.gz`` ignored), else None."""
    base = name.lower().removesuffix(".gz")
    for kind in ("fit", "gpx", "tcx"):
        if base.endswith("." + kind):
            return kind
    return None


def _gunzip(name: str, data: bytes) -> bytes:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as handle:
            out = handle.read(MAX_FILE_BYTES + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise DataError(f"{name}: damaged gzip file: {exc}") from exc
    if len(out) > MAX_FILE_BYTES:
        raise DataError(f"{name}: larger than {MAX_FILE_BYTES // 2**20} MB uncompressed")
    return out


def _renamed(activity: SourceActivity, external_id: str, index: int, total: int) -> SourceActivity:
    return msgspec.structs.replace(
        activity, external_id=external_id if total == 1 else f"{external_id}:{index}"
    )


# -- FIT ------------------------------------------------------------------------------------


def _read_fit(name: str, data: bytes, source: str, where: tzinfo) -> list[SourceActivity]:
    import fitdecode

    sessions: list[dict[str, Any]] = []
    samples: list[Sample] = []
    file_id: dict[str, Any] = {}
    offset: timedelta | None = None
    try:
        with fitdecode.FitReader(
            io.BytesIO(data),
            check_crc=fitdecode.CrcCheck.RAISE,
            error_handling=fitdecode.ErrorHandling.RAISE,
        ) as reader:
            for frame in reader:
                if not isinstance(frame, fitdecode.FitDataMessage):
                    continue
                if frame.name == "record":
                    sample = _fit_sample(frame)
                    if sample is not None:
                        samples.append(sample)
                elif frame.name == "session":
                    sessions.append(_values(frame))
                elif frame.name == "file_id":
                    file_id = _values(frame)
                elif frame.name == "activity":
                    offset = _local_offset(_values(frame))
    except fitdecode.FitError as exc:
        raise DataError(f"{name}: not a readable FIT file ({type(exc).__name__}: {exc})") from exc
    base_id = _fit_id(file_id) or digest(data)
    if not sessions and samples:
        sessions = [_session_from_samples(samples)]
    found = []
    for index, session in enumerate(sessions):
        ident = base_id if len(sessions) == 1 else f"{base_id}:{index}"
        activity = _fit_activity(name, session, samples, ident, source, where, offset)
        if activity is not None:
            found.append(activity)
    return found


def _values(frame: Any) -> dict[str, Any]:
    return {f.name: f.value for f in frame.fields}


def _fit_sample(frame: Any) -> Sample | None:
    at = frame.get_value("timestamp", fallback=None)
    if not isinstance(at, datetime):
        return None
    power = frame.get_value("power", fallback=None)
    hr = frame.get_value("heart_rate", fallback=None)
    return Sample(
        aware(at),
        float(power) if isinstance(power, int | float) else None,
        float(hr) if isinstance(hr, int | float) else None,
    )


def _fit_id(file_id: dict[str, Any]) -> str | None:
    serial, created = file_id.get("serial_number"), file_id.get("time_created")
    if serial is None or not isinstance(created, datetime):
        return None
    return f"{serial}-{int(aware(created).timestamp())}"


def _local_offset(activity: dict[str, Any]) -> timedelta | None:
    utc, local = activity.get("timestamp"), activity.get("local_timestamp")
    if not isinstance(utc, datetime) or not isinstance(local, datetime):
        return None
    offset = aware(local).replace(tzinfo=None) - aware(utc).replace(tzinfo=None)
    # A real offset is within a day and a whole number of quarter hours.
    if abs(offset) > timedelta(hours=14):
        return None
    return timedelta(minutes=round(offset.total_seconds() / 900) * 15)


def _session_from_samples(samples: list[Sample]) -> dict[str, Any]:
    elapsed = (samples[-1].at - samples[0].at).total_seconds()
    return {"start_time": samples[0].at, "total_elapsed_time": elapsed}


def _fit_activity(
    name: str,
    session: dict[str, Any],
    samples: list[Sample],
    external_id: str,
    source: str,
    where: tzinfo,
    offset: timedelta | None,
) -> SourceActivity | None:
    start = session.get("start_time")
    if not isinstance(start, datetime):
        start = samples[0].at if samples else None
    if start is None:
        return None
    start = aware(start)
    elapsed = _float(session.get("total_elapsed_time"))
    moving = _float(session.get("total_timer_time")) or elapsed
    if not moving or moving <= 0:
        raise DataError(
            f"{name}: session at {start:%Y-%m-%d %H:%M}: field total_timer_time: no duration"
        )
    end = start + timedelta(seconds=elapsed or moving)
    inside = [s for s in samples if start <= s.at <= end]
    sport_name, sub_sport = str(session.get("sport") or ""), str(session.get("sub_sport") or "")
    if sub_sport == "virtual_activity":
        sub_sport = {"cycling": "virtualride", "running": "virtualrun"}.get(sport_name, "")
    day = (start + offset).date() if offset is not None else local_day(start, where)
    return SourceActivity(
        source=source,
        external_id=external_id,
        source_type="/".join(p for p in (sport_name, sub_sport) if p) or "unknown",
        sport=our_sport(sub_sport, sport_name),
        start_utc=start,
        local_day=day,
        moving_s=moving,
        elapsed_s=elapsed,
        name=PurePath(name).name,
        **streams(start, inside),
        average_hr=_float(session.get("avg_heart_rate")),
        average_power=_float(session.get("avg_power")),
    )


def _float(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) else None
