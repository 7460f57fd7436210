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
    if bits < 0 or math.frexp(max(sizes))[1] + bits > 1000:
        return statistics.stdev(values)  # too far apart for a float scale: the slow way
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
