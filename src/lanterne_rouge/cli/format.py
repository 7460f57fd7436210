"""How the command line shows a day and a stored message (pure text, no I/O)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lanterne_rouge.day_view import days_to_go
from lanterne_rouge.orchestrator import DayResult
from lanterne_rouge.wording import plural


def format_day(result: DayResult, log_path: Path) -> str:
    """The daily run's printout: decision, rule, workout, explanation."""
    obs, status, decision = result.observation, result.status, result.decision
    plan, report = result.plan, result.report
    label = (
        "  [DEMO DATA: the bundled example athlete, not yours]" if obs.data_label == "demo" else ""
    )
    lines = [
        f"Lanterne Rouge: {result.run.day} athlete {result.run.athlete_id}, "
        f"attempt {result.run.attempt}{label}",
        f"Mission:  {status.mission_name}: {status.phase} phase, "
        f"{days_to_go(status.days_to_go)}, CTL {status.current_ctl:.1f} (target "
        f"{status.target_ctl:.0f})",
        *(stage_line(r) for r in result.stage_results),
        *(
            [f"Points:   {status.points} after {status.stages_scored} stages"]
            if status.points is not None and status.stages_scored
            else []
        ),
        *([stake_line(status)] if status.stage is not None else []),
        f"Decision: {decision.action.upper()}  (rule: {decision.rule})"
        + (f", ride it {decision.ride_mode}" if decision.ride_mode else ""),
        "Evidence: " + "; ".join(evidence_text(e) for e in decision.evidence),
        f"Workout:  {plan.workout.name}: {plan.workout.minutes} min, "
        f"~{plan.workout.tss_target:.0f} TSS"
        + (f", zones {' '.join(plan.workout.zones)}" if plan.workout.zones else ""),
        f"Why:      {report.explanation}",
        *([f"Week:     {report.week_summary}"] if report.week_summary else []),
    ]
    if obs.not_counted:
        lines.append(f"Not counted yesterday: {not_counted_summary(obs.not_counted)}")
    lines.extend(f"Note:     {note}" for note in obs.warnings)
    lines.extend(f"Note:     {flag}" for flag in (*decision.flags, *plan.adjustments))
    via = report.provider if not report.fallback_reason else f"offline ({report.fallback_reason})"
    lines.append(f"Logged to {log_path} (explained by: {via})")
    return "\n".join(lines)


def stake_line(status: Any) -> str:
    """Today's stage and what it is worth: 'Stage 12 (mountain) today: breakaway 20, ...'."""
    stage = status.stage
    worth = ", ".join(f"{mode} {points}" for mode, points in status.stage_points.items())
    line = f"At stake: stage {stage.number} ({stage.type}) today"
    line += f": {worth} points" if worth else ""
    if status.finisher_bonus:
        line += f"; finisher bonus {status.finisher_bonus} still on"
    return line


def not_counted_summary(items: tuple[str, ...]) -> str:
    """'3 sessions (no power, heart rate or session RPE: 2; mobility loads nothing ...: 1)'."""
    reasons: dict[str, int] = {}
    for item in items:
        why = item.rsplit("): ", 1)[-1]
        reasons[why] = reasons.get(why, 0) + 1
    many = "session" if len(items) == 1 else "sessions"
    return f"{len(items)} {many} (" + "; ".join(f"{w}: {n}" for w, n in reasons.items()) + ")"


def evidence_text(e: Any) -> str:
    value = "missing" if e.value is None else f"{e.value}{e.unit and ' ' + e.unit}"
    limit = "" if e.threshold is None else f" (threshold {e.threshold:g})"
    return f"{e.name} {value}{limit}"


def stage_line(result: Any) -> str:
    return f"Stage {result.stage.number}: {result.mode}, {result.points} points ({result.reason})"


def reflection_text(r: Any) -> str:
    """A weekly reflection in a few lines."""
    compliance = "n/a" if r.compliance is None else f"{r.compliance:.0%}"
    on_planned = getattr(r, "done_on_planned_days", None)
    planned_part = "" if on_planned is None else f" ({on_planned:.0f} on planned days)"
    lines = [
        f"Week {r.week_start} .. {r.week_end}: planned {r.planned_load:.0f} TSS, done "
        f"{r.actual_load:.0f} TSS{planned_part}, compliance {compliance}",
        "Actions: " + (", ".join(f"{k} {v}" for k, v in sorted(r.actions.items())) or "none"),
        "Rules:   " + (", ".join(f"{k} {v}" for k, v in _most(r.rules)) or "none"),
    ]
    lines.extend(f"Note:    {note}" for note in r.notes)
    return "\n".join(lines)


def _most(counts: dict[str, int]) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def message_summary(payload: Any) -> str:
    kind = payload.kind
    if kind == "stage_result":
        return stage_line(payload)
    if kind == "observation":
        return f"readiness {payload.readiness_score}, CTL {payload.ctl}, TSB {payload.tsb}"
    if kind == "mission_status":
        points = f", {payload.points} points" if payload.points is not None else ""
        return f"{payload.phase}, {plural(payload.days_to_go, 'day')} to go{points}"
    if kind == "decision":
        return f"{payload.action} ({payload.rule})"
    if kind == "plan":
        return f"{payload.workout.name}, {payload.workout.tss_target:.0f} TSS"
    if kind == "coach_report":
        return str(payload.explanation)
    return f"week {payload.week_start}: compliance {payload.compliance}"
