"""The static daily report: one valid, self-contained HTML file with the day and its chart."""

from __future__ import annotations

import dataclasses
import html
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime
from pathlib import Path

import html5lib
import pytest

from lanterne_rouge.day_view import NothingToShow, load_day_view, month_usage
from lanterne_rouge.memory.records import LLMCallRecord
from lanterne_rouge.memory.state_store import StateStore
from lanterne_rouge.messages import CoachReport
from lanterne_rouge.report.html import render_report, write_report
from lanterne_rouge.sources.demo import DEMO_ATHLETE

LAST_DAY = date(2026, 3, 10)  # the last day the `seeded` fixture runs


def _strictly_parsed(text: str) -> None:
    html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(text)


def _svgs(text: str) -> list[ET.Element]:
    return [ET.fromstring(m) for m in re.findall(r"<svg\b.*?</svg>", text, flags=re.S)]


def test_report_holds_decision_explanation_workout_and_an_svg_chart(
    seeded: StateStore, tmp_path: Path
) -> None:
    view = load_day_view(seeded, DEMO_ATHLETE)
    path = write_report(view, tmp_path / "out")
    assert path.name == f"report-{DEMO_ATHLETE}-{LAST_DAY.isoformat()}.html"
    text = path.read_text(encoding="utf-8")
    _strictly_parsed(text)
    assert view.decision.action.upper() in text and view.decision.rule in text
    assert html.escape(view.report.explanation) in text
    assert html.escape(view.plan.workout.name) in text
    charts = _svgs(text)
    assert len(charts) == 2  # the PMC chart and the recovery trends
    assert "Performance management chart" in ET.tostring(charts[0], encoding="unicode")
    assert "<script" not in text and "http://" not in text.replace("http://www.w3.org", "")


def test_report_shows_ninety_days_of_history_the_plan_mission_and_a_reflection(
    seeded: StateStore,
) -> None:
    view = load_day_view(seeded, DEMO_ATHLETE)
    assert len(view.history) == 90 and view.history[-1].day < view.day
    assert view.history[-1].ctl == pytest.approx(view.observation.ctl, abs=0.01)
    assert len(view.reflections) == 1  # the Monday run looked back at its week
    text = render_report(view)
    assert "days to go" in text and "Week " in text and "LLM usage" in text
    assert view.plan.days[0].day == view.day


def test_text_from_outside_is_escaped_and_the_page_stays_valid(seeded: StateStore) -> None:
    view = load_day_view(seeded, DEMO_ATHLETE)
    hostile = '<script>alert("x")</script> & <b>bold</b>'
    report = CoachReport.model_validate(view.report.model_dump() | {"explanation": hostile})
    text = render_report(dataclasses.replace(view, report=report))
    _strictly_parsed(text)
    assert "<script>" not in text and html.escape(hostile) in text


def test_a_day_never_run_has_nothing_to_show(seeded: StateStore) -> None:
    with pytest.raises(NothingToShow, match="run `lanterne-rouge run` first"):
        load_day_view(seeded, "someone-else")
    with pytest.raises(NothingToShow):
        load_day_view(seeded, DEMO_ATHLETE, date(2020, 1, 1))


def test_an_older_day_can_be_shown(seeded: StateStore) -> None:
    view = load_day_view(seeded, DEMO_ATHLETE, date(2026, 3, 8))
    assert view.day == date(2026, 3, 8) and view.attempt == 1


def _call(created: datetime, cost: float | None, outcome: str = "ok") -> LLMCallRecord:
    return LLMCallRecord.model_validate(
        {
            "run_id": None,
            "athlete_id": "a",
            "day": created.date(),
            "agent": "communication",
            "provider": "openai",
            "model_requested": "m",
            "prompt_id": "p",
            "prompt_version": 1,
            "prompt_sha256": "0" * 64,
            "input_tokens": 100,
            "output_tokens": 20,
            "cost_usd": cost,
            "latency_ms": 5.0,
            "attempts": 1,
            "outcome": outcome,
            "created_at": created,
        }
    )


def test_usage_counts_this_month_only_and_never_counts_unknown_cost_as_free() -> None:
    calls = [
        _call(datetime(2026, 2, 28, 23, tzinfo=UTC), 1.0),
        _call(datetime(2026, 3, 1, tzinfo=UTC), 0.002),
        _call(datetime(2026, 3, 2, tzinfo=UTC), None, "fallback"),
        _call(datetime(2026, 3, 3, tzinfo=UTC), None, "skipped"),
    ]
    usage = month_usage(calls, date(2026, 3, 10))
    assert (usage.month, usage.calls, usage.fallbacks, usage.skipped) == ("2026-03", 2, 1, 1)
    assert usage.cost_usd == pytest.approx(0.002) and usage.unknown_cost == 1
    assert (usage.input_tokens, usage.output_tokens) == (200, 40)


def test_the_daily_run_writes_the_report_and_says_where(lanterne_env: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "lanterne_rouge", "run", "--date", "2026-03-10"],
        capture_output=True,
        text=True,
        cwd=lanterne_env,
        env=os.environ.copy(),
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    report = lanterne_env / "output" / "report-demo-2026-03-10.html"
    assert f"Report:   {report}" in done.stdout
    _strictly_parsed(report.read_text(encoding="utf-8"))
