"""A standard deviation that is the same float as ``statistics.stdev``, found faster."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence

from lanterne_rouge.training.errors import TrainingInputError


def exact_stdev(values: Sequence[float]) -> float:
    """The sample standard deviation, the same float as ``statistics.stdev``: the square root,
    correctly rounded, of the exact variance (worked out in integers here; ``statistics``
    works it out in ``Fraction`` steps, several times slower)."""
    n = len(values)
    if n < 2:
        raise TrainingInputError("a standard deviation needs at least two values")
    if not all(map(math.isfinite, values)):
        return statistics.stdev(values)
    sizes = [abs(v) for v in values if v] or [1.0]
    bits = 53 - math.frexp(min(sizes))[1]  # fraction bits of the finest value: all are exact
    if not 0 <= bits <= 1000 or math.frexp(max(sizes))[1] + bits > 1000:
        return statistics.stdev(values)  # too far apart (or too tiny) for a float scale
    scale = 2.0**bits
    ints = [int(v * scale) for v in values]  # exact: a power of two only moves the point
    total = sum(ints)
    numerator = n * sum(i * i for i in ints) - total * total
    denominator = (n * (n - 1)) << (2 * bits)
    common = math.gcd(numerator, denominator)
    return _sqrt_of_fraction(numerator // common, denominator // common)


_SQRT_BITS = 2 * 53 + 3  # 53: a double's mantissa digits (sys.float_info.mant_dig)


def _sqrt_of_fraction(n: int, m: int) -> float:
    """sqrt(n / m) as a float, correctly rounded (round-to-odd on enough extra bits, as
    ``statistics`` does)."""
    q = (n.bit_length() - m.bit_length() - _SQRT_BITS) // 2
    if q >= 0:
        return float(_isqrt_rto(n, m << 2 * q) << q)
    return _isqrt_rto(n << -2 * q, m) / (1 << -q)


def _isqrt_rto(n: int, m: int) -> int:
    root = math.isqrt(n // m)
    return root | (root * root * m != n)


class ExactWindows:
    """``statistics.fmean`` and :func:`exact_stdev` of slices of one series, the same floats,
    from exact running sums: a slice costs a few integer operations, not a pass over it.

    Every value is a whole number of the finest value's last bit (one scale for the series),
    so the sums of the values and of their squares are exact integers; the mean is their sum
    correctly rounded (what ``fsum`` gives) over the count, the deviation the square root of
    the exact variance, correctly rounded, as ``exact_stdev`` finds it. A series too wide
    for one scale (or not finite) is worked out slice by slice the usual way."""

    def __init__(self, values: Sequence[float]) -> None:
        self.values = list(values)
        sizes = [abs(v) for v in self.values if v] or [1.0]
        finite = all(map(math.isfinite, self.values))
        self.bits = 53 - math.frexp(min(sizes))[1] if finite else -1
        if not 0 <= self.bits <= 1000 or math.frexp(max(sizes))[1] + self.bits > 1000:
            self.bits = -1  # the slow way, slice by slice
            return
        scale = 2.0**self.bits
        self._sums, self._squares = [0], [0]
        for v in self.values:
            i = int(v * scale)
            self._sums.append(self._sums[-1] + i)
            self._squares.append(self._squares[-1] + i * i)

    def mean(self, low: int, high: int) -> float:
        """``statistics.fmean(values[low:high])``."""
        if self.bits < 0:
            return statistics.fmean(self.values[low:high])
        return (self._sums[high] - self._sums[low]) / (1 << self.bits) / (high - low)

    def stdev(self, low: int, high: int) -> float:
        """``exact_stdev(values[low:high])``."""
        n = high - low
        if self.bits < 0 or n < 2:
            return exact_stdev(self.values[low:high])
        total = self._sums[high] - self._sums[low]
        numerator = n * (self._squares[high] - self._squares[low]) - total * total
        denominator = (n * (n - 1)) << (2 * self.bits)
        common = math.gcd(numerator, denominator)
        return _sqrt_of_fraction(numerator // common, denominator // common)
