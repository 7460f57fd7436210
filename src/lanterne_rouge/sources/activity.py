"""One activity as a source gave it, and its load computed by ``training.load``.

Every reader (Strava API, intervals.icu CSV, Strava export, FIT, GPX, TCX) produces a
``SourceActivity``; ``with_load`` turns it into the ``StoredActivity`` the store keeps, with
the load, the method that gave it and the details (NP, IF, TRIMP, why better methods were
skipped). Activities are bucketed by their LOCAL start date.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import msgspec

from lanterne_rouge.errors import ConfigError
from lanterne_rouge.memory.activity_store import StoredActivity
from lanterne_rouge.sources.sports import SportTable, sport_table
from lanterne_rouge.training.errors import TrainingInputError
from lanterne_rouge.training.load import activity_load
from lanterne_rouge.training.load_models import ActivityInput, AthleteThresholds
from lanterne_rouge.training.thresholds import ThresholdHistory

Stream = tuple[float | None, ...]


class SourceActivity(msgspec.Struct, frozen=True):
    """What a source says about one activity (streams share one recording interval)."""

    source: str
    external_id: str
    source_type: str
    sport: str
    start_utc: datetime
    local_day: date
    moving_s: float
    elapsed_s: float | None = None
    name: str | None = None
    power: Stream | None = None
    heart_rate: Stream | None = None
    sample_seconds: float = 1.0
    average_power: float | None = None
    normalized_power: float | None = None
    device_watts: bool | None = None
    average_hr: float | None = None
    rpe: float | None = None
    thresholds: dict[str, float] = msgspec.field(default_factory=dict)
    """The athlete's thresholds the source recorded with the activity (e.g. intervals.icu's
    ``icu_ftp``, ``lthr``); they win over the configured ones for this activity."""


MAX_ACTIVITY_LOAD = 1500.0
"""No single activity carries more load than a whole day may (``DailyLoad``): a higher one
comes from an absurd threshold (an FTP of 1 W) or recording, and the activity is skipped."""


class Scoring(msgspec.Struct, frozen=True):
    """What loads are computed with: the athlete's dated thresholds and the sport table."""

    thresholds: ThresholdHistory
    table: SportTable

    @classmethod
    def of(
        cls, thresholds: AthleteThresholds | ThresholdHistory, table: SportTable | None = None
    ) -> Scoring:
        """From thresholds (constant ones count as the athlete's own) and a table (bundled)."""
        if isinstance(thresholds, AthleteThresholds):
            thresholds = ThresholdHistory.constant(thresholds, "athlete")
        return cls(thresholds, table if table is not None else sport_table())


def with_load(activity: SourceActivity, scoring: Scoring) -> StoredActivity:
    """The activity with its load, by the thresholds in force on its day; raises
    ``TrainingInputError`` naming an absurd field.

    The load is range-checked here, before it joins a day, so one absurd activity is
    skipped and the rest of its file or sync page is kept.
    """
    on_the_day = scoring.thresholds.on(activity.local_day)
    used = on_the_day.model_copy(update=activity.thresholds) if activity.thresholds else on_the_day
    sport = scoring.table.sport(activity.sport, activity.name)
    result = activity_load(
        ActivityInput(
            sport=sport,
            duration_seconds=activity.moving_s,
            power_stream=activity.power,
            hr_stream=activity.heart_rate,
            sample_seconds=activity.sample_seconds,
            normalized_power=activity.normalized_power,
            average_power=activity.average_power,
            device_watts=activity.device_watts,
            average_hr=activity.average_hr,
            rpe=activity.rpe,
        ),
        used,
        scoring.table.settings,
    )
    detail: dict[str, Any] = {
        key: value
        for key, value in (
            ("normalized_power", result.normalized_power),
            ("intensity_factor", result.intensity_factor),
            ("trimp", result.trimp),
            ("session_rpe", result.session_rpe),
            ("tss_per_hour", result.tss_per_hour),
            ("ftp", used.ftp if result.method == "power" else None),
            ("threshold_hr", used.threshold_hr if result.method == "heart_rate" else None),
        )
        if value is not None
    }
    if result.skipped:
        detail["skipped"] = list(result.skipped)
    if result.not_counted:
        detail["not_counted"] = result.not_counted
    _check_load(result.tss, max(result.ctl_load, result.atl_load), detail)
    return StoredActivity(
        source=activity.source,
        external_id=activity.external_id,
        sport=sport,
        source_type=activity.source_type,
        name=activity.name,
        start_utc=activity.start_utc,
        local_day=activity.local_day,
        moving_s=activity.moving_s,
        elapsed_s=activity.elapsed_s,
        tss=result.tss,
        load=result.ctl_load,
        fatigue_load=result.atl_load,
        method=result.method,
        method_source=result.source,
        detail=detail,
    )


def _check_load(tss: float, load: float, detail: dict[str, Any]) -> None:
    if not (math.isfinite(tss) and math.isfinite(load)) or tss < 0 or load < 0:
        raise TrainingInputError(f"field load: not a finite, positive number (got {tss!r})")
    if max(tss, load) > MAX_ACTIVITY_LOAD:
        used = ", ".join(f"{k} {detail[k]}" for k in ("ftp", "threshold_hr") if k in detail)
        raise TrainingInputError(
            f"field load: {max(tss, load):,.0f} is above {MAX_ACTIVITY_LOAD:,.0f} for one "
            f"activity (computed with {used or 'the stored thresholds'}: check them)"
        )


def zone(name: str | None) -> tzinfo:
    """The athlete's time zone: an IANA name, or the machine's when None."""
    if not name:
        local = datetime.now().astimezone().tzinfo
        return local if local is not None else UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(f"unknown time zone {name!r} (use an IANA name)") from exc


def local_day(start_utc: datetime, where: tzinfo) -> date:
    """The local calendar day an activity starting at ``start_utc`` belongs to."""
    return start_utc.astimezone(where).date()


MAX_RECORDING_SECONDS = 48 * 3600
MAX_FILL_SECONDS = 10
"""A gap between samples up to this long holds the last value (smart recording); a longer
gap is a pause, and its seconds are dropouts (``None``)."""


def on_grid(offsets: list[float], values: list[float | None]) -> Stream | None:
    """Samples at ``offsets`` (s from the start, ascending) on a 1-second grid.

    None when there is no numeric value at all or the recording is longer than 48 hours.
    """
    pairs = [
        (int(t), float(v))
        for t, v in zip(offsets, values, strict=True)
        if v is not None and math.isfinite(v) and 0 <= t <= MAX_RECORDING_SECONDS
    ]
    if not pairs:
        return None
    grid: list[float | None] = [None] * (pairs[-1][0] + 1)
    for (second, value), following in zip(pairs, [*pairs[1:], None], strict=True):
        grid[second] = value
        if following is not None and following[0] - second <= MAX_FILL_SECONDS:
            for gap in range(second + 1, following[0]):
                grid[gap] = value
    return tuple(grid)
