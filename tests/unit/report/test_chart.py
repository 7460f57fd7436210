"""The SVG chart renderer: well-formed XML from plain numbers, escaped, no plotting library."""

from __future__ import annotations

import ast
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from pathlib import Path

from lanterne_rouge.report import chart
from lanterne_rouge.report.chart import FORM_BANDS, Panel, PmcPoint, Series, pmc_chart, render

SVG = "{http://www.w3.org/2000/svg}"
START = date(2026, 1, 1)


def _points(n: int, start: date = START) -> list[PmcPoint]:
    return [
        PmcPoint(start + timedelta(days=i), 50 + i / 2, 55 + i % 7, -5 - i % 9) for i in range(n)
    ]


def test_pmc_chart_is_one_well_formed_svg_with_every_form_band_labelled() -> None:
    svg = pmc_chart(_points(90), _points(7, START + timedelta(days=90)), START + timedelta(90))
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    labels = {t.text for t in root.iter(f"{SVG}text")}
    assert {b.label for b in FORM_BANDS} <= labels
    assert {"CTL fitness", "ATL fatigue", "TSB form", "planned", "today"} <= labels


def test_planned_days_are_dashed_and_joined_to_the_last_known_day() -> None:
    svg = ET.fromstring(pmc_chart(_points(10), _points(3, START + timedelta(10)), START))
    dashed = [p for p in svg.iter(f"{SVG}path") if p.get("stroke-dasharray")]
    assert len(dashed) == 3  # CTL, ATL and TSB ahead
    assert all(p.get("d", "").count("L") == 3 for p in dashed)  # 1 known + 3 planned points


def test_a_missing_value_breaks_the_line_instead_of_bridging_it() -> None:
    points = ((START, 1.0), (START + timedelta(1), None), (START + timedelta(2), 3.0))
    svg = render([Panel("p", (Series("s", points, "#000"),))])
    d = next(ET.fromstring(svg).iter(f"{SVG}path")).get("d", "")
    assert d.count("M") == 2 and "L" not in d


def test_titles_and_labels_are_escaped() -> None:
    hostile = '<script>alert("x")</script> & co'
    svg = render([Panel(hostile, (Series(hostile, ((START, 1.0),), "#000"),))], title=hostile)
    assert "<script>" not in svg
    assert hostile in {t.text for t in ET.fromstring(svg).iter(f"{SVG}text")}


def test_no_data_says_so() -> None:
    svg = render([Panel("Readiness", (Series("r", (), "#000"),))])
    assert "no data" in {t.text for t in ET.fromstring(svg).iter(f"{SVG}text")}


def test_the_renderer_is_pure_standard_library() -> None:
    tree = ast.parse(Path(chart.__file__).read_text())
    imported = {
        (node.module or "") if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert imported <= {
        "__future__",
        "math",
        "collections.abc",
        "dataclasses",
        "datetime",
        "html",
        "typing",
    }
