"""The model narrator against a real local server, through the real openai and HF clients."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from lanterne_rouge.agents.communication_agent import CommunicationAgent
from lanterne_rouge.ai.ai_clients import Narrator, OfflineNarrator
from lanterne_rouge.ai.budget import Budget
from lanterne_rouge.ai.retry import RetryPolicy
from lanterne_rouge.memory.records import LLMCallRecord
from lanterne_rouge.memory.state_store import StateStore
from lanterne_rouge.messages import Action, CoachReport
from support.ledger import ledger_row
from support.openai_server import (
    OpenAICompatibleServer,
    Reply,
    answer,
    empty,
    hang,
    malformed,
    status,
)

from .conftest import DAY, FAST, GOOD, SDKS, narrator_for, request_for

pytestmark = pytest.mark.parametrize("sdk", SDKS)


def report_via(
    store: StateStore, narrator: Narrator, action: Action = "rest", notes: tuple[str, ...] = ()
) -> CoachReport:
    """The communication agent's report for a day whose rules decided ``action``; its usage
    rows stored as the day stores them, and this month's rows passed in for the budget."""
    req = request_for(action, notes)
    agent = CommunicationAgent(narrator)
    report, rows = agent.report(
        req.athlete_id,
        req.observation,
        req.status,
        req.decision,
        req.plan,
        day=DAY,
        notes=notes,
        spent=store.spent(req.athlete_id, now=datetime.now(UTC)),
    )
    for row in rows:
        store.record_llm_call(row)
    return report


def offline_text(action: Action = "rest") -> str:
    return OfflineNarrator().explain(request_for(action)).explanation.text


def only_row(store: StateStore) -> LLMCallRecord:
    rows = store.llm_calls()
    assert len(rows) == 1
    return rows[0]


def test_a_normal_answer_is_used_and_stored_with_tokens_and_cost(
    sdk: str, llm_server: OpenAICompatibleServer, store: StateStore
) -> None:
    llm_server.enqueue(answer(GOOD["rest"], prompt_tokens=140, completion_tokens=40))
    report = report_via(store, narrator_for(sdk, llm_server))

    assert report.explanation == GOOD["rest"]
    assert (report.provider, report.model, report.prompt_id) == (
        sdk,
        "gpt-4o-mini-2024-07-18",
        "daily_explanation",
    )
    row = only_row(store)
    assert (row.outcome, row.attempts, row.reason) == ("ok", 1, None)
    assert (row.input_tokens, row.output_tokens) == (140, 40)
    assert row.cost_usd == pytest.approx((140 * 0.15 + 40 * 0.60) / 1e6)
    assert (row.model_requested, row.model_reported) == ("gpt-4o-mini", "gpt-4o-mini-2024-07-18")
    assert row.prompt_sha256 and row.prompt_version == 2 and row.day == DAY
    sent = llm_server.requests[0].body
    assert sent["model"] == "gpt-4o-mini" and sent["max_tokens"] == 90
    assert "response_format" not in sent  # a local server is not asked for JSON


def test_429_with_retry_after_is_waited_out_then_answered(
    sdk: str, llm_server: OpenAICompatibleServer, store: StateStore
) -> None:
    llm_server.enqueue(status(429, "slow down", retry_after="1"), answer(GOOD["rest"]))
    narrator = narrator_for(sdk, llm_server, retry=RetryPolicy(deadline_s=4.0, backoff_s=0.05))

    started = time.monotonic()
    report = report_via(store, narrator)
    elapsed = time.monotonic() - started

    assert report.explanation == GOOD["rest"]
    assert only_row(store).attempts == 2 and len(llm_server.requests) == 2
    assert elapsed >= 1.0


FAILURES = [
    pytest.param([status(500)] * 3, "server_error", 3, id="repeated-500s"),
    pytest.param([hang(5)], "timeout", 1, id="hang-past-deadline"),
    pytest.param([malformed()], "malformed", 1, id="malformed-json"),
    pytest.param([empty()], "empty", 1, id="empty-answer"),
    pytest.param(
        [answer("Readiness is 38, below", finish_reason="length")], "truncated", 1, id="cut-off"
    ),
    pytest.param(
        [answer("Push hard today: go all out on the climbs.")],
        "action",
        1,
        id="contradicts-decision",
    ),
    pytest.param(
        [answer("Readiness is 38, so rest for 3 days.")], "number", 1, id="invented-number"
    ),
]


@pytest.mark.parametrize(("replies", "code", "attempts"), FAILURES)
def test_a_failed_call_falls_back_to_offline_within_the_deadline(
    sdk: str,
    llm_server: OpenAICompatibleServer,
    store: StateStore,
    replies: list[Reply],
    code: str,
    attempts: int,
) -> None:
    llm_server.enqueue(*replies)
    started = time.monotonic()
    report = report_via(store, narrator_for(sdk, llm_server))
    elapsed = time.monotonic() - started

    assert elapsed < FAST.deadline_s + 0.5
    assert report.action == "rest"  # the decision is never touched
    assert report.explanation == offline_text("rest")
    assert report.provider == "offline"
    assert report.fallback_reason and f"{code}:" in report.fallback_reason
    row = only_row(store)
    assert row.outcome == "fallback" and row.reason and row.reason.startswith(f"{code}:")
    assert row.attempts == attempts == len(llm_server.requests)


def test_401_is_one_configuration_line_and_never_retried(
    sdk: str, llm_server: OpenAICompatibleServer, store: StateStore
) -> None:
    llm_server.enqueue(status(401, "invalid api key"))
    report = report_via(store, narrator_for(sdk, llm_server))

    assert len(llm_server.requests) == 1
    row = only_row(store)
    key_setting = "OPENAI_API_KEY" if sdk == "openai" else "HF_TOKEN"
    assert row.reason and row.reason.startswith("config: HTTP 401")
    assert f"check {key_setting}" in row.reason and "\n" not in row.reason
    assert (row.outcome, row.attempts, row.cost_usd) == ("fallback", 1, None)
    assert report.explanation == offline_text("rest")


def test_no_request_is_sent_once_the_daily_budget_is_reached(
    sdk: str, llm_server: OpenAICompatibleServer, store: StateStore
) -> None:
    store.record_llm_call(spent_today(0.02))
    narrator = narrator_for(sdk, llm_server, budget=Budget(daily_usd=0.02))

    report = report_via(store, narrator)

    assert llm_server.requests == []
    assert report.explanation == offline_text("rest")
    row = store.llm_calls()[-1]
    assert (row.outcome, row.attempts, row.cost_usd) == ("skipped", 0, 0.0)
    assert row.reason and row.reason.startswith("budget: daily budget $0.02 reached")


def test_a_model_without_a_price_is_refused_while_a_budget_is_set(
    sdk: str, llm_server: OpenAICompatibleServer, store: StateStore
) -> None:
    report_via(store, narrator_for(sdk, llm_server, model="llama3.2"))

    assert llm_server.requests == []
    row = only_row(store)
    assert row.reason and row.reason.startswith("unpriced:")
    assert "LANTERNE_LLM_ALLOW_UNPRICED" in row.reason


def test_an_allowed_unpriced_model_is_recorded_with_unknown_cost_not_zero(
    sdk: str, llm_server: OpenAICompatibleServer, store: StateStore
) -> None:
    llm_server.enqueue(answer(GOOD["rest"], model="llama3.2"))
    budget = Budget(allow_unpriced=True)
    report_via(store, narrator_for(sdk, llm_server, model="llama3.2", budget=budget))

    row = only_row(store)
    assert row.outcome == "ok" and row.input_tokens == 140
    assert row.cost_usd is None


def spent_today(cost: float) -> LLMCallRecord:
    return ledger_row(
        "tester", DAY, input_tokens=100, output_tokens=50, cost_usd=cost, latency_ms=10
    )
