"""The retry loop: one deadline, Retry-After honoured or given up on, no retry on refusals."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from lanterne_rouge.ai.failures import ModelCallFailed, ModelRefused, TransientFailure
from lanterne_rouge.ai.providers import ChatRequest, Completion
from lanterne_rouge.ai.retry import RetryPolicy, call_within_deadline

OK = Completion(text="fine", model="m", input_tokens=1, cached_tokens=0, output_tokens=1)
REQUEST = ChatRequest(model="m", messages=({"role": "user", "content": "hi"},))


class FakeClock:
    """Monotonic time that moves only when slept on or when an attempt takes time."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


class ScriptedProvider:
    name, model = "fake", "m"

    def __init__(self, clock: FakeClock, *steps: Callable[[float], Completion]) -> None:
        self.clock, self.steps, self.timeouts = clock, list(steps), []  # type: ignore[var-annotated]

    def complete(self, request: ChatRequest, *, timeout: float) -> Completion:
        self.timeouts.append(timeout)
        return self.steps.pop(0)(timeout)


def fails(
    failure: ModelCallFailed, takes: float = 0.0, clock: FakeClock | None = None
) -> Callable[[float], Completion]:
    def step(_timeout: float) -> Completion:
        if clock is not None:
            clock.now += takes
        raise failure

    return step


def answers(_timeout: float) -> Completion:
    return OK


def test_retry_after_is_waited_exactly_and_counted() -> None:
    clock = FakeClock()
    provider = ScriptedProvider(
        clock, fails(TransientFailure("429", code="rate_limited", retry_after=1.5)), answers
    )
    completion, attempts = call_within_deadline(
        provider, REQUEST, RetryPolicy(deadline_s=5), clock=clock, sleep=clock.sleep
    )
    assert (completion, attempts, clock.sleeps) == (OK, 2, [1.5])


def test_a_retry_after_beyond_the_deadline_gives_up_without_sleeping() -> None:
    clock = FakeClock()
    provider = ScriptedProvider(
        clock, fails(TransientFailure("429", code="rate_limited", retry_after=30))
    )
    with pytest.raises(TransientFailure) as caught:
        call_within_deadline(
            provider, REQUEST, RetryPolicy(deadline_s=5), clock=clock, sleep=clock.sleep
        )
    assert caught.value.attempts == 1 and clock.sleeps == []


def test_each_attempt_gets_only_the_time_left() -> None:
    clock = FakeClock()
    slow = TransientFailure("timeout", code="timeout")
    provider = ScriptedProvider(clock, fails(slow, 2.0, clock), fails(slow, 2.0, clock), answers)
    policy = RetryPolicy(deadline_s=5, backoff_s=0.1, max_backoff_s=0.1)
    call_within_deadline(provider, REQUEST, policy, clock=clock, sleep=clock.sleep)
    assert provider.timeouts[0] == 5
    assert provider.timeouts[1] == pytest.approx(5 - 2 - clock.sleeps[0])
    assert provider.timeouts[2] < provider.timeouts[1]


def test_a_refusal_is_never_retried() -> None:
    clock = FakeClock()
    provider = ScriptedProvider(clock, fails(ModelRefused("HTTP 401")), answers)
    with pytest.raises(ModelRefused) as caught:
        call_within_deadline(provider, REQUEST, RetryPolicy(), clock=clock, sleep=clock.sleep)
    assert caught.value.attempts == 1 and len(provider.timeouts) == 1


def test_attempts_stop_at_the_maximum() -> None:
    clock = FakeClock()
    err = TransientFailure("500", code="server_error")
    provider = ScriptedProvider(clock, *[fails(err)] * 5)
    with pytest.raises(TransientFailure) as caught:
        call_within_deadline(
            provider,
            REQUEST,
            RetryPolicy(max_attempts=3, backoff_s=0.01),
            clock=clock,
            sleep=clock.sleep,
        )
    assert caught.value.attempts == 3
