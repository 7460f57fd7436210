"""The model narrator inside the daily run, through the CLI and the real ``openai`` client
installed by the main install: the answer and its usage, a slow drip that the deadline cuts,
a missing client package, and structured answers."""

from __future__ import annotations

import importlib.util
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lanterne_rouge.ai.ai_clients import Limits
from lanterne_rouge.ai.model_narrator import ModelNarrator, Prompts
from lanterne_rouge.ai.pricing import load_prices
from lanterne_rouge.ai.prompts import select_prompt
from lanterne_rouge.cli import app
from support.openai_server import OpenAICompatibleServer, answer, drip, structured

from .conftest import FAST, SDKS, narrator_for, provider_for, request_for

NEUTRAL = "Today's session follows from your recent signals and the mission ahead."


@pytest.fixture
def openai_env(llm_server: OpenAICompatibleServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANTERNE_LLM_PROVIDER", "openai")
    monkeypatch.setenv("OPENAI_API_KEY", "test-key-5f3a9c")
    monkeypatch.setenv("OPENAI_BASE_URL", llm_server.url)


def test_the_run_explains_through_the_installed_openai_client_and_usage_shows_it(
    llm_server: OpenAICompatibleServer, openai_env: None
) -> None:
    assert importlib.util.find_spec("openai") is not None  # the main install brings it
    llm_server.enqueue(answer(NEUTRAL, prompt_tokens=210, completion_tokens=35))
    runner = CliRunner()

    run = runner.invoke(app, ["run", "--date", "2026-07-10"])
    usage = runner.invoke(app, ["usage"])

    assert run.exit_code == 0, run.output
    assert f"Why:      {NEUTRAL}" in run.output and "explained by: openai" in run.output
    assert "LLM: 1 call, 245 tokens" in run.output
    assert llm_server.requests[0].headers["user-agent"].startswith("OpenAI/Python")
    assert usage.exit_code == 0, usage.output
    assert "gpt-4o-mini" in usage.output and "210" in usage.output and "35" in usage.output
    assert "Total: 1 call, 245 tokens, $0.000053" in usage.output


def test_a_slow_drip_answer_is_cut_at_the_deadline_and_the_day_falls_back(
    llm_server: OpenAICompatibleServer, openai_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANTERNE_LLM_DEADLINE_S", "2")
    llm_server.enqueue(drip(NEUTRAL))  # the whole body would take about 22 s

    started = time.monotonic()
    run = CliRunner().invoke(app, ["run", "--date", "2026-07-10"])
    elapsed = time.monotonic() - started

    assert run.exit_code == 0, run.output
    assert elapsed < 2 + 1, f"the run took {elapsed:.1f} s against a 2 s deadline"
    assert "explained by: offline (openai gpt-4o-mini: timeout: no complete answer" in run.output
    assert "LLM: 1 call (1 fell back to offline)" in run.output
    assert NEUTRAL not in run.output


@pytest.mark.parametrize("sdk", SDKS)
def test_each_client_gives_up_on_a_slow_drip_within_the_deadline(
    sdk: str, llm_server: OpenAICompatibleServer
) -> None:
    llm_server.enqueue(drip(NEUTRAL), drip(NEUTRAL), drip(NEUTRAL))
    started = time.monotonic()
    narration = narrator_for(sdk, llm_server).explain(request_for("rest"))
    elapsed = time.monotonic() - started

    assert elapsed < FAST.deadline_s + 1
    assert narration.explanation.provider == "offline"
    assert narration.usage and narration.usage.reason
    assert narration.usage.reason.startswith("timeout: no complete answer within")


def test_a_missing_client_package_is_one_line_naming_the_fix_and_the_day_is_kept(
    openai_env: None, monkeypatch: pytest.MonkeyPatch, lanterne_env: Path
) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "openai" else real(name, *a)
    )
    run = CliRunner().invoke(app, ["run", "--date", "2026-07-10"])

    assert run.exit_code == 0, run.output
    assert "Traceback" not in run.output
    line = next(x for x in run.output.splitlines() if "explained by:" in x)
    assert "needs the 'openai' package, which is missing - reinstall: pip install -e ." in line
    assert (lanterne_env / "output" / "reasoning_log.csv").is_file()


def structured_narrator(server: OpenAICompatibleServer, sdk: str = "openai") -> ModelNarrator:
    prompts = Prompts(
        select_prompt("daily_explanation_structured"), select_prompt("weekly_reflection")
    )
    limits = Limits(retry=FAST, structured=True)
    return ModelNarrator(provider_for(sdk, server), prompts, load_prices(), limits)


@pytest.mark.parametrize("sdk", SDKS)
def test_a_structured_answer_is_asked_for_with_a_schema_and_its_citations_checked(
    sdk: str, llm_server: OpenAICompatibleServer
) -> None:
    text = "Readiness 85 and fresh form leave room for hard work. Push the intervals today."
    llm_server.enqueue(structured("push", {"readiness": "85", "form": "+5.0"}, text))

    narration = structured_narrator(llm_server, sdk).explain(request_for("push"))

    assert narration.explanation.text == text
    assert narration.explanation.prompt_id == "daily_explanation_structured"
    sent = llm_server.requests[0].body["response_format"]
    # huggingface_hub turns OpenAI's json_schema into the grammar its servers (TGI) read
    schema = sent["json_schema"]["schema"] if sdk == "openai" else sent["value"]
    assert sent["type"] == ("json_schema" if sdk == "openai" else "json_object")
    assert schema["required"] == ["action", "facts_cited", "explanation"]


@pytest.mark.parametrize(
    ("action", "cited", "code"),
    [
        ("rest", {"readiness": "85"}, "action"),
        ("push", {"readiness": "88"}, "cited"),
        ("push", {"mood": "great"}, "cited"),
    ],
    ids=["another-action", "a-wrong-value", "an-unknown-fact"],
)
def test_a_structured_answer_must_name_the_action_and_cite_facts_exactly(
    llm_server: OpenAICompatibleServer, action: str, cited: dict[str, str], code: str
) -> None:
    llm_server.enqueue(structured(action, cited, "Push the intervals today."))

    narration = structured_narrator(llm_server).explain(request_for("push"))

    assert narration.explanation.provider == "offline"
    assert narration.usage and narration.usage.reason
    assert narration.usage.reason.startswith(f"{code}: ")
