"""How a real model does as the narrator: the recorded scenarios' days through any
OpenAI-compatible endpoint (Ollama, vLLM, llama.cpp, OpenAI), checked as the daily run checks.

For every day of the twelve scenarios in tests/agent_scenarios (replayed offline first for the
decision and plan), the model narrator asks the model exactly as the daily run does (same
prompt, facts, deadline, caps and answer check) and the report gives, per model: answers
accepted, each rejection reason, tokens, latency, and cost per athlete-month (30 explanations
at data/prices.toml's price; unknown for an unpriced model).

    .venv/bin/python benchmarks/bench_narrator.py --base-url http://127.0.0.1:11434/v1 \
        --model llama3.2 --model qwen2.5:3b
    OPENAI_API_KEY=... .venv/bin/python benchmarks/bench_narrator.py \
        --base-url https://api.openai.com/v1 --model gpt-4o-mini --structured
    .venv/bin/python benchmarks/bench_narrator.py --self-test   # CI: the local test server

``--self-test`` starts the test suite's OpenAI-compatible server on 127.0.0.1 and has it answer
like a model would: mostly the day's own offline text, with every fifth answer wrong in one of
the ways the check must catch. It measures the plumbing, not a model.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import structlog
from pydantic import SecretStr

from lanterne_rouge.ai.ai_clients import STRUCTURED_PROMPT, ExplainRequest, Limits
from lanterne_rouge.ai.budget import Budget
from lanterne_rouge.ai.model_narrator import ModelNarrator, Prompts
from lanterne_rouge.ai.pricing import load_prices
from lanterne_rouge.ai.prompts import select_prompt
from lanterne_rouge.ai.providers import OpenAIProvider
from lanterne_rouge.ai.retry import RetryPolicy
from lanterne_rouge.memory.records import LLMCallRecord
from lanterne_rouge.replay import replay
from lanterne_rouge.sources.scenarios import load_scenario

REPO = Path(__file__).resolve().parents[1]
DAYS_PER_MONTH = 30
WRONG_ANSWERS = (
    "Go all out today and empty the tank.",  # another action (unless it is a push day)
    "You slept well and your form is excellent, so follow the plan.",  # a state
    "Readiness is 97 today, so follow the plan.",  # an invented number
    "Follow the plan, and add two extra intervals if you feel good.",  # unsafe
)


@cache
def scenario_days(limit: int | None = None) -> list[tuple[ExplainRequest, str]]:
    """(request, offline explanation) for every replayed scenario day."""
    found = []
    for folder in sorted((REPO / "tests" / "agent_scenarios").iterdir()):
        if not (folder / "history.csv").is_file():
            continue
        if limit is not None and len(found) >= limit:
            break
        for day in replay(load_scenario(folder)):
            r = day.result
            request = ExplainRequest(
                r.run.athlete_id, r.decision, r.plan, r.status, r.observation, day=r.run.day
            )
            found.append((request, r.report.explanation))
    return found[:limit]


@dataclass
class Tally:
    model: str
    rows: list[LLMCallRecord] = field(default_factory=list)

    def add(self, row: LLMCallRecord | None) -> None:
        if row is not None:
            self.rows.append(row)

    def lines(self) -> list[str]:
        rows, n = self.rows, len(self.rows)
        ok = sum(r.outcome == "ok" for r in rows)
        reasons = Counter((r.reason or "").split(":")[0] for r in rows if r.outcome != "ok")
        latency = sorted(r.latency_ms for r in rows)
        tokens_in = [r.input_tokens for r in rows if r.input_tokens is not None]
        tokens_out = [r.output_tokens for r in rows if r.output_tokens is not None]
        costs = [r.cost_usd for r in rows if r.outcome != "skipped"]
        out = [f"model {self.model}: {n} days"]
        out.append(f"  accepted          {ok}/{n} ({ok / n:.0%})" if n else "  no answers")
        for reason, count in reasons.most_common():
            out.append(f"  rejected {reason:<9}{count}")
        if tokens_in and tokens_out:
            out.append(
                f"  tokens            prompt median {statistics.median(tokens_in):.0f}, "
                f"completion median {statistics.median(tokens_out):.0f}, "
                f"max {max(tokens_out)}"
            )
        if latency:
            p95 = latency[min(len(latency) - 1, int(0.95 * len(latency)))]
            out.append(
                f"  latency           median {statistics.median(latency):.0f} ms, p95 {p95:.0f} ms"
            )
        if costs and all(c is not None for c in costs):
            month = DAYS_PER_MONTH * statistics.mean(c for c in costs if c is not None)
            out.append(f"  cost              ${month:.4f} per athlete-month")
        else:
            out.append("  cost              unknown (no price for this model in data/prices.toml)")
        return out


def narrator(base_url: str, model: str, structured: bool, deadline: float) -> ModelNarrator:
    key = os.environ.get("OPENAI_API_KEY")
    provider = OpenAIProvider(
        api_key=SecretStr(key) if key else None, base_url=base_url, model=model
    )
    daily = select_prompt(STRUCTURED_PROMPT if structured else "daily_explanation")
    prompts = Prompts(daily, select_prompt("weekly_reflection"))
    limits = Limits(
        retry=RetryPolicy(deadline_s=deadline),
        budget=Budget(daily_usd=None, monthly_usd=None),
        structured=structured,
    )
    return ModelNarrator(provider, prompts, load_prices(), limits)


def run(
    base_url: str, models: Sequence[str], *, structured: bool, deadline: float, limit: int | None
) -> list[str]:
    days = scenario_days(limit)
    lines = [f"{len(days)} scenario days, {'structured JSON' if structured else 'plain'} answers"]
    for model in models:
        tally = Tally(model)
        teller = narrator(base_url, model, structured, deadline)
        for request, _ in days:
            tally.add(teller.explain(request).usage)
        lines += tally.lines()
    return lines


@contextmanager
def self_test_server(limit: int | None) -> Iterator[str]:
    """The test suite's local server, answering each day as a model might (see the docstring)."""
    sys.path.insert(0, str(REPO / "tests"))
    from support.openai_server import OpenAICompatibleServer, answer

    with OpenAICompatibleServer() as server:
        for i, (_, offline_text) in enumerate(scenario_days(limit)):
            text = WRONG_ANSWERS[(i // 5) % 4] if i % 5 == 4 else offline_text
            server.enqueue(answer(text, completion_tokens=len(text) // 4))
        yield server.url


def main(argv: Sequence[str] | None = None) -> list[str]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", help="the endpoint, ending in /v1")
    parser.add_argument("--model", action="append", default=[], help="repeat for several")
    parser.add_argument("--structured", action="store_true", help="ask for JSON answers")
    parser.add_argument("--deadline", type=float, default=10.0, help="seconds per explanation")
    parser.add_argument("--limit", type=int, default=None, help="only the first N days")
    parser.add_argument("--self-test", action="store_true", help="use the local test server")
    args = parser.parse_args(argv)
    logging.disable(logging.CRITICAL)
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.CRITICAL))
    if args.self_test:
        with self_test_server(args.limit) as url:
            lines = run(
                url, ["gpt-4o-mini"], structured=False, deadline=args.deadline, limit=args.limit
            )
    else:
        if not args.base_url or not args.model:
            parser.error("--base-url and at least one --model are needed (or --self-test)")
        lines = run(
            args.base_url,
            args.model,
            structured=args.structured,
            deadline=args.deadline,
            limit=args.limit,
        )
    print("\n".join(lines))
    return lines


if __name__ == "__main__":
    main()
