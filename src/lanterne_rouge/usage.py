"""What the model calls cost: summaries of the ``llm_calls`` ledger per day and model.

Days and months are UTC calendar periods of each row's ``created_at`` (the moment money was
spent), the same periods the budgets use. Units: tokens are counts, costs USD. A row whose cost
is unknown (model missing from the price table, or the answer never said how many tokens) is
counted apart, never as free.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

import msgspec

from lanterne_rouge.memory.records import LLMCallRecord
from lanterne_rouge.wording import plural

if TYPE_CHECKING:
    from lanterne_rouge.memory.state_store import StateStore


class Usage(msgspec.Struct):
    """Totals over some ledger rows."""

    calls: int = 0  # chains that sent at least one request
    ok: int = 0
    fallback: int = 0
    skipped: int = 0  # refused before sending anything (budget, prompt size, price)
    input_tokens: int = 0
    cached_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0  # known costs only
    unknown_cost: int = 0  # calls that sent a request but have no known cost
    models: set[str] = msgspec.field(default_factory=set)

    def add(self, row: LLMCallRecord) -> None:
        self.models.add(row.model_requested)
        if row.outcome == "skipped":
            self.skipped += 1
            return
        self.calls += 1
        self.ok += row.outcome == "ok"
        self.fallback += row.outcome == "fallback"
        self.input_tokens += row.input_tokens or 0
        self.cached_tokens += row.cached_tokens or 0
        self.output_tokens += row.output_tokens or 0
        if row.cost_usd is None:
            self.unknown_cost += 1
        else:
            self.cost_usd += row.cost_usd

    @property
    def tokens(self) -> int:
        return self.input_tokens + self.output_tokens


def total(rows: Iterable[LLMCallRecord]) -> Usage:
    usage = Usage()
    for row in rows:
        usage.add(row)
    return usage


def utc_day(moment: datetime) -> date:
    return moment.astimezone(UTC).date()


def day_start(now: datetime) -> datetime:
    """Midnight UTC of ``now``'s UTC day."""
    return datetime.combine(utc_day(now), datetime.min.time(), tzinfo=UTC)


def month_start(now: datetime) -> datetime:
    return datetime.combine(utc_day(now).replace(day=1), datetime.min.time(), tzinfo=UTC)


def by_day_and_model(rows: Iterable[LLMCallRecord]) -> dict[tuple[date, str], Usage]:
    grouped: dict[tuple[date, str], Usage] = {}
    for row in rows:
        key = (utc_day(row.created_at), row.model_requested)
        grouped.setdefault(key, Usage()).add(row)
    return dict(sorted(grouped.items()))


def usd(amount: float) -> str:
    if amount == 0:
        return "$0"
    if amount < 0.01:
        return f"${amount:.6f}"
    return f"${amount:.4f}" if amount < 1 else f"${amount:.2f}"


def _cost(usage: Usage) -> str:
    known = usd(usage.cost_usd)
    if not usage.unknown_cost:
        return known
    return f"{known} (+{plural(usage.unknown_cost, 'call')} of unknown cost)"


def one_line(rows: Sequence[LLMCallRecord], now: datetime) -> str:
    """The daily run's last line: today's calls, tokens and cost, and the month's cost."""
    today = total(r for r in rows if r.created_at >= day_start(now))
    month = total(r for r in rows if r.created_at >= month_start(now))
    notes = []
    if today.fallback:
        notes.append(f"{today.fallback} fell back to offline")
    if today.skipped:
        notes.append(f"{today.skipped} skipped")
    extra = f" ({', '.join(notes)})" if notes else ""
    return (
        f"LLM: {plural(today.calls, 'call')}{extra}, {today.tokens} tokens, "
        f"{_cost(today)} today; {_cost(month)} this month"
    )


COLUMNS = (
    "day",
    "model",
    "calls",
    "ok",
    "fallback",
    "skipped",
    "input",
    "cached",
    "output",
    "cost",
)
_WIDTHS = (10, 24, 5, 4, 8, 7, 8, 7, 7, 0)


def _row(cells: Sequence[object]) -> str:
    padded = (
        str(cell).ljust(width) if i < 2 else str(cell).rjust(width)
        for i, (cell, width) in enumerate(zip(cells, _WIDTHS, strict=True))
    )
    return "  ".join(padded).rstrip()


def table(rows: Iterable[LLMCallRecord]) -> list[str]:
    """Lines of the ``usage`` command: one per day and model, then a total."""
    rows = list(rows)
    if not rows:
        return ["No model calls recorded."]
    lines = [_row(COLUMNS)]
    for (day, model), u in by_day_and_model(rows).items():
        counts = (u.calls, u.ok, u.fallback, u.skipped)
        tokens = (u.input_tokens, u.cached_tokens, u.output_tokens)
        lines.append(_row((day, model, *counts, *tokens, _cost(u))))
    everything = total(rows)
    skipped = f"; {everything.skipped} skipped" if everything.skipped else ""
    lines.append(
        f"Total: {plural(everything.calls, 'call')}, {everything.tokens} tokens, "
        f"{_cost(everything)}{skipped}"
    )
    return lines


def run_summary(store: StateStore, *, offline: bool, now: datetime | None = None) -> str:
    """The daily run's closing line about model use."""
    if offline:
        return "LLM: offline explainer, no model calls"
    moment = now or datetime.now(UTC)
    return one_line(store.llm_calls(since=month_start(moment)), moment)
