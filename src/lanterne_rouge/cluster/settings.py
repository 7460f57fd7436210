"""The fleet's own settings (``LANTERNE_*`` variables or ``.env``), read by workers and beat."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from lanterne_rouge.errors import ConfigError


class ClusterSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="LANTERNE_", env_file=".env", extra="ignore", frozen=True
    )

    broker_url: str = Field(
        default="redis://127.0.0.1:6379/0", description="Redis: the task queue and shared budgets"
    )
    fleet_file: Path | None = Field(
        default=None, description="no longer read: `lanterne-rouge athlete import FILE`"
    )
    dispatch_every_s: float = Field(default=300.0, gt=0, description="s between dispatches")
    task_time_limit_s: float = Field(default=300.0, gt=0, description="s, one task at most")
    task_max_retries: int = Field(default=5, ge=0, le=50)
    retry_backoff_max_s: int = Field(default=600, ge=1, description="s, longest retry wait")
    strava_per_quarter: int = Field(
        default=100, ge=1, description="Strava reads per 15 minutes, for the whole application"
    )
    strava_per_day: int = Field(default=1000, ge=1, description="Strava reads per UTC day")
    sync_wait_max_s: float = Field(
        default=3600.0, ge=0, description="s a day waits for its sync before running without"
    )
    visibility_timeout_s: float = Field(
        default=3600.0, gt=0, description="s before a lost worker's tasks go to another"
    )


def load_cluster_settings() -> ClusterSettings:
    try:
        found = ClusterSettings()
    except ValidationError as exc:
        first = exc.errors()[0]
        name = "LANTERNE_" + str(first["loc"][0]).upper()
        raise ConfigError(f"{name}: {first['msg']}") from exc
    if found.fleet_file is not None:
        raise ConfigError(
            "LANTERNE_FLEET_FILE is no longer read: the fleet is the athletes table; load the "
            f"file once with `lanterne-rouge athlete import {found.fleet_file}`, then unset it"
        )
    return found
