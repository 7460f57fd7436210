"""Tokens and cost of the daily explanation.

For every day of the recorded replay scenarios (tests/agent_scenarios: all five actions and
their rules), the daily_explanation prompt is rendered exactly as the model narrator sends
it, and counted:

- prompt tokens: with the o200k_base tokenizer (gpt-4o / 4.1 / 5 families) when the
  ``bpe-openai`` package is installed (it ships its vocabulary, so it counts offline:
  ``.venv/bin/pip install bpe-openai``); otherwise with the narrator's own conservative
  estimate (a token per 3 characters, plus chat-format overhead), and it says which;
- completion tokens: typical = the offline explanation of the same day (two sentences, the
  length asked of the model); worst = the completion cap actually sent (min of the prompt's
  max_tokens and LANTERNE_LLM_MAX_TOKENS' default).

Goal: <= 350 tokens per explanation (prompt + completion cap). It was 250 before the facts
carried their meanings ("form -21.3: fatigued, in the optimal-training band"), which the
answer check needs the model to see; measured with o200k_base: prompt median 231, max 252,
worst case 342. The typical completion is the offline text, now longer than the two sentences
asked of a model (which the cap of 90 holds). Then the cost of one explanation a
day for 30 days at each model's price in data/prices.toml.

    .venv/bin/python benchmarks/bench_llm_tokens.py
"""

from __future__ import annotations

import logging
import statistics
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import structlog

from lanterne_rouge.ai.ai_clients import ExplainRequest, Limits
from lanterne_rouge.ai.facts import day_facts
from lanterne_rouge.ai.pricing import (
    TOKENS_PER_MESSAGE,
    TOKENS_PER_REQUEST,
    estimate_tokens,
    load_prices,
)
from lanterne_rouge.ai.prompts import render, select_prompt
from lanterne_rouge.replay import replay
from lanterne_rouge.sources.scenarios import load_scenario

REPO = Path(__file__).resolve().parents[1]
GOAL_TOKENS = 350
DAYS_PER_MONTH = 30


def tokenizer() -> tuple[str, Callable[[str], int] | None]:
    try:
        import bpe_openai
    except ImportError:
        return "estimate (a token per 3 characters; bpe-openai not installed)", None
    encoding = bpe_openai.get_encoding("o200k_base")
    return "o200k_base (bpe-openai)", lambda text: len(encoding.encode(text))


def chat_tokens(messages: Sequence[Mapping[str, str]], count: Callable[[str], int] | None) -> int:
    if count is None:
        return estimate_tokens(messages)
    body = sum(TOKENS_PER_MESSAGE + count(m["content"]) for m in messages)
    return TOKENS_PER_REQUEST + body


def scenario_requests() -> list[tuple[ExplainRequest, str]]:
    """(request, offline explanation) for every replayed scenario day."""
    found = []
    for folder in sorted((REPO / "tests" / "agent_scenarios").iterdir()):
        if not (folder / "history.csv").is_file():
            continue
        for day in replay(load_scenario(folder)):
            r = day.result
            request = ExplainRequest(r.run.athlete_id, r.decision, r.plan, r.status, r.observation)
            found.append((request, r.report.explanation))
    return found


def main() -> None:
    logging.disable(logging.CRITICAL)
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.CRITICAL))
    prompt = select_prompt("daily_explanation")
    cap = min(prompt.params.max_tokens, Limits().max_completion_tokens)
    name, count = tokenizer()
    measure = count or (lambda text: estimate_tokens([{"content": text}]) - 7)
    prompts, answers, estimates, actions = [], [], [], set()
    for request, offline_text in scenario_requests():
        facts = day_facts(request).text
        rendered = render(prompt, {"facts": facts, "action": request.decision.action}, [])
        prompts.append(chat_tokens(rendered.messages, count))
        estimates.append(estimate_tokens(rendered.messages))
        answers.append(measure(offline_text))
        actions.add(request.decision.action)

    typical = [p + a for p, a in zip(prompts, answers, strict=True)]
    worst = [p + cap for p in prompts]
    median = statistics.median
    print(f"daily_explanation v{prompt.version}: {len(prompts)} scenario days")
    print(f"actions: {', '.join(sorted(actions))}; tokenizer: {name}")
    print(f"prompt tokens:     median {median(prompts):.0f}, max {max(prompts)}")
    print(f"  budget estimate: median {median(estimates):.0f}, max {max(estimates)}")
    print(f"completion tokens: median {median(answers):.0f}, max {max(answers)}; cap {cap}")
    print(f"total, typical:    median {median(typical):.0f}, max {max(typical)}")
    print(f"total, worst case: max {max(worst)} (prompt + the whole cap)")
    verdict = "met" if max(worst) <= GOAL_TOKENS else "met typically only"
    if max(typical) > GOAL_TOKENS:
        verdict = "NOT met"
    caveat = "" if count else " (by the estimate, which over-counts by about a fifth)"
    print(f"goal <= {GOAL_TOKENS} tokens per explanation: {verdict}{caveat}")
    prices = load_prices()
    p_in, p_typ, p_cap = statistics.mean(prompts), statistics.mean(answers), cap
    print(f"\ncost per athlete-month ({DAYS_PER_MONTH} explanations), prices as of {prices.as_of}:")
    for model, price in prices.models.items():
        typical_usd = DAYS_PER_MONTH * (p_in * price.input + p_typ * price.output) / 1e6
        worst_usd = DAYS_PER_MONTH * (p_in * price.input + p_cap * price.output) / 1e6
        print(f"  {model:<14} typical ${typical_usd:.4f}   worst ${worst_usd:.4f}")


if __name__ == "__main__":
    main()
