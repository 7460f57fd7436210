"""One deadline for a whole explanation, retries inside it (tenacity), timeouts derived from it.

Retried: ``TransientFailure`` (connection errors, timeouts, 429 and 5xx). A 429's Retry-After
is honoured exactly; when it (or the backoff) would leave less than ``min_attempt_s`` before
the deadline, the loop stops instead of sleeping past it. Each attempt's timeout is the time
left, so the deadline covers attempts and waits together.

An HTTP client's timeout bounds each read, not the whole answer: a server that sends a few
bytes at a time can keep it reading for minutes. So each attempt runs in a daemon thread and
is waited for only until the deadline; an attempt still reading then is abandoned (its socket
times out on its own, or goes with the process) and counts as a timeout.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

import msgspec

from lanterne_rouge.ai.failures import ModelCallFailed, TransientFailure

if TYPE_CHECKING:
    from tenacity import RetryCallState

    from lanterne_rouge.ai.providers import ChatProvider, ChatRequest, Completion

# tenacity (and the tornado it looks for) and the providers are imported by the first model
# call: the offline narrator of an ordinary morning never pays for them.


class RetryPolicy(msgspec.Struct, frozen=True):
    deadline_s: float = 10.0
    max_attempts: int = 3
    backoff_s: float = 0.5
    max_backoff_s: float = 4.0
    min_attempt_s: float = 0.25


def call_within_deadline(
    provider: ChatProvider,
    request: ChatRequest,
    policy: RetryPolicy,
    *,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> tuple[Completion, int]:
    """The completion and the number of requests sent; raises the last ``ModelCallFailed``."""
    from tenacity import Retrying, retry_if_exception_type

    deadline = clock() + policy.deadline_s
    sent = 0

    def attempt() -> Completion:
        nonlocal sent
        sent += 1
        left = max(deadline - clock(), 0.01)
        return within(lambda: provider.complete(request, timeout=left), left)

    retrying = Retrying(
        retry=retry_if_exception_type(TransientFailure),
        wait=_wait(policy),
        stop=_stop(policy, deadline, clock),
        sleep=sleep,
        reraise=True,
    )
    try:
        return retrying(attempt), sent
    except ModelCallFailed as exc:
        exc.attempts = sent
        raise


def _wait(policy: RetryPolicy) -> Callable[[RetryCallState], float]:
    from tenacity import wait_exponential_jitter

    backoff = wait_exponential_jitter(
        multiplier=policy.backoff_s, max=policy.max_backoff_s, jitter=policy.backoff_s / 2
    )

    def wait(state: RetryCallState) -> float:
        failure = state.outcome.exception() if state.outcome else None
        asked = getattr(failure, "retry_after", None)
        return float(asked) if asked is not None else backoff(state)

    return wait


def _stop(
    policy: RetryPolicy, deadline: float, clock: Callable[[], float]
) -> Callable[[RetryCallState], bool]:
    def stop(state: RetryCallState) -> bool:
        if state.attempt_number >= policy.max_attempts:
            return True
        left_after_wait = deadline - clock() - (state.upcoming_sleep or 0.0)
        return left_after_wait < policy.min_attempt_s

    return stop


def within(work: Callable[[], Completion], seconds: float) -> Completion:
    """``work()``'s result if it finishes within ``seconds`` of wall-clock time."""
    box: dict[str, Completion | BaseException] = {}
    done = threading.Event()

    def run() -> None:
        try:
            box["value"] = work()
        except BaseException as exc:  # handed to the caller below
            box["error"] = exc
        finally:
            done.set()

    threading.Thread(target=run, name="llm-attempt", daemon=True).start()
    if not done.wait(seconds):
        raise TransientFailure(f"no complete answer within {seconds:.1f} s", code="timeout")
    error = box.get("error")
    if isinstance(error, BaseException):
        raise error
    from lanterne_rouge.ai.providers import Completion

    value = box["value"]
    assert isinstance(value, Completion)
    return value
