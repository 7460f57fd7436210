"""What a narrator is: its requests, its answers, its bounds, and the offline narrator.

Shared by ``ai_clients`` (which builds narrators) and ``model_narrator`` (the model one), so
neither imports the other back.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Protocol

import msgspec

from lanterne_rouge.ai.budget import Budget
from lanterne_rouge.ai.offline import (
    MAX_CHARS,
    OFFLINE_MODEL,
    OFFLINE_PROMPT_ID,
    OFFLINE_PROMPT_VERSION,
    OFFLINE_PROVIDER,
    OFFLINE_WEEK_PROMPT_ID,
    offline_explanation,
    offline_week,
)
from lanterne_rouge.ai.retry import RetryPolicy
from lanterne_rouge.memory.records import LLMCallRecord, Spent
from lanterne_rouge.messages import (
    Decision,
    MissionStatus,
    Observation,
    Plan,
    Reflection,
)

EXPLANATION_PROMPT = "daily_explanation"
STRUCTURED_PROMPT = "daily_explanation_structured"
WEEK_PROMPT = "weekly_reflection"


class Explanation(msgspec.Struct, frozen=True):
    text: str
    provider: str
    model: str
    prompt_id: str
    prompt_version: int
    fallback_reason: str | None = None


class Narration(msgspec.Struct, frozen=True):
    """An explanation and, when a model was asked (or refused before asking), its ledger row."""

    explanation: Explanation
    usage: LLMCallRecord | None = None


class ExplainRequest(msgspec.Struct, frozen=True):
    """Everything a narrator may use; the decision is final before it is asked.

    ``notes`` are recent activity names or notes: untrusted text, only ever quoted as data.
    ``run_id`` and ``day`` label the usage row. ``spent`` is what the athlete's day and month
    and the fleet's day cost so far, read by the caller, for the budget check.
    """

    athlete_id: str
    decision: Decision
    plan: Plan
    status: MissionStatus
    observation: Observation
    run_id: uuid.UUID | None = None
    day: date | None = None
    notes: tuple[str, ...] = ()
    spent: Spent = msgspec.field(default_factory=Spent)


class WeekRequest(msgspec.Struct, frozen=True):
    """The week's reflection to sum up, on the first run of the following week."""

    athlete_id: str
    reflection: Reflection
    run_id: uuid.UUID | None = None
    day: date | None = None
    spent: Spent = msgspec.field(default_factory=Spent)


class Narrator(Protocol):
    uses_model: bool

    def explain(self, request: ExplainRequest) -> Narration: ...

    def explain_week(self, request: WeekRequest) -> Narration: ...


class OfflineNarrator:
    """Deterministic, free, always available; ``reason`` says why it stands in for a model."""

    uses_model = False

    def __init__(self, reason: str | None = None) -> None:
        self.reason = reason

    def explain(self, request: ExplainRequest) -> Narration:
        text = offline_explanation(
            request.decision, request.plan, request.status, request.observation, request.day
        )
        return Narration(self._explanation(text, OFFLINE_PROMPT_ID))

    def explain_week(self, request: WeekRequest) -> Narration:
        return Narration(
            self._explanation(offline_week(request.reflection), OFFLINE_WEEK_PROMPT_ID)
        )

    def _explanation(self, text: str, prompt_id: str) -> Explanation:
        return Explanation(
            text=text,
            provider=OFFLINE_PROVIDER,
            model=OFFLINE_MODEL,
            prompt_id=prompt_id,
            prompt_version=OFFLINE_PROMPT_VERSION,
            fallback_reason=self.reason,
        )


class Limits(msgspec.Struct, frozen=True):
    """Bounds on one explanation. Units: seconds, tokens, characters, USD."""

    retry: RetryPolicy = msgspec.field(default_factory=RetryPolicy)
    max_completion_tokens: int = 100
    max_prompt_tokens: int = 400  # estimated, ~25% over real counts (pricing.estimate_tokens)
    max_answer_chars: int = MAX_CHARS
    budget: Budget = msgspec.field(default_factory=Budget)
    structured: bool = False  # ask for JSON naming the action and the facts cited
