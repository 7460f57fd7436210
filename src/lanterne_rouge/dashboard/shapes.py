"""Shapes and labels of the dashboard's figures, as plain Plotly layout dicts added in one
update: bands (ranges of value with a meaning), reference lines, today and the event."""

from __future__ import annotations

from datetime import date
from typing import Any

from lanterne_rouge.report.figures import EVENT_COLOR, TARGET_COLOR
from lanterne_rouge.report.panels import FORM_BANDS
from lanterne_rouge.report.series import FitnessChart


def _axes(fig: Any, row: int) -> tuple[str, str]:
    """The ("x2", "y3")-style references of a row's axes, for shapes and annotations."""
    sub = fig.get_subplot(row, 1)
    return sub.xaxis.plotly_name.replace("axis", ""), sub.yaxis.plotly_name.replace("axis", "")


def band(fig: Any, row: int, low: float, high: float, color: str, label: str = "") -> list[Any]:
    """A horizontal band across a row, as one shape (and its label): Plotly's ``add_hrect``
    does the same but takes a fifth of a second per band."""
    x, y = _axes(fig, row)
    shape = {
        "type": "rect",
        "xref": f"{x} domain",
        "yref": y,
        "x0": 0,
        "x1": 1,
        "y0": low,
        "y1": high,
        "fillcolor": color,
        "opacity": 0.5,
        "line": {"width": 0},
        "layer": "below",
    }
    if not label:
        return [shape, None]
    note = {
        "xref": f"{x} domain",
        "yref": y,
        "x": 1.01,
        "y": (low + high) / 2,
        "text": label,
        "showarrow": False,
        "xanchor": "left",
        "font": {"size": 10, "color": "#555"},
    }
    return [shape, note]


def marks(fig: Any, chart: FitnessChart) -> list[Any]:
    x1, y1 = _axes(fig, 1)
    parts: list[Any] = [
        {
            "type": "line",
            "xref": f"{x1} domain",
            "yref": y1,
            "x0": 0,
            "x1": 1,
            "y0": chart.target_ctl,
            "y1": chart.target_ctl,
            "line": {"color": TARGET_COLOR, "dash": "dashdot"},
        },
        {
            "xref": f"{x1} domain",
            "yref": y1,
            "x": 0.01,
            "y": chart.target_ctl,
            "text": f"target CTL {chart.target_ctl:g}",
            "showarrow": False,
            "yanchor": "bottom",
            "xanchor": "left",
            "font": {"color": TARGET_COLOR},
        },
    ]
    for form in FORM_BANDS:
        low = -60 if form.low is None else form.low
        parts += band(fig, 2, low, 60 if form.high is None else form.high, form.color, form.label)
    parts += band(fig, 3, chart.max_ramp, max(chart.max_ramp * 2, 15), "#f6c9c9")
    for day, text, color in (
        (chart.today, "today", "#333"),
        (chart.event_day, f"start: {chart.event_name}", EVENT_COLOR),
    ):
        parts.append(vline(day, color))
        parts.append(
            {
                "x": day,
                "xref": x1,
                "y": 1.0,
                "yref": "paper",
                "text": text,
                "showarrow": False,
                "font": {"color": color},
                "xanchor": "left" if day == chart.today else "right",
                "yanchor": "bottom",
                "yshift": 0 if day == chart.today else 14,
            }
        )
    return parts


def vline(day: date, color: str) -> dict[str, Any]:
    return {
        "type": "line",
        "xref": "x",
        "yref": "paper",
        "x0": day,
        "x1": day,
        "y0": 0,
        "y1": 1,
        "line": {"color": color, "dash": "dot", "width": 1},
    }


def place(fig: Any, parts: list[Any]) -> None:
    """Shapes (those with a ``type``) and annotations, added in one layout update."""
    shapes = [p for p in parts if p is not None and "type" in p]
    notes = [p for p in parts if p is not None and "type" not in p]
    fig.update_layout(
        shapes=[*fig.layout.shapes, *shapes], annotations=[*fig.layout.annotations, *notes]
    )
