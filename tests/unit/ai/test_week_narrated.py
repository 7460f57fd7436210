"""The first run of a week sums up the week before in two sentences, through the
weekly_reflection prompt (or offline), and shows it in the printout, report and message."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from lanterne_rouge.cli import app
from lanterne_rouge.day_view import load_day_view
from lanterne_rouge.memory.state_store import StateStore
from lanterne_rouge.notify.message import compose
from lanterne_rouge.sources.demo import DEMO_ATHLETE
from support.openai_server import OpenAICompatibleServer, answer

SUNDAY, MONDAY = "2026-07-05", "2026-07-06"
NEUTRAL = "Today's session follows from your recent signals and the mission ahead."


def week_line(output: str) -> str:
    return next(line for line in output.splitlines() if line.startswith("Week:"))


def test_the_first_run_of_a_week_narrates_it_offline_everywhere(lanterne_env: Path) -> None:
    runner = CliRunner()
    sunday = runner.invoke(app, ["run", "--date", SUNDAY])
    monday = runner.invoke(app, ["run", "--date", MONDAY])

    assert sunday.exit_code == 0 and monday.exit_code == 0, sunday.output + monday.output
    assert "Week:" not in sunday.output
    summary = week_line(monday.output).removeprefix("Week:").strip()
    assert summary.startswith("You rode ") and summary.count(". ") >= 1
    report_file = lanterne_env / "output" / f"report-{DEMO_ATHLETE}-{MONDAY}.html"
    report = report_file.read_text(encoding="utf-8")
    assert "Last week:" in report
    store = StateStore(f"sqlite:///{lanterne_env / 'home' / 'lanterne.db'}")
    try:
        message = compose(load_day_view(store, DEMO_ATHLETE))
    finally:
        store.close()
    assert f"Last week: {summary}" in message.body


def test_a_model_narrates_the_week_through_its_own_prompt_with_its_own_ledger_row(
    llm_server: OpenAICompatibleServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    mp = monkeypatch
    mp.setenv("LANTERNE_LLM_PROVIDER", "openai")
    mp.setenv("OPENAI_API_KEY", "test-key-5f3a9c")
    mp.setenv("OPENAI_BASE_URL", llm_server.url)
    week = "A solid week of riding against the plan. Keep the rhythm going this week."
    llm_server.enqueue(answer(NEUTRAL), answer(NEUTRAL), answer(week))
    runner = CliRunner()
    runner.invoke(app, ["run", "--date", SUNDAY])
    monday = runner.invoke(app, ["run", "--date", MONDAY])

    assert monday.exit_code == 0, monday.output
    assert week_line(monday.output) == f"Week:     {week}"
    asked = llm_server.requests[2].body["messages"]
    assert "sum up the athlete's week" in asked[0]["content"]
    assert "load done" in asked[1]["content"]
    usage = runner.invoke(app, ["usage"])
    assert "Total: 3 calls" in usage.output
