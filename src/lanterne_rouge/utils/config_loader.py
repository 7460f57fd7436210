"""Settings from the environment and ``.env`` (mission files: ``mission_file.py``).

Settings are read once by the CLI and passed down; nothing else reads the environment.
Secrets are ``SecretStr`` and are registered with the log redactor as soon as they are read.

Each field is read from ``LANTERNE_<NAME>`` (or its own variable names, ``validation_alias``),
in any letter case, from the environment first and then from ``.env`` in the working folder;
values given to ``Settings(...)`` win over both. That is what pydantic-settings does for this
flat model, done here in a few lines: the daily run starts without importing it.
"""

# Annotations are evaluated as the classes are made (no ``from __future__ import
# annotations``): pydantic would otherwise evaluate each one from its string, a third of
# the time these models take to build at start-up.

import os
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
)

from lanterne_rouge.errors import ConfigError, describe
from lanterne_rouge.utils.logger import register_secret

DEFAULT_MISSION_FILE = Path("config/missions/tour_de_france_sim.toml")
ENV_PREFIX = "LANTERNE_"
ENV_FILE = ".env"


def _env(name: str) -> AliasChoices:
    """A provider's own variable name, or the same with the ``LANTERNE_`` prefix."""
    return AliasChoices(name, f"LANTERNE_{name}")


class Settings(BaseModel):
    """Every setting, from ``LANTERNE_*`` variables (and the provider keys) or ``.env``."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    def __init__(self, **values: Any) -> None:
        super().__init__(**_gathered(type(self), values))

    home: Path = Field(
        default=Path.home() / ".lanterne-rouge",
        description="where the database and tokens live",
    )
    database_url: str | None = Field(default=None, description="SQLAlchemy URL; default SQLite")
    output_dir: Path = Path("output")
    athlete_id: str = Field(default="me", pattern=r"^[A-Za-z0-9_.\-]{1,64}$")
    mission_file: Path = DEFAULT_MISSION_FILE
    timezone: str | None = Field(default=None, description="IANA zone; default the machine's")
    tsb_convention: Literal["previous_day", "same_day"] = "previous_day"
    log_level: str = "WARNING"

    llm_provider: Literal["offline", "openai", "huggingface"] = "offline"
    openai_api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("OPENAI_API_KEY", "LANTERNE_OPENAI_API_KEY")
    )
    openai_base_url: str | None = Field(
        default=None, validation_alias=AliasChoices("OPENAI_BASE_URL", "LANTERNE_OPENAI_BASE_URL")
    )
    hf_token: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("HF_TOKEN", "LANTERNE_HF_TOKEN")
    )
    hf_base_url: str | None = Field(default=None, description="your own HF endpoint or TGI URL")
    llm_model: str | None = Field(default=None, description="model id; default per provider")
    llm_deadline_s: float = Field(default=10.0, gt=0, le=120, description="s, retries included")
    llm_max_attempts: int = Field(default=3, ge=1, le=10)
    llm_backoff_s: float = Field(default=0.5, ge=0, le=30, description="s, first retry wait")
    llm_max_tokens: int = Field(default=100, ge=1, le=1000, description="completion token cap")
    llm_max_prompt_tokens: int = Field(default=400, ge=50, le=8000, description="estimated")
    llm_max_answer_chars: int = Field(default=400, ge=50, le=4000)
    llm_daily_budget_usd: float | None = Field(default=0.02, ge=0)
    llm_monthly_budget_usd: float | None = Field(default=0.50, ge=0)
    fleet_daily_budget_usd: float | None = Field(
        default=None, ge=0, description="USD a UTC day for every athlete together; None: no cap"
    )
    llm_allow_unpriced: bool = Field(default=False, description="call models missing a price")
    llm_structured_output: Literal["auto", "on", "off"] = Field(
        default="auto", description="JSON naming the action and facts; auto: api.openai.com only"
    )
    prices_file: Path | None = Field(default=None, description="default: data/prices.toml")
    sports_file: Path | None = Field(
        default=None, description="how each sport loads; default: data/sports.toml"
    )
    prompt_version: int | None = Field(default=None, ge=1, description="default: the latest")

    # Data sources. OAuth tokens refreshed later live in LANTERNE_HOME/tokens (mode 0600).
    secret_key: SecretStr | None = Field(
        default=None,
        description="Fernet key(s), comma-separated, newest first: athletes' secrets in the DB",
    )
    oura_personal_access_token: SecretStr | None = Field(
        default=None, validation_alias=_env("OURA_PERSONAL_ACCESS_TOKEN")
    )
    oura_client_id: str | None = Field(default=None, validation_alias=_env("OURA_CLIENT_ID"))
    oura_client_secret: SecretStr | None = Field(
        default=None, validation_alias=_env("OURA_CLIENT_SECRET")
    )
    oura_api_base_url: str = Field(
        default="https://api.ouraring.com", validation_alias=_env("OURA_API_BASE_URL")
    )
    sync_attempts: int = Field(default=3, ge=1, le=10, description="tries per source in a run")
    sync_backoff_s: float = Field(
        default=20.0, ge=0, le=600, description="s before the second try; doubles after"
    )
    strava_client_id: str | None = Field(default=None, validation_alias=_env("STRAVA_CLIENT_ID"))
    strava_client_secret: SecretStr | None = Field(
        default=None, validation_alias=_env("STRAVA_CLIENT_SECRET")
    )
    strava_refresh_token: SecretStr | None = Field(
        default=None,
        validation_alias=_env("STRAVA_REFRESH_TOKEN"),
        description="the first refresh token; rotated ones are kept in the token file",
    )
    strava_api_base_url: str = Field(
        default="https://www.strava.com/api/v3", validation_alias=_env("STRAVA_API_BASE_URL")
    )
    oauth_redirect_uri: str = Field(
        default="http://localhost/exchange_token",
        description="where the provider sends the browser back with ?code=...",
    )

    # The morning message: email over SMTP and/or Telegram, each on when its settings are set.
    smtp_host: str | None = None
    smtp_port: int | None = Field(
        default=None, ge=1, le=65535, description="default 587 (starttls), 465 (ssl), 25 (none)"
    )
    smtp_security: Literal["starttls", "ssl", "none"] = "starttls"
    smtp_user: str | None = None
    smtp_password: SecretStr | None = None
    smtp_from: str | None = Field(default=None, description="sender; default LANTERNE_SMTP_USER")
    smtp_to: str | None = Field(default=None, description="recipients, comma-separated")
    telegram_bot_token: SecretStr | None = Field(
        default=None, validation_alias=_env("TELEGRAM_BOT_TOKEN")
    )
    telegram_chat_id: str | None = Field(default=None, validation_alias=_env("TELEGRAM_CHAT_ID"))
    telegram_api_base_url: str = Field(
        default="https://api.telegram.org", validation_alias=_env("TELEGRAM_API_BASE_URL")
    )
    notify_attempts: int = Field(default=3, ge=1, le=10, description="tries per channel")
    notify_backoff_s: float = Field(default=2.0, ge=0, le=60, description="s, first retry wait")
    notify_timeout_s: float = Field(default=15.0, gt=0, le=120, description="s, per attempt")

    # The dashboard: local only unless a password is set.
    dashboard_host: str = "127.0.0.1"
    dashboard_port: int = Field(default=7860, ge=1, le=65535)
    dashboard_user: str = "athlete"
    dashboard_password: SecretStr | None = None

    @field_validator("dashboard_password", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        """An empty password is no password: the refusal to serve beyond 127.0.0.1 holds."""
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, name: str | None) -> str | None:
        if not name:
            return None
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("unknown time zone (use an IANA name such as Europe/Paris)") from None
        return name

    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.home / 'lanterne.db'}"

    def register_secrets(self) -> None:
        for secret in (
            self.openai_api_key,
            self.hf_token,
            self.oura_personal_access_token,
            self.oura_client_secret,
            self.strava_client_secret,
            self.strava_refresh_token,
            self.smtp_password,
            self.telegram_bot_token,
            self.dashboard_password,
        ):
            if secret is not None:
                register_secret(secret.get_secret_value())
        if self.secret_key is not None:
            for key in self.secret_key.get_secret_value().split(","):
                register_secret(key.strip())


def _gathered(model: type[BaseModel], given: dict[str, Any]) -> dict[str, Any]:
    """The model's input: each field given, else found in the environment, else in ``.env``,
    keyed as the model validates it (the field's name, or the variable name it was found
    under when the field has its own)."""
    sources = [_lowered(os.environ), _dotenv(Path(ENV_FILE))]
    data = {k: v for k, v in given.items() if k not in model.model_fields}
    for name, field in model.model_fields.items():
        alias = field.validation_alias
        names = (
            [str(choice) for choice in alias.choices]
            if isinstance(alias, AliasChoices)
            else [ENV_PREFIX + name]
        )
        if name in given:
            data[names[0] if alias is not None else name] = given[name]
            continue
        found = next(
            ((n, src[n.lower()]) for src in sources for n in names if n.lower() in src), None
        )
        if found is not None:
            data[found[0] if alias is not None else name] = found[1]
    return data


def _lowered(values: Any) -> dict[str, str]:
    return {str(k).lower(): v for k, v in values.items() if v is not None}


def _dotenv(path: Path) -> dict[str, str]:
    """The ``.env`` file's variables (python-dotenv is imported only when there is one)."""
    if not path.is_file():
        return {}
    from dotenv import dotenv_values

    return _lowered(dotenv_values(path))


def load_settings() -> Settings:
    """Read settings; a bad value is a ``ConfigError`` naming the variable."""
    try:
        settings = Settings()
    except ValidationError as exc:
        raise ConfigError(describe("environment", exc, prefix="LANTERNE_")) from exc
    settings.register_secrets()
    return settings
