"""Oura API v2: readiness, sleep and activity documents, turned into daily recovery records.

A thin client over ``ApiClient`` (httpx; base URL from ``OURA_API_BASE_URL``, transport
injectable). Credentials are either a personal access token (``OURA_PERSONAL_ACCESS_TOKEN``,
never refreshed) or OAuth2 tokens from ``lanterne-rouge auth oura`` (kept in
``LANTERNE_HOME/tokens/oura.json``, refreshed on expiry or a 401; Oura's refresh tokens are
single-use, so the new pair is saved before it is used).

Collections read (``/v2/usercollection/<name>``, pages followed through ``next_token``):

- ``daily_readiness``: ``score`` (and ``contributors``, kept raw) -> readiness;
- ``daily_sleep``: ``score`` -> sleep score;
- ``sleep``: the ``long_sleep`` period of the day (the longest, if several) gives
  ``average_hrv`` -> HRV (rMSSD, ms), ``lowest_heart_rate`` -> resting HR and
  ``total_sleep_duration`` -> sleep seconds; ``average_heart_rate`` is kept raw;
- ``daily_activity``: kept raw only (steps and calories are not coach inputs).

``end_date`` is inclusive for the ``daily_*`` collections and exclusive for ``sleep``, so a
window of days ``start..end`` asks ``sleep`` for ``end + 1``. A document with a missing or
malformed field is skipped with a message naming the collection, document and field; the
rest is kept.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

import msgspec
from pydantic import BaseModel, ConfigDict, ValidationError

from lanterne_rouge.errors import SourceError
from lanterne_rouge.memory.records import RecoveryRecord
from lanterne_rouge.sources.api_client import ApiClient
from lanterne_rouge.sources.recovery import checked_recovery

SOURCE = "oura"
AUTHORIZE_URL = "https://cloud.ouraring.com/oauth/authorize"
SCOPES = "daily heartrate personal"
COLLECTIONS = ("daily_readiness", "daily_sleep", "sleep", "daily_activity")
_END_EXCLUSIVE = frozenset({"sleep"})


class _Document(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    id: str
    day: date


class ReadinessDocument(_Document):
    score: int | None = None


class DailySleepDocument(_Document):
    score: int | None = None


class SleepDocument(_Document):
    type: str
    average_hrv: float | None = None
    lowest_heart_rate: float | None = None
    average_heart_rate: float | None = None
    total_sleep_duration: int | None = None


class ActivityDocument(_Document):
    pass


_MODELS: dict[str, type[_Document]] = {
    "daily_readiness": ReadinessDocument,
    "daily_sleep": DailySleepDocument,
    "sleep": SleepDocument,
    "daily_activity": ActivityDocument,
}


class OuraClient(ApiClient):
    provider = SOURCE

    def unauthorized_message(self) -> str:
        return (
            "oura rejected the access token (HTTP 401): create a new personal access token "
            f"(OURA_PERSONAL_ACCESS_TOKEN) or authorize again with {self.how_to_connect()}"
        )

    def documents(
        self,
        collection: str,
        start: date,
        end: date,
        on_page: Callable[[int, int], None] | None = None,
    ) -> list[dict[str, Any]]:
        """Every document of ``collection`` for the days ``start..end`` (inclusive)."""
        last = end + timedelta(days=1) if collection in _END_EXCLUSIVE else end
        params: dict[str, str] = {"start_date": start.isoformat(), "end_date": last.isoformat()}
        found: list[dict[str, Any]] = []
        seen_tokens: set[str] = set()
        while True:
            page = self.get_json(f"/v2/usercollection/{collection}", params)
            if not isinstance(page, dict) or not isinstance(page.get("data"), list):
                raise SourceError(f"oura: {collection} answered without a data list")
            found.extend(doc for doc in page["data"] if isinstance(doc, dict))
            token = page.get("next_token")
            if on_page is not None:
                on_page(len(seen_tokens) + 1, len(found))
            if not token:
                return found
            if token in seen_tokens:
                raise SourceError(f"oura: {collection} repeated a next_token; stopping")
            seen_tokens.add(token)
            params = {**params, "next_token": str(token)}


def authorize_url(client_id: str, redirect_uri: str, state: str) -> str:
    query = {
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": redirect_uri,
        "scope": SCOPES,
        "state": state,
    }
    return f"{AUTHORIZE_URL}?{urlencode(query)}"


class ParsedDocuments(msgspec.Struct):
    """Valid documents by collection, and why the others were skipped."""

    valid: dict[str, list[_Document]] = msgspec.field(default_factory=lambda: defaultdict(list))
    skipped: list[str] = msgspec.field(default_factory=list)


def parse_documents(collection: str, docs: Iterable[dict[str, Any]]) -> ParsedDocuments:
    parsed = ParsedDocuments()
    model = _MODELS[collection]
    for index, doc in enumerate(docs):
        try:
            parsed.valid[collection].append(model.model_validate(doc))
        except ValidationError as exc:
            err = exc.errors()[0]
            name = ".".join(str(p) for p in err["loc"]) or "(document)"
            ident = doc.get("id") or f"#{index}"
            parsed.skipped.append(
                f"oura {collection} document {ident!s}: field {name}: {err['msg']}"
            )
    return parsed


def recovery_records(valid: dict[str, list[_Document]], skipped: list[str]) -> list[RecoveryRecord]:
    """One record per day from the valid documents of every collection."""
    days: dict[date, dict[str, Any]] = defaultdict(dict)
    origins: dict[date, dict[str, str]] = defaultdict(dict)

    def take(doc: _Document, collection: str, ours: str, theirs: str, value: Any) -> None:
        days[doc.day][ours] = value
        origins[doc.day][ours] = f"{collection} document {doc.id}: field {theirs}"

    for doc in valid.get("daily_readiness", []):
        take(doc, "daily_readiness", "readiness_score", "score", doc.score)  # type: ignore[attr-defined]
    for doc in valid.get("daily_sleep", []):
        take(doc, "daily_sleep", "sleep_score", "score", doc.score)  # type: ignore[attr-defined]
    for main in _main_sleeps(valid.get("sleep", [])).values():
        take(main, "sleep", "hrv_rmssd", "average_hrv", main.average_hrv)
        take(main, "sleep", "resting_hr", "lowest_heart_rate", main.lowest_heart_rate)
        take(main, "sleep", "sleep_secs", "total_sleep_duration", main.total_sleep_duration)
    records = []
    for day in sorted(days):
        record = checked_recovery(day, SOURCE, days[day], f"oura {day}", skipped, origins[day])
        if record is not None:
            records.append(record)
    return records


def _main_sleeps(docs: Iterable[_Document]) -> dict[date, SleepDocument]:
    """The longest ``long_sleep`` period of each day."""
    best: dict[date, SleepDocument] = {}
    for doc in docs:
        if not isinstance(doc, SleepDocument) or doc.type != "long_sleep":
            continue
        current = best.get(doc.day)
        if current is None or (doc.total_sleep_duration or 0) > (current.total_sleep_duration or 0):
            best[doc.day] = doc
    return best
