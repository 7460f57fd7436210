"""Fixtures for the model door: a local OpenAI-compatible server, requests, narrators."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
import structlog
from pydantic import SecretStr

from lanterne_rouge.ai.ai_clients import ExplainRequest, Limits
from lanterne_rouge.ai.budget import Budget
from lanterne_rouge.ai.model_narrator import ModelNarrator, Prompts
from lanterne_rouge.ai.pricing import load_prices
from lanterne_rouge.ai.prompts import select_prompt
from lanterne_rouge.ai.providers import ChatProvider, HuggingFaceProvider, OpenAIProvider
from lanterne_rouge.ai.retry import RetryPolicy
from lanterne_rouge.messages import (
    Action,
    Decision,
    Evidence,
    MissionStatus,
    Observation,
    Plan,
    Workout,
)
from support.openai_server import OpenAICompatibleServer

SDKS = ("openai", "huggingface")
TEST_KEY = "test-key-5f3a9c"
DAY = date(2026, 7, 10)

# Short deadline and small backoffs keep the suite fast; the shape of the policy is the same.
FAST = RetryPolicy(
    deadline_s=2.0, max_attempts=3, backoff_s=0.05, max_backoff_s=0.2, min_attempt_s=0.1
)


@pytest.fixture(autouse=True)
def _logging_back_to_defaults() -> Iterator[None]:
    """A CLI run points structlog at its captured stream; later tests must not write there."""
    yield
    structlog.reset_defaults()


@pytest.fixture
def llm_server() -> Iterator[OpenAICompatibleServer]:
    with OpenAICompatibleServer() as server:
        yield server


def provider_for(
    sdk: str, server: OpenAICompatibleServer, model: str = "gpt-4o-mini"
) -> ChatProvider:
    """The real SDK client pointed at the local server."""
    if sdk == "openai":
        return OpenAIProvider(api_key=SecretStr(TEST_KEY), base_url=server.url, model=model)
    return HuggingFaceProvider(token=SecretStr(TEST_KEY), base_url=server.url, model=model)


def narrator_for(
    sdk: str,
    server: OpenAICompatibleServer,
    *,
    retry: RetryPolicy = FAST,
    budget: Budget | None = None,
    model: str = "gpt-4o-mini",
) -> ModelNarrator:
    limits = Limits(retry=retry, budget=budget or Budget())
    prompts = Prompts(select_prompt("daily_explanation"), select_prompt("weekly_reflection"))
    return ModelNarrator(provider_for(sdk, server, model), prompts, load_prices(), limits)


_DECISIONS: dict[Action, Decision] = {
    "rest": Decision(
        action="rest",
        rule="readiness_very_low",
        reason="readiness 38 is below 40",
        evidence=(Evidence(name="readiness", value=38, threshold=40),),
    ),
    "push": Decision(
        action="push",
        rule="ready_to_push",
        reason="readiness 85 and form +5.0 leave room for hard work",
        evidence=(
            Evidence(name="readiness", value=85, threshold=80),
            Evidence(name="form (TSB)", value=5.0, threshold=-5),
        ),
    ),
}

_WORKOUTS: dict[Action, Workout] = {
    "rest": Workout(name="Rest day", type="rest", minutes=0, tss_target=0),
    "push": Workout(name="Threshold intervals", type="threshold", minutes=75, tss_target=85),
}


def request_for(action: Action, notes: tuple[str, ...] = ()) -> ExplainRequest:
    """A day whose rules decided ``action``."""
    decision = _DECISIONS[action]
    return ExplainRequest(
        athlete_id="tester",
        decision=decision,
        plan=Plan(action=action, workout=_WORKOUTS[action], days=()),
        status=MissionStatus(
            mission_id="tdf",
            mission_name="Tour simulation",
            phase="build",
            days_to_go=40,
            current_ctl=68.4,
            target_ctl=75,
            ramp_needed=1.2,
            ramp_safe=True,
            max_weekly_ramp=6,
        ),
        observation=Observation(
            data_label="test",
            readiness_score=decision.evidence[0].value,  # type: ignore[arg-type]
            ctl=68.4,
            atl=80.3 if action == "rest" else 63.4,
            tsb=-11.9 if action == "rest" else 5.0,
        ),
        day=DAY,
        notes=notes,
    )


# Answers a model might give that are faithful to each decision.
GOOD = {
    "rest": "Readiness is 38, below 40, so today is a rest day. "
    "Take the day off and let the work sink in.",
    "push": "Readiness 85 and form +5 leave room for hard work. "
    "Push the threshold intervals today.",
}
