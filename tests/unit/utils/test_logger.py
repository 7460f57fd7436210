"""Log lines carry the run id and day, and never a key or token."""

from __future__ import annotations

import io

from lanterne_rouge.utils.logger import bind_run, configure_logging, get_logger, register_secret


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
