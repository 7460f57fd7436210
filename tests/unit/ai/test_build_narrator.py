"""Choosing a narrator from settings: offline by default, config problems fall back saying why."""

from __future__ import annotations

import subprocess
import sys

import pytest

from lanterne_rouge.ai.ai_clients import OfflineNarrator, build_narrator
from lanterne_rouge.ai.model_narrator import ModelNarrator
from lanterne_rouge.utils.config_loader import Settings


def test_with_nothing_configured_the_offline_explainer_is_used() -> None:
    narrator = build_narrator(Settings())
    assert isinstance(narrator, OfflineNarrator) and narrator.reason is None


@pytest.mark.parametrize(
    ("env", "fix"),
    [
        pytest.param({"LANTERNE_LLM_PROVIDER": "openai"}, "set OPENAI_API_KEY", id="openai-no-key"),
        pytest.param({"LANTERNE_LLM_PROVIDER": "huggingface"}, "set HF_TOKEN", id="hf-no-token"),
        pytest.param(
            {
                "LANTERNE_LLM_PROVIDER": "openai",
                "OPENAI_API_KEY": "k-123456",
                "LANTERNE_PROMPT_VERSION": "9",
            },
            "LANTERNE_PROMPT_VERSION",
            id="unknown-prompt-version",
        ),
    ],
)
def test_a_configuration_problem_gives_offline_with_the_fix_in_one_line(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], fix: str
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    narrator = build_narrator(Settings())

    assert isinstance(narrator, OfflineNarrator)
    assert narrator.reason and fix in narrator.reason and "\n" not in narrator.reason


def test_a_missing_key_names_the_setting_that_fixes_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANTERNE_LLM_PROVIDER", "openai")
    narrator = build_narrator(Settings())
    assert isinstance(narrator, OfflineNarrator)
    assert narrator.reason == (
        "openai: No key found - set OPENAI_API_KEY, or OPENAI_BASE_URL for a local server"
    )


def test_a_local_server_needs_no_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANTERNE_LLM_PROVIDER", "openai")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:11434/v1")
    monkeypatch.setenv("LANTERNE_LLM_MODEL", "llama3.2")
    narrator = build_narrator(Settings())
    assert isinstance(narrator, ModelNarrator) and narrator.provider.model == "llama3.2"


def test_settings_reach_the_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANTERNE_LLM_PROVIDER", "openai")
    monkeypatch.setenv("OPENAI_API_KEY", "k-123456")
    monkeypatch.setenv("LANTERNE_LLM_DEADLINE_S", "3.5")
    monkeypatch.setenv("LANTERNE_LLM_MAX_TOKENS", "60")
    monkeypatch.setenv("LANTERNE_LLM_DAILY_BUDGET_USD", "0.5")
    narrator = build_narrator(Settings())
    assert isinstance(narrator, ModelNarrator)
    limits = narrator.limits
    assert (limits.retry.deadline_s, limits.max_completion_tokens) == (3.5, 60)
    assert limits.budget.daily_usd == 0.5


def test_the_offline_daily_run_never_imports_the_model_sdks(tmp_path: object) -> None:
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from lanterne_rouge.cli import app\n"
        "result = CliRunner().invoke(app, ['run', '--date', '2026-07-10'])\n"
        "assert result.exit_code == 0, result.output\n"
        "assert 'LLM: offline explainer, no model calls' in result.output, result.output\n"
        "print(sorted(m for m in ('openai', 'huggingface_hub') if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "'openai'" not in done.stdout and "huggingface_hub" not in done.stdout
