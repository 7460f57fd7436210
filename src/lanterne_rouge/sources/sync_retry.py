"""A sync that fails for a passing reason is tried again within the morning run.

At 06:30 the Wi-Fi may not be up yet after the laptop wakes, or the provider may be answering
server errors for a minute. ``SourceUnavailable`` (not reached, 5xx after the client's own
short retries) is retried with exponential back-off (``sync_backoff_s``, then twice that ...)
up to ``sync_attempts`` tries in all; anything else (a refused token, a used-up rate limit, a
bad record) is not a passing reason and is raised at once.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential,
)

from lanterne_rouge.sources.api_client import SourceUnavailable

T = TypeVar("T")
Notice = Callable[[int, BaseException, float], None]


def with_retries(
    sync: Callable[[], T],
    *,
    attempts: int,
    backoff_s: float,
    sleep: Callable[[float], None] = time.sleep,
    on_retry: Notice | None = None,
) -> T:
    """``sync()``, tried up to ``attempts`` times while it raises ``SourceUnavailable``."""

    def notice(state: RetryCallState) -> None:
        if on_retry is not None and state.outcome is not None and state.next_action is not None:
            error = state.outcome.exception()
            if error is not None:
                on_retry(state.attempt_number, error, state.next_action.sleep)

    retrying = Retrying(
        retry=retry_if_exception_type(SourceUnavailable),
        stop=stop_after_attempt(attempts),
        wait=wait_exponential(multiplier=backoff_s, min=backoff_s, max=backoff_s * 8),
        sleep=sleep,
        before_sleep=notice,
        reraise=True,
    )
    return retrying(sync)
