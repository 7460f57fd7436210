"""The day as HTML: fragments shared by the dashboard, and the self-contained daily report.

Every text from the store goes through ``html.escape``; the whole document also goes through
the log redactor, so a secret that slipped into a message (say, echoed by a model) never
reaches a page. The report is one file: styles inline, charts as inline SVG, no scripts.
"""

from __future__ import annotations

import os
from datetime import date
from html import escape
from pathlib import Path

import msgspec

from lanterne_rouge.day_view import DayView, days_to_go
from lanterne_rouge.messages import Evidence, Reflection
from lanterne_rouge.report.figures import pmc_svg, trends_svg
from lanterne_rouge.report.panels import FORM_BANDS, Marker
from lanterne_rouge.report.series import fitness_chart, recovery_trends, stage_table
from lanterne_rouge.utils.logger import redact_text

STYLE = """
.lr { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d1d1f;
  line-height: 1.45; }
.lr h2 { font-size: 1.05rem; margin: 0 0 .5rem; color: #444; text-transform: uppercase;
  letter-spacing: .04em; }
.lr-card { background: #fff; border: 1px solid #ddd; border-radius: 8px; padding: 1rem;
  margin: 0 0 1rem; }
.lr-grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(260px, 1fr));
  gap: 1rem; }
.lr-action { display: inline-block; font-size: 1.6rem; font-weight: 700; padding: .1rem .6rem;
  border-radius: 6px; color: #fff; background: #555; }
.lr-push { background: #1b7f3b; } .lr-maintain { background: #1f5fa8; }
.lr-ease { background: #b8860b; } .lr-recover { background: #c05621; }
.lr-rest { background: #a61b1b; }
.lr table { border-collapse: collapse; width: 100%; font-size: .9rem; }
.lr th, .lr td { text-align: left; padding: .2rem .4rem; border-bottom: 1px solid #eee; }
.lr-muted { color: #666; font-size: .85rem; }
.lr-demo { background: #fff3cd; border: 1px solid #e0c36a; padding: .5rem .8rem;
  border-radius: 6px; margin-bottom: 1rem; }
.lr-note { background: #fdecea; border: 1px solid #e5a29b; padding: .5rem .8rem;
  border-radius: 6px; margin-bottom: 1rem; }
.lr-bar { background: #eee; border-radius: 4px; height: 10px; overflow: hidden; }
.lr-bar > div { background: #1f5fa8; height: 10px; }
.lr-explanation { font-size: 1.1rem; }
.lr-chart { max-width: 100%; height: auto; }
"""


class Sections(msgspec.Struct, frozen=True):
    """The day's parts, each an HTML fragment; the dashboard lays them out, so does the report."""

    header: str
    decision: str
    explanation: str
    workout: str
    chart: str
    trends: str
    mission: str
    reflections: str
    usage: str
    stages: str = ""


def sections(view: DayView) -> Sections:
    return text_sections(view, chart=_safe(chart_html(view)), trends=_safe(trends_html(view)))


def text_sections(view: DayView, *, chart: str = "", trends: str = "") -> Sections:
    """The sections without the charts (the dashboard draws its own)."""
    return Sections(
        header=_safe(header_html(view)),
        decision=_safe(decision_html(view)),
        explanation=_safe(explanation_html(view)),
        workout=_safe(workout_html(view)),
        chart=chart,
        trends=trends,
        mission=_safe(mission_html(view)),
        reflections=_safe(reflections_html(view)),
        usage=_safe(usage_html(view)),
        stages=_safe(stages_html(view)),
    )


def _safe(fragment: str) -> str:
    return f'<div class="lr">{redact_text(fragment)}</div>' if fragment else ""


def header_html(view: DayView) -> str:
    parts = [
        f"<h1>Lanterne Rouge: {view.day.isoformat()}</h1>",
        f'<p class="lr-muted">Athlete {escape(view.athlete_id)}, attempt {view.attempt}</p>',
    ]
    if view.demo:
        parts.append(
            '<div class="lr-demo">DEMO DATA: the bundled example athlete, not yours.</div>'
        )
    parts += [f'<div class="lr-note">{escape(_capital(note))}</div>' for note in view.notes]
    return "".join(parts)


def decision_html(view: DayView) -> str:
    d = view.decision
    rows = "".join(_evidence_row(e) for e in d.evidence)
    flags = "".join(f"<li>{escape(f)}</li>" for f in d.flags)
    gaps = "".join(
        f"<li>{escape(g.signal)}: {escape(g.reason)}</li>" for g in view.observation.gaps
    )
    return (
        '<section class="lr-card" id="lr-decision"><h2>Decision</h2>'
        f'<span class="lr-action lr-{escape(d.action)}">{escape(d.action.upper())}</span>'
        f"<p>Rule <code>{escape(d.rule)}</code>: {escape(d.reason)}.</p>"
        "<table><thead><tr><th>Evidence</th><th>Value</th><th>Threshold</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
        + (f"<p>Notes:</p><ul>{flags}</ul>" if flags else "")
        + (f'<p class="lr-muted">Missing data:</p><ul class="lr-muted">{gaps}</ul>' if gaps else "")
        + "</section>"
    )


def _evidence_row(e: Evidence) -> str:
    value = "missing" if e.value is None else f"{e.value}{' ' + e.unit if e.unit else ''}"
    limit = "" if e.threshold is None else f"{e.threshold:g}"
    return f"<tr><td>{escape(e.name)}</td><td>{escape(value)}</td><td>{escape(limit)}</td></tr>"


def explanation_html(view: DayView) -> str:
    r = view.report
    via = f"{r.provider} ({r.model})"
    if r.fallback_reason:
        via = f"offline explainer ({r.fallback_reason})"
    return (
        '<section class="lr-card" id="lr-explanation"><h2>Why</h2>'
        f"<p><strong>{escape(r.headline)}</strong></p>"
        f'<p class="lr-explanation">{escape(r.explanation)}</p>'
        + (
            f'<p class="lr-week"><strong>Last week:</strong> {escape(r.week_summary)}</p>'
            if r.week_summary
            else ""
        )
        + f'<p class="lr-muted">Explained by {escape(via)}; the rules decided.</p></section>'
    )


def workout_html(view: DayView) -> str:
    w = view.plan.workout
    zones = f", zones {' '.join(w.zones)}" if w.zones else ""
    ahead = "".join(
        f"<tr><td>{p.day:%a %d %b}</td><td>{escape(p.workout.name)}</td>"
        f"<td>{p.workout.minutes}</td><td>{p.workout.tss_target:.0f}</td>"
        f"<td>{p.projected_tsb:+.1f}</td></tr>"
        for p in view.plan.days
    )
    return (
        '<section class="lr-card" id="lr-workout"><h2>Workout</h2>'
        f"<p><strong>{escape(w.name)}</strong>: {w.minutes} min, ~{w.tss_target:.0f} TSS"
        f"{escape(zones)}</p>"
        + (f"<p>{escape(w.description)}</p>" if w.description else "")
        + "<table><thead><tr><th>Day</th><th>Planned</th><th>min</th><th>TSS</th>"
        f"<th>form</th></tr></thead><tbody>{ahead}</tbody></table></section>"
    )


def chart_html(view: DayView) -> str:
    chart = fitness_chart(view)
    bands = "; ".join(f"{b.label} {_band_range(b.low, b.high)}" for b in FORM_BANDS)
    ramp = "n/a" if chart.ramp is None else f"{chart.ramp:+.1f}"
    to_go = (chart.event_day - view.day).days
    return (
        '<section class="lr-card" id="lr-pmc"><h2>Fitness, fatigue and form</h2>'
        f'<p class="lr-today">Today: fitness (CTL) {chart.ctl:.1f}, fatigue (ATL) '
        f"{chart.atl:.1f}, form (TSB) {chart.tsb:+.1f}, ramp {escape(ramp)} CTL in 7 days "
        f"(safe up to {chart.max_ramp:g}); target CTL {chart.target_ctl:g} on "
        f"{chart.event_day:%d %b %Y}"
        f"{f' ({to_go} days)' if to_go > 0 else ''}.</p>"
        f"{pmc_svg(chart)}"
        f'<p class="lr-muted">Last {len(chart.past)} days, then the plan (dashed, pale bars) '
        f"to the event's start. Form bands: {escape(bands)}.</p></section>"
    )


def _band_range(low: float | None, high: float | None) -> str:
    if low is None:
        return f"below {high:g}"
    if high is None:
        return f"above {low:g}"
    return f"{low:g} to {high:g}"


def trends_html(view: DayView) -> str:
    svg = trends_svg(recovery_trends(view), Marker(view.day, "today", css="lr-marker lr-today"))
    return (
        '<section class="lr-card" id="lr-trends"><h2>Recovery trends</h2>'
        f"{svg}"
        '<p class="lr-muted">Shaded: the baseline each reading is judged against (HRV: its '
        "7-day mean against the 60-day normal range; resting HR: from its 30-day mean to "
        "elevated); readiness bands: the mission's thresholds.</p></section>"
    )


def stages_html(view: DayView) -> str:
    table = stage_table(view)
    if table is None:
        return ""
    rows = "".join(
        f"<tr><td>{r.stage.number}</td><td>{r.stage_day:%a %d %b}</td>"
        f"<td>{escape(r.stage.type)}</td><td>{escape(r.mode)}</td><td>{r.points}</td>"
        f"<td>{escape(r.reason)}</td></tr>"
        for r in table.results
    )
    bonuses = "".join(
        f'<tr><td colspan="4">bonus: {escape(name)}</td><td>{points}</td><td></td></tr>'
        for name, points in table.bonuses
    )
    body = (
        "<table><thead><tr><th>Stage</th><th>Day</th><th>Type</th><th>Ride</th><th>Points</th>"
        f"<th>How</th></tr></thead><tbody>{rows}{bonuses}</tbody></table>"
        if rows or bonuses
        else '<p class="lr-muted">No stage scored yet.</p>'
    )
    return (
        '<section class="lr-card" id="lr-stages"><h2>Stage race</h2>'
        f'<p>Points so far: <strong class="lr-points">{table.points}</strong> '
        f"({len(table.results)} stages scored, {table.stage_points} from stages, "
        f"{table.points - table.stage_points} from bonuses)</p>{body}</section>"
    )


def mission_html(view: DayView) -> str:
    s = view.status
    progress = 0.0 if s.target_ctl <= 0 else min(s.current_ctl / s.target_ctl, 1.0)
    ramp = (
        f"<li>Ramp needed: {s.ramp_needed:+.1f} CTL/week (safe up to {s.max_weekly_ramp:g})"
        f"{'' if s.ramp_safe else ': faster than safe'}</li>"
        if s.ramp_needed is not None
        else ""
    )
    stage = (
        f"<li>Today: stage {s.stage.number} ({escape(s.stage.type)}"
        f"{', ' + escape(s.stage.name) if s.stage.name else ''})</li>"
        if s.stage
        else ""
    )
    return (
        '<section class="lr-card" id="lr-mission"><h2>Mission</h2>'
        f"<p><strong>{escape(s.mission_name)}</strong></p><ul>"
        f"<li>Phase: {escape(s.phase)}</li><li>{escape(days_to_go(s.days_to_go))}</li>"
        f"<li>Fitness (CTL): {s.current_ctl:.1f} of {s.target_ctl:g} wanted on the start day</li>"
        f"{ramp}{stage}{'<li>Rest day of the event</li>' if s.rest_day else ''}</ul>"
        f'<div class="lr-bar" title="CTL against target"><div style="width:{progress:.0%}">'
        "</div></div></section>"
    )


def reflections_html(view: DayView) -> str:
    if not view.reflections:
        items = '<p class="lr-muted">No weekly reflection yet (written on Mondays).</p>'
    else:
        items = "<ul>" + "".join(_reflection(r) for r in view.reflections) + "</ul>"
    return f'<section class="lr-card" id="lr-reflections"><h2>Reflections</h2>{items}</section>'


def _reflection(r: Reflection) -> str:
    compliance = "n/a" if r.compliance is None else f"{r.compliance:.0%}"
    actions = ", ".join(f"{k} {v}" for k, v in sorted(r.actions.items()))
    notes = "".join(f"<br><span class='lr-muted'>{escape(n)}</span>" for n in r.notes)
    return (
        f"<li>Week {r.week_start:%d %b} to {r.week_end:%d %b}: load {r.actual_load:.0f} of "
        f"{r.planned_load:.0f} planned ({escape(compliance)}); {escape(actions)}{notes}</li>"
    )


def usage_html(view: DayView) -> str:
    u = view.usage
    cost = f"${u.cost_usd:.4f}"
    if u.unknown_cost:
        cost += f" + {u.unknown_cost} call(s) of unknown cost"
    return (
        f'<section class="lr-card" id="lr-usage"><h2>LLM usage {escape(u.month)}</h2>'
        f"<ul><li>Explanations requested: {u.calls} ({u.fallbacks} fell back to offline)</li>"
        f"<li>Refused before sending (budget, size, price): {u.skipped}</li>"
        f"<li>Tokens: {u.input_tokens} in, {u.output_tokens} out</li>"
        f"<li>Cost: {escape(cost)}</li></ul></section>"
    )


def render_report(view: DayView) -> str:
    """The whole day as one self-contained HTML document."""
    s = sections(view)
    title = f"Lanterne Rouge {view.day.isoformat()}: {view.decision.action.upper()}"
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{STYLE}"
        "body { margin: 0 auto; max-width: 1100px; padding: 1rem; background: #f6f6f4; }"
        "</style></head><body>"
        f"{s.header}"
        f'<div class="lr-grid">{s.decision}{s.explanation}{s.workout}</div>'
        f"{s.chart}"
        f'<div class="lr-grid">{s.trends}{s.mission}</div>'
        f"{s.stages}"
        f'<div class="lr-grid">{s.reflections}{s.usage}</div>'
        "</body></html>\n"
    )


def report_path(output_dir: Path, athlete_id: str, day: date) -> Path:
    """``report-ATHLETE-YYYY-MM-DD.html``: two athletes' reports never overwrite each other."""
    return output_dir / f"report-{athlete_id}-{day.isoformat()}.html"


def write_report(view: DayView, output_dir: Path) -> Path:
    """Write ``report-ATHLETE-YYYY-MM-DD.html`` atomically (a reader never sees half a file)."""
    path = report_path(output_dir, view.athlete_id, view.day)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        partial.write_text(render_report(view), encoding="utf-8")
        partial.replace(path)
    except OSError as exc:
        partial.unlink(missing_ok=True)  # a full disk leaves no half file behind
        raise OSError(exc.errno, exc.strerror, str(path)) from exc
    return path


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
