"""What every activity file reader shares: a timed sample, the streams on a 1-second grid,
times made aware (UTC), and an external id from the content when the file has none."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

import msgspec

from lanterne_rouge.sources.activity import on_grid


class Sample(msgspec.Struct, frozen=True):
    at: datetime
    power: float | None
    heart_rate: float | None


def streams(start: datetime, samples: list[Sample]) -> dict[str, Any]:
    offsets = [(s.at - start).total_seconds() for s in samples]
    return {
        "power": on_grid(offsets, [s.power for s in samples]),
        "heart_rate": on_grid(offsets, [s.heart_rate for s in samples]),
    }


def aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:24]
