"""The static daily report: one valid, self-contained HTML file with the day and its chart."""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import html5lib
import msgspec
import pytest

from lanterne_rouge.day_view import NothingToShow, load_day_view, month_usage
from lanterne_rouge.memory.records import LLMCallRecord
from lanterne_rouge.memory.state_store import StateStore
from lanterne_rouge.messages import CoachReport, MissionStatus, Observation, StageResult
from lanterne_rouge.mission_config import Mission
from lanterne_rouge.report.html import render_report, write_report
from lanterne_rouge.report.series import fitness_chart
from lanterne_rouge.sources.demo import DEMO_ATHLETE, seed_demo
from lanterne_rouge.sources.scenarios import SCENARIO_ATHLETE

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
    assert view.history[-1].day == view.day - timedelta(days=1)
    assert len(fitness_chart(view).past) == 90
    assert view.history[-1].ctl == pytest.approx(view.observation.ctl, abs=0.01)
    assert len(view.reflections) == 1  # the Monday run looked back at its week
    text = render_report(view)
    assert "days to go" in text and "Week " in text and "LLM usage" in text
    assert view.plan.days[0].day == view.day


def _by_class(svg: ET.Element, css: str) -> list[ET.Element]:
    return [e for e in svg.iter() if css in (e.get("class") or "").split()]


def _stored(store: StateStore, athlete: str, kind: str) -> object:
    return store.messages(athlete, kinds=[kind], newest_first=True, limit=1)[0].payload


def test_the_chart_draws_the_target_the_event_and_todays_values_from_the_store(
    tour: tuple[StateStore, Mission],
) -> None:
    store, mission = tour
    text = render_report(load_day_view(store, SCENARIO_ATHLETE, mission=mission))
    _strictly_parsed(text)
    pmc = _svgs(text)[0]
    status, obs = (
        _stored(store, SCENARIO_ATHLETE, "mission_status"),
        _stored(store, SCENARIO_ATHLETE, "observation"),
    )
    assert isinstance(status, MissionStatus) and isinstance(obs, Observation)
    (target,) = _by_class(pmc, "lr-target")
    assert float(target.get("data-value", "nan")) == status.target_ctl == mission.targets.ctl
    events = {e.get("data-day") for e in _by_class(pmc, "lr-event")}
    assert events == {mission.mission.start.isoformat()}
    shown = {
        css: float(e.get("data-value", "nan"))
        for css in ("lr-ctl", "lr-atl", "lr-tsb", "lr-ramp")
        for e in _by_class(pmc, css)
    }
    assert shown == {
        "lr-ctl": pytest.approx(obs.ctl),
        "lr-atl": pytest.approx(obs.atl),
        "lr-tsb": pytest.approx(obs.tsb),
        "lr-ramp": pytest.approx(obs.ramp_rate),
    }
    assert f"CTL {obs.ctl:.1f}" in ET.tostring(pmc, encoding="unicode")


def test_the_projection_reaches_the_event_day_and_the_axis_follows_the_data(
    seeded: StateStore,
) -> None:
    mission = seed_demo(seeded, LAST_DAY)  # the same data again, and the mission it moved to
    view = load_day_view(seeded, DEMO_ATHLETE, mission=mission)
    chart = fitness_chart(view)
    assert chart.event_day - view.day == timedelta(days=view.status.days_to_go)
    assert chart.ahead[-1].day == chart.event_day, "the plan's outlook ends on the start day"
    assert len(chart.ahead) == view.status.days_to_go + 1
    pmc = _svgs(render_report(view))[0]
    planned = _by_class(pmc, "lr-planned")[0]
    assert max(r.get("data-day", "") for r in planned) == chart.event_day.isoformat()
    fitness_axis = [
        float(t.text)
        for t in pmc.iter("{http://www.w3.org/2000/svg}text")
        if t.get("text-anchor") == "end" and t.text and t.text.lstrip("-").isdigit()
    ]
    assert 0.0 not in fitness_axis[6:14], "CTL's axis starts near the data, not at 0"


def test_the_stage_race_shows_each_stored_result_and_the_points_with_bonuses(
    tour: tuple[StateStore, Mission],
) -> None:
    store, mission = tour
    view = load_day_view(store, SCENARIO_ATHLETE, mission=mission)
    results = [e.payload for e in store.messages(SCENARIO_ATHLETE, kinds=["stage_result"])]
    assert all(isinstance(r, StageResult) for r in results) and len(results) == 8
    status = _stored(store, SCENARIO_ATHLETE, "mission_status")
    assert isinstance(status, MissionStatus) and status.points == 83
    text = render_report(view)
    _strictly_parsed(text)
    section = text[text.index('id="lr-stages"') :]
    assert '<strong class="lr-points">83</strong>' in section
    assert "68 from stages, 15 from bonuses" in section
    assert "bonus: Breakaway hat-trick" in section
    for r in results:
        assert isinstance(r, StageResult)
        row = (
            f"<tr><td>{r.stage.number}</td><td>{r.stage_day:%a %d %b}</td>"
            f"<td>{r.stage.type}</td><td>{r.mode}</td><td>{r.points}</td>"
        )
        assert row in section


def test_recovery_trends_draw_the_baselines_the_rules_judge_against(
    tour: tuple[StateStore, Mission],
) -> None:
    store, mission = tour
    text = render_report(load_day_view(store, SCENARIO_ATHLETE, mission=mission))
    trends = _svgs(text)[1]
    ribbons = [r for r in _by_class(trends, "lr-ribbon")]
    titles = {r.findtext("{http://www.w3.org/2000/svg}title") for r in ribbons}
    assert titles == {"60-day normal range", "30-day mean to elevated"}
    bands = {b.findtext("{http://www.w3.org/2000/svg}title") for b in _by_class(trends, "lr-band")}
    assert {"rest", "recover", "ease", "push"} <= bands


def test_text_from_outside_is_escaped_and_the_page_stays_valid(seeded: StateStore) -> None:
    view = load_day_view(seeded, DEMO_ATHLETE)
    hostile = '<script>alert("x")</script> & <b>bold</b>'
    report = CoachReport.model_validate(view.report.model_dump() | {"explanation": hostile})
    text = render_report(msgspec.structs.replace(view, report=report))
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
