"""Usage summaries: per day and model, known and unknown costs kept apart."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from typer.testing import CliRunner

from lanterne_rouge.cli import app
from lanterne_rouge.memory.records import LLMCallRecord, Outcome
from lanterne_rouge.memory.state_store import StateStore
from lanterne_rouge.usage import one_line, run_summary, table
from lanterne_rouge.utils.config_loader import Settings

NOW = datetime(2026, 7, 10, 6, 0, tzinfo=UTC)


def row(
    when: datetime,
    cost: float | None = 0.0001,
    outcome: Outcome = "ok",
    model: str = "gpt-4o-mini",
    attempts: int = 1,
) -> LLMCallRecord:
    return LLMCallRecord(
        run_id=None,
        athlete_id="me",
        day=when.date(),
        agent="communication_agent",
        provider="openai",
        model_requested=model,
        prompt_id="daily_explanation",
        prompt_version=1,
        prompt_sha256="0" * 64,
        input_tokens=140 if attempts else None,
        output_tokens=40 if attempts else None,
        cost_usd=cost,
        latency_ms=300,
        attempts=attempts,
        outcome=outcome,
        created_at=when,
    )


def test_the_run_line_counts_today_and_the_month() -> None:
    rows = [row(NOW - timedelta(days=3), 0.002), row(NOW)]
    assert one_line(rows, NOW) == "LLM: 1 call, 180 tokens, $0.000100 today; $0.002100 this month"


def test_the_run_line_says_when_calls_fell_back_or_were_skipped() -> None:
    rows = [row(NOW, None, "fallback"), row(NOW, 0.0, "skipped", attempts=0)]
    assert one_line(rows, NOW) == (
        "LLM: 1 call (1 fell back to offline, 1 skipped), 180 tokens, "
        "$0 (+1 call of unknown cost) today; $0 (+1 call of unknown cost) this month"
    )


def test_the_offline_run_says_no_model_was_called(store: StateStore) -> None:
    assert run_summary(store, offline=True) == "LLM: offline explainer, no model calls"


def test_the_table_has_one_line_per_day_and_model_and_a_total() -> None:
    rows = [row(NOW), row(NOW, model="gpt-4.1-mini"), row(NOW + timedelta(days=1))]
    lines = table(rows)
    assert lines[0].split() == [
        "day",
        "model",
        "calls",
        "ok",
        "fallback",
        "skipped",
        "input",
        "cached",
        "output",
        "cost",
    ]
    assert [line.split()[:3] for line in lines[1:4]] == [
        ["2026-07-10", "gpt-4.1-mini", "1"],
        ["2026-07-10", "gpt-4o-mini", "1"],
        ["2026-07-11", "gpt-4o-mini", "1"],
    ]
    assert lines[-1] == "Total: 3 calls, 540 tokens, $0.000300"


def test_the_usage_command_prints_the_ledger_since_a_day() -> None:
    store = StateStore(Settings().resolved_database_url())
    store.record_llm_call(row(NOW - timedelta(days=10)))
    store.record_llm_call(row(NOW))
    store.close()

    result = CliRunner().invoke(app, ["usage", "--since", "2026-07-09"])

    assert result.exit_code == 0, result.output
    assert "2026-07-10  gpt-4o-mini" in result.output
    assert "2026-06-30" not in result.output
    assert "Total: 1 call, 180 tokens, $0.000100" in result.output


def test_the_usage_command_with_an_empty_ledger() -> None:
    result = CliRunner().invoke(app, ["usage"])
    assert result.exit_code == 0 and "No model calls recorded." in result.output
