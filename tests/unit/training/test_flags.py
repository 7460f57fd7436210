"""Load flags are soft warnings that carry their evidence."""

from __future__ import annotations

from datetime import date

import pytest

from lanterne_rouge.training import FitnessPoint, pmc
from lanterne_rouge.training.flags import LoadFlagSettings, load_flags, raised_flags

DAY = date(2025, 6, 1)


def _point(ctl: float, atl: float, ramp: float | None) -> FitnessPoint:
    return FitnessPoint(
        day=DAY, load=0.0, fatigue_load=0.0, ctl=ctl, atl=atl, tsb=ctl - atl, ramp_rate=ramp
    )


def test_every_check_is_returned_with_value_and_threshold() -> None:
    ramp, ratio = load_flags(_point(ctl=50.0, atl=60.0, ramp=4.0))
    assert (ramp.name, ramp.status, ramp.value, ramp.threshold) == ("ramp_rate", "clear", 4.0, 8.0)
    assert (ratio.name, ratio.status, ratio.threshold) == ("acute_chronic_ratio", "clear", 1.5)
    assert ratio.value == pytest.approx(1.2)
    assert {ramp.severity, ratio.severity} == {"warning"}
    assert raised_flags(_point(ctl=50.0, atl=60.0, ramp=4.0)) == ()


def test_fast_ramp_raises_a_warning_with_its_evidence() -> None:
    [flag] = raised_flags(_point(ctl=50.0, atl=60.0, ramp=9.5))
    assert (flag.name, flag.value, flag.threshold, flag.raised) == ("ramp_rate", 9.5, 8.0, True)
    assert flag.reason == "CTL rose 9.5 points in 7 days, above the 8 a week guide"


def test_acute_chronic_ratio_is_atl_over_ctl() -> None:
    [flag] = raised_flags(_point(ctl=40.0, atl=64.0, ramp=2.0))
    assert (flag.name, flag.value, flag.threshold) == ("acute_chronic_ratio", 1.6, 1.5)
    assert flag.reason == "ATL/CTL 64.0/40.0 = 1.60, above the 1.5 guide"


def test_ratio_on_a_small_ctl_is_not_evaluated() -> None:
    _, ratio = load_flags(_point(ctl=4.0, atl=30.0, ramp=3.0))
    assert (ratio.status, ratio.value, ratio.raised) == ("not_evaluated", None, False)
    assert "too little history" in ratio.reason


def test_unknown_ramp_is_not_evaluated() -> None:
    ramp, _ = load_flags(_point(ctl=50.0, atl=50.0, ramp=None))
    assert (ramp.status, ramp.value) == ("not_evaluated", None)


def test_thresholds_are_parameters() -> None:
    settings = LoadFlagSettings(max_ramp_rate=3.0, max_acute_chronic_ratio=1.1)
    names = [f.name for f in raised_flags(_point(ctl=50.0, atl=60.0, ramp=4.0), settings)]
    assert names == ["ramp_rate", "acute_chronic_ratio"]


def test_real_return_to_training_raises_the_ratio_but_not_the_ramp(
    wellness_rows: list[dict[str, str]],
) -> None:
    """2025-01-07 has the steepest ramp of the export (4.97) and ATL twice CTL."""
    loads = {date.fromisoformat(r["date"]): float(r["ctlLoad"]) for r in wellness_rows}
    fatigue = {date.fromisoformat(r["date"]): float(r["atlLoad"]) for r in wellness_rows}
    points = {p.day: p for p in pmc(loads, fatigue_loads=fatigue)}
    ramp, ratio = load_flags(points[date(2025, 1, 7)])
    assert ramp.status == "clear"
    assert ramp.value == pytest.approx(4.97, abs=0.01)
    assert ratio.status == "raised"
    assert ratio.value == pytest.approx(34.66 / 16.02, abs=0.01)
    assert not any(f.name == "ramp_rate" for p in points.values() for f in raised_flags(p))
