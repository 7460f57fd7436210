"""Strava's application-wide rate limits as one budget shared by every worker, in Redis.

Strava counts the requests of an application, not of an athlete: by default 100 reads per
15 minutes (windows starting at :00, :15, :30 and :45 UTC) and 1,000 per day (reset at
midnight UTC). Every worker takes a request from one pair of Redis counters before it sends
it; when either window is used up the request is not sent and the caller learns how long to
wait, so a sync task re-queues itself for then instead of sleeping in a worker. The counters
are raised to the usage Strava reports in its ``X-ReadRateLimit-Usage`` (or
``X-RateLimit-Usage``) headers when Strava has counted more than we have, and a 429 marks the
15-minute window used up. Window boundaries come from the workers' clocks (keep them in NTP).

Only the ``redis`` client is needed; it is passed in, never created here.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

import httpx
import msgspec

from lanterne_rouge.sources.api_client import RateLimited

if TYPE_CHECKING:
    from redis import Redis

QUARTER = 900
DAY = 86_400

# Both counters move together or not at all, so a refused request takes nothing.
_RESERVE = """
local n = tonumber(ARGV[1])
local quarter = tonumber(redis.call('GET', KEYS[1]) or '0')
local day = tonumber(redis.call('GET', KEYS[2]) or '0')
if day + n > tonumber(ARGV[3]) then return 2 end
if quarter + n > tonumber(ARGV[2]) then return 1 end
redis.call('INCRBY', KEYS[1], n)
redis.call('EXPIRE', KEYS[1], ARGV[4])
redis.call('INCRBY', KEYS[2], n)
redis.call('EXPIRE', KEYS[2], ARGV[5])
return 0
"""

# Raise a counter to what Strava counted, never lower it.
_RAISE = """
for i, key in ipairs(KEYS) do
  local seen = tonumber(ARGV[2 * i - 1])
  if seen >= 0 and tonumber(redis.call('GET', key) or '0') < seen then
    redis.call('SET', key, seen, 'EX', ARGV[2 * i])
  end
end
return 0
"""


class StravaLimits(msgspec.Struct, frozen=True):
    """Requests the application may make per 15-minute window and per UTC day."""

    per_quarter: int = 100
    per_day: int = 1_000


class Reservation(msgspec.Struct, frozen=True):
    """``granted``, or refused with the seconds until the used-up window resets."""

    granted: bool
    retry_after_s: float = 0.0
    window: str = ""


class SharedStravaBudget:
    """One request budget for every worker of the application, kept in Redis."""

    def __init__(
        self,
        client: Redis,
        limits: StravaLimits | None = None,
        *,
        prefix: str = "lanterne:strava",
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.client = client
        self.limits = limits or StravaLimits()
        self.prefix = prefix
        self.clock = clock
        self._reserve = client.register_script(_RESERVE)
        self._raise = client.register_script(_RAISE)

    def reserve(self, requests: int = 1) -> Reservation:
        """Take ``requests`` from both windows, or nothing and say how long to wait."""
        now = self.clock()
        refused = self._reserve(
            keys=self._keys(now),
            args=[requests, self.limits.per_quarter, self.limits.per_day, QUARTER, DAY],
        )
        if refused == 0:
            return Reservation(granted=True)
        if refused == 2:
            return Reservation(False, DAY - now % DAY, "daily")
        return Reservation(False, QUARTER - now % QUARTER, "15-minute")

    def observe(self, headers: Mapping[str, str], status: int = 200) -> None:
        """Raise the counters to the usage Strava reports; a 429 fills the 15-minute window."""
        quarter, day = _usage(headers)
        if status == 429:
            quarter = max(quarter, self.limits.per_quarter)
        self._raise(keys=self._keys(self.clock()), args=[quarter, QUARTER, day, DAY])

    def used(self) -> tuple[int, int]:
        """Requests counted in the current 15-minute window and UTC day."""
        quarter, day = self.client.mget(self._keys(self.clock()))
        return int(quarter or 0), int(day or 0)

    def _keys(self, now: float) -> list[str]:
        return [
            f"{self.prefix}:quarter:{int(now // QUARTER)}",
            f"{self.prefix}:day:{int(now // DAY)}",
        ]


def _usage(headers: Mapping[str, str]) -> tuple[int, int]:
    for name in ("X-ReadRateLimit-Usage", "X-RateLimit-Usage"):
        value = headers.get(name)
        if not value:
            continue
        try:
            quarter, day = (int(part.strip()) for part in value.split(",")[:2])
        except ValueError:
            continue
        return quarter, day
    return -1, -1


class BudgetExhausted(RateLimited):
    """The application's shared budget is used up; ``retry_at`` (Unix s) says when to retry."""


class BudgetedTransport(httpx.BaseTransport):
    """An httpx transport that spends the shared budget on every request it sends."""

    def __init__(
        self, budget: SharedStravaBudget, inner: httpx.BaseTransport | None = None
    ) -> None:
        self.budget = budget
        self.inner = inner or httpx.HTTPTransport()
        self.retry_at: float | None = None

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        reservation = self.budget.reserve()
        if not reservation.granted:
            self.retry_at = self.budget.clock() + reservation.retry_after_s
            raise BudgetExhausted(
                f"strava: the application's {reservation.window} request budget is used up; "
                f"the sync resumes in {reservation.retry_after_s:.0f} s",
                self.retry_at,
            )
        response = self.inner.handle_request(request)
        self.budget.observe(response.headers, response.status_code)
        return response

    def close(self) -> None:
        self.inner.close()
