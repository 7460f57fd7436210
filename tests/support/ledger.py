"""A row of the model's usage ledger for tests: a priced daily explanation that went well,
with whatever a test says otherwise."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from lanterne_rouge.memory.records import LLMCallRecord


def ledger_row(athlete_id: str, day: date, **fields: Any) -> LLMCallRecord:
    """``fields`` replace the defaults (``cost_usd``, ``outcome``, ``created_at``: now...)."""
    row: dict[str, Any] = {
        "run_id": None,
        "athlete_id": athlete_id,
        "day": day,
        "agent": "communication_agent",
        "provider": "openai",
        "model_requested": "gpt-4o-mini",
        "prompt_id": "daily_explanation",
        "prompt_version": 1,
        "prompt_sha256": "0" * 64,
        "cost_usd": 0.001,
        "latency_ms": 900.0,
        "attempts": 1,
        "outcome": "ok",
        "created_at": datetime.now(UTC),
    }
    return LLMCallRecord(**{**row, **fields})
