"""Power-based load: normalized power, intensity factor and power TSS.

Normalized power (NP) is the fourth root of the mean fourth power of the 30-second rolling
average of power. Power TSS is ``hours x IF^2 x 100`` with ``IF = NP / FTP``, so one hour at
FTP is 100 points.

Stream conventions:

- ``None`` and NaN samples are dropouts (the meter sent nothing). They are removed before the
  rolling average, so a dropout neither drags NP down as 0 W nor adds riding time. Zero is a
  real reading (coasting) and counts.
- No usable samples at all (empty, or only dropouts): ``None``, "no power data".
- Every sample zero: ``0.0``, "no power produced"; callers should not turn that into a load.
- A stream shorter than the 30-second window: the mean of its samples (one partial window).
- A steady stream gives its power exactly.
- A negative sample or one above ``MAX_SAMPLE_WATTS`` is not a reading but corrupt data and
  raises ``TrainingInputError`` naming its index.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from itertools import accumulate

from lanterne_rouge.training._checks import positive, real, within
from lanterne_rouge.training.errors import TrainingInputError

NP_WINDOW_SECONDS = 30.0
"""Length of the rolling average behind normalized power."""

MAX_AVERAGE_WATTS = 2500.0
"""No one averages more over a whole activity; above it the data is wrong."""

MAX_SAMPLE_WATTS = 3000.0
"""Above the highest sprint peaks ever recorded; a sample above it is a meter glitch."""

MAX_FTP_WATTS = 700.0
"""Far above any recorded FTP; a larger value is a units or typing error."""

MAX_DURATION_SECONDS = 48 * 3600.0
"""Longest activity accepted as one record."""


def normalized_power(watts: Sequence[float | None], *, sample_seconds: float = 1.0) -> float | None:
    """Normalized power of a power stream, in watts (see the module docstring for edge cases).

    ``sample_seconds`` is the recording interval; the window is ``30 / sample_seconds``
    samples, rounded, and at least one.
    """
    interval = positive(sample_seconds, "sample_seconds")
    samples = _readings(watts)
    if not samples:
        return None
    low, high = min(samples), max(samples)
    if low == high:
        return low
    window = max(1, round(NP_WINDOW_SECONDS / interval))
    if len(samples) <= window:
        return math.fsum(samples) / len(samples)
    sums = list(accumulate(samples, initial=0.0))
    rolling = [(sums[i + window] - sums[i]) / window for i in range(len(samples) - window + 1)]
    mean_fourth = math.fsum(p * p * p * p for p in rolling) / len(rolling)
    return float(mean_fourth**0.25)


def intensity_factor(np_watts: float, ftp: float) -> float:
    """IF = NP / FTP."""
    return check_power(np_watts, "normalized_power") / check_ftp(ftp)


def power_tss(np_watts: float, seconds: float, ftp: float) -> float:
    """Power TSS: ``hours x IF^2 x 100`` (one hour at FTP = 100)."""
    hours = check_duration(seconds) / 3600.0
    factor = intensity_factor(np_watts, ftp)
    return hours * factor * factor * 100.0


def check_power(watts: object, what: str) -> float:
    """An activity-level power (average or normalized) in ``0..MAX_AVERAGE_WATTS``."""
    return within(watts, what, 0.0, MAX_AVERAGE_WATTS, "W")


def check_ftp(ftp: object) -> float:
    """FTP must be above 0 and at most ``MAX_FTP_WATTS``."""
    value = real(ftp, "ftp")
    if not 0.0 < value <= MAX_FTP_WATTS:
        raise TrainingInputError(
            f"ftp must be above 0 and at most {MAX_FTP_WATTS:g} W, got {ftp!r}"
        )
    return value


def check_duration(seconds: object, what: str = "duration_seconds") -> float:
    """A duration must be above 0 and at most ``MAX_DURATION_SECONDS``."""
    value = real(seconds, what)
    if not 0.0 < value <= MAX_DURATION_SECONDS:
        raise TrainingInputError(
            f"{what} must be above 0 and at most {MAX_DURATION_SECONDS:g} s (48 h), got {seconds!r}"
        )
    return value


def _readings(watts: Sequence[float | None]) -> list[float]:
    """The samples that are readings, as floats; dropouts removed, corrupt values rejected."""
    readings: list[float] = []
    for index, sample in enumerate(watts):
        if sample is None or (isinstance(sample, float) and math.isnan(sample)):
            continue
        if type(sample) is not float or not 0.0 <= sample <= MAX_SAMPLE_WATTS:
            sample = within(sample, f"power sample {index}", 0.0, MAX_SAMPLE_WATTS, "W")
        readings.append(sample)
    return readings
