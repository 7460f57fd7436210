"""The dashboard: the day's report as a Gradio page that re-reads the state store on each load.

It only reads the store. The sections are the report's own HTML fragments (the same SVG
charts), laid out with the decision, the explanation and the workout side by side. Gradio is
an optional extra, imported only here, only when the dashboard starts.
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from lanterne_rouge.day_view import load_day_view
from lanterne_rouge.errors import ConfigError, LanterneError
from lanterne_rouge.memory.state_store import StateStore
from lanterne_rouge.report.html import STYLE, Sections, sections
from lanterne_rouge.training.fitness import TsbConvention

if TYPE_CHECKING:
    import gradio as gr

INSTALL_HINT = "pip install 'lanterne-rouge[dashboard]'"
_FIELDS = tuple(Sections.__dataclass_fields__)


def _gradio() -> Any:
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # no calls home
    try:
        import gradio
    except ImportError as exc:
        raise ConfigError(f"the dashboard needs Gradio: {INSTALL_HINT}") from exc
    return gradio


def page(store: StateStore, athlete_id: str, tsb_convention: TsbConvention) -> Sections:
    """The sections of the newest day, or a header saying why there is nothing to show."""
    try:
        view = load_day_view(store, athlete_id, tsb_convention=tsb_convention)
    except LanterneError as exc:
        from html import escape

        said = f'<div class="lr"><h1>Lanterne Rouge</h1><p>{escape(str(exc))}</p></div>'
        return Sections(**{name: said if name == "header" else "" for name in _FIELDS})
    return sections(view)


def build_app(
    store: StateStore, athlete_id: str, *, tsb_convention: TsbConvention = "previous_day"
) -> gr.Blocks:
    ui = _gradio()
    with ui.Blocks(title="Lanterne Rouge", analytics_enabled=False, **_style_kwargs(ui)) as app:
        header = ui.HTML()
        with ui.Row(equal_height=False):
            decision, explanation, workout = ui.HTML(), ui.HTML(), ui.HTML()
        chart = ui.HTML()
        with ui.Row(equal_height=False):
            trends, mission = ui.HTML(), ui.HTML()
        with ui.Row(equal_height=False):
            reflections, usage = ui.HTML(), ui.HTML()
        refresh = ui.Button("Refresh", size="sm")
        outputs = [header, decision, explanation, workout, chart, trends, mission]
        outputs += [reflections, usage]

        def render() -> tuple[str, ...]:
            s = page(store, athlete_id, tsb_convention)
            return tuple(getattr(s, name) for name in _FIELDS)

        app.load(render, outputs=outputs)
        refresh.click(render, outputs=outputs)
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


def serve(
    store: StateStore,
    athlete_id: str,
    *,
    host: str,
    port: int,
    auth: tuple[str, str] | None,
    tsb_convention: TsbConvention = "previous_day",
    on_ready: Callable[[str], None] | None = None,
) -> None:
    """Serve until interrupted."""
    app = build_app(store, athlete_id, tsb_convention=tsb_convention)
    if on_ready is not None:
        on_ready(f"http://{host}:{port}")
    try:
        app.launch(
            server_name=host,
            server_port=port,
            auth=auth,
            share=False,
            ssr_mode=False,
            quiet=True,
            show_error=False,
            **_launch_style(_gradio()),
        )
    except OSError as exc:
        raise ConfigError(
            f"cannot serve the dashboard on {host}:{port}: {exc} (choose another --port)"
        ) from exc
