"""Log lines carry the run id and day, and never a key or token."""

from __future__ import annotations

import io

import pytest

from lanterne_rouge.utils.logger import (
    REDACTED,
    bind_run,
    configure_logging,
    get_logger,
    redact_text,
    register_secret,
)


def test_secrets_are_redacted_and_run_context_bound() -> None:
    stream = io.StringIO()
    configure_logging("INFO", stream=stream)
    register_secret("my-very-private-value-123")
    log = get_logger("t")
    with bind_run(run_id="r-1", day="2026-03-10"):
        log.info(
            "calling",
            api_key="sk-abcdefghijklmnop1234",
            url="https://x/?access_token=abc123456789&x=1",
            header="Bearer eyJhbGciOi.JIUzI1NiJ9",
            note="token hf_abcdefghijklmnopqrst and my-very-private-value-123",
        )
    line = stream.getvalue()
    for secret in (
        "sk-abcdefghijklmnop1234",
        "abc123456789",
        "eyJhbGciOi",
        "hf_abcdefghij",
        "my-very-private-value-123",
    ):
        assert secret not in line
    assert "run_id='r-1'" in line and "day='2026-03-10'" in line


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("key sk-abcdefghijklmnop1234 here", "sk-abcdefghijklmnop1234"),
        ("hf_abcdefghijklmnopqrst", "hf_abcdefghijklmnopqrst"),
        ("Authorization: BEARER eyJhbGciOi.JIUzI1NiJ9", "eyJhbGciOi"),
        ("https://x/?Client_Secret=s3cr3tvalue&x=1", "s3cr3tvalue"),
        ("PASSWORD=hunter2hunter2", "hunter2hunter2"),
        ("bot 123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1 ok", "AAHdqTcvCH1vGWJxfSeofSAs0K5"),
        (
            "<g style='fill:#fff;stroke:#000'><text x='1'>123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5"
            "PALDsaw1</text></g>",
            "AAHdqTcvCH1vGWJxfSeofSAs0K5",
        ),
    ],
    ids=[
        "openai-key",
        "hf-token",
        "bearer-any-case",
        "query-secret",
        "password",
        "telegram",
        "telegram-in-svg",
    ],
)
def test_every_secret_shape_is_masked_in_any_letter_case(text: str, secret: str) -> None:
    masked = redact_text("\n".join([text] * 3))
    assert secret not in masked
    assert masked.count(REDACTED) == 3


def test_text_with_no_secret_comes_back_as_it_was() -> None:
    page = "<svg viewBox='0 0 10 10'><text>CTL 68.4 at 12:30, task-list = done</text></svg>"
    assert redact_text(page) == page


def test_athletes_tokens_are_masked_while_in_use_and_the_known_set_stays_bounded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from lanterne_rouge.utils import logger

    monkeypatch.setattr(logger, "_recent_tokens", type(logger._recent_tokens)())
    register_secret("configured-client-secret")  # from the settings: kept for good
    tokens = [f"{i:040x}" for i in range(logger.RECENT_TOKENS + 44)]
    for token in tokens:
        register_secret(token, token=True)
    register_secret(tokens[0], token=True)  # read again: in use again

    def masked(value: str) -> bool:
        return value not in redact_text(f'{{"access_token": "{value}"}}')

    assert len(logger._recent_tokens) == logger.RECENT_TOKENS
    assert masked(tokens[0]) and masked(tokens[-1]) and masked("configured-client-secret")
    assert not masked(tokens[1])  # not read for the last 256 tokens: no longer looked for
