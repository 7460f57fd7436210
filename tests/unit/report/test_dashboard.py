"""The dashboard without a browser: its content, its guard rails and its optional import."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from lanterne_rouge.dashboard import app, data
from lanterne_rouge.day_view import load_day_view
from lanterne_rouge.errors import ConfigError
from lanterne_rouge.memory.state_store import StateStore
from lanterne_rouge.mission_config import Mission
from lanterne_rouge.sources.demo import DEMO_ATHLETE, demo_mission
from lanterne_rouge.sources.scenarios import SCENARIO_ATHLETE


def _cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "lanterne_rouge", *args],
        capture_output=True,
        text=True,
        env=os.environ | env,
        timeout=60,
    )


def _page(store: StateStore, athlete: str, day: date | None = None) -> data.Page:
    return data.page(store, athlete, day, mission_for=lambda _a, d: demo_mission(d))


def test_page_shows_the_newest_day_with_decision_explanation_and_charts(
    seeded: StateStore,
) -> None:
    page = _page(seeded, DEMO_ATHLETE)
    assert "Lanterne Rouge: 2026-03-10" in page.sections.header
    assert 'id="lr-decision"' in page.sections.decision
    assert (
        "Rule <code>" in page.sections.decision and "<th>Threshold</th>" in page.sections.decision
    )
    assert 'class="lr-explanation"' in page.sections.explanation
    assert page.fitness is not None and page.trends is not None
    assert [row[0] for row in page.history] == [
        "2026-03-10",
        "2026-03-09",
        "2026-03-08",
        "2026-03-07",
    ]


def test_an_older_day_can_be_picked(seeded: StateStore) -> None:
    page = _page(seeded, DEMO_ATHLETE, date(2026, 3, 8))
    assert "Lanterne Rouge: 2026-03-08" in page.sections.header
    assert [row[0] for row in page.history] == ["2026-03-08", "2026-03-07"]
    assert data.stored_days(seeded, DEMO_ATHLETE)[0] == date(2026, 3, 10)


def test_the_fitness_figure_holds_the_stores_numbers_the_target_the_event_and_range_buttons(
    seeded: StateStore,
) -> None:
    page = _page(seeded, DEMO_ATHLETE)
    view = load_day_view(seeded, DEMO_ATHLETE, history_days=None)
    fig = page.fitness.to_dict()
    traces = {t["name"]: t for t in fig["data"]}
    ctl = traces["CTL fitness"]
    assert list(ctl["y"]) == pytest.approx([p.ctl for p in view.history])
    assert str(ctl["x"][-1])[:10] == "2026-03-09"
    last_planned = str(traces["CTL fitness planned"]["x"][-1])[:10]
    event = view.day.toordinal() + view.status.days_to_go
    assert last_planned == date.fromordinal(event).isoformat()
    texts = {a.get("text") for a in fig["layout"]["annotations"]}
    assert f"target CTL {view.status.target_ctl:g}" in texts and "today" in texts
    buttons = fig["layout"]["xaxis"]["rangeselector"]["buttons"]
    assert [b["label"] for b in buttons] == ["6 weeks", "3 months", "1 year", "all"]
    last = view.history[-1]
    assert (
        ctl["customdata"][-1][0] == f"CTL {last.ctl:.1f} · ATL {last.atl:.1f} · TSB {last.tsb:+.1f}"
    )


def test_the_stage_race_and_decision_history_come_from_the_store(
    tour: tuple[StateStore, Mission],
) -> None:
    store, mission = tour
    page = data.page(store, SCENARIO_ATHLETE, None, mission_for=lambda _a, _d: mission)
    assert '<strong class="lr-points">83</strong>' in page.sections.stages
    # stage 9 survived as domestique: 60 % of the mountain stage's expected 210 TSS
    assert page.history[0] == ("2026-07-12", "ease", "stage_survive", "not yet", "125")
    assert page.history[5][:3] == ("2026-07-07", "push", "stage_attack")


def test_page_for_an_athlete_never_run_says_what_to_do(seeded: StateStore) -> None:
    page = _page(seeded, "nobody")
    assert "run `lanterne-rouge run` first" in page.sections.header
    assert page.sections.decision == "" and page.fitness is None


def test_another_address_without_a_password_is_refused_in_one_line(lanterne_env: Path) -> None:
    done = _cli("dashboard", "--host", "0.0.0.0")
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "lanterne-rouge: error: refusing to serve the dashboard on 0.0.0.0 without a password: "
        "set LANTERNE_DASHBOARD_PASSWORD, or keep the default 127.0.0.1"
    ]


def test_a_busy_port_is_one_line_and_nothing_is_printed_before_it(lanterne_env: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = _cli("dashboard", "--port", str(port))
    assert done.returncode != 0 and done.stdout == ""
    assert done.stderr.strip().splitlines() == [
        f"lanterne-rouge: error: cannot serve the dashboard on 127.0.0.1:{port}: "
        "Address already in use (choose another --port)"
    ]


def test_missing_gradio_is_one_line_naming_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "gradio", None)  # what an install without the extra sees
    with pytest.raises(ConfigError) as missing:
        app._gradio()
    assert str(missing.value) == (
        "the dashboard needs Gradio and Plotly: pip install 'lanterne-rouge[dashboard]'"
    )


def test_the_command_line_never_imports_the_optional_parts_until_they_start() -> None:
    code = (
        "import sys, lanterne_rouge.cli; "
        "print([m for m in ('gradio', 'plotly', 'mcp') if m in sys.modules])"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.strip() == "[]", done.stderr


def test_the_dashboard_and_the_assistants_tools_cannot_call_a_model() -> None:
    """They never wait on a model: no model client is even imported by them."""
    code = (
        "import sys, lanterne_rouge.dashboard.app, lanterne_rouge.dashboard.data, "
        "lanterne_rouge.assistants.answers, lanterne_rouge.assistants.mcp_server; "
        "print(sorted(m for m in sys.modules if m.startswith('lanterne_rouge.ai') "
        "or m.split('.')[0] in ('openai', 'huggingface_hub')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.strip() == "[]", done.stderr
