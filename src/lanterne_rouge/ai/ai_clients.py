"""The only door to a language model.

A narrator turns a decision (and, on the first run of a week, the week's reflection) into a
short explanation. It never changes the decision. It is a plain call: it takes the facts and
returns the explanation with its usage record (``Narration``); it never opens the database, so
the day can run it between two transactions. The offline narrator is deterministic and needs
nothing; the model narrator asks a chat provider (OpenAI or any compatible server,
HuggingFace) and falls back to the offline text on any failure, saying why.

Every model explanation is bounded (one wall-clock deadline covering connect, retries and the
whole body, a completion-token cap, a prompt-size cap, daily and monthly budgets checked
before the call against the ledger rows the caller passes in), checked against the facts
(``ai/claims.py``) and recorded: the returned ``LLMCallRecord`` is the caller's to store.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from lanterne_rouge.ai.budget import Budget
from lanterne_rouge.ai.retry import RetryPolicy
from lanterne_rouge.errors import ConfigError
from lanterne_rouge.messages import (
    utc_now,
)
from lanterne_rouge.utils.logger import get_logger

if TYPE_CHECKING:
    from lanterne_rouge.ai.providers import ChatProvider
    from lanterne_rouge.utils.config_loader import Settings

from lanterne_rouge.ai.narration import (
    EXPLANATION_PROMPT,
    STRUCTURED_PROMPT,
    WEEK_PROMPT,
    ExplainRequest,
    Explanation,
    Limits,
    Narration,
    Narrator,
    OfflineNarrator,
    WeekRequest,
)

log = get_logger(__name__)

__all__ = [
    "EXPLANATION_PROMPT",
    "STRUCTURED_PROMPT",
    "WEEK_PROMPT",
    "ExplainRequest",
    "Explanation",
    "Limits",
    "Narration",
    "Narrator",
    "OfflineNarrator",
    "WeekRequest",
    "build_narrator",
    "limits_from",
    "make_provider",
]


def build_narrator(settings: Settings, *, clock: Callable[[], datetime] = utc_now) -> Narrator:
    """The narrator the settings ask for; a configuration problem gives offline, saying why."""
    if settings.llm_provider == "offline":
        return OfflineNarrator()
    from lanterne_rouge.ai.model_narrator import ModelNarrator, Prompts
    from lanterne_rouge.ai.pricing import load_prices
    from lanterne_rouge.ai.prompts import select_prompt

    try:
        provider = make_provider(settings)
        limits = limits_from(settings, provider)
        daily = STRUCTURED_PROMPT if limits.structured else EXPLANATION_PROMPT
        prompts = Prompts(
            daily=select_prompt(daily, settings.prompt_version),
            week=select_prompt(WEEK_PROMPT),
        )
        return ModelNarrator(
            provider,
            prompts,
            load_prices(settings.prices_file),
            limits,
            clock=clock,
            timer=time.monotonic,
        )
    except ConfigError as exc:
        log.warning("llm not used", provider=settings.llm_provider, reason=str(exc))
        return OfflineNarrator(f"{settings.llm_provider}: {exc}")


def make_provider(settings: Settings) -> ChatProvider:
    from lanterne_rouge.ai.providers import HuggingFaceProvider, OpenAIProvider

    if settings.llm_provider == "openai":
        return OpenAIProvider(
            api_key=settings.openai_api_key,
            base_url=settings.openai_base_url,
            model=settings.llm_model,
        )
    if settings.llm_provider == "huggingface":
        return HuggingFaceProvider(
            token=settings.hf_token, base_url=settings.hf_base_url, model=settings.llm_model
        )
    raise ConfigError(f"LANTERNE_LLM_PROVIDER: unknown provider {settings.llm_provider!r}")


def limits_from(settings: Settings, provider: ChatProvider | None = None) -> Limits:
    structured = settings.llm_structured_output
    if structured == "auto":  # api.openai.com honours json_schema; local servers vary
        structured = "on" if provider is not None and provider.native_structured else "off"
    return Limits(
        retry=RetryPolicy(
            deadline_s=settings.llm_deadline_s,
            max_attempts=settings.llm_max_attempts,
            backoff_s=settings.llm_backoff_s,
        ),
        max_completion_tokens=settings.llm_max_tokens,
        max_prompt_tokens=settings.llm_max_prompt_tokens,
        max_answer_chars=settings.llm_max_answer_chars,
        budget=Budget(
            daily_usd=settings.llm_daily_budget_usd,
            monthly_usd=settings.llm_monthly_budget_usd,
            allow_unpriced=settings.llm_allow_unpriced,
            fleet_daily_usd=settings.fleet_daily_budget_usd,
        ),
        structured=structured == "on",
    )
