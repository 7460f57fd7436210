"""Input checks shared by the training modules; each raises ``TrainingInputError``."""

from __future__ import annotations

import math
from numbers import Real

from lanterne_rouge.training.errors import TrainingInputError


def real(value: object, what: str) -> float:
    """Return ``value`` as a finite float, or raise naming ``what``."""
    exact = type(value) is float or type(value) is int
    if not exact and (isinstance(value, bool) or not isinstance(value, Real)):
        raise TrainingInputError(f"{what} must be a number, got {value!r}")
    number = float(value)  # type: ignore[arg-type]
    if not math.isfinite(number):
        raise TrainingInputError(f"{what} must be finite, got {value!r}")
    return number


def non_negative(value: object, what: str) -> float:
    """Return ``value`` as a finite float >= 0, or raise naming ``what``."""
    number = real(value, what)
    if number < 0.0:
        raise TrainingInputError(f"{what} must be >= 0, got {value!r}")
    return number


def positive(value: object, what: str) -> float:
    """Return ``value`` as a finite float > 0, or raise naming ``what``."""
    number = real(value, what)
    if number <= 0.0:
        raise TrainingInputError(f"{what} must be > 0, got {value!r}")
    return number


def within(value: object, what: str, low: float, high: float, unit: str = "") -> float:
    """Return ``value`` as a float in ``[low, high]``, or raise naming ``what`` and the range."""
    number = real(value, what)
    if not low <= number <= high:
        suffix = f" {unit}" if unit else ""
        raise TrainingInputError(
            f"{what} must be between {low:g} and {high:g}{suffix}, got {value!r}"
        )
    return number
