"""The dashboard's interactive charts: Plotly figures over the same view model as the report.

Pure functions of ``report.series`` data (Plotly is imported here, only when the dashboard
runs). The fitness figure shares one date axis over three rows: fitness, fatigue and the
daily load (bars on their own axis) with the target and the event; form with its bands; the
ramp rate against the safe ramp. Hovering a day shows its CTL, ATL, TSB, ramp and load
together; range buttons show the last 6 weeks, 3 months, a year or everything.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from lanterne_rouge.dashboard.shapes import band, marks, place, vline
from lanterne_rouge.report.figures import (
    ATL_COLOR,
    CTL_COLOR,
    LEVEL_COLORS,
    LOAD_COLOR,
    RAMP_COLOR,
    TREND_COLORS,
    TSB_COLOR,
)
from lanterne_rouge.report.series import ChartDay, FitnessChart, Trend

RANGES = (("6 weeks", 42), ("3 months", 91), ("1 year", 365))
SHOWN_AT_FIRST = 91  # days of history in view when the page opens
HOVER = "%{x|%a %d %b %Y}<br>%{customdata[0]}<br>%{customdata[1]}<extra>%{customdata[2]}</extra>"


def _plotly() -> tuple[Any, Any]:
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    return go, make_subplots


def _custom(days: Sequence[ChartDay]) -> list[list[str]]:
    """The hover text of each day, formatted here as the report formats it."""
    return [
        [
            f"CTL {d.ctl:.1f} · ATL {d.atl:.1f} · TSB {d.tsb:+.1f}",
            f"ramp {'n/a' if d.ramp is None else f'{d.ramp:+.1f}'} · load {d.load:.0f} TSS",
            "planned" if d.planned else "done",
        ]
        for d in days
    ]


def fitness_figure(chart: FitnessChart) -> Any:
    go, make_subplots = _plotly()
    fig = make_subplots(
        rows=3,
        cols=1,
        shared_xaxes=True,
        row_heights=[0.55, 0.28, 0.17],
        vertical_spacing=0.04,
        specs=[[{"secondary_y": True}], [{}], [{}]],
        subplot_titles=("Fitness (CTL), fatigue (ATL) and daily load", "Form (TSB)", "Ramp rate"),
    )
    past, ahead = list(chart.past), list(chart.ahead)
    joined = past[-1:] + ahead  # the projection starts from the last known day
    for days, name, style in ((past, "done", {}), (ahead, "planned", {"opacity": 0.35})):
        fig.add_trace(
            go.Bar(
                x=[d.day for d in days],
                y=[d.load for d in days],
                name=f"load {name}",
                marker_color=LOAD_COLOR,
                hoverinfo="skip",
                **style,
            ),
            row=1,
            col=1,
            secondary_y=True,
        )
    for days, dash, tag in ((past, "solid", ""), (joined, "dash", " planned")):
        x, custom = [d.day for d in days], _custom(days)
        fig.add_trace(
            go.Scatter(
                x=x,
                y=[d.ctl for d in days],
                name=f"CTL fitness{tag}",
                mode="lines",
                line={"color": CTL_COLOR, "dash": dash, "width": 2.5},
                customdata=custom,
                hovertemplate=HOVER,
            ),
            row=1,
            col=1,
        )
        fig.add_trace(
            go.Scatter(
                x=x,
                y=[d.atl for d in days],
                name=f"ATL fatigue{tag}",
                mode="lines",
                line={"color": ATL_COLOR, "dash": dash},
                hoverinfo="skip",
            ),
            row=1,
            col=1,
        )
        fig.add_trace(
            go.Scatter(
                x=x,
                y=[d.tsb for d in days],
                name=f"TSB form{tag}",
                mode="lines",
                line={"color": TSB_COLOR, "dash": dash},
                customdata=custom,
                hovertemplate=HOVER,
                showlegend=False,
            ),
            row=2,
            col=1,
        )
    fig.add_trace(
        go.Scatter(
            x=[d.day for d in past],
            y=[d.ramp for d in past],
            name="ramp rate",
            line={"color": RAMP_COLOR},
            hovertemplate="%{x|%d %b}: ramp %{y:+.1f} CTL in 7 days<extra></extra>",
            showlegend=False,
        ),
        row=3,
        col=1,
    )
    place(fig, marks(fig, chart))
    _layout(fig, chart)
    return fig


def _layout(fig: Any, chart: FitnessChart) -> None:
    tsb = [d.tsb for d in chart.days]
    first = (
        max(chart.days[0].day, chart.today - timedelta(days=SHOWN_AT_FIRST))
        if chart.days
        else chart.today
    )
    last = max(chart.event_day, chart.days[-1].day if chart.days else chart.today)
    fig.update_layout(
        height=720,
        margin={"l": 50, "r": 110, "t": 60, "b": 30},
        hovermode="x",
        legend={"orientation": "h", "y": -0.06},
        bargap=0.3,
        plot_bgcolor="#fff",
        font={"family": "system-ui, sans-serif", "size": 12},
    )
    fig.update_xaxes(range=[first, last + timedelta(days=1)], showspikes=True, spikemode="across")
    fig.update_xaxes(
        rangeselector={
            "buttons": [
                {"count": n, "label": label, "step": "day", "stepmode": "backward"}
                for label, n in RANGES
            ]
            + [{"label": "all", "step": "all"}]
        },
        row=1,
        col=1,
    )
    fig.update_yaxes(title_text="TSS/day", row=1, col=1, secondary_y=False)
    loads = [d.load for d in chart.days] or [100.0]
    fig.update_yaxes(  # the bars keep to the lower part, under the lines
        title_text="load (TSS)",
        range=[0, max(loads) * 2.2],
        row=1,
        col=1,
        secondary_y=True,
        showgrid=False,
    )
    low, high = (min(tsb), max(tsb)) if tsb else (-35, 30)
    fig.update_yaxes(range=[min(low, -35) - 3, max(high, 30) + 3], row=2, col=1)
    fig.update_yaxes(title_text="CTL/7d", row=3, col=1)


def trends_figure(trends: Sequence[Trend], today: date) -> Any:
    go, make_subplots = _plotly()
    titles = [f"{t.name} ({t.unit})" if t.unit else t.name for t in trends]
    fig = make_subplots(rows=len(trends), cols=1, shared_xaxes=True, subplot_titles=titles)
    extra: list[Any] = []
    for row, t in enumerate(trends, start=1):
        color = TREND_COLORS.get(t.name, "#333")
        if t.band:
            fig.add_trace(
                go.Scatter(
                    x=[d for d, _, _ in t.band],
                    y=[hi for _, _, hi in t.band],
                    line={"width": 0},
                    showlegend=False,
                    hoverinfo="skip",
                ),
                row=row,
                col=1,
            )
            fig.add_trace(
                go.Scatter(
                    x=[d for d, _, _ in t.band],
                    y=[lo for _, lo, _ in t.band],
                    fill="tonexty",
                    fillcolor=_alpha(color),
                    line={"width": 0},
                    name=t.band_label,
                    hovertemplate="%{x|%d %b}: " + t.band_label + "<extra></extra>",
                ),
                row=row,
                col=1,
            )
        fig.add_trace(
            go.Scatter(
                x=[d for d, _ in t.values],
                y=[v for _, v in t.values],
                name=t.name,
                line={"color": color, "width": 1.2},
                connectgaps=False,
                hovertemplate="%{x|%a %d %b}: %{y:.0f} " + t.unit + "<extra>" + t.name + "</extra>",
            ),
            row=row,
            col=1,
        )
        if t.mean:
            fig.add_trace(
                go.Scatter(
                    x=[d for d, _ in t.mean],
                    y=[v for _, v in t.mean],
                    name=t.mean_label,
                    line={"color": color, "width": 2.5},
                    hovertemplate="%{x|%d %b}: %{y:.0f} "
                    + t.unit
                    + "<extra>"
                    + t.mean_label
                    + "</extra>",
                ),
                row=row,
                col=1,
            )
        for level in t.levels:
            low = 0 if level.low is None else level.low
            high = 100 if level.high is None else level.high
            color = LEVEL_COLORS.get(level.label, "#e4e4e4")
            extra += band(fig, row, low, high, color, level.label)
    extra.append(vline(today, "#333"))
    place(fig, extra)
    fig.update_layout(
        height=180 * len(trends) + 60,
        margin={"l": 50, "r": 90, "t": 40, "b": 30},
        hovermode="x",
        legend={"orientation": "h", "y": -0.08},
        plot_bgcolor="#fff",
        font={"family": "system-ui, sans-serif", "size": 12},
    )
    return fig


def _alpha(hex_color: str) -> str:
    r, g, b = (int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},0.2)"
