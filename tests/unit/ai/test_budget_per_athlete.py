"""Model budgets are per athlete: another athlete's spend never takes this one's answer,
unless the fleet's optional daily total is reached."""

from __future__ import annotations

import pytest

from lanterne_rouge.ai.budget import Budget
from lanterne_rouge.memory.records import LLMCallRecord
from lanterne_rouge.memory.state_store import StateStore
from lanterne_rouge.orchestrator import build_orchestrator
from lanterne_rouge.sources.demo import DEMO_ATHLETE, seed_demo
from support.ledger import ledger_row
from support.openai_server import OpenAICompatibleServer, answer

from .conftest import DAY, narrator_for

NEUTRAL = "Today's session follows from your recent signals and the mission ahead."


def _spent(athlete: str, usd: float) -> LLMCallRecord:
    return ledger_row(athlete, DAY, cost_usd=usd)


@pytest.mark.parametrize(
    ("spender", "answered"),
    [("another-rider", True), (DEMO_ATHLETE, False)],
    ids=["others-spend", "own-spend"],
)
def test_only_the_athletes_own_spend_counts_against_their_budget(
    llm_server: OpenAICompatibleServer, store: StateStore, spender: str, answered: bool
) -> None:
    mission = seed_demo(store, DAY)
    for _ in range(3):
        store.record_llm_call(_spent(spender, 0.01))  # 0.03 today, over a 0.02 daily budget
    llm_server.enqueue(answer(NEUTRAL))
    narrator = narrator_for("openai", llm_server, budget=Budget(daily_usd=0.02))
    result = build_orchestrator(store, mission, narrator=narrator).run_day(
        DEMO_ATHLETE, DAY, data_label="demo"
    )
    assert (result.report.explanation == NEUTRAL) is answered
    assert len(llm_server.requests) == (1 if answered else 0)
    if not answered:
        assert "daily budget" in (result.report.fallback_reason or "")


def test_the_fleets_daily_total_counts_every_athletes_spend(
    llm_server: OpenAICompatibleServer, store: StateStore
) -> None:
    mission = seed_demo(store, DAY)
    for _ in range(3):
        store.record_llm_call(_spent("another-rider", 0.01))
    llm_server.enqueue(answer(NEUTRAL))
    narrator = narrator_for(
        "openai", llm_server, budget=Budget(daily_usd=0.02, fleet_daily_usd=0.03)
    )
    result = build_orchestrator(store, mission, narrator=narrator).run_day(
        DEMO_ATHLETE, DAY, data_label="demo"
    )
    assert llm_server.requests == []
    assert "the fleet's daily budget $0.03 reached" in (result.report.fallback_reason or "")
    assert "LANTERNE_FLEET_DAILY_BUDGET_USD" in (result.report.fallback_reason or "")
