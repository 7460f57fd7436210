"""The dashboard: any stored athlete-day in a Gradio page, with interactive Plotly charts.

An athlete picker (when there are several) and a day picker over every stored day; the day's
decision with its rule, evidence and thresholds, the explanation, the workout and the plan;
the fitness chart (hover values, zoom, range buttons) with the plan's projection to the
event; recovery trends with their baselines; the stage race; the decision history; LLM
usage. It only reads the store (``data``) and never calls a model. Gradio and Plotly are an
optional extra, imported only when the dashboard starts; a missing extra or a busy port is
one line, said before anything else.
"""

from __future__ import annotations

import inspect
import os
import socket
from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from lanterne_rouge.dashboard.data import HISTORY_COLUMNS, MissionFor, page, stored_days
from lanterne_rouge.errors import ConfigError
from lanterne_rouge.memory.state_store import StateStore
from lanterne_rouge.report.html import STYLE
from lanterne_rouge.training.fitness import TsbConvention

if TYPE_CHECKING:
    import gradio as gr

INSTALL_HINT = "pip install 'lanterne-rouge[dashboard]'"
_HTML: tuple[str, ...] = ("header", "decision", "explanation", "workout", "mission", "stages")
_HTML += ("reflections", "usage")


def _gradio() -> Any:
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # no calls home
    try:
        import gradio
        import plotly  # noqa: F401  (the figures need it; say so now, not on first page)
    except ImportError as exc:
        raise ConfigError(f"the dashboard needs Gradio and Plotly: {INSTALL_HINT}") from exc
    return gradio


def build_app(
    store: StateStore,
    athletes: Sequence[str],
    *,
    mission_for: MissionFor,
    tsb_convention: TsbConvention = "previous_day",
) -> gr.Blocks:
    ui = _gradio()

    def days_of(athlete: str) -> list[str]:
        return [d.isoformat() for d in stored_days(store, athlete)]

    def render(athlete: str, day: str | None) -> list[Any]:
        the_day = date.fromisoformat(day) if day else None
        p = page(store, athlete, the_day, mission_for=mission_for, tsb_convention=tsb_convention)
        html = [getattr(p.sections, name) for name in _HTML]
        table = [list(row) for row in p.history]
        return [*html, p.fitness, p.trends, table]

    first = athletes[0]
    with ui.Blocks(title="Lanterne Rouge", analytics_enabled=False, **_style_kwargs(ui)) as app:
        with ui.Row():
            athlete = ui.Dropdown(
                choices=list(athletes),
                value=first,
                label="Athlete",
                visible=len(athletes) > 1,
                elem_id="lr-athlete",
            )
            days = days_of(first)
            day = ui.Dropdown(
                choices=days, value=days[0] if days else None, label="Day", elem_id="lr-day"
            )
        header = ui.HTML()
        with ui.Row(equal_height=False):
            decision, explanation, workout = ui.HTML(), ui.HTML(), ui.HTML()
        fitness = ui.Plot(show_label=False, elem_id="lr-fitness")
        with ui.Row(equal_height=False):
            trends = ui.Plot(show_label=False, elem_id="lr-trends-plot")
            with ui.Column():
                mission, stages = ui.HTML(), ui.HTML()
        history = ui.Dataframe(
            headers=HISTORY_COLUMNS, interactive=False, label="Decisions", elem_id="lr-history"
        )
        with ui.Row(equal_height=False):
            reflections, usage = ui.HTML(), ui.HTML()
        html = [header, decision, explanation, workout, mission, stages, reflections, usage]
        outputs = [*html, fitness, trends, history]

        def pick_athlete(who: str) -> list[Any]:
            choices = days_of(who)
            newest = choices[0] if choices else None
            return [ui.Dropdown(choices=choices, value=newest), *render(who, newest)]

        def reload(who: str, shown: str | None) -> list[Any]:
            """A page load: the days stored now (a run may have added one since)."""
            choices = days_of(who)
            kept = shown if shown in choices else (choices[0] if choices else None)
            return [ui.Dropdown(choices=choices, value=kept), *render(who, kept)]

        athlete.input(pick_athlete, inputs=[athlete], outputs=[day, *outputs])
        day.input(render, inputs=[athlete, day], outputs=outputs)
        app.load(reload, inputs=[athlete, day], outputs=[day, *outputs])
    built: gr.Blocks = app
    return built


def _style_kwargs(gr: Any) -> dict[str, Any]:
    """Theme and CSS go to ``Blocks`` before Gradio 6 and to ``launch`` from 6 on."""
    if "css" in inspect.signature(gr.Blocks.launch).parameters:
        return {}
    return {"css": STYLE, "theme": _theme(gr)}


def _launch_style(gr: Any) -> dict[str, Any]:
    if "css" in inspect.signature(gr.Blocks.launch).parameters:
        return {"css": STYLE, "theme": _theme(gr)}
    return {}


def _theme(gr: Any) -> Any:
    """System fonts only: the page never fetches anything from another site."""
    return gr.themes.Default(
        font=["system-ui", "sans-serif"], font_mono=["ui-monospace", "monospace"]
    )


def check_port(host: str, port: int) -> None:
    """A busy port is one line now, not Gradio's advice after a started server."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise ConfigError(
                f"cannot serve the dashboard on {host}:{port}: "
                f"{exc.strerror or 'address unavailable'} (choose another --port)"
            ) from exc


def serve(
    store: StateStore,
    athletes: Sequence[str],
    *,
    host: str,
    port: int,
    auth: tuple[str, str] | None,
    mission_for: MissionFor,
    tsb_convention: TsbConvention = "previous_day",
    on_ready: Callable[[str], None] | None = None,
) -> None:
    """Serve until interrupted; the address is said once the server answers on it."""
    gr = _gradio()
    check_port(host, port)
    app = build_app(store, athletes, mission_for=mission_for, tsb_convention=tsb_convention)
    try:
        app.launch(
            server_name=host,
            server_port=port,
            auth=auth,
            share=False,
            ssr_mode=False,
            quiet=True,
            show_error=False,
            prevent_thread_lock=True,
            **_launch_style(gr),
        )
    except OSError as exc:  # taken between the check and the launch
        raise ConfigError(
            f"cannot serve the dashboard on {host}:{port}: port busy (choose another --port)"
        ) from exc
    if on_ready is not None:
        on_ready(f"http://{host}:{port}")
    app.block_thread()
