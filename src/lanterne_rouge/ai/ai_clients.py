"""The only door to a language model.

A narrator turns a decision into a short explanation. It never changes the decision. The
offline narrator is deterministic and needs nothing; model-backed narrators fall back to it on
any failure and say why in the result.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from lanterne_rouge.ai.offline import (
    OFFLINE_MODEL,
    OFFLINE_PROMPT_ID,
    OFFLINE_PROMPT_VERSION,
    OFFLINE_PROVIDER,
    offline_explanation,
)
from lanterne_rouge.messages import Decision, MissionStatus, Observation, Plan


@dataclass(frozen=True)
class Explanation:
    text: str
    provider: str
    model: str
    prompt_id: str
    prompt_version: int
    fallback_reason: str | None = None


@dataclass(frozen=True)
class ExplainRequest:
    """Everything a narrator may use; the decision is final before it is asked."""

    athlete_id: str
    decision: Decision
    plan: Plan
    status: MissionStatus
    observation: Observation


class Narrator(Protocol):
    def explain(self, request: ExplainRequest) -> Explanation: ...


class OfflineNarrator:
    """Deterministic, free, always available."""

    def explain(self, request: ExplainRequest) -> Explanation:
        text = offline_explanation(
            request.decision, request.plan, request.status, request.observation
        )
        return Explanation(
            text=text,
            provider=OFFLINE_PROVIDER,
            model=OFFLINE_MODEL,
            prompt_id=OFFLINE_PROMPT_ID,
            prompt_version=OFFLINE_PROMPT_VERSION,
        )
