"""A stage race coached as one: on a stage day the question is how to ride it, not whether.

The stage is ridden unless there are signs of illness (HRV under its band with resting HR up)
or readiness is under the rest threshold; resting then says what it costs in points. Otherwise
the ride mode follows recovery and form, with the form thresholds lowered by
``race_form_allowance`` for the fatigue a stage race is expected to build:

============  =======  ===================================================================
rule          action   when (first that holds)
============  =======  ===================================================================
stage_rest    rest     illness signs, or readiness under ``readiness_rest``
stage_survive ease     readiness under ``readiness_ease``, HRV low, resting HR up, recovery
                       data missing, or form under ``tsb_ease`` - allowance: the easiest
                       scoring mode (an easy ride that still finishes the stage)
stage_attack  push     readiness at ``readiness_push`` and form at ``tsb_push_min`` -
                       allowance or above: the hardest mode
stage_steady  maintain otherwise: the middle mode
============  =======  ===================================================================

Modes are the mission's ``[[scoring.modes]]``, hardest first; an unscored race uses
``race``, ``steady`` and ``survive``.
"""

from __future__ import annotations

from lanterne_rouge.agents.rules import (
    Facts,
    Rule,
    below,
    form_evidence,
    hrv_evidence,
    readiness_evidence,
    rhr_evidence,
)
from lanterne_rouge.messages import Evidence

UNSCORED_MODES = ("race", "steady", "survive")


def _on_stage(f: Facts) -> bool:
    return f.status.stage is not None


def _modes(f: Facts) -> tuple[str, ...]:
    return tuple(f.status.stage_points) or UNSCORED_MODES


def _race(f: Facts, threshold: float) -> float:
    return threshold - f.limits.race_form_allowance


def _illness(f: Facts) -> bool:
    return f.hrv_suppressed and f.rhr_elevated


def _must_rest(f: Facts) -> bool:
    return _illness(f) or below(f.obs.readiness_score, f.limits.readiness_rest)


def _tired(f: Facts) -> bool:
    return (
        below(f.obs.readiness_score, f.limits.readiness_ease)
        or f.hrv_suppressed
        or f.rhr_elevated
        or f.recovery_missing
        or below(f.obs.tsb, _race(f, f.limits.tsb_ease))
    )


def _fresh(f: Facts) -> bool:
    return (
        f.obs.readiness_score is not None
        and f.obs.readiness_score >= f.limits.readiness_push
        and f.obs.tsb >= _race(f, f.limits.tsb_push_min)
    )


def _stage(f: Facts) -> str:
    stage = f.status.stage
    return f"stage {stage.number} ({stage.type})" if stage else "the stage"


def _worth(f: Facts, mode: str) -> str:
    points = f.status.stage_points.get(mode)
    return "" if points is None else f" for {points} points"


def _cost(f: Facts) -> str:
    """What resting today costs: the stage's points, and the finisher bonus if still on."""
    best = max(f.status.stage_points.values(), default=0)
    bonus = f.status.finisher_bonus
    parts = [f"up to {best} points"] if best else []
    if bonus:
        parts.append(f"the finisher bonus ({bonus} points)")
    return " and ".join(parts) if parts else "the stage"


def _why_tired(f: Facts) -> str:
    if f.recovery_missing:
        return "recovery data is missing"
    if below(f.obs.readiness_score, f.limits.readiness_ease):
        return f"readiness {f.obs.readiness_score} is below {f.limits.readiness_ease}"
    if f.hrv_suppressed:
        return f.hrv_text
    if f.rhr_elevated:
        return f"resting HR is {f.rhr_rise} bpm above its baseline"
    return f"form {f.obs.tsb:+.1f} is below {_race(f, f.limits.tsb_ease):+.0f} (race-adjusted)"


def _stake(f: Facts) -> tuple[Evidence, ...]:
    stage = f.status.stage
    best = max(f.status.stage_points.values(), default=None)
    return (
        Evidence(name="stage", value=stage.number if stage else None),
        Evidence(name="points at stake", value=best),
    )


def _rest_reason(f: Facts) -> str:
    if _illness(f):
        why = f"{f.hrv_text} and resting HR is {f.rhr_rise} bpm up: signs of illness"
    else:
        why = f"readiness {f.obs.readiness_score} is below {f.limits.readiness_rest}"
    return f"{why}; resting {_stage(f)} costs {_cost(f)}"


def _rest_evidence(f: Facts) -> tuple[Evidence, ...]:
    if _illness(f):
        return (*_stake(f), hrv_evidence(f), rhr_evidence(f))
    return (*_stake(f), *readiness_evidence(f, f.limits.readiness_rest))


STAGE_RULES: tuple[Rule, ...] = (
    Rule(
        "stage_rest",
        "rest",
        lambda f: _on_stage(f) and _must_rest(f),
        _rest_reason,
        _rest_evidence,
    ),
    Rule(
        "stage_survive",
        "ease",
        lambda f: _on_stage(f) and _tired(f),
        lambda f: (
            f"{_why_tired(f)}: survive {_stage(f)}, ridden as {_modes(f)[-1]}"
            f"{_worth(f, _modes(f)[-1])}, the easiest effort that still finishes it"
        ),
        lambda f: (
            *_stake(f),
            *readiness_evidence(f, f.limits.readiness_ease),
            *form_evidence(f, _race(f, f.limits.tsb_ease)),
        ),
        lambda f: _modes(f)[-1],
    ),
    Rule(
        "stage_attack",
        "push",
        lambda f: _on_stage(f) and _fresh(f),
        lambda f: (
            f"readiness {f.obs.readiness_score} and form {f.obs.tsb:+.1f} are good for a stage "
            f"race: ride {_stage(f)} as {_modes(f)[0]}{_worth(f, _modes(f)[0])}"
        ),
        lambda f: (
            *_stake(f),
            *readiness_evidence(f, f.limits.readiness_push),
            *form_evidence(f, _race(f, f.limits.tsb_push_min)),
        ),
        lambda f: _modes(f)[0],
    ),
    Rule(
        "stage_steady",
        "maintain",
        _on_stage,
        lambda f: (
            f"recovery is fine but not fresh enough to attack: ride {_stage(f)} as "
            f"{_modes(f)[len(_modes(f)) // 2]}{_worth(f, _modes(f)[len(_modes(f)) // 2])}"
        ),
        lambda f: (
            *_stake(f),
            *readiness_evidence(f, f.limits.readiness_push),
            *form_evidence(f, _race(f, f.limits.tsb_push_min)),
        ),
        lambda f: _modes(f)[len(_modes(f)) // 2],
    ),
)
