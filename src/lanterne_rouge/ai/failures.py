"""Why a model call gave no usable explanation, as errors the narrator turns into a fallback.

Third-party errors (the ``openai`` and ``huggingface_hub`` SDKs, their HTTP layer, JSON
decoding) are translated into these at the provider boundary (``raise ... from exc``), so
nothing above ``ai/providers.py`` knows an SDK exists.

    AIError                    (lanterne_rouge.errors)
    └── ModelCallFailed        the call ended without an answer we can use; ``code`` says why
        ├── TransientFailure   worth another attempt: connection, timeout, 429, 5xx
        ├── ModelRefused       400/401/403/404...: a configuration problem, never retried
        ├── AnswerRejected     an answer came back but fails a check (empty, contradicts...)
        └── CallSkipped        no request was sent: budget, prompt size, unknown price

Every message is one line a person can act on.
"""

from __future__ import annotations

from lanterne_rouge.errors import AIError


class ModelCallFailed(AIError):
    """A model call gave nothing usable; ``code`` is one word for the ledger and tests."""

    code = "failed"
    attempts = 0  # requests sent before giving up; set by the retry loop

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code

    @property
    def reason(self) -> str:
        """``code: message``, the form stored in the ledger's ``reason`` column."""
        return f"{self.code}: {self}"


class TransientFailure(ModelCallFailed):
    """Connection error, timeout, rate limit or server error: another attempt may work."""

    def __init__(self, message: str, *, code: str, retry_after: float | None = None) -> None:
        super().__init__(message, code=code)
        self.retry_after = retry_after


class ModelRefused(ModelCallFailed):
    """The server refused the request itself (bad key, unknown model...): fix the settings."""

    code = "config"


class AnswerRejected(ModelCallFailed):
    """The model answered, but the answer is malformed, empty, too long or contradicts facts."""


class CallSkipped(ModelCallFailed):
    """The call was not made at all (no request left the machine)."""
