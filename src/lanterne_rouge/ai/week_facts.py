"""The facts of a week's reflection, as lines for the ``weekly_reflection`` prompt."""

from __future__ import annotations

from lanterne_rouge.messages import Reflection


def week_facts(reflection: Reflection) -> str:
    r = reflection
    lines = [
        f"week {r.week_start.isoformat()} to {r.week_end.isoformat()}",
        f"load done {r.actual_load:.0f} TSS of {r.planned_load:.0f} planned",
    ]
    if r.compliance is not None:
        lines.append(f"compliance {r.compliance:.0%}")
    days = ", ".join(f"{action} {n}" for action, n in sorted(r.actions.items()) if n)
    if days:
        lines.append(f"days: {days}")
    if r.after_push is not None and r.after_push.readiness is not None:
        lines.append(f"readiness the morning after push days {r.after_push.readiness:.0f}")
    if r.after_recovery is not None and r.after_recovery.readiness is not None:
        lines.append(f"readiness the morning after easy days {r.after_recovery.readiness:.0f}")
    if r.form_planned is not None and r.form_actual is not None:
        lines.append(f"form {r.form_actual:+.1f} against {r.form_planned:+.1f} planned")
    return "\n".join(lines)
