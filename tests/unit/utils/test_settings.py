"""Settings read from the environment and ``.env``: where each value comes from, and which
wins when it is set in more than one place."""

from __future__ import annotations

from pathlib import Path

import pytest

from lanterne_rouge.errors import ConfigError
from lanterne_rouge.utils.config_loader import Settings, load_settings


@pytest.fixture
def env(lanterne_env: Path, monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """A private home and working folder (its ``.env`` is the one read)."""
    for name in ("LANTERNE_LOG_LEVEL", "LANTERNE_SYNC_ATTEMPTS", "LANTERNE_TIMEZONE"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_a_prefixed_variable_is_read_in_any_letter_case(env: pytest.MonkeyPatch) -> None:
    env.setenv("lanterne_sync_attempts", "4")
    assert Settings().sync_attempts == 4


def test_a_providers_own_variable_wins_over_the_prefixed_one(env: pytest.MonkeyPatch) -> None:
    env.setenv("LANTERNE_OPENAI_API_KEY", "sk-prefixed-0000")
    env.setenv("OPENAI_API_KEY", "sk-own-00000000")
    key = Settings().openai_api_key
    assert key is not None and key.get_secret_value() == "sk-own-00000000"


def test_the_dotenv_file_fills_what_the_environment_leaves_out(
    env: pytest.MonkeyPatch, lanterne_env: Path
) -> None:
    (lanterne_env / ".env").write_text(
        "LANTERNE_LOG_LEVEL=INFO\nLANTERNE_SYNC_ATTEMPTS=5\nOPENAI_API_KEY=sk-dotenv-0000\n"
    )
    env.setenv("LANTERNE_SYNC_ATTEMPTS", "2")
    env.setenv("LANTERNE_OPENAI_API_KEY", "sk-environ-0000")
    settings = Settings()
    assert settings.log_level == "INFO"
    assert settings.sync_attempts == 2  # the environment wins
    key = settings.openai_api_key
    assert key is not None and key.get_secret_value() == "sk-environ-0000"


def test_values_given_in_code_win_over_both(env: pytest.MonkeyPatch) -> None:
    env.setenv("LANTERNE_DATABASE_URL", "sqlite:///from-env.db")
    assert Settings(database_url="sqlite:///given.db").database_url == "sqlite:///given.db"
    assert Settings().database_url == "sqlite:///from-env.db"


def test_unset_values_take_their_defaults(env: pytest.MonkeyPatch) -> None:
    settings = Settings()
    assert (settings.sync_attempts, settings.timezone, settings.llm_provider) == (
        3,
        None,
        "offline",
    )


@pytest.mark.parametrize(
    ("name", "value", "said"),
    [
        ("LANTERNE_LLM_DEADLINE_S", "abc", "LANTERNE_LLM_DEADLINE_S: Input should be a valid"),
        ("lanterne_llm_deadline_s", "500", "LANTERNE_LLM_DEADLINE_S: Input should be less"),
        ("LANTERNE_TIMEZONE", "Mars/Base", "LANTERNE_TIMEZONE: unknown time zone"),
    ],
    ids=["not-a-number", "out-of-range-lower-case", "unknown-zone"],
)
def test_a_bad_value_is_one_error_naming_the_variable(
    env: pytest.MonkeyPatch, name: str, value: str, said: str
) -> None:
    env.setenv(name, value)
    with pytest.raises(ConfigError) as raised:
        load_settings()
    assert str(raised.value).startswith(f"environment: {said}")
    assert value not in str(raised.value)  # a value may be a secret: never echoed
