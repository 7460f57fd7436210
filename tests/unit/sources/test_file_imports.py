"""FIT, GPX, TCX files and the Strava export: loads from streams, dedup, rejected files."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from lanterne_rouge.errors import DataError
from lanterne_rouge.memory.activity_store import ActivityStore
from lanterne_rouge.memory.state_store import StateStore
from lanterne_rouge.sources.connect import open_strava
from lanterne_rouge.sources.importer import ImportKind, ImportReport, import_file
from lanterne_rouge.sources.sync import sync_strava
from lanterne_rouge.sources.tokens import OAuthToken, TokenFile, token_path
from lanterne_rouge.training.load_models import AthleteThresholds
from lanterne_rouge.utils.config_loader import Settings
from support.api_payloads import strava_activity, strava_streams
from support.fake_apis import FakeStrava

from .activity_files import (
    damage_member,
    export_row,
    fit_file,
    gpx_file,
    gz,
    strava_zip,
    tcx_file,
)
from .snapshots import snapshot

FTP = 250.0
THRESHOLDS = AthleteThresholds(ftp=FTP, threshold_hr=168, max_hr=188, resting_hr=50, sex="male")
NEW_YORK = ZoneInfo("America/New_York")
START = datetime(2025, 6, 24, 23, 30, tzinfo=UTC)  # 01:30 in Paris, 19:30 in New York


def _import(store: StateStore, kind: ImportKind, path: Path) -> ImportReport:
    return import_file(store, "me", kind, path, thresholds=THRESHOLDS, where=NEW_YORK)


def _write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def test_a_fit_file_gets_power_tss_from_its_stream_on_the_devices_local_day(
    store: StateStore, tmp_path: Path
) -> None:
    path = _write(tmp_path, "ride.fit", fit_file(START, seconds=600, watts=250))
    report = _import(store, ImportKind.fit, path)
    (ride,) = ActivityStore(store).activities("me")
    assert report.activities == 1 and not report.skipped
    assert ride.local_day == date(2025, 6, 25)  # the device said UTC+2, not New York
    assert (ride.sport, ride.method, ride.method_source) == ("virtualride", "power", "power_stream")
    assert ride.tss == pytest.approx(600 / 3600 * 100, rel=1e-6)  # ten minutes at FTP
    assert ride.external_id == f"1234-{int(START.timestamp())}"
    (day,) = store.loads("me")
    assert (day.day, day.source, day.method) == (date(2025, 6, 25), "activities", "power")


def test_without_a_local_time_the_athletes_zone_gives_the_day(
    store: StateStore, tmp_path: Path
) -> None:
    path = _write(tmp_path, "ride.fit.gz", gz(fit_file(START, utc_offset_hours=None)))
    _import(store, ImportKind.fit, path)
    assert ActivityStore(store).activities("me")[0].local_day == date(2025, 6, 24)


def test_a_truncated_fit_file_is_rejected_naming_it_and_nothing_changes(
    store: StateStore, tmp_path: Path
) -> None:
    _import(store, ImportKind.fit, _write(tmp_path, "good.fit", fit_file(START)))
    before = snapshot(store)
    data = fit_file(datetime(2025, 6, 26, 7, tzinfo=UTC))
    broken = _write(tmp_path, "broken.fit", data[: len(data) // 2])
    with pytest.raises(DataError, match=r"broken\.fit: not a readable FIT file"):
        _import(store, ImportKind.fit, broken)
    assert snapshot(store) == before


def test_gpx_and_tcx_files_give_power_and_heart_rate_streams(
    store: StateStore, tmp_path: Path
) -> None:
    gpx = _write(tmp_path, "climb.gpx", gpx_file(datetime(2025, 6, 20, 8, tzinfo=UTC)))
    tcx = _write(tmp_path, "intervals.tcx", tcx_file(datetime(2025, 6, 21, 8, tzinfo=UTC)))
    _import(store, ImportKind.gpx, gpx)
    _import(store, ImportKind.tcx, tcx)
    by_source = {a.source: a for a in ActivityStore(store).activities("me")}
    climb, laps = by_source["gpx"], by_source["tcx"]
    assert (climb.sport, climb.method_source, climb.name) == ("ride", "power_stream", "Col du test")
    assert climb.moving_s == 600 and climb.detail["normalized_power"] == pytest.approx(180.0)
    assert (laps.sport, laps.method_source, laps.moving_s) == ("ride", "power_stream", 600)
    assert laps.detail["normalized_power"] == pytest.approx(220.0)


def test_an_undecodable_gpx_is_rejected_naming_it(store: StateStore, tmp_path: Path) -> None:
    path = _write(tmp_path, "junk.gpx", b"<gpx><trk><trkseg><trkpt lat=")
    with pytest.raises(DataError, match=r"junk\.gpx: not a readable GPX file"):
        _import(store, ImportKind.gpx, path)


def test_the_same_file_imported_twice_counts_once(store: StateStore, tmp_path: Path) -> None:
    path = _write(tmp_path, "ride.fit", fit_file(START))
    _import(store, ImportKind.fit, path)
    loads = store.loads("me")
    _import(store, ImportKind.fit, path)
    _import(store, ImportKind.fit, _write(tmp_path, "copy-of-ride.fit", path.read_bytes()))
    assert len(ActivityStore(store).activities("me")) == 1
    assert store.loads("me") == loads


def test_the_same_session_from_the_api_and_a_file_counts_once(
    store: StateStore,
    tmp_path: Path,
    strava_server: FakeStrava,
    monkeypatch: pytest.MonkeyPatch,
    lanterne_env: Path,
) -> None:
    start = datetime(2025, 6, 24, 6, 0, tzinfo=UTC)
    _import(store, ImportKind.fit, _write(tmp_path, "ride.fit", fit_file(start, seconds=1200)))
    monkeypatch.setenv("STRAVA_API_BASE_URL", strava_server.base_url)
    monkeypatch.setenv("STRAVA_CLIENT_ID", "1")
    monkeypatch.setenv("STRAVA_CLIENT_SECRET", "secret-abcdef")
    TokenFile(token_path(lanterne_env / "home", "strava")).save(OAuthToken(access_token="a-1"))
    strava_server.grant("a-1", next_pair=("", ""))
    uploaded = datetime(2025, 6, 24, 6, 0, 20, tzinfo=UTC)  # the phone started 20 s later
    strava_server.activities = [strava_activity(55, uploaded, moving_time=1180)]
    strava_server.streams["55"] = strava_streams([250] * 1180)
    client = open_strava(Settings())
    sync_strava(
        store,
        "me",
        client,
        today=date(2025, 6, 25),
        thresholds=THRESHOLDS,
        where=NEW_YORK,
        since=date(2025, 6, 1),
    )
    assert len(ActivityStore(store).activities("me")) == 2  # both records kept
    (day,) = store.loads("me")
    strava = ActivityStore(store).activity("me", "strava", "55")
    assert strava is not None and day.load == pytest.approx(strava.load, abs=0.01)  # once


def _export(tmp_path: Path, rows: list[str], members: dict[str, bytes], name: str) -> Path:
    return _write(tmp_path, name, strava_zip(rows, members))


def test_a_strava_export_reads_its_activity_files_and_summary_rows(
    store: StateStore, tmp_path: Path
) -> None:
    ride = datetime(2025, 6, 20, 7, tzinfo=UTC)
    run = datetime(2025, 6, 21, 7, tzinfo=UTC)
    rows = [
        export_row(101, ride, "Virtual Ride", "activities/101.fit.gz", 600),
        export_row(102, run, "Run", "", 1800, average_hr="150"),
        export_row(103, datetime(2025, 6, 22, 7, tzinfo=UTC), "Ride", "activities/103.gpx", 600),
    ]
    members = {
        "activities/101.fit.gz": gz(fit_file(ride, watts=250)),
        "activities/103.gpx": gpx_file(datetime(2025, 6, 22, 7, tzinfo=UTC)),
        "media/photo.jpg": b"\xff\xd8 not read",
    }
    report = _import(store, ImportKind.strava_export, _export(tmp_path, rows, members, "e.zip"))
    assert report.activities == 3 and not report.skipped
    stored = {a.external_id: a for a in ActivityStore(store).activities("me")}
    assert stored["101"].source == "strava_export" and stored["101"].sport == "virtualride"
    assert stored["101"].method_source == "power_stream"
    assert stored["102"].method_source == "average_hr" and stored["102"].sport == "run"
    assert stored["103"].method_source == "power_stream"
    assert len(store.loads("me")) == 3


def test_an_undecodable_member_skips_that_activity_by_name(
    store: StateStore, tmp_path: Path
) -> None:
    start = datetime(2025, 6, 20, 7, tzinfo=UTC)
    rows = [
        export_row(201, start, "Ride", "activities/201.fit.gz", 600),
        export_row(202, datetime(2025, 6, 21, 7, tzinfo=UTC), "Run", "", 1800, "150"),
    ]
    members = {"activities/201.fit.gz": gz(b"this is not a FIT file at all")}
    report = _import(store, ImportKind.strava_export, _export(tmp_path, rows, members, "e.zip"))
    assert [a.external_id for a in ActivityStore(store).activities("me")] == ["202"]
    (reason,) = report.skipped
    assert reason.startswith("e.zip:activities/201.fit.gz: activity 201:")


@pytest.mark.parametrize("junk", ["damaged-entry", "unsafe-name", "not-a-zip", "wrong-header"])
def test_a_junk_archive_is_rejected_naming_it_and_nothing_changes(
    store: StateStore, tmp_path: Path, junk: str
) -> None:
    _import(store, ImportKind.fit, _write(tmp_path, "good.fit", fit_file(START)))
    before = snapshot(store)
    start = datetime(2025, 6, 20, 7, tzinfo=UTC)
    rows = [export_row(301, start, "Ride", "activities/301.fit.gz", 600)]
    members = {"activities/301.fit.gz": gz(fit_file(start))}
    if junk == "damaged-entry":
        data = damage_member(strava_zip(rows, members), "activities/301.fit.gz")
        message = r"junk\.zip: damaged entry activities/301\.fit\.gz"
    elif junk == "unsafe-name":
        data = strava_zip(rows, {**members, "../../outside.txt": b"escape"})
        message = r"junk\.zip: unsafe entry name '\.\./\.\./outside\.txt'"
    elif junk == "not-a-zip":
        data = b"PK\x03\x04 and then nothing that makes a zip"
        message = r"junk\.zip: not a readable zip archive"
    else:
        data = strava_zip(rows, members, header="id,date,name")
        message = r"junk\.zip: not an Strava export activities\.csv: missing column"
    with pytest.raises(DataError, match=message):
        _import(store, ImportKind.strava_export, _write(tmp_path, "junk.zip", data))
    assert snapshot(store) == before
