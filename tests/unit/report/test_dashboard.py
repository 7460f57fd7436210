"""The dashboard without a browser: its content, its guard rails and its optional import."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from lanterne_rouge.dashboard import app
from lanterne_rouge.errors import ConfigError
from lanterne_rouge.memory.state_store import StateStore
from lanterne_rouge.sources.demo import DEMO_ATHLETE


def _cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "lanterne_rouge", *args],
        capture_output=True,
        text=True,
        env=os.environ | env,
        timeout=60,
    )


def test_page_shows_the_newest_day_with_decision_explanation_and_charts(
    seeded: StateStore,
) -> None:
    sections = app.page(seeded, DEMO_ATHLETE, "previous_day")
    assert "Lanterne Rouge: 2026-03-10" in sections.header
    assert 'id="lr-decision"' in sections.decision and "Rule <code>" in sections.decision
    assert 'class="lr-explanation"' in sections.explanation
    assert sections.chart.count("<svg") == 1 and sections.trends.count("<svg") == 1


def test_page_for_an_athlete_never_run_says_what_to_do(seeded: StateStore) -> None:
    sections = app.page(seeded, "nobody", "previous_day")
    assert "run `lanterne-rouge run` first" in sections.header
    assert sections.decision == sections.chart == ""


def test_another_address_without_a_password_is_refused_in_one_line(lanterne_env: Path) -> None:
    done = _cli("dashboard", "--host", "0.0.0.0")
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "lanterne-rouge: error: refusing to serve the dashboard on 0.0.0.0 without a password: "
        "set LANTERNE_DASHBOARD_PASSWORD, or keep the default 127.0.0.1"
    ]


def test_missing_gradio_is_one_line_naming_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "gradio", None)  # what an install without the extra sees
    with pytest.raises(ConfigError) as missing:
        app._gradio()
    assert str(missing.value) == (
        "the dashboard needs Gradio: pip install 'lanterne-rouge[dashboard]'"
    )


def test_the_command_line_never_imports_the_optional_parts_until_they_start() -> None:
    code = (
        "import sys, lanterne_rouge.cli; "
        "print([m for m in ('gradio', 'plotly', 'mcp') if m in sys.modules])"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.strip() == "[]", done.stderr
