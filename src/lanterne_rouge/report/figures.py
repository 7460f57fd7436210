"""The report's two charts, drawn by ``chart`` from the view model in ``series``.

The fitness chart stacks four panels on one date axis, from the history's first shown day to
the event's start: the daily load (bars; planned days pale), fitness and fatigue with the
target fitness, form with its bands, and the ramp rate against the safe ramp. Markers show
today and the event; today's values are written at the end of the lines.
"""

from __future__ import annotations

from lanterne_rouge.report.chart import render
from lanterne_rouge.report.panels import (
    FORM_BANDS,
    Band,
    Bars,
    Label,
    Marker,
    Panel,
    Ribbon,
    Rule,
    Series,
)
from lanterne_rouge.report.series import FitnessChart, Trend

CTL_COLOR, ATL_COLOR, TSB_COLOR = "#1f5fa8", "#c2185b", "#d98200"
LOAD_COLOR, RAMP_COLOR, TARGET_COLOR, EVENT_COLOR = "#7a7a7a", "#2e7d6b", "#1b7f3b", "#a61b1b"
TREND_COLORS = {"Readiness": "#1b7f3b", "HRV": "#6a3fa0", "Resting HR": "#c2185b"}
LEVEL_COLORS = {"rest": "#f6c9c9", "recover": "#f8dcc0", "ease": "#f8e6bd", "push": "#cfe8cf"}


def pmc_svg(chart: FitnessChart) -> str:
    past, ahead = chart.past, chart.ahead
    last = past[-1] if past else None

    def line(field: str, label: str, color: str) -> tuple[Series, Series]:
        known = tuple((d.day, float(getattr(d, field))) for d in past)
        planned = tuple((d.day, float(getattr(d, field))) for d in ahead)
        if known and planned:  # join the projection to the last known day
            planned = (known[-1], *planned)
        return Series(label, known, color), Series(f"{label} planned", planned, color, True)

    def label(value: float, text: str, color: str, css: str) -> tuple[Label, ...]:
        return () if last is None else (Label(last.day, value, text, color, css),)

    load = Panel(
        "Daily load (TSS)",
        bars=(
            Bars("done", tuple((d.day, d.load) for d in past), LOAD_COLOR),
            Bars("planned", tuple((d.day, d.load) for d in ahead), LOAD_COLOR, planned=True),
        ),
        height=120,
    )
    fitness = Panel(
        "Fitness (CTL) and fatigue (ATL)",
        (*line("ctl", "CTL fitness", CTL_COLOR), *line("atl", "ATL fatigue", ATL_COLOR)),
        rules=(
            Rule(chart.target_ctl, f"target CTL {chart.target_ctl:g}", TARGET_COLOR, "lr-target"),
        ),
        labels=(
            *label(chart.ctl, f"CTL {chart.ctl:.1f}", CTL_COLOR, "lr-value lr-ctl"),
            *label(chart.atl, f"ATL {chart.atl:.1f}", ATL_COLOR, "lr-value lr-atl"),
        ),
    )
    form = Panel(
        "Form (TSB)",
        line("tsb", "TSB form", TSB_COLOR),
        bands=FORM_BANDS,
        include=(-35.0, 30.0),
        labels=label(chart.tsb, f"TSB {chart.tsb:+.1f}", TSB_COLOR, "lr-value lr-tsb"),
        height=170,
    )
    ramp_points = tuple((d.day, d.ramp) for d in past)
    ramp = Panel(
        "Ramp rate (CTL change over 7 days)",
        (Series("ramp rate", ramp_points, RAMP_COLOR),),
        bands=(Band(chart.max_ramp, None, "faster than safe", "#f6c9c9"),),
        include=(0.0, chart.max_ramp + 1),
        labels=()
        if chart.ramp is None
        else label(chart.ramp, f"ramp {chart.ramp:+.1f}", RAMP_COLOR, "lr-value lr-ramp"),
        height=120,
    )
    markers = (
        Marker(chart.today, "today", css="lr-marker lr-today"),
        Marker(chart.event_day, f"start: {chart.event_name}", EVENT_COLOR, "lr-marker lr-event", 1),
    )
    return render(
        (load, fitness, form, ramp), markers=markers, title="Performance management chart"
    )


def trends_svg(trends: tuple[Trend, ...], today_marker: Marker) -> str:
    panels = []
    for t in trends:
        color = TREND_COLORS.get(t.name, "#333")
        series = [Series(t.name, t.values, color, width=1.2)]
        if t.mean:
            series.append(Series(t.mean_label, tuple(t.mean), color, width=2.4))
        ribbons = (Ribbon(t.band_label, t.band, color),) if t.band else ()
        bands = tuple(
            Band(level.low, level.high, level.label, LEVEL_COLORS.get(level.label, "#e4e4e4"))
            for level in t.levels
        )
        title = f"{t.name} ({t.unit})" if t.unit else t.name
        limits = tuple(v for lv in t.levels for v in (lv.low, lv.high) if v is not None)
        panels.append(Panel(title, tuple(series), bands=bands, ribbons=ribbons, include=limits))
    return render(
        panels,
        markers=(today_marker,),
        title="Readiness, HRV and resting heart rate with their baselines",
        width=560,
        panel_height=140,
    )
