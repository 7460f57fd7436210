"""What a number means to an athlete: the bands the narrator names and the answer check uses.

These are descriptions, not decisions (the rules in ``agents/reasoning_agent.py`` decide with
the mission's thresholds). Form follows the usual performance-management reading of TSB;
readiness the Oura score's; sleep and the two heart signals the common rules of thumb.
"""

from __future__ import annotations

from typing import Literal

import msgspec

Tone = Literal["good", "neutral", "poor"]


class Band(msgspec.Struct, frozen=True):
    label: str
    tone: Tone


def form_band(tsb: float) -> Band:
    if tsb >= 15:
        return Band("very fresh, rested well beyond training", "good")
    if tsb >= 5:
        return Band("fresh", "good")
    if tsb >= -10:
        return Band("neutral, neither fresh nor fatigued", "neutral")
    if tsb >= -30:
        return Band("fatigued, in the optimal-training band", "poor")
    return Band("very fatigued, overreaching", "poor")


def readiness_band(score: int) -> Band:
    if score >= 85:
        return Band("excellent", "good")
    if score >= 70:
        return Band("good", "good")
    if score >= 45:
        return Band("fair", "neutral")
    return Band("poor", "poor")


def sleep_band(hours: float) -> Band:
    if hours >= 7:
        return Band("enough sleep", "good")
    if hours >= 6:
        return Band("a little short", "neutral")
    return Band("short night", "poor")


def hrv_band(drop_pct: float) -> Band:
    """``drop_pct``: how far HRV is under its baseline (negative: above it)."""
    if drop_pct >= 15:
        return Band("suppressed", "poor")
    if drop_pct >= 7:
        return Band("a little low", "neutral")
    return Band("normal", "good")


def hrv_status_band(status: str | None) -> Band | None:
    """The 7-day level against its 60-day band, as the rules judge it; None when not judged."""
    return {
        "low": Band("under its normal band", "poor"),
        "normal": Band("within its normal band", "good"),
        "high": Band("above its normal band", "good"),
    }.get(status or "")


def resting_hr_band(rise_bpm: float) -> Band:
    if rise_bpm >= 5:
        return Band("elevated", "poor")
    if rise_bpm >= 3:
        return Band("slightly up", "neutral")
    return Band("normal", "good")
