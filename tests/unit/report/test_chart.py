"""The SVG chart renderer: well-formed XML from plain numbers, escaped, no plotting library."""

from __future__ import annotations

import ast
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from pathlib import Path
from types import ModuleType

import pytest

from lanterne_rouge.report import chart, panels
from lanterne_rouge.report.chart import render
from lanterne_rouge.report.figures import pmc_svg
from lanterne_rouge.report.panels import (
    FORM_BANDS,
    Bars,
    Marker,
    Panel,
    Ribbon,
    Rule,
    Series,
)
from lanterne_rouge.report.series import ChartDay, FitnessChart

SVG = "{http://www.w3.org/2000/svg}"
START = date(2026, 1, 1)


def _chart(past: int, ahead: int) -> FitnessChart:
    def day(i: int, planned: bool) -> ChartDay:
        ramp = None if planned else 1.0
        return ChartDay(
            START + timedelta(i), 60 + i % 5, 50 + i / 2, 55 + i % 7, -5 - i % 9, ramp, planned
        )

    days = [day(i, False) for i in range(past)] + [day(past + i, True) for i in range(ahead)]
    return FitnessChart(
        days=tuple(days),
        today=START + timedelta(past),
        ctl=days[past - 1].ctl,
        atl=days[past - 1].atl,
        tsb=-7.5,
        ramp=2.5,
        target_ctl=75.0,
        max_ramp=6.0,
        event_day=START + timedelta(past + ahead - 1),
        event_name="The Tour",
    )


def _texts(svg: str) -> set[str | None]:
    return {t.text for t in ET.fromstring(svg).iter(f"{SVG}text")}


def _by_class(svg: str, css: str) -> list[ET.Element]:
    root = ET.fromstring(svg)
    return [e for e in root.iter() if css in (e.get("class") or "").split()]


def test_pmc_chart_is_one_well_formed_svg_with_every_form_band_labelled() -> None:
    svg = pmc_svg(_chart(90, 30))
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    labels = _texts(svg)
    assert {b.label for b in FORM_BANDS} <= labels
    assert {"CTL fitness", "ATL fatigue", "TSB form", "planned", "today", "done"} <= labels
    assert {"start: The Tour", "target CTL 75", "TSB -7.5", "ramp +2.5"} <= labels


def test_planned_days_are_dashed_and_joined_to_the_last_known_day() -> None:
    svg = ET.fromstring(pmc_svg(_chart(10, 3)))
    dashed = [p for p in svg.iter(f"{SVG}path") if p.get("stroke-dasharray")]
    assert len(dashed) == 3  # CTL, ATL and TSB ahead
    assert all(p.get("d", "").count("L") == 3 for p in dashed)  # 1 known + 3 planned points


def test_load_bars_carry_each_day_and_planned_ones_are_apart() -> None:
    c = _chart(20, 5)
    svg = pmc_svg(c)
    done, planned = _by_class(svg, "lr-bars")
    assert "lr-planned" in (planned.get("class") or "")
    days = [(r.get("data-day"), float(r.get("data-value", "nan"))) for r in done.iter(f"{SVG}rect")]
    assert days == [(d.day.isoformat(), d.load) for d in c.past]
    assert len(list(planned.iter(f"{SVG}rect"))) == 5


def test_target_event_and_today_values_carry_their_numbers() -> None:
    c = _chart(30, 10)
    svg = pmc_svg(c)
    (target,) = _by_class(svg, "lr-target")
    assert float(target.get("data-value", "nan")) == 75.0
    events = _by_class(svg, "lr-event")  # one line in each of the four panels
    assert [e.get("data-day") for e in events] == [c.event_day.isoformat()] * 4
    (ctl,) = _by_class(svg, "lr-ctl")
    assert (ctl.get("data-day"), float(ctl.get("data-value", "nan"))) == (
        c.past[-1].day.isoformat(),
        c.ctl,
    )


def test_the_vertical_range_follows_the_data_instead_of_starting_at_zero() -> None:
    points = tuple((START + timedelta(i), 55.0 + i) for i in range(10))
    svg = render([Panel("CTL", (Series("ctl", points, "#000"),), rules=(Rule(70, "t", "#0a0"),))])
    numbers = [float(t) for t in _texts(svg) if t and t.replace(".", "").isdigit()]
    assert min(numbers) >= 50 and max(numbers) >= 70


def test_a_ribbon_breaks_where_its_days_do() -> None:
    days = [START + timedelta(i) for i in (0, 1, 2, 5, 6)]
    ribbon = Ribbon("band", tuple((d, 40.0, 60.0) for d in days), "#00f")
    svg = render([Panel("HRV", (Series("hrv", ((START, 50.0),), "#000"),), ribbons=(ribbon,))])
    assert len(_by_class(svg, "lr-ribbon")) == 2


def test_markers_cross_every_panel_and_are_named_once() -> None:
    panel = Panel("p", (Series("s", ((START, 1.0), (START + timedelta(9), 2.0)), "#000"),))
    svg = render([panel, panel], markers=(Marker(START + timedelta(3), "today"),))
    assert len(_by_class(svg, "lr-marker")) == 2
    assert [t.text for t in ET.fromstring(svg).iter(f"{SVG}text")].count("today") == 1


def test_a_missing_value_breaks_the_line_instead_of_bridging_it() -> None:
    points = ((START, 1.0), (START + timedelta(1), None), (START + timedelta(2), 3.0))
    svg = render([Panel("p", (Series("s", points, "#000"),))])
    d = next(ET.fromstring(svg).iter(f"{SVG}path")).get("d", "")
    assert d.count("M") == 2 and "L" not in d


def test_titles_and_labels_are_escaped() -> None:
    hostile = '<script>alert("x")</script> & co'
    svg = render(
        [Panel(hostile, (Series(hostile, ((START, 1.0),), "#000"),))],
        markers=(Marker(START, hostile),),
        title=hostile,
    )
    assert "<script>" not in svg
    assert hostile in _texts(svg)


def test_no_data_says_so() -> None:
    svg = render([Panel("Readiness", (Series("r", (), "#000"),), bars=(Bars("b", (), "#000"),))])
    assert "no data" in _texts(svg)


@pytest.mark.parametrize("module", [chart, panels], ids=["chart", "panels"])
def test_the_renderer_needs_no_plotting_library(module: ModuleType) -> None:
    tree = ast.parse(Path(str(module.__file__)).read_text())
    imported = {
        (node.module or "") if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert imported <= {
        "__future__",
        "math",
        "msgspec",  # the value types
        "collections.abc",
        "datetime",
        "html",
        "typing",
        "lanterne_rouge.report.panels",  # the renderer's own value types, pure as well
    }
