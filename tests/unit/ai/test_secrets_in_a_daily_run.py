"""A full daily run through the CLI with the OpenAI provider never writes the key anywhere."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lanterne_rouge.cli import app
from support.openai_server import OpenAICompatibleServer, answer, status

# Shaped like no known key pattern, so only its registration with the redactor can hide it.
FAKE_KEY = "lr-fake-credential-Qw7Zp3Xv9Kd2"
NEUTRAL = "Today's session follows from your recent signals and the mission ahead."


def test_the_key_is_in_no_log_database_csv_or_output_file(
    llm_server: OpenAICompatibleServer,
    lanterne_env: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setenv("LANTERNE_LLM_PROVIDER", "openai")
    monkeypatch.setenv("OPENAI_API_KEY", FAKE_KEY)
    monkeypatch.setenv("OPENAI_BASE_URL", llm_server.url)
    monkeypatch.setenv("LANTERNE_LOG_LEVEL", "DEBUG")
    caplog.set_level(logging.DEBUG)  # the SDK's own stdlib logging too
    # The second run's server echoes the key in its refusal, as some servers do.
    llm_server.enqueue(answer(NEUTRAL), status(401, f"Incorrect API key provided: {FAKE_KEY}"))
    runner = CliRunner()

    first = runner.invoke(app, ["run", "--date", "2026-07-10"])
    second = runner.invoke(app, ["run", "--date", "2026-07-10", "--force"])

    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    assert llm_server.requests[0].headers["authorization"] == f"Bearer {FAKE_KEY}"
    assert "explained by: openai" in first.output
    assert "LLM: 1 call, 180 tokens" in first.output
    assert "HTTP 401" in second.output  # the refusal is reported, the key is not
    for name, text in {
        "first run output": first.output + (first.stderr or ""),
        "second run output": second.output + (second.stderr or ""),
        "stdlib logs": caplog.text,
    }.items():
        assert FAKE_KEY not in text, name
    written = [p for p in lanterne_env.rglob("*") if p.is_file()]
    assert any(p.name.startswith("lanterne.db") for p in written)
    assert any(p.name == "reasoning_log.csv" for p in written)
    for path in written:
        assert FAKE_KEY.encode() not in path.read_bytes(), path
