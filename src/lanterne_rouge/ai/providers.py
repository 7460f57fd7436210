"""Chat providers behind one small protocol: OpenAI (and compatible servers) and HuggingFace.

Each provider makes exactly one HTTP attempt per ``complete`` call, with the timeout it is
given: the SDKs' own retries are off (``max_retries=0``; ``huggingface_hub`` has none) so only
the narrator's retry policy runs. Every third-party error is translated here into the
``ModelCallFailed`` family (see ``ai/failures.py``). The SDKs are imported inside functions so
the offline daily run never pays for them.
"""

from __future__ import annotations

import email.utils
import json
import time
from collections.abc import Mapping
from typing import Any, Protocol

import msgspec
from pydantic import SecretStr

from lanterne_rouge.ai.failures import (
    AnswerRejected,
    ModelCallFailed,
    ModelRefused,
    TransientFailure,
)
from lanterne_rouge.errors import ConfigError
from lanterne_rouge.utils.logger import redact_text

DEFAULT_OPENAI_MODEL = "gpt-4o-mini"
DEFAULT_HF_MODEL = "meta-llama/Llama-3.1-8B-Instruct"
_NO_KEY = "unused"  # local OpenAI-compatible servers ignore the key, the SDK wants one


class ChatRequest(msgspec.Struct, frozen=True):
    model: str
    messages: tuple[dict[str, str], ...]
    max_tokens: int = 100
    temperature: float | None = None
    response_format: dict[str, Any] | None = None  # a JSON schema the answer must follow


class Completion(msgspec.Struct, frozen=True):
    """One answer as the server reported it; token counts are None when not reported."""

    text: str
    model: str | None
    input_tokens: int | None
    cached_tokens: int | None
    output_tokens: int | None
    finish_reason: str | None = None  # "length" means cut at the completion cap


class ChatProvider(Protocol):
    name: str
    model: str
    native_structured: bool  # honours a json_schema response_format without being asked to

    def complete(self, request: ChatRequest, *, timeout: float) -> Completion:
        """One attempt, bounded by ``timeout`` seconds; raises ``ModelCallFailed``."""
        ...


def require(package: str, provider: str) -> None:
    """A provider's SDK is installed with the project; say how to fix a broken install."""
    import importlib.util

    if importlib.util.find_spec(package) is None:
        raise ConfigError(
            f"LANTERNE_LLM_PROVIDER={provider} needs the {package!r} package, which is missing"
            " - reinstall: pip install -e ."
        )


class OpenAIProvider:
    """Chat Completions through the ``openai`` SDK; ``base_url`` for any compatible server."""

    name = "openai"

    def __init__(
        self, *, api_key: SecretStr | None, base_url: str | None, model: str | None = None
    ) -> None:
        if api_key is None and not base_url:
            raise ConfigError(
                "No key found - set OPENAI_API_KEY, or OPENAI_BASE_URL for a local server"
            )
        require("openai", "openai")
        self.model = model or DEFAULT_OPENAI_MODEL
        self.native_structured = not base_url
        self._key = api_key.get_secret_value() if api_key else _NO_KEY
        self._base_url = base_url or None
        self._client: Any = None

    def _sdk(self) -> Any:
        if self._client is None:
            import openai

            self._client = openai.OpenAI(
                api_key=self._key, base_url=self._base_url, max_retries=0, timeout=10.0
            )
        return self._client

    def complete(self, request: ChatRequest, *, timeout: float) -> Completion:
        import openai

        try:
            response = self._sdk().chat.completions.create(
                model=request.model,
                messages=list(request.messages),
                timeout=timeout,
                **self._params(request),
            )
        except openai.APIStatusError as exc:
            raise status_failure(
                exc.status_code, exc.response.headers, _detail(exc.body), self._hint()
            ) from exc
        except openai.APITimeoutError as exc:
            raise TransientFailure(f"no answer within {timeout:.1f} s", code="timeout") from exc
        except openai.APIConnectionError as exc:
            raise TransientFailure(
                f"cannot reach the model server: {exc}", code="connection"
            ) from exc
        except json.JSONDecodeError as exc:
            raise AnswerRejected("the server's answer is not valid JSON", code="malformed") from exc
        except openai.OpenAIError as exc:
            raise ModelCallFailed(redact_text(str(exc))[:200], code="sdk") from exc
        return completion_from(response)

    def _params(self, request: ChatRequest) -> dict[str, Any]:
        # api.openai.com wants max_completion_tokens (max_tokens is refused by newer models);
        # local compatible servers (Ollama, llama.cpp, older vLLM) know only max_tokens.
        key = "max_tokens" if self._base_url else "max_completion_tokens"
        params: dict[str, Any] = {key: request.max_tokens}
        if request.temperature is not None:
            params["temperature"] = request.temperature
        if request.response_format is not None:
            params["response_format"] = request.response_format
        return params

    def _hint(self) -> _Hint:
        where = self._base_url or "api.openai.com"
        return _Hint(where=where, key="OPENAI_API_KEY", url="OPENAI_BASE_URL")


class HuggingFaceProvider:
    """``huggingface_hub.InferenceClient``: a Hub model id, or your own endpoint URL."""

    name = "huggingface"

    def __init__(
        self, *, token: SecretStr | None, base_url: str | None, model: str | None = None
    ) -> None:
        if token is None and not base_url:
            raise ConfigError(
                "No key found - set HF_TOKEN, or LANTERNE_HF_BASE_URL for your own endpoint"
            )
        require("huggingface_hub", "huggingface")
        self.model = model or DEFAULT_HF_MODEL
        self.native_structured = False
        self._token = token.get_secret_value() if token else None
        self._base_url = base_url or None

    def complete(self, request: ChatRequest, *, timeout: float) -> Completion:
        import httpx2
        from huggingface_hub import InferenceClient
        from huggingface_hub.errors import HfHubHTTPError

        # The client's timeout is per client and infinite by default: a fresh one per attempt.
        client = InferenceClient(base_url=self._base_url, api_key=self._token, timeout=timeout)
        # OpenAI's json_schema shape, which the client itself translates for its servers.
        shape: dict[str, Any] = {}
        if request.response_format is not None:
            shape["response_format"] = request.response_format
        try:
            response = client.chat_completion(
                list(request.messages),
                model=request.model,
                max_tokens=request.max_tokens,
                temperature=request.temperature,
                **shape,
            )
        except HfHubHTTPError as exc:
            status = exc.response.status_code
            raise status_failure(
                status, exc.response.headers, _detail(_body(exc)), self._hint()
            ) from exc
        except (httpx2.TimeoutException, TimeoutError) as exc:
            raise TransientFailure(f"no answer within {timeout:.1f} s", code="timeout") from exc
        except httpx2.TransportError as exc:
            raise TransientFailure(
                f"cannot reach the model server: {exc}", code="connection"
            ) from exc
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise AnswerRejected("the server's answer is not valid JSON", code="malformed") from exc
        except (httpx2.HTTPError, ValueError, KeyError, TypeError) as exc:
            raise ModelCallFailed(redact_text(str(exc))[:200], code="sdk") from exc
        return completion_from(response)

    def _hint(self) -> _Hint:
        where = self._base_url or "the HuggingFace router"
        return _Hint(where=where, key="HF_TOKEN", url="LANTERNE_HF_BASE_URL")


class _Hint(msgspec.Struct, frozen=True):
    """What to name in an error: the server, and the settings that fix it."""

    where: str
    key: str
    url: str


def status_failure(
    status: int, headers: Mapping[str, str], detail: str, hint: _Hint
) -> ModelCallFailed:
    """The failure an HTTP status means: retry 408/409/429/5xx, refuse the rest."""
    said = f"HTTP {status} from {hint.where}" + (f" ({detail})" if detail else "")
    if status == 429:
        return TransientFailure(said, code="rate_limited", retry_after=retry_after(headers))
    if status in (408, 409) or status >= 500:
        return TransientFailure(said, code="server_error", retry_after=retry_after(headers))
    if status in (401, 403):
        return ModelRefused(f"{said}: the key was refused - check {hint.key}")
    if status == 404:
        return ModelRefused(
            f"{said}: unknown model or URL - check LANTERNE_LLM_MODEL and {hint.url}"
        )
    return ModelRefused(f"{said}: the request was refused - check LANTERNE_LLM_MODEL")


def retry_after(headers: Mapping[str, str]) -> float | None:
    """Seconds the server asks us to wait (``retry-after-ms``, ``retry-after`` seconds or date)."""
    millis = headers.get("retry-after-ms")
    if millis:
        try:
            return max(0.0, float(millis) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, when.timestamp() - time.time())


def completion_from(response: Any) -> Completion:
    """Read an OpenAI-shaped chat completion (both SDKs return one)."""
    try:
        choice = response.choices[0]
        text = choice.message.content or ""
    except (AttributeError, IndexError, TypeError, KeyError) as exc:
        raise AnswerRejected("the server's answer has no message", code="malformed") from exc
    if not isinstance(text, str):
        raise AnswerRejected("the server's answer is not text", code="malformed")
    usage = getattr(response, "usage", None)
    details = getattr(usage, "prompt_tokens_details", None)
    return Completion(
        text=text,
        model=getattr(response, "model", None) or None,
        input_tokens=_count(getattr(usage, "prompt_tokens", None)),
        cached_tokens=_count(getattr(details, "cached_tokens", None)),
        output_tokens=_count(getattr(usage, "completion_tokens", None)),
        finish_reason=getattr(choice, "finish_reason", None),
    )


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and value >= 0 else None


def _detail(body: object) -> str:
    """The server's own error message, short and redacted."""
    message: object = body
    if isinstance(body, dict):
        inner = body.get("error", body)
        message = inner.get("message") if isinstance(inner, dict) else inner
    text = " ".join(str(message or "").split())
    return redact_text(text)[:120]


def _body(exc: Any) -> object:
    try:
        return exc.response.json()
    except Exception:  # any body at all is fine: it is only shown, shortened
        return getattr(exc.response, "text", "")
