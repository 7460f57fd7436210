"""The model narrator: a chat provider behind the deadline, the budget and the answer check.

Any failure gives the offline text, and the usage row says why (``code: message``; the codes
of a rejected answer are ``action``, ``state``, ``number``, ``unsafe``, ``cited``, ``empty``,
``truncated``, ``too_long`` and ``malformed``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime

import msgspec

from lanterne_rouge.ai.budget import check_budget
from lanterne_rouge.ai.facts import day_facts
from lanterne_rouge.ai.failures import CallSkipped, ModelCallFailed
from lanterne_rouge.ai.narration import (
    ExplainRequest,
    Explanation,
    Limits,
    Narration,
    OfflineNarrator,
    WeekRequest,
)
from lanterne_rouge.ai.pricing import PriceTable, cost_usd, estimate_tokens
from lanterne_rouge.ai.prompts import Prompt, RenderedPrompt, clean_notes, render
from lanterne_rouge.ai.providers import ChatProvider, ChatRequest, Completion
from lanterne_rouge.ai.retry import call_within_deadline
from lanterne_rouge.ai.structured import RESPONSE_FORMAT, read_structured
from lanterne_rouge.ai.validation import check_answer, check_week_answer
from lanterne_rouge.ai.week_facts import week_facts
from lanterne_rouge.memory.records import LLMCallRecord, Outcome
from lanterne_rouge.messages import utc_now
from lanterne_rouge.usage import utc_day
from lanterne_rouge.utils.logger import get_logger, redact_text

log = get_logger(__name__)


class Prompts(msgspec.Struct, frozen=True):
    daily: Prompt
    week: Prompt


class _Job(msgspec.Struct, frozen=True):
    """One explanation to ask for: the prompt, its values, the check and the fallback."""

    prompt: Prompt
    values: dict[str, str]
    notes: list[str]
    check: Callable[[Completion], str]
    offline: Callable[[OfflineNarrator], Narration]
    meta: ExplainRequest | WeekRequest
    agent: str


class _Call(msgspec.Struct):
    """What one explanation has gathered so far, for its ledger row."""

    job: _Job
    started: float
    completion: Completion | None = None
    attempts: int = 0


class ModelNarrator:
    """Explains through a chat model; any failure gives the offline text and a ledger reason."""

    uses_model = True

    def __init__(
        self,
        provider: ChatProvider,
        prompts: Prompts,
        prices: PriceTable,
        limits: Limits | None = None,
        *,
        clock: Callable[[], datetime] = utc_now,
        timer: Callable[[], float] = time.monotonic,
    ) -> None:
        self.provider, self.prompts, self.prices = provider, prompts, prices
        self.limits = limits or Limits()
        self.clock, self.timer = clock, timer

    def explain(self, request: ExplainRequest) -> Narration:
        facts = day_facts(request)
        structured = self.limits.structured

        def check(completion: Completion) -> str:
            text = completion.text
            if structured:
                text = read_structured(text, facts)
            return check_answer(
                text,
                facts,
                max_chars=self.limits.max_answer_chars,
                truncated=completion.finish_reason == "length",
            )

        job = _Job(
            prompt=self.prompts.daily,
            values={"facts": facts.text, "action": request.decision.action},
            notes=clean_notes(request.notes),
            check=check,
            offline=lambda offline: offline.explain(request),
            meta=request,
            agent="communication_agent",
        )
        return self._narrate(job)

    def explain_week(self, request: WeekRequest) -> Narration:
        facts = week_facts(request.reflection)
        job = _Job(
            prompt=self.prompts.week,
            values={"facts": facts},
            notes=[],
            check=lambda c: check_week_answer(
                c.text, facts, self.limits.max_answer_chars, c.finish_reason == "length"
            ),
            offline=lambda offline: offline.explain_week(request),
            meta=request,
            agent="reflection_agent",
        )
        return self._narrate(job)

    def _narrate(self, job: _Job) -> Narration:
        call = _Call(job, self.timer())
        try:
            chat = self._preflight(job)
            call.completion, call.attempts = call_within_deadline(
                self.provider, chat, self.limits.retry, clock=self.timer
            )
            text = job.check(call.completion)
        except ModelCallFailed as exc:
            call.attempts = call.attempts or exc.attempts
            return self._fallback(call, exc)
        explanation = Explanation(
            text=text,
            provider=self.provider.name,
            model=call.completion.model or self.provider.model,
            prompt_id=job.prompt.id,
            prompt_version=job.prompt.version,
        )
        return Narration(explanation, self._record(call, "ok", None))

    def _render(self, job: _Job) -> RenderedPrompt:
        """The prompt with the athlete's notes, or without them when they make it too long."""
        rendered = render(job.prompt, job.values, job.notes)
        if job.notes and estimate_tokens(rendered.messages) > self.limits.max_prompt_tokens:
            return render(job.prompt, job.values, [])
        return rendered

    def _preflight(self, job: _Job) -> ChatRequest:
        """Size and budget checks: raise ``CallSkipped`` before any request is sent."""
        rendered = self._render(job)
        prompt_tokens = estimate_tokens(rendered.messages)
        if prompt_tokens > self.limits.max_prompt_tokens:
            raise CallSkipped(
                f"the prompt is about {prompt_tokens} tokens, over the cap of "
                f"{self.limits.max_prompt_tokens} (LANTERNE_LLM_MAX_PROMPT_TOKENS)",
                code="prompt_too_long",
            )
        max_tokens = min(job.prompt.params.max_tokens, self.limits.max_completion_tokens)
        check_budget(
            self.limits.budget,
            job.meta.spent,
            model=self.provider.model,
            price=self.prices.price(self.provider.model),
            prompt_tokens=prompt_tokens,
            max_tokens=max_tokens,
        )
        structured = self.limits.structured and isinstance(job.meta, ExplainRequest)
        return ChatRequest(
            model=self.provider.model,
            messages=rendered.messages,
            max_tokens=max_tokens,
            temperature=job.prompt.params.temperature,
            response_format=RESPONSE_FORMAT if structured else None,
        )

    def _fallback(self, call: _Call, failure: ModelCallFailed) -> Narration:
        tries = (
            f" ({call.attempts} attempt{'s' if call.attempts != 1 else ''})"
            if call.attempts
            else ""
        )
        reason = redact_text(f"{failure.reason}{tries}")
        outcome: Outcome = "skipped" if isinstance(failure, CallSkipped) else "fallback"
        row = self._record(call, outcome, reason)
        log.warning(
            "llm fallback", provider=self.provider.name, model=self.provider.model, reason=reason
        )
        offline = OfflineNarrator(f"{self.provider.name} {self.provider.model}: {reason}")
        return Narration(call.job.offline(offline).explanation, row)

    def _record(self, call: _Call, outcome: Outcome, reason: str | None) -> LLMCallRecord:
        done, meta, completion = self.clock(), call.job.meta, call.completion
        row = LLMCallRecord(
            run_id=meta.run_id,
            athlete_id=meta.athlete_id,
            day=meta.day or utc_day(done),
            agent=call.job.agent,
            provider=self.provider.name,
            model_requested=self.provider.model,
            model_reported=completion.model if completion else None,
            prompt_id=call.job.prompt.id,
            prompt_version=call.job.prompt.version,
            prompt_sha256=call.job.prompt.sha256,
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
        log.info(
            "llm call",
            provider=row.provider,
            model=row.model_requested,
            outcome=outcome,
            attempts=row.attempts,
            latency_ms=row.latency_ms,
            cost_usd=row.cost_usd,
        )
        return row

    def _cost(self, completion: Completion | None, attempts: int) -> float | None:
        if completion is None:
            return 0.0 if attempts == 0 else None  # nothing sent is free; a lost answer is unknown
        price = self.prices.price(completion.model, self.provider.model)
        return cost_usd(
            price, completion.input_tokens, completion.cached_tokens, completion.output_tokens
        )
