"""Budgets checked before a call, against the worst case it could cost.

The worst case is the estimated prompt tokens plus the completion cap, at the model's prices.
Budgets are per athlete (a UTC day and month), plus an optional daily total for the whole
fleet. Spend so far comes from the ledger's running sums (``Spent``): known costs, plus that
same worst case for each earlier call whose cost is unknown (it may have been billed). A model
with no price can not be held to a budget: it is refused unless ``allow_unpriced`` (free local
servers).
"""

from __future__ import annotations

import msgspec

from lanterne_rouge.ai.failures import CallSkipped
from lanterne_rouge.ai.pricing import ModelPrice, worst_case_usd
from lanterne_rouge.memory.records import Spent


class Budget(msgspec.Struct, frozen=True):
    daily_usd: float | None = 0.02  # each athlete's
    monthly_usd: float | None = 0.50  # each athlete's
    allow_unpriced: bool = False
    fleet_daily_usd: float | None = None  # every athlete together

    @property
    def unlimited(self) -> bool:
        return self.daily_usd is None and self.monthly_usd is None and self.fleet_daily_usd is None


def check_budget(
    budget: Budget,
    spent: Spent,
    *,
    model: str,
    price: ModelPrice | None,
    prompt_tokens: int,
    max_tokens: int,
) -> None:
    """Raise ``CallSkipped`` when this call could take the athlete's day or month, or the
    fleet's day, over budget."""
    if budget.unlimited:
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
    for label, cap, usd, unknown, setting in (
        ("daily", budget.daily_usd, spent.day_usd, spent.day_unknown, "LLM_DAILY"),
        ("monthly", budget.monthly_usd, spent.month_usd, spent.month_unknown, "LLM_MONTHLY"),
        (
            "the fleet's daily",
            budget.fleet_daily_usd,
            spent.fleet_day_usd,
            spent.fleet_day_unknown,
            "FLEET_DAILY",
        ),
    ):
        if cap is None:
            continue
        so_far = usd + unknown * worst
        if so_far + worst > cap:
            raise CallSkipped(
                f"{label} budget ${cap:g} reached (${so_far:.4f} spent, this call could cost "
                f"${worst:.6f}) - raise LANTERNE_{setting}_BUDGET_USD",
                code="budget",
            )
