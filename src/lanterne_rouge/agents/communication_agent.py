"""Communication agent: the day's report, explained by a narrator that cannot change it."""

from __future__ import annotations

import uuid
from datetime import date

from lanterne_rouge.ai.ai_clients import ExplainRequest, Narrator
from lanterne_rouge.messages import CoachReport, Decision, MissionStatus, Observation, Plan


def headline(decision: Decision, plan: Plan, data_label: str) -> str:
    prefix = "[DEMO DATA] " if data_label == "demo" else ""
    return f"{prefix}{decision.action.upper()}: {plan.workout.name}"


class CommunicationAgent:
    producer = "communication_agent"

    def __init__(self, narrator: Narrator) -> None:
        self.narrator = narrator

    def report(
        self,
        athlete_id: str,
        obs: Observation,
        status: MissionStatus,
        decision: Decision,
        plan: Plan,
        *,
        run_id: uuid.UUID | None = None,
        day: date | None = None,
        notes: tuple[str, ...] = (),
    ) -> CoachReport:
        """``run_id`` and ``day`` label the usage ledger; ``notes`` are quoted, never obeyed."""
        explained = self.narrator.explain(
            ExplainRequest(
                athlete_id=athlete_id,
                decision=decision,
                plan=plan,
                status=status,
                observation=obs,
                run_id=run_id,
                day=day,
                notes=notes,
            )
        )
        return CoachReport(
            action=decision.action,
            headline=headline(decision, plan, obs.data_label),
            explanation=explained.text,
            provider=explained.provider,
            model=explained.model,
            prompt_id=explained.prompt_id,
            prompt_version=explained.prompt_version,
            fallback_reason=explained.fallback_reason,
        )
