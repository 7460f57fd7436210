"""The only door to a language model.

A narrator turns a decision into a short explanation. It never changes the decision. The
offline narrator is deterministic and needs nothing; the model narrator asks a chat provider
(OpenAI or any compatible server, HuggingFace) and falls back to the offline text on any
failure, saying why.

Every model explanation is bounded (one deadline covering retries, a completion-token cap, a
prompt-size cap, daily and monthly budgets checked before the call), validated (see
``ai/validation.py``) and recorded: one ``llm_calls`` row per explanation, written here on the
caller's side inside the day's transaction, so it rolls back with the day.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Protocol

from lanterne_rouge.ai.budget import Budget, check_budget
from lanterne_rouge.ai.facts import explanation_facts
from lanterne_rouge.ai.failures import CallSkipped, ModelCallFailed
from lanterne_rouge.ai.offline import (
    OFFLINE_MODEL,
    OFFLINE_PROMPT_ID,
    OFFLINE_PROMPT_VERSION,
    OFFLINE_PROVIDER,
    offline_explanation,
)
from lanterne_rouge.ai.pricing import PriceTable, cost_usd, estimate_tokens
from lanterne_rouge.ai.prompts import Prompt, RenderedPrompt, clean_notes, quote_data, render
from lanterne_rouge.ai.providers import ChatProvider, ChatRequest, Completion
from lanterne_rouge.ai.retry import RetryPolicy, call_within_deadline
from lanterne_rouge.ai.validation import check_answer
from lanterne_rouge.errors import ConfigError
from lanterne_rouge.memory.records import LLMCallRecord, Outcome
from lanterne_rouge.messages import Decision, MissionStatus, Observation, Plan, utc_now
from lanterne_rouge.usage import month_start, utc_day
from lanterne_rouge.utils.logger import get_logger, redact_text

if TYPE_CHECKING:
    from lanterne_rouge.memory.state_store import StateStore
    from lanterne_rouge.utils.config_loader import Settings

log = get_logger(__name__)

EXPLANATION_PROMPT = "daily_explanation"


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
    """Everything a narrator may use; the decision is final before it is asked.

    ``notes`` are recent activity names or notes: untrusted text, only ever quoted as data.
    ``run_id`` and ``day`` go into the usage ledger.
    """

    athlete_id: str
    decision: Decision
    plan: Plan
    status: MissionStatus
    observation: Observation
    run_id: uuid.UUID | None = None
    day: date | None = None
    notes: tuple[str, ...] = ()


class Narrator(Protocol):
    def explain(self, request: ExplainRequest) -> Explanation: ...


class OfflineNarrator:
    """Deterministic, free, always available; ``reason`` says why it stands in for a model."""

    def __init__(self, reason: str | None = None) -> None:
        self.reason = reason

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
            fallback_reason=self.reason,
        )


@dataclass(frozen=True)
class Limits:
    """Bounds on one explanation. Units: seconds, tokens, characters, USD."""

    retry: RetryPolicy = field(default_factory=RetryPolicy)
    max_completion_tokens: int = 100
    max_prompt_tokens: int = 300  # estimated, ~25% over real counts (pricing.estimate_tokens)
    max_answer_chars: int = 400
    budget: Budget = field(default_factory=Budget)


class ModelNarrator:
    """Explains through a chat model; any failure gives the offline text and a ledger reason."""

    agent = "communication_agent"

    def __init__(
        self,
        provider: ChatProvider,
        store: StateStore,
        prompt: Prompt,
        prices: PriceTable,
        limits: Limits | None = None,
        *,
        clock: Callable[[], datetime] = utc_now,
        timer: Callable[[], float] = time.monotonic,
    ) -> None:
        self.provider, self.store, self.prompt, self.prices = provider, store, prompt, prices
        self.limits = limits or Limits()
        self.clock, self.timer = clock, timer

    def explain(self, request: ExplainRequest) -> Explanation:
        started = self.timer()
        facts = quote_data(explanation_facts(request))
        rendered = self._render(facts, request)
        call = _Call(request, started)
        try:
            chat = self._preflight(rendered)
            call.completion, call.attempts = call_within_deadline(
                self.provider, chat, self.limits.retry, clock=self.timer
            )
            text = check_answer(
                call.completion.text,
                request.decision.action,
                facts,
                max_chars=self.limits.max_answer_chars,
                truncated=call.completion.finish_reason == "length",
            )
        except ModelCallFailed as exc:
            call.attempts = call.attempts or exc.attempts
            return self._fallback(call, exc)
        self._record(call, "ok", None)
        return Explanation(
            text=text,
            provider=self.provider.name,
            model=call.completion.model or self.provider.model,
            prompt_id=self.prompt.id,
            prompt_version=self.prompt.version,
        )

    def _render(self, facts: str, request: ExplainRequest) -> RenderedPrompt:
        """The prompt with the athlete's notes, or without them when they make it too long."""
        values = {"facts": facts, "action": request.decision.action}
        notes = clean_notes(request.notes)
        rendered = render(self.prompt, values, notes)
        if notes and estimate_tokens(rendered.messages) > self.limits.max_prompt_tokens:
            return render(self.prompt, values, [])
        return rendered

    def _preflight(self, rendered: RenderedPrompt) -> ChatRequest:
        """Size and budget checks: raise ``CallSkipped`` before any request is sent."""
        prompt_tokens = estimate_tokens(rendered.messages)
        if prompt_tokens > self.limits.max_prompt_tokens:
            raise CallSkipped(
                f"the prompt is about {prompt_tokens} tokens, over the cap of "
                f"{self.limits.max_prompt_tokens} (LANTERNE_LLM_MAX_PROMPT_TOKENS)",
                code="prompt_too_long",
            )
        max_tokens = min(self.prompt.params.max_tokens, self.limits.max_completion_tokens)
        now = self.clock()
        check_budget(
            self.limits.budget,
            self.store.llm_calls(since=month_start(now)),
            now=now,
            model=self.provider.model,
            price=self.prices.price(self.provider.model),
            prompt_tokens=prompt_tokens,
            max_tokens=max_tokens,
        )
        return ChatRequest(
            model=self.provider.model,
            messages=rendered.messages,
            max_tokens=max_tokens,
            temperature=self.prompt.params.temperature,
        )

    def _fallback(self, call: _Call, failure: ModelCallFailed) -> Explanation:
        tries = (
            f" ({call.attempts} attempt{'s' if call.attempts != 1 else ''})"
            if call.attempts
            else ""
        )
        reason = redact_text(f"{failure.reason}{tries}")
        outcome: Outcome = "skipped" if isinstance(failure, CallSkipped) else "fallback"
        self._record(call, outcome, reason)
        log.warning(
            "llm fallback", provider=self.provider.name, model=self.provider.model, reason=reason
        )
        offline = OfflineNarrator(f"{self.provider.name} {self.provider.model}: {reason}")
        return offline.explain(call.request)

    def _record(self, call: _Call, outcome: Outcome, reason: str | None) -> None:
        done = self.clock()
        completion = call.completion
        row = LLMCallRecord(
            run_id=call.request.run_id,
            athlete_id=call.request.athlete_id,
            day=call.request.day or utc_day(done),
            agent=self.agent,
            provider=self.provider.name,
            model_requested=self.provider.model,
            model_reported=completion.model if completion else None,
            prompt_id=self.prompt.id,
            prompt_version=self.prompt.version,
            prompt_sha256=self.prompt.sha256,
            input_tokens=completion.input_tokens if completion else None,
            cached_tokens=completion.cached_tokens if completion else None,
            output_tokens=completion.output_tokens if completion else None,
            cost_usd=self._cost(completion, call.attempts),
            latency_ms=round((self.timer() - call.started) * 1000, 1),
            attempts=call.attempts,
            outcome=outcome,
            reason=reason,
            created_at=done,
        )
        self.store.record_llm_call(row)
        log.info(
            "llm call",
            provider=row.provider,
            model=row.model_requested,
            outcome=outcome,
            attempts=row.attempts,
            latency_ms=row.latency_ms,
            cost_usd=row.cost_usd,
        )

    def _cost(self, completion: Completion | None, attempts: int) -> float | None:
        if completion is None:
            return 0.0 if attempts == 0 else None  # nothing sent is free; a lost answer is unknown
        price = self.prices.price(completion.model, self.provider.model)
        return cost_usd(
            price, completion.input_tokens, completion.cached_tokens, completion.output_tokens
        )


@dataclass
class _Call:
    """What one explanation has gathered so far, for its ledger row."""

    request: ExplainRequest
    started: float
    completion: Completion | None = None
    attempts: int = 0


def build_narrator(
    settings: Settings, store: StateStore, *, clock: Callable[[], datetime] = utc_now
) -> Narrator:
    """The narrator the settings ask for; a configuration problem gives offline, saying why."""
    if settings.llm_provider == "offline":
        return OfflineNarrator()
    from lanterne_rouge.ai.pricing import load_prices
    from lanterne_rouge.ai.prompts import select_prompt

    try:
        return ModelNarrator(
            make_provider(settings),
            store,
            select_prompt(EXPLANATION_PROMPT, settings.prompt_version),
            load_prices(settings.prices_file),
            limits_from(settings),
            clock=clock,
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


def limits_from(settings: Settings) -> Limits:
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
        ),
    )
