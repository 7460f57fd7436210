"""Communication agent: the day's report, explained by a narrator that cannot change it.

On the first run of a week it also has the week's reflection summed up. It returns the report
and the usage rows of any model calls; storing them is the caller's job.
"""

from __future__ import annotations

import uuid
from datetime import date

from lanterne_rouge.ai.ai_clients import ExplainRequest, Narrator, WeekRequest
from lanterne_rouge.memory.records import LLMCallRecord, Spent
from lanterne_rouge.messages import (
    CoachReport,
    Decision,
    MissionStatus,
    Observation,
    Plan,
    Reflection,
)


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
        week: Reflection | None = None,
        spent: Spent | None = None,
    ) -> tuple[CoachReport, tuple[LLMCallRecord, ...]]:
        """``run_id`` and ``day`` label the usage rows; ``notes`` are quoted, never obeyed;
        ``week`` is a reflection made this run; ``spent`` is what the model cost so far
        (the athlete's day and month, the fleet's day; None: nothing)."""
        spent = spent or Spent()
        told = self.narrator.explain(
            ExplainRequest(
                athlete_id=athlete_id,
                decision=decision,
                plan=plan,
                status=status,
                observation=obs,
                run_id=run_id,
                day=day,
                notes=notes,
                spent=spent,
            )
        )
        rows = [told.usage] if told.usage else []
        summary = None
        if week is not None:
            weekly = self.narrator.explain_week(
                WeekRequest(athlete_id, week, run_id, day, spent.plus(tuple(rows)))
            )
            summary = weekly.explanation.text
            rows += [weekly.usage] if weekly.usage else []
        explained = told.explanation
        report = CoachReport(
            action=decision.action,
            headline=headline(decision, plan, obs.data_label),
            explanation=explained.text,
            provider=explained.provider,
            model=explained.model,
            prompt_id=explained.prompt_id,
            prompt_version=explained.prompt_version,
            fallback_reason=explained.fallback_reason,
            week_summary=summary,
        )
        return report, tuple(rows)
