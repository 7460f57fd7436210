"""Heart-rate load: Banister TRIMP, normalised so one hour at threshold heart rate is 100.

TRIMP of one minute is ``HRr x a x exp(b x HRr)`` where ``HRr = (HR - resting) / (max -
resting)`` is the heart-rate reserve fraction, clamped to 0..1, and ``(a, b)`` is
``(0.64, 1.92)`` for men and ``(0.86, 1.67)`` for women (Banister). Heart-rate TSS is
``100 x TRIMP / TRIMP(one hour at threshold HR)``; ``a`` cancels in that ratio but is kept in
the raw TRIMP reported beside it.

From a stream each sample contributes its own minute fraction, so surges weigh more than at
their average (the curve is convex): TRIMP from the average heart rate alone is a fallback
and runs lower for variable efforts. In a stream ``None``, NaN and 0 are dropouts (the strap
lost contact) and are skipped with their time; any other value outside 25..250 bpm is
corrupt data and raises ``TrainingInputError`` naming its index.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Literal

from lanterne_rouge.training._checks import positive, within
from lanterne_rouge.training.errors import TrainingInputError

Sex = Literal["male", "female"]

TRIMP_COEFFICIENTS: Mapping[Sex, tuple[float, float]] = {
    "male": (0.64, 1.92),
    "female": (0.86, 1.67),
}
"""Banister's ``(a, b)`` by sex."""

HEART_RATE_BPM = (25.0, 250.0)
"""Any measured heart rate outside this range is an error, not a reading."""

RESTING_HR_BPM = (25.0, 120.0)
MAX_HR_BPM = (100.0, 250.0)
THRESHOLD_HR_BPM = (80.0, 240.0)


def check_heart_rate(bpm: object, what: str) -> float:
    """A measured heart rate in ``HEART_RATE_BPM``."""
    return within(bpm, what, *HEART_RATE_BPM, "bpm")


def reserve_fraction(bpm: float, resting_hr: float, max_hr: float) -> float:
    """Heart-rate reserve fraction, clamped to 0..1."""
    fraction = (bpm - resting_hr) / (max_hr - resting_hr)
    return min(1.0, max(0.0, fraction))


def trimp_per_minute(fraction: float, sex: Sex) -> float:
    """Banister TRIMP of one minute at a heart-rate reserve fraction."""
    a, b = _coefficients(sex)
    return fraction * a * math.exp(b * fraction)


def trimp_from_stream(
    samples: Sequence[float | None],
    *,
    resting_hr: float,
    max_hr: float,
    sex: Sex,
    sample_seconds: float = 1.0,
) -> float | None:
    """TRIMP summed sample by sample; ``None`` when the stream has no readings."""
    resting, maximum = _check_range(resting_hr, max_hr)
    minutes = positive(sample_seconds, "sample_seconds") / 60.0
    a, b = _coefficients(sex)
    total = 0.0
    readings = 0
    for index, sample in enumerate(samples):
        if sample is None or sample == 0 or (isinstance(sample, float) and math.isnan(sample)):
            continue
        fraction = reserve_fraction(
            check_heart_rate(sample, f"heart rate sample {index}"), resting, maximum
        )
        total += fraction * a * math.exp(b * fraction)
        readings += 1
    return total * minutes if readings else None


def trimp_from_average(
    average_hr: float, seconds: float, *, resting_hr: float, max_hr: float, sex: Sex
) -> float:
    """TRIMP from the average heart rate and duration (Banister's original form)."""
    resting, maximum = _check_range(resting_hr, max_hr)
    bpm = check_heart_rate(average_hr, "average_hr")
    minutes = positive(seconds, "duration_seconds") / 60.0
    return minutes * trimp_per_minute(reserve_fraction(bpm, resting, maximum), sex)


def threshold_hour_trimp(
    *, threshold_hr: float, resting_hr: float, max_hr: float, sex: Sex
) -> float:
    """TRIMP of one hour at threshold heart rate: the 100 points of heart-rate TSS."""
    resting, maximum = _check_range(resting_hr, max_hr)
    threshold = _check_threshold(threshold_hr, resting, maximum)
    return 60.0 * trimp_per_minute(reserve_fraction(threshold, resting, maximum), sex)


def check_hr_thresholds(
    *, resting_hr: float | None, max_hr: float | None, threshold_hr: float | None
) -> None:
    """Check the heart rates that are known: each plausible, and in order when comparable."""
    if resting_hr is not None and max_hr is not None:
        resting, maximum = _check_range(resting_hr, max_hr)
        if threshold_hr is not None:
            _check_threshold(threshold_hr, resting, maximum)
        return
    for value, name, bounds in (
        (resting_hr, "resting_hr", RESTING_HR_BPM),
        (max_hr, "max_hr", MAX_HR_BPM),
        (threshold_hr, "threshold_hr", THRESHOLD_HR_BPM),
    ):
        if value is not None:
            within(value, name, *bounds, "bpm")


def hr_tss(
    trimp: float, *, threshold_hr: float, resting_hr: float, max_hr: float, sex: Sex
) -> float:
    """Heart-rate TSS: TRIMP as a share of one hour at threshold, times 100."""
    hour = threshold_hour_trimp(
        threshold_hr=threshold_hr, resting_hr=resting_hr, max_hr=max_hr, sex=sex
    )
    return 100.0 * trimp / hour


def _check_range(resting_hr: float, max_hr: float) -> tuple[float, float]:
    resting = within(resting_hr, "resting_hr", *RESTING_HR_BPM, "bpm")
    maximum = within(max_hr, "max_hr", *MAX_HR_BPM, "bpm")
    if resting >= maximum:
        raise TrainingInputError(f"resting_hr {resting_hr!r} must be below max_hr {max_hr!r}")
    return resting, maximum


def _check_threshold(threshold_hr: float, resting: float, maximum: float) -> float:
    threshold = within(threshold_hr, "threshold_hr", *THRESHOLD_HR_BPM, "bpm")
    if not resting < threshold < maximum:
        raise TrainingInputError(
            f"threshold_hr must lie between resting_hr {resting:g} and max_hr {maximum:g}, "
            f"got {threshold_hr!r}"
        )
    return threshold


def _coefficients(sex: str) -> tuple[float, float]:
    if sex not in TRIMP_COEFFICIENTS:
        raise TrainingInputError(f"sex must be 'male' or 'female', got {sex!r}")
    return TRIMP_COEFFICIENTS[sex]  # type: ignore[index]
