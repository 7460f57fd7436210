"""The deterministic offline explainer: a few sentences written for the athlete, not the log.

What to do today and how it should feel; why, from the signals and what changed since
yesterday; why it matters for the goal (saving the legs in a stage race, the taper before an
event) and what comes next. The printout already shows the rule and the workout line, so they
are not restated. Wording varies with the calendar day (replay stays bit-exact: the same day
always reads the same) and consecutive days never open alike.

It is the default narrator and the fallback whenever a model cannot be used.
"""

from __future__ import annotations

from datetime import date

from lanterne_rouge.ai.bands import form_band, readiness_band, sleep_band
from lanterne_rouge.ai.facts import hrv_drop, rhr_rise
from lanterne_rouge.ai.offline_phrases import FEEL, OPENINGS, WHY_GOAL
from lanterne_rouge.messages import Decision, MissionStatus, Observation, Plan, Reflection
from lanterne_rouge.wording import plural

OFFLINE_PROVIDER = "offline"
OFFLINE_MODEL = "rules-v2"
OFFLINE_PROMPT_ID = "offline_explainer"
OFFLINE_WEEK_PROMPT_ID = "offline_week"
OFFLINE_PROMPT_VERSION = 2
MAX_CHARS = 400  # an explanation's cap, the model's answers' too (narration.Limits)


def signed(value: float) -> str:
    """Whole number with its sign; never ``-0`` or ``+0``."""
    whole = round(value)
    return "0" if whole == 0 else f"{whole:+d}"


def pick(options: tuple[str, ...], day: date, salt: int = 0) -> str:
    """One option per calendar day, cycling, so neighbouring days differ."""
    return options[(day.toordinal() + salt) % len(options)]


def offline_explanation(
    decision: Decision,
    plan: Plan,
    status: MissionStatus,
    obs: Observation,
    day: date | None = None,
) -> str:
    today = day or (plan.days[0].day if plan.days else date(2000, 1, 1))
    opening = pick(OPENINGS[decision.action], today)
    attacked = decision.ride_mode is not None and decision.action in ("push", "maintain")
    stage_ride = FEEL["stage_day"] if attacked else None  # a stage ridden in earnest
    feel = FEEL.get(decision.rule) or stage_ride or FEEL[decision.action]
    why, goal = _why(decision, obs, today), _goal(decision, status, today)
    nxt = _next(plan, status, today)
    # the fullest text within the answer cap, losing first what the printout also shows
    # (tomorrow's workout), then how the day should feel, then the goal
    for parts in (
        (f"{opening} {pick(feel, today, 3)}", why, goal, nxt),
        (f"{opening} {pick(feel, today, 3)}", why, goal),
        (opening, why, goal),
        (opening, why),
    ):
        text = " ".join(s for s in parts if s)
        if len(text) <= MAX_CHARS:
            return text
    return text


def _why(decision: Decision, obs: Observation, today: date) -> str:
    """The signals in plain words, with what yesterday did to them."""
    parts = []
    if obs.readiness_score is not None:
        parts.append(
            f"readiness is {obs.readiness_score} ({readiness_band(obs.readiness_score).label})"
        )
    elif obs.days_without_recovery is None:
        parts.append("there is no recovery data to go on")
    else:
        parts.append(
            f"there has been no recovery data for {plural(obs.days_without_recovery, 'day')}"
        )
    form = form_band(obs.tsb).label.split(",")[0]
    parts.append(f"form is {signed(obs.tsb)} ({form})")
    drop, rise = hrv_drop(obs), rhr_rise(obs)
    if drop is not None and obs.hrv_7day is not None:
        if obs.hrv_status == "low":
            parts.append(f"HRV's 7-day level is {drop:.0f}% under its usual level")
    elif drop is not None and drop >= 7:
        parts.append(f"HRV is {drop:.0f}% under its usual level")
    if rise is not None and rise >= 3:
        parts.append(f"resting HR is {rise:.0f} bpm up")
    if obs.sleep_hours is not None and obs.sleep_hours < 7:
        parts.append(
            f"sleep was short at {obs.sleep_hours:.1f} hours ({sleep_band(obs.sleep_hours).label})"
        )
    signals = ", ".join(parts[:-1]) + f" and {parts[-1]}" if len(parts) > 1 else parts[0]
    return f"{_yesterday(obs, today)} {signals}."


def _yesterday(obs: Observation, today: date) -> str:
    load = round(obs.yesterday_load)
    if load == 0:
        return pick(("After a day off the bike,", "With yesterday off,"), today, 1)
    if load >= 100:
        return pick(
            (f"Yesterday's big {load} TSS is still in the legs:", f"After {load} TSS yesterday,"),
            today,
            1,
        )
    return pick((f"After {load} TSS yesterday,", f"With {load} TSS ridden yesterday,"), today, 1)


def _goal(decision: Decision, status: MissionStatus, today: date) -> str:
    """Why today matters for the mission."""
    name = status.mission_name
    if status.stage is not None:
        return pick(WHY_GOAL["stage"], today, 2).format(name=name, n=status.stage.number)
    if status.rest_day:
        return pick(WHY_GOAL["rest_day"], today, 2).format(name=name)
    if status.phase == "taper" or decision.rule == "taper":
        days = plural(status.days_to_go, "day")
        return pick(WHY_GOAL["taper"], today, 2).format(name=name, days=days)
    if status.phase == "event":
        key = "event_day" if status.mission_kind == "single_event" else "event"
        return pick(WHY_GOAL[key], today, 2).format(name=name)
    if status.phase in ("recovery", "complete"):
        return pick(WHY_GOAL["after"], today, 2).format(name=name)
    if status.days_to_go > 0:
        days = plural(status.days_to_go, "day")
        key = "build_hold" if decision.action in ("ease", "recover", "rest") else "build"
        return pick(WHY_GOAL[key], today, 2).format(name=name, days=days)
    return ""


def _next(plan: Plan, status: MissionStatus, today: date) -> str:
    if status.days_to_go == 1:
        return f"Tomorrow is the big day: {status.mission_name}."
    if len(plan.days) < 2:
        return ""
    tomorrow = plan.days[1].workout
    if tomorrow.type == "rest" or tomorrow.minutes == 0:
        return pick(("Tomorrow is a day off.", "A day off follows tomorrow."), today, 4)
    name = tomorrow.name
    if name.lower().startswith("stage:"):
        name = f"the next stage ({name.partition(':')[2].strip()})"
    else:
        name = name[0].lower() + name[1:]
    return pick(
        ("Next up tomorrow: {}.", "Tomorrow's plan: {}.", "Coming tomorrow: {}."), today, 4
    ).format(name)


def offline_week(reflection: Reflection) -> str:
    """Two sentences on the week against its plan, from the reflection's facts."""
    r = reflection
    done = f"You rode {r.actual_load:.0f} TSS of the {r.planned_load:.0f} planned"
    if r.planned_load <= 0:
        first = f"You rode {r.actual_load:.0f} TSS; nothing was planned for the week."
    elif r.compliance is None:
        first = f"{done}; too few days were planned to judge the week by."
    elif r.compliance > 1.15:
        first = f"{done} ({r.compliance:.0%}): more than the plan asked."
    elif r.compliance >= 0.9:
        first = f"{done} ({r.compliance:.0%}): the week went as planned."
    elif r.compliance >= 0.7:
        first = f"{done} ({r.compliance:.0%}): most of the week got done."
    else:
        first = f"{done} ({r.compliance:.0%}), so this week starts gently to rebuild the habit."
    return f"{first} {_week_second(r)}"


def _week_second(r: Reflection) -> str:
    push, easy = r.after_push, r.after_recovery
    if push and easy and push.readiness is not None and easy.readiness is not None:
        if push.readiness < easy.readiness - 5:
            return (
                f"Readiness dropped to {push.readiness:.0f} after hard days against "
                f"{easy.readiness:.0f} after easy ones: the easy days are doing their job."
            )
        return (
            f"Readiness held at {push.readiness:.0f} after hard days: you absorbed the work well."
        )
    if r.form_planned is not None and r.form_actual is not None:
        gap = r.form_actual - r.form_planned
        side = "fresher" if gap > 0 else "more tired"
        if abs(gap) < 1:
            return f"Form ended at {signed(r.form_actual)}, right where the plan expected."
        return f"Form ended at {signed(r.form_actual)}, {side} than the plan expected."
    return "Keep the rhythm this week."
