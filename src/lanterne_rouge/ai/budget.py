"""Budgets checked before a call, against the worst case it could cost.

The worst case is the estimated prompt tokens plus the completion cap, at the model's prices.
Spend so far is the ledger's known costs in the UTC day or month, plus that same worst case for
each earlier call whose cost is unknown (it may have been billed). A model with no price can
not be held to a budget: it is refused unless ``allow_unpriced`` (free local servers).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from lanterne_rouge.ai.failures import CallSkipped
from lanterne_rouge.ai.pricing import ModelPrice, worst_case_usd
from lanterne_rouge.memory.records import LLMCallRecord
from lanterne_rouge.usage import day_start, month_start


@dataclass(frozen=True)
class Budget:
    daily_usd: float | None = 0.02
    monthly_usd: float | None = 0.50
    allow_unpriced: bool = False


def check_budget(
    budget: Budget,
    rows: list[LLMCallRecord],
    *,
    now: datetime,
    model: str,
    price: ModelPrice | None,
    prompt_tokens: int,
    max_tokens: int,
) -> None:
    """Raise ``CallSkipped`` when this call could take the day or the month over budget."""
    if budget.daily_usd is None and budget.monthly_usd is None:
        return
    if price is None:
        if budget.allow_unpriced:
            return
        raise CallSkipped(
            f"model {model!r} has no price in the price table and a budget is set - add it to "
            "LANTERNE_PRICES_FILE or set LANTERNE_LLM_ALLOW_UNPRICED=true",
            code="unpriced",
        )
    worst = worst_case_usd(price, prompt_tokens, max_tokens)
    for label, cap, since in (
        ("daily", budget.daily_usd, day_start(now)),
        ("monthly", budget.monthly_usd, month_start(now)),
    ):
        if cap is None:
            continue
        spent = _spent([r for r in rows if r.created_at >= since], worst)
        if spent + worst > cap:
            raise CallSkipped(
                f"{label} budget ${cap:g} reached (${spent:.4f} spent, this call could cost "
                f"${worst:.6f}) - raise LANTERNE_LLM_{label.upper()}_BUDGET_USD",
                code="budget",
            )


def _spent(rows: list[LLMCallRecord], worst: float) -> float:
    known = sum(r.cost_usd for r in rows if r.cost_usd is not None)
    unknown = sum(1 for r in rows if r.cost_usd is None and r.attempts > 0)
    return known + unknown * worst
