"""The facts a model may use to explain a decision, each with what it means to the athlete.

``day_facts`` gathers them once; the prompt shows their lines (``form -21.3: fatigued, in the
optimal-training band``) and the answer check (``ai/claims.py``) holds the answer to them: the
action, the tone of each signal, the numbers and the percentages that follow from them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import msgspec

from lanterne_rouge.ai.bands import (
    Band,
    Tone,
    form_band,
    hrv_band,
    hrv_status_band,
    readiness_band,
    resting_hr_band,
    sleep_band,
)
from lanterne_rouge.messages import Action, Decision, MissionStatus, Observation, Workout

if TYPE_CHECKING:
    from lanterne_rouge.ai.ai_clients import ExplainRequest

# Coggan's power zones in % of FTP: a zone the workout names makes its range quotable.
ZONE_PCT: dict[str, tuple[float, float]] = {
    "Z1": (0, 55),
    "Z2": (56, 75),
    "Z3": (76, 90),
    "Z4": (91, 105),
    "Z5": (106, 120),
    "Z6": (121, 150),
}


class Fact(msgspec.Struct, frozen=True):
    name: str
    value: str
    meaning: str = ""

    @property
    def line(self) -> str:
        return f"{self.name} {self.value}" + (f": {self.meaning}" if self.meaning else "")


class DayFacts(msgspec.Struct, frozen=True):
    """What is true of the day, for the prompt and for the check of the answer."""

    action: Action
    rule: str
    facts: tuple[Fact, ...]
    tones: dict[str, Tone] = msgspec.field(default_factory=dict)  # signal -> good / neutral / poor
    illness: bool = False
    percents: tuple[float, ...] = ()  # percentages that follow from the facts
    intensities: tuple[tuple[float, float], ...] = ()  # % of FTP ranges within the workout
    step_minutes: tuple[int, ...] = ()  # the workout's blocks, quotable as warm-up etc.

    @property
    def text(self) -> str:
        return "\n".join(f.line for f in self.facts)

    def value(self, name: str) -> str | None:
        return next((f.value for f in self.facts if f.name == name), None)


def day_facts(request: ExplainRequest) -> DayFacts:
    decision, obs, plan = request.decision, request.observation, request.plan
    facts = [Fact("action", decision.action, decision.reason)]
    tones: dict[str, Tone] = {}

    def signal(name: str, shown: str, band: Band, key: str) -> None:
        facts.append(Fact(name, shown, band.label))
        tones[key] = band.tone

    if obs.readiness_score is not None:
        signal("readiness", str(obs.readiness_score), readiness_band(obs.readiness_score), "ready")
    else:
        facts.append(Fact("readiness", "missing", _missing(obs)))
    signal("form", f"{obs.tsb:+.1f}", form_band(obs.tsb), "form")
    facts.append(Fact("fitness", f"{obs.ctl:.1f}"))
    facts.append(Fact("fatigue", f"{obs.atl:.1f}"))
    if obs.sleep_hours is not None:
        signal("sleep", f"{obs.sleep_hours:.1f} h", sleep_band(obs.sleep_hours), "sleep")
    drop, rise = hrv_drop(obs), rhr_rise(obs)
    if drop is not None:
        shown, band = hrv_signal(obs, drop)
        signal("HRV", shown, band, "hrv")
    if rise is not None:
        signal("resting HR", f"{rise:+.0f} bpm vs baseline", resting_hr_band(rise), "rhr")
    facts.append(Fact("yesterday", f"{obs.yesterday_load:.0f} TSS"))
    facts.append(Fact("workout", workout_line(plan.workout)))
    facts.append(Fact("goal", goal_line(request.status)))
    if len(plan.days) > 1:
        facts.append(Fact("tomorrow", plan.days[1].workout.name))
    illness = decision.rule == "illness_signs" or (tones.get("hrv") == tones.get("rhr") == "poor")
    return DayFacts(
        action=decision.action,
        rule=decision.rule,
        facts=tuple(facts),
        tones=tones,
        illness=illness,
        percents=derived_percents(decision, drop),
        intensities=intensities(plan.workout),
        step_minutes=tuple(s.minutes for s in plan.workout.steps),
    )


def _missing(obs: Observation) -> str:
    days = obs.days_without_recovery
    if days is None:
        return "no recovery data at all"
    return f"no recovery data for {days} day{'' if days == 1 else 's'}"


def hrv_drop(obs: Observation) -> float | None:
    """How far HRV is under its 60-day mean, in %: the 7-day level the rules judge when the
    observation has one, else last night's reading (an observation stored before the 7-day
    level existed)."""
    level = obs.hrv_7day if obs.hrv_7day is not None else obs.hrv_rmssd
    if level is None or not obs.hrv_baseline:
        return None
    return round(100 * (1 - level / obs.hrv_baseline), 1)


def hrv_signal(obs: Observation, drop: float) -> tuple[str, Band]:
    """The HRV fact as shown, and its band: the rules' own status of the 7-day level when
    there is one, so the explanation never calls low what the decision judged normal."""
    side = f"{drop:.0f}% under" if drop >= 0 else f"{-drop:.0f}% above"
    if obs.hrv_7day is None:
        return f"{side} baseline", hrv_band(drop)
    return f"7-day level {side} baseline", hrv_status_band(obs.hrv_status) or hrv_band(drop)


def rhr_rise(obs: Observation) -> float | None:
    if obs.resting_hr is None or obs.resting_hr_baseline is None:
        return None
    return round(obs.resting_hr - obs.resting_hr_baseline, 1)


def workout_line(workout: Workout) -> str:
    if not workout.minutes:
        return workout.name
    parts = [f"{workout.name}, {workout.minutes} min, {workout.tss_target:.0f} TSS"]
    if workout.zones:
        parts.append("zones " + "/".join(workout.zones))
    top = max((s.pct_ftp for s in workout.steps), default=None)
    if top is not None:
        parts.append(f"up to {top:.0f}% FTP")
    return ", ".join(parts)


def goal_line(status: MissionStatus) -> str:
    if status.stage is not None:
        return f"stage {status.stage.number} ({status.stage.type}) of {status.mission_name}"
    if status.rest_day:
        return f"rest day of {status.mission_name}"
    if status.days_to_go > 0:
        days = "1 day" if status.days_to_go == 1 else f"{status.days_to_go} days"
        return f"{days} to {status.mission_name} ({status.phase} phase)"
    return f"{status.phase} phase of {status.mission_name}"


def derived_percents(decision: Decision, drop: float | None) -> tuple[float, ...]:
    """Percentages an answer may quote: the HRV drop, a ratio (compliance) as a percentage."""
    points = [] if drop is None else [abs(drop)]
    for e in decision.evidence:
        if isinstance(e.value, float) and 0 <= e.value <= 1.5:
            points.append(round(100 * e.value, 1))
        if e.unit == "%" and isinstance(e.value, int | float):
            points.append(abs(float(e.value)))
    return tuple(points)


def intensities(workout: Workout) -> tuple[tuple[float, float], ...]:
    """% of FTP an answer may quote: each step's, and the range of each zone the workout
    names, cut at its hardest step."""
    steps = [s.pct_ftp for s in workout.steps]
    top = max(steps, default=None)
    ranges = [(p, p) for p in steps]
    for zone in workout.zones:
        lo, hi = ZONE_PCT.get(zone.upper(), (0.0, -1.0))
        hi = hi if top is None else min(hi, top)
        if lo <= hi:
            ranges.append((lo, hi))
    return tuple(ranges)
