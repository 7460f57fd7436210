"""GPX (gpxpy) and TCX (the standard library) activity files, read as ``fit_files`` reads FIT.

- **GPX**: track points with time; heart rate and power from the Garmin/Strava extensions
  (``hr``, ``power``). Moving time is the sum of gaps of at most 30 s between points.
- **TCX**: ``Activity Sport``, ``Id`` (start), laps' ``TotalTimeSeconds`` (moving), track
  points' ``HeartRateBpm`` and ``Watts``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, tzinfo
from itertools import pairwise
from pathlib import PurePath
from typing import Any
from xml.etree import ElementTree

from lanterne_rouge.errors import DataError
from lanterne_rouge.sources.activity import SourceActivity, local_day
from lanterne_rouge.sources.file_samples import Sample, aware, digest, streams
from lanterne_rouge.sources.sports import our_sport

PAUSE_SECONDS = 30.0


# -- GPX ------------------------------------------------------------------------------------


def read_gpx(name: str, data: bytes, source: str, where: tzinfo) -> list[SourceActivity]:
    import gpxpy
    import gpxpy.gpx

    try:
        gpx = gpxpy.parse(data.decode("utf-8-sig"))
    except (gpxpy.gpx.GPXException, UnicodeDecodeError, ValueError) as exc:
        raise DataError(f"{name}: not a readable GPX file: {exc}") from exc
    samples: list[Sample] = []
    kind = ""
    for track in gpx.tracks:
        kind = kind or (track.type or "")
        for segment in track.segments:
            for point in segment.points:
                if point.time is None:
                    continue
                values = _extension_values(point.extensions)
                samples.append(Sample(aware(point.time), values.get("power"), values.get("hr")))
    if len(samples) < 2:
        return []
    samples.sort(key=lambda s: s.at)
    name_hint = gpx.tracks[0].name if gpx.tracks and gpx.tracks[0].name else PurePath(name).name
    return [_track_activity(name, name_hint, kind, samples, digest(data), source, where)]


def _extension_values(elements: Iterable[Any]) -> dict[str, float]:
    """``hr`` and ``power`` from a point's extensions, whatever their namespace."""
    found: dict[str, float] = {}
    for element in elements:
        for node in element.iter():
            tag = str(node.tag).rsplit("}", 1)[-1].lower()
            key = {"hr": "hr", "heartrate": "hr", "power": "power", "watts": "power"}.get(tag)
            if key and node.text:
                try:
                    found[key] = float(node.text)
                except ValueError:
                    continue
    return found


def _track_activity(
    name: str,
    title: str,
    kind: str,
    samples: list[Sample],
    external_id: str,
    source: str,
    where: tzinfo,
    moving: float | None = None,
) -> SourceActivity:
    start = samples[0].at
    elapsed = (samples[-1].at - start).total_seconds()
    if moving is None:
        moving = sum(
            gap
            for a, b in pairwise(samples)
            if (gap := (b.at - a.at).total_seconds()) <= PAUSE_SECONDS
        )
    if moving <= 0:
        raise DataError(f"{name}: track at {start:%Y-%m-%d %H:%M}: no moving time")
    return SourceActivity(
        source=source,
        external_id=external_id,
        source_type=kind or "unknown",
        sport=our_sport(kind),
        start_utc=start,
        local_day=local_day(start, where),
        moving_s=moving,
        elapsed_s=elapsed,
        name=title,
        **streams(start, samples),
    )


# -- TCX ------------------------------------------------------------------------------------


def read_tcx(name: str, data: bytes, source: str, where: tzinfo) -> list[SourceActivity]:
    try:
        root = ElementTree.fromstring(data.lstrip())
    except ElementTree.ParseError as exc:
        raise DataError(f"{name}: not a readable TCX file: {exc}") from exc
    found = []
    for index, activity in enumerate(_children(root, "Activity", deep=True)):
        samples = [
            s for s in (_tcx_sample(p) for p in _children(activity, "Trackpoint", True)) if s
        ]
        if len(samples) < 2:
            continue
        samples.sort(key=lambda s: s.at)
        laps = [_text(lap, "TotalTimeSeconds") for lap in _children(activity, "Lap", deep=True)]
        moving = sum(float(t) for t in laps if t and _is_number(t)) or None
        ident = digest(data) + (f":{index}" if index else "")
        kind = activity.get("Sport", "")
        title = PurePath(name).name
        found.append(_track_activity(name, title, kind, samples, ident, source, where, moving))
    return found


def _children(
    node: ElementTree.Element, local: str, deep: bool = False
) -> list[ElementTree.Element]:
    nodes = node.iter() if deep else iter(node)
    return [n for n in nodes if str(n.tag).rsplit("}", 1)[-1] == local]


def _text(node: ElementTree.Element, local: str) -> str | None:
    for child in node:
        if str(child.tag).rsplit("}", 1)[-1] == local:
            return child.text
    return None


def _tcx_sample(point: ElementTree.Element) -> Sample | None:
    moment = _text(point, "Time")
    if not moment:
        return None
    try:
        at = aware(datetime.fromisoformat(moment.strip().replace("Z", "+00:00")))
    except ValueError:
        return None
    hr = None
    for node in _children(point, "HeartRateBpm", deep=True):
        value = _text(node, "Value")
        hr = float(value) if value and _is_number(value) else None
    watts = None
    for node in _children(point, "Watts", deep=True):
        watts = float(node.text) if node.text and _is_number(node.text) else None
    return Sample(at, watts, hr)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
