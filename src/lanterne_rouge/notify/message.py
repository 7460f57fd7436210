"""The morning message: the decision, the explanation and the workout, as plain text."""

from __future__ import annotations

import msgspec

from lanterne_rouge.day_view import DELIVERY_LOOK_BACK, DayView, days_to_go, failure_notes
from lanterne_rouge.utils.logger import redact_text


class MorningMessage(msgspec.Struct, frozen=True):
    subject: str
    body: str


def compose(view: DayView) -> MorningMessage:
    """Pure: the message for the day in ``view``; secrets are masked, never sent."""
    d, w, s, r = view.decision, view.plan.workout, view.status, view.report
    demo = "[DEMO] " if view.demo else ""
    subject = f"{demo}Lanterne Rouge {view.day.isoformat()}: {d.action.upper()}, {w.name}"
    zones = f", zones {' '.join(w.zones)}" if w.zones else ""
    lines = [
        f"{d.action.upper()} today (rule: {d.rule})",
        "",
        r.explanation,
        *(["", f"Last week: {r.week_summary}"] if r.week_summary else []),
        "",
        f"Workout: {w.name}: {w.minutes} min, ~{w.tss_target:.0f} TSS{zones}",
    ]
    if w.description:
        lines.append(w.description)
    lines += [
        "",
        f"Mission: {s.mission_name}: {s.phase} phase, {days_to_go(s.days_to_go)}, "
        f"fitness (CTL) {s.current_ctl:.1f} of {s.target_ctl:g}",
    ]
    earlier = [x for x in view.deliveries if x.day < view.day]
    lines += [f"Note: {alert}" for alert in view.alerts]
    lines += [
        f"Note: {note}" for note in failure_notes(earlier, view.day, look_back=DELIVERY_LOOK_BACK)
    ]
    if view.demo:
        lines += ["", "DEMO DATA: the bundled example athlete, not yours."]
    return MorningMessage(redact_text(subject), redact_text("\n".join(lines)) + "\n")
