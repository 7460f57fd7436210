"""Strava API v3: activities since a point in time, power streams, OAuth and rate limits.

Built on ``ApiClient`` (httpx) rather than stravalib, for three measured reasons: stravalib
2.6 builds every URL as ``https://{server}`` (``protocol.py``), so it cannot be pointed at a
plain-HTTP local server through ``STRAVA_API_BASE_URL`` without patching it; it refreshes an
expired token inside the request and keeps the rotated refresh token in memory only, with no
hook to save it before it is used; and ``import stravalib`` takes 0.36 s (plus requests and
Pint) where httpx, already a dependency, takes 0.08 s.

**OAuth.** ``lanterne-rouge auth strava`` prints the authorize URL, then ``--code`` exchanges
the code for tokens. A refresh token can also be given once in ``STRAVA_REFRESH_TOKEN``. The
access token is refreshed 5 minutes before ``expires_at`` (or after a 401); Strava rotates
the refresh token, and the new pair is saved (mode 0600, atomically) before it is used.

**Activities.** ``GET /athlete/activities?after=<epoch>&page=N&per_page=M``, ascending when
``after`` is given, until a page comes back short. Every activity with power from a meter
(``device_watts`` true), whatever its sport, gets its streams (``time``, ``watts``,
``heartrate``) so normalized power comes from the stream; the others use the summary (the
provider's NP for rides, average heart rate, or what the sport table allows). Activities are
bucketed by ``start_date_local`` (Strava writes local time with a misleading ``Z``; only its
date is used).

**Rate limits.** ``X-RateLimit-Limit``/``-Usage`` (all requests) and
``X-ReadRateLimit-Limit``/``-Usage`` (reads) carry "15-minute,daily" pairs. When a window is
used up the client waits for it to reset (15-minute windows reset on the quarter hour, daily
ones at midnight UTC) if that is within ``max_wait`` seconds, and otherwise stops with
``RateLimited`` saying when to try again; what was fetched before is kept by the caller.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx
import msgspec
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from lanterne_rouge.errors import SourceError
from lanterne_rouge.sources.activity import SourceActivity, Stream, on_grid
from lanterne_rouge.sources.api_client import ApiClient, RateLimited
from lanterne_rouge.sources.sports import our_sport

SOURCE = "strava"
SCOPES = "read,activity:read_all"
PER_PAGE = 100
STREAM_KEYS = "time,watts,heartrate"


def token_url(base_url: str) -> str:
    """The OAuth token endpoint beside the API (``https://www.strava.com/oauth/token``)."""
    parts = urlsplit(base_url)
    return f"{parts.scheme}://{parts.netloc}/oauth/token"


def authorize_url(base_url: str, client_id: str, redirect_uri: str, state: str) -> str:
    parts = urlsplit(base_url)
    query = {
        "client_id": client_id,
        "redirect_uri": redirect_uri,
        "response_type": "code",
        "approval_prompt": "auto",
        "scope": SCOPES,
        "state": state,
    }
    return f"{parts.scheme}://{parts.netloc}/oauth/authorize?{urlencode(query)}"


class _Window(msgspec.Struct):
    usage: int
    limit: int


class RateLimits:
    """The last rate-limit headers Strava sent, and when the next request may go."""

    def __init__(self) -> None:
        self.windows: dict[str, _Window] = {}

    def update(self, headers: httpx.Headers) -> None:
        for kind, prefix in (("overall", "X-RateLimit"), ("read", "X-ReadRateLimit")):
            limits = _pair(headers.get(f"{prefix}-Limit"))
            usage = _pair(headers.get(f"{prefix}-Usage"))
            if limits is None or usage is None:
                continue
            self.windows[f"{kind} 15-minute"] = _Window(usage[0], limits[0])
            self.windows[f"{kind} daily"] = _Window(usage[1], limits[1])

    def exhausted(self, now: float) -> tuple[float, str] | None:
        """Seconds until a used-up window resets and a description of it, or None."""
        worst: tuple[float, str] | None = None
        for name, window in self.windows.items():
            if window.limit <= 0 or window.usage < window.limit:
                continue
            wait = _until_reset(name, now)
            text = (
                f"{name} limit used up ({window.usage} of {window.limit} requests); "
                f"it resets at {_clock(now + wait)} UTC"
            )
            if worst is None or wait > worst[0]:
                worst = (wait, text)
        return worst

    def reset(self) -> None:
        """After waiting for a reset: forget the counts until the next response says more."""
        self.windows.clear()


def _pair(value: str | None) -> tuple[int, int] | None:
    if not value:
        return None
    try:
        first, second = (int(part.strip()) for part in value.split(",")[:2])
    except ValueError:
        return None
    return first, second


def _until_reset(window: str, now: float) -> float:
    if window.endswith("daily"):
        return 86400.0 - now % 86400.0
    return 900.0 - now % 900.0


def _clock(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%d %H:%M")


class StravaClient(ApiClient):
    provider = SOURCE

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.limits = RateLimits()

    def before_request(self) -> None:
        found = self.limits.exhausted(self.clock())
        if found is None:
            return
        wait, text = found
        if wait > self.max_wait:
            raise RateLimited(f"strava: {text}; run the sync again then", self.clock() + wait)
        self.sleep(wait)
        self.limits.reset()

    def after_response(self, response: httpx.Response) -> None:
        self.limits.update(response.headers)

    def retry_wait(self, response: httpx.Response, attempt: int) -> float:
        if response.status_code == 429:
            found = self.limits.exhausted(self.clock())
            if found is not None:
                return found[0]
            if "Retry-After" not in response.headers:
                return _until_reset("15-minute", self.clock())
        return super().retry_wait(response, attempt)

    def rate_limited(self, response: httpx.Response, wait: float) -> RateLimited:
        found = self.limits.exhausted(self.clock())
        text = found[1] if found else f"rate limit reached; try again in {wait:.0f} s"
        return RateLimited(f"strava: {text}; run the sync again then", self.clock() + wait)

    def activity_pages(
        self, after: datetime, per_page: int = PER_PAGE
    ) -> Iterator[list[dict[str, Any]]]:
        """Pages of activity summaries that started after ``after``, oldest first."""
        page = 1
        while True:
            params = {"after": int(after.timestamp()), "page": page, "per_page": per_page}
            items = self.get_json("/athlete/activities", params)
            if not isinstance(items, list):
                raise SourceError("strava: athlete/activities answered something other than a list")
            yield [item for item in items if isinstance(item, dict)]
            if len(items) < per_page:
                return
            page += 1

    def streams(self, activity_id: str) -> dict[str, Any]:
        """The activity's streams by type (``time``, ``watts``, ``heartrate``)."""
        found = self.get_json(
            f"/activities/{activity_id}/streams",
            {"keys": STREAM_KEYS, "key_by_type": "true"},
        )
        if isinstance(found, list):  # the shape without key_by_type
            return {str(s.get("type")): s for s in found if isinstance(s, dict)}
        return found if isinstance(found, dict) else {}


class ActivitySummary(BaseModel):
    """The fields of a Strava ``SummaryActivity`` we use; the rest is kept raw."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    id: int
    name: str | None = None
    type: str | None = None
    sport_type: str | None = None
    start_date: datetime
    start_date_local: str
    moving_time: float = Field(gt=0)
    elapsed_time: float | None = None
    device_watts: bool | None = None
    average_watts: float | None = None
    weighted_average_watts: float | None = None
    has_heartrate: bool | None = None
    average_heartrate: float | None = None
    perceived_exertion: float | None = Field(default=None, description="the athlete's 1-10")

    @field_validator("start_date")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("start_date has no time zone")
        return value.astimezone(UTC)

    @field_validator("start_date_local")
    @classmethod
    def _local_date(cls, value: str) -> str:
        date.fromisoformat(value[:10])
        return value

    @property
    def local_day(self) -> date:
        return date.fromisoformat(self.start_date_local[:10])

    @property
    def sport(self) -> str:
        return our_sport(self.sport_type, self.type)

    @property
    def wants_streams(self) -> bool:
        """Any activity with power from a meter: the stream's NP beats the summary's."""
        return self.device_watts is True and bool(self.average_watts or self.weighted_average_watts)


def parse_summary(raw: dict[str, Any]) -> ActivitySummary:
    """Raises ``ValidationError`` for a missing or malformed field."""
    return ActivitySummary.model_validate(raw)


def describe_error(raw: dict[str, Any], exc: ValidationError) -> str:
    err = exc.errors()[0]
    name = ".".join(str(p) for p in err["loc"]) or "(activity)"
    return f"strava activity {raw.get('id', '?')}: field {name}: {err['msg']}"


def source_activity(
    summary: ActivitySummary, streams: dict[str, Any] | None = None
) -> SourceActivity:
    power, heart_rate = _resampled(streams) if streams else (None, None)
    return SourceActivity(
        source=SOURCE,
        external_id=str(summary.id),
        source_type=summary.sport_type or summary.type or "unknown",
        sport=summary.sport,
        start_utc=summary.start_date,
        local_day=summary.local_day,
        moving_s=summary.moving_time,
        elapsed_s=summary.elapsed_time,
        name=summary.name,
        power=power,
        heart_rate=heart_rate,
        average_power=summary.average_watts,
        normalized_power=summary.weighted_average_watts,
        device_watts=summary.device_watts,
        average_hr=summary.average_heartrate if summary.has_heartrate is not False else None,
        rpe=summary.perceived_exertion,
    )


def _resampled(streams: dict[str, Any]) -> tuple[Stream | None, Stream | None]:
    """Watts and heart rate on a 1-second grid (see ``activity.on_grid``)."""
    time = _data(streams, "time")
    if not time or not all(isinstance(t, int | float) for t in time):
        return None, None
    offsets = [float(t) for t in time]
    return _grid(offsets, _data(streams, "watts")), _grid(offsets, _data(streams, "heartrate"))


def _data(streams: dict[str, Any], key: str) -> list[Any] | None:
    stream = streams.get(key)
    if not isinstance(stream, dict) or not isinstance(stream.get("data"), list):
        return None
    return stream["data"]  # type: ignore[no-any-return]


def _grid(offsets: list[float], values: list[Any] | None) -> Stream | None:
    if values is None or len(values) != len(offsets):
        return None
    numbers = [float(v) if isinstance(v, int | float) else None for v in values]
    return on_grid(offsets, numbers)
