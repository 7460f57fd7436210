"""``lanterne-rouge sync``: incremental pulls from Oura and Strava into the store.

**Where a sync starts.** Each source keeps a cursor (``sync_cursors``): Oura the last day
synced, Strava the start time of the newest activity stored. A sync starts a little before
the cursor (``OURA_OVERLAP_DAYS``, ``STRAVA_OVERLAP``), because a ring or a phone can upload
late; records fetched again replace their stored copies, so the overlap never double counts.
The first sync goes back ``FIRST_SYNC_DAYS``; ``--since D`` backfills from day D.

**What is kept.** Every document or activity is kept raw (``raw_payloads``) beside what was
made of it, so it can be re-processed without fetching it again. Activities are unique on
(source, external id); the same session from the API and from a file counts once
(``activity_days``).

**Failures.** Oura's collections are fetched first and stored in one transaction. Strava is
stored page by page, each page in its own transaction with the cursor moved to its newest
activity; when the rate limit stops a sync, what was stored stays and the next sync carries
on from there. A record with a missing or malformed field is skipped with a message naming
it; the rest is kept.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

import msgspec
from pydantic import ValidationError

from lanterne_rouge.memory.activity_store import ActivityStore, RawPayload, StoredActivity
from lanterne_rouge.memory.records import RecoveryRecord
from lanterne_rouge.memory.state_store import StateStore
from lanterne_rouge.sources import oura, strava
from lanterne_rouge.sources.activity import Scoring, with_load
from lanterne_rouge.sources.activity_days import rebuild_days
from lanterne_rouge.sources.api_client import HttpStatusError, RateLimited
from lanterne_rouge.sources.dates import outside
from lanterne_rouge.sources.progress import Progress, Silent
from lanterne_rouge.sources.sports import SportTable
from lanterne_rouge.training.errors import TrainingInputError
from lanterne_rouge.training.load_models import AthleteThresholds
from lanterne_rouge.training.thresholds import ThresholdHistory

FIRST_SYNC_DAYS = 90
OURA_OVERLAP_DAYS = 2
STRAVA_OVERLAP = timedelta(days=2)
RECOVERY_CURSOR = "recovery"
ACTIVITIES_CURSOR = "activities"

Now = Callable[[], datetime]


def _utc_now() -> datetime:
    return datetime.now(UTC)


class SyncReport(msgspec.Struct):
    source: str
    start: date | None = None
    end: date | None = None
    days: int = 0
    activities: int = 0
    requests: int = 0
    skipped: list[str] = msgspec.field(default_factory=list)
    stopped: str | None = None
    retry_at: float | None = None  # Unix s: when a rate limit that stopped it lets it go on

    def summary(self) -> str:
        what = (
            f"{self.days} days of recovery"
            if self.source == oura.SOURCE
            else f"{self.activities} activities"
        )
        span = f" ({self.start} to {self.end})" if self.start else ""
        lines = [
            f"Synced {self.source}: stored {what}{span} in {self.requests} requests; "
            f"skipped {len(self.skipped)}."
        ]
        if self.stopped:
            lines.append(f"  stopped early: {self.stopped}")
        lines.extend(f"  skipped: {reason}" for reason in self.skipped[:20])
        if len(self.skipped) > 20:
            lines.append(f"  ... and {len(self.skipped) - 20} more skipped")
        return "\n".join(lines)


def sync_oura(
    store: StateStore,
    athlete_id: str,
    client: oura.OuraClient,
    *,
    today: date,
    since: date | None = None,
    progress: Progress | None = None,
    now: Now = _utc_now,
) -> SyncReport:
    """Fetch recovery documents from the cursor (or ``since``) to ``today`` and store them."""
    shown = progress or Silent()
    ledger = store.activities
    start = since or _oura_start(ledger.cursor(athlete_id, oura.SOURCE, RECOVERY_CURSOR), today)
    report = SyncReport(source=oura.SOURCE, start=start, end=today)
    fetched: dict[str, list[dict[str, Any]]] = {}
    for collection in oura.COLLECTIONS:
        fetched[collection] = client.documents(
            collection, start, today, on_page=_pages(shown, collection)
        )
        shown.note(f"{collection}: {len(fetched[collection])} documents")
    valid: dict[str, list[Any]] = {}
    for collection, docs in fetched.items():
        parsed = oura.parse_documents(collection, docs)
        valid[collection] = parsed.valid[collection]
        report.skipped.extend(parsed.skipped)
    records = _dated(oura.recovery_records(valid, report.skipped), today, report.skipped)
    fetched_at = now()
    with store.transaction():
        ledger.save_raw(athlete_id, _oura_raw(fetched, fetched_at))
        report.days = store.upsert_recovery(athlete_id, records)
        ledger.set_cursor(
            athlete_id, oura.SOURCE, RECOVERY_CURSOR, today.isoformat(), now=fetched_at
        )
    report.requests = client.requests
    return report


def _dated(records: list[RecoveryRecord], today: date, skipped: list[str]) -> list[RecoveryRecord]:
    """The records dated 1990-01-01 .. tomorrow (``sources.dates``); the others named."""
    latest = today + timedelta(days=1)
    kept = []
    for record in records:
        if (why := outside(record.day, latest)) is not None:
            skipped.append(f"oura {record.day}: field day: {why}")
        else:
            kept.append(record)
    return kept


def _pages(shown: Progress, collection: str) -> Callable[[int, int], None]:
    def on_page(page: int, documents: int) -> None:
        if page > 1:
            shown.note(f"{collection}: page {page}, {documents} documents so far")

    return on_page


def _oura_start(cursor: str | None, today: date) -> date:
    if cursor is None:
        return today - timedelta(days=FIRST_SYNC_DAYS)
    return min(today, date.fromisoformat(cursor)) - timedelta(days=OURA_OVERLAP_DAYS)


def _oura_raw(fetched: dict[str, list[dict[str, Any]]], at: datetime) -> list[RawPayload]:
    raw = []
    for collection, docs in fetched.items():
        for doc in docs:
            ident = doc.get("id")
            if not isinstance(ident, str | int) or ident == "":
                continue  # nothing to key it by; already reported as skipped
            raw.append(
                RawPayload(
                    source=oura.SOURCE,
                    kind=collection,
                    external_id=str(ident),
                    day=_day_or_none(doc.get("day")),
                    fetched_at=at,
                    payload=doc,
                )
            )
    return raw


def _day_or_none(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def sync_strava(
    store: StateStore,
    athlete_id: str,
    client: strava.StravaClient,
    *,
    today: date,
    thresholds: AthleteThresholds | ThresholdHistory,
    where: tzinfo,
    since: date | None = None,
    per_page: int = strava.PER_PAGE,
    progress: Progress | None = None,
    now: Now = _utc_now,
    sports: SportTable | None = None,
) -> SyncReport:
    """Fetch activities after the cursor (or ``since``), page by page, and store them.

    Loads use the thresholds in force on each activity's day and the sport table (default:
    the bundled one)."""
    shown = progress or Silent()
    ledger = store.activities
    after = _strava_after(ledger, athlete_id, today, since, where)
    report = SyncReport(source=strava.SOURCE, start=after.astimezone(where).date(), end=today)
    scoring = Scoring.of(thresholds, sports)
    page_sync = _StravaPage(store, ledger, athlete_id, client, scoring, report, now)
    page_sync.latest = today + timedelta(days=1)
    try:
        for number, page in enumerate(client.activity_pages(after, per_page), start=1):
            page_sync.run(page)
            shown.note(f"page {number}: {report.activities} activities so far")
    except RateLimited as exc:
        report.stopped = str(exc)
        report.retry_at = exc.retry_at
    finally:
        page_sync.flush()
        report.requests = client.requests
    return report


def _strava_after(
    ledger: ActivityStore, athlete_id: str, today: date, since: date | None, where: tzinfo
) -> datetime:
    if since is not None:
        return datetime.combine(since, time.min, tzinfo=where).astimezone(UTC)
    cursor = ledger.cursor(athlete_id, strava.SOURCE, ACTIVITIES_CURSOR)
    if cursor is not None:
        return datetime.fromisoformat(cursor) - STRAVA_OVERLAP
    first = today - timedelta(days=FIRST_SYNC_DAYS)
    return datetime.combine(first, time.min, tzinfo=where).astimezone(UTC)


class _StravaPage:
    """Turns summaries into stored activities; ``flush`` writes a batch in one transaction."""

    def __init__(
        self,
        store: StateStore,
        ledger: ActivityStore,
        athlete_id: str,
        client: strava.StravaClient,
        scoring: Scoring,
        report: SyncReport,
        now: Now,
    ) -> None:
        self.store, self.ledger, self.athlete_id = store, ledger, athlete_id
        self.client, self.scoring, self.report, self.now = client, scoring, report, now
        self.batch: list[StoredActivity] = []
        self.raw: list[RawPayload] = []
        self.latest = date.max

    def run(self, page: list[dict[str, Any]]) -> None:
        for raw in page:
            self.add(raw)
        self.flush()

    def add(self, raw: dict[str, Any]) -> None:
        try:
            summary = strava.parse_summary(raw)
        except ValidationError as exc:
            self.report.skipped.append(strava.describe_error(raw, exc))
            return
        ident = str(summary.id)
        if (why := outside(summary.local_day, self.latest)) is not None:
            self.report.skipped.append(f"strava activity {ident}: field start_date_local: {why}")
            return
        streams = self._streams(summary) if summary.wants_streams else None
        try:
            stored = with_load(strava.source_activity(summary, streams), self.scoring)
        except TrainingInputError as exc:
            self.report.skipped.append(f"strava activity {ident} ({summary.local_day}): {exc}")
            return
        self.raw.append(self._payload("activity", ident, summary.local_day, raw))
        self.batch.append(stored)

    def _streams(self, summary: strava.ActivitySummary) -> dict[str, Any] | None:
        """Streams stored by an earlier sync, else fetched (may raise ``RateLimited``).

        An activity whose streams cannot be had (deleted or private since it was listed)
        keeps the load its summary gives, and the report says so.
        """
        ident = str(summary.id)
        kept = self.ledger.raw(self.athlete_id, strava.SOURCE, kinds=["streams"], external_id=ident)
        if kept and isinstance(kept[0].payload, dict):
            return kept[0].payload
        try:
            streams = self.client.streams(ident)
        except HttpStatusError as exc:
            self.report.skipped.append(
                f"strava activity {ident}: streams unavailable (HTTP {exc.status}); "
                "its load comes from the summary"
            )
            return None
        self.raw.append(self._payload("streams", ident, summary.local_day, streams))
        return streams

    def _payload(self, kind: str, ident: str, day: date, payload: Any) -> RawPayload:
        return RawPayload(
            source=strava.SOURCE,
            kind=kind,
            external_id=ident,
            day=day,
            fetched_at=self.now(),
            payload=payload,
        )

    def flush(self) -> None:
        if not self.batch and not self.raw:
            return
        batch, raw = self.batch, self.raw
        self.batch, self.raw = [], []
        with self.store.transaction():
            moved = {
                old.local_day
                for a in batch
                if (old := self.ledger.activity(self.athlete_id, a.source, a.external_id))
            }
            self.ledger.save_raw(self.athlete_id, raw)
            self.report.activities += self.ledger.upsert_activities(self.athlete_id, batch)
            rebuild_days(self.store, self.athlete_id, {a.local_day for a in batch} | moved)
            if batch:
                newest = max(a.start_utc for a in batch)
                current = self.ledger.cursor(self.athlete_id, strava.SOURCE, ACTIVITIES_CURSOR)
                if current is None or datetime.fromisoformat(current) < newest:
                    self.ledger.set_cursor(
                        self.athlete_id,
                        strava.SOURCE,
                        ACTIVITIES_CURSOR,
                        newest.isoformat(),
                        now=self.now(),
                    )
