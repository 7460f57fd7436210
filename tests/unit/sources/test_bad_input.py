"""Bad input is skipped with a message naming file, line and field; only true records are kept."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from freezegun import freeze_time

from lanterne_rouge.errors import DataError
from lanterne_rouge.memory.activity_store import ActivityStore
from lanterne_rouge.memory.state_store import StateStore
from lanterne_rouge.sources.importer import ImportKind, ImportReport, import_file
from lanterne_rouge.training.load_models import AthleteThresholds

from .activity_files import export_row, fit_file, gz, strava_zip
from .conftest import INTERVALS
from .snapshots import snapshot

THRESHOLDS = AthleteThresholds(ftp=250, threshold_hr=168, max_hr=188, resting_hr=50, sex="male")
PARIS = ZoneInfo("Europe/Paris")
WELLNESS_LINES = (INTERVALS / "wellness.csv").read_text(encoding="utf-8-sig").splitlines()
ACTIVITY_LINES = (INTERVALS / "activities.csv").read_text(encoding="utf-8-sig").splitlines()


def _import(store: StateStore, kind: ImportKind, path: Path) -> ImportReport:
    return import_file(store, "me", kind, path, thresholds=THRESHOLDS, where=PARIS)


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_wellness_export_cut_inside_its_last_load_keeps_only_the_complete_days(
    store: StateStore, tmp_path: Path
) -> None:
    rows = WELLNESS_LINES[:4]  # header + 2025-06-25, -24, -23 (newest first)
    cells = rows[3].split(",")
    assert cells[35] == "75.0"  # the day's ctlLoad
    cut = ",".join(cells[:35]) + ",7"  # cut inside it: 75.0 would be read as 7
    path = _write(tmp_path, "wellness.csv", "\n".join([*rows[:3], cut]))
    report = _import(store, ImportKind.intervals_wellness, path)
    assert sorted(d.day for d in store.loads("me")) == [date(2025, 6, 24), date(2025, 6, 25)]
    assert date(2025, 6, 23) not in {r.day for r in store.recovery("me")}
    assert report.skipped == [
        "wellness.csv line 4: field atlLoad: missing, the row has 36 of 38 cells (cut short?); "
        "the row is skipped"
    ]
    assert "skipped 1" in report.summary()


def test_a_row_cut_inside_its_last_cell_is_skipped_but_an_empty_last_cell_is_kept(
    store: StateStore, tmp_path: Path
) -> None:
    header, newest, older = WELLNESS_LINES[0], WELLNESS_LINES[1], WELLNESS_LINES[-1]
    assert newest.endswith(",128.0") and older.endswith(",")  # the real export's last cells
    cut = newest[: -len("8.0")]  # Ride_eftp 128.0 read as 12
    path = _write(tmp_path, "wellness.csv", "\n".join([header, older, cut]))
    report = _import(store, ImportKind.intervals_wellness, path)
    assert [d.day for d in store.loads("me")] == [date(2021, 7, 2)]
    assert report.skipped == [
        "wellness.csv line 3: field Ride_eftp: the file ends inside this row (cut short: no line "
        "end); the row is skipped"
    ]
    whole = _import(
        store,
        ImportKind.intervals_wellness,
        _write(tmp_path, "w2.csv", "\n".join([header, newest, older])),
    )
    assert whole.load_days == 2 and not whole.skipped  # no line end after an empty cell: kept


def test_a_two_cell_row_is_skipped_not_stored_as_a_day_of_load_zero(
    store: StateStore, tmp_path: Path
) -> None:
    rows = [*WELLNESS_LINES[:3], "2025-06-23,70", *WELLNESS_LINES[4:6]]
    report = _import(
        store, ImportKind.intervals_wellness, _write(tmp_path, "w.csv", "\n".join(rows) + "\n")
    )
    assert date(2025, 6, 23) not in {d.day for d in store.loads("me")}
    assert report.load_days == 4
    assert report.skipped == [
        "w.csv line 4: field restingHR: missing, the row has 2 of 38 cells (cut short?); the "
        "row is skipped"
    ]


def test_an_activities_export_cut_inside_a_moving_time_skips_that_ride(
    store: StateStore, tmp_path: Path
) -> None:
    last = ACTIVITY_LINES[2]
    cells = last.split(",")
    cut = ",".join(cells[:4]) + "," + cells[4][:2]  # moving_time 1887 s read as 18 s
    text = "\n".join([ACTIVITY_LINES[0], ACTIVITY_LINES[1], cut])
    report = _import(store, ImportKind.intervals_activities, _write(tmp_path, "a.csv", text))
    assert report.activities == 1
    kept = ACTIVITY_LINES[1].split(",")[0]
    assert [a.external_id for a in ActivityStore(store).activities("me")] == [kept]
    (reason,) = report.skipped
    assert reason.startswith("a.csv line 3: field distance: missing, the row has 5 of")


@freeze_time("2025-06-30 23:30:00")  # already July 1st in Paris: tomorrow there is July 2nd
@pytest.mark.parametrize("kind", ["wellness", "activities", "strava-export", "fit"])
def test_records_dated_outside_1990_to_tomorrow_in_the_athletes_zone_are_skipped(
    store: StateStore, tmp_path: Path, kind: str
) -> None:
    days = ["1900-01-01", "2025-07-02", "2025-07-03", "2100-01-01", "2200-06-01"]
    if kind == "wellness":
        template = WELLNESS_LINES[1].split(",", 1)[1]
        rows = [f"{d},{template}" for d in days]
        path = _write(tmp_path, "w.csv", "\n".join([WELLNESS_LINES[0], *rows]) + "\n")
        report = _import(store, ImportKind.intervals_wellness, path)
        stored = {d.day for d in store.loads("me")}
        field, where = "date", "w.csv line {line}"
    elif kind == "activities":
        cells = ACTIVITY_LINES[1].split(",")
        rows = [",".join([str(i), f"{d}T08:00:00", *cells[2:]]) for i, d in enumerate(days, 1)]
        path = _write(tmp_path, "a.csv", "\n".join([ACTIVITY_LINES[0], *rows]) + "\n")
        report = _import(store, ImportKind.intervals_activities, path)
        stored = {a.local_day for a in ActivityStore(store).activities("me")}
        field, where = "start_date_local", "a.csv line {line} (activity {ident})"
    elif kind == "strava-export":
        rows = [
            export_row(i, datetime.fromisoformat(f"{d}T06:00:00+00:00"), "Ride", "", 3600)
            for i, d in enumerate(days, 1)
        ]
        path = tmp_path / "export.zip"
        path.write_bytes(strava_zip(rows, {}))
        report = _import(store, ImportKind.strava_export, path)
        stored = {a.local_day for a in ActivityStore(store).activities("me")}
        field, where = "Activity Date", "export.zip:activities.csv line {line} (activity {ident})"
    else:
        path = tmp_path / "old.fit"
        path.write_bytes(fit_file(datetime(2100, 1, 1, 6, tzinfo=UTC), seconds=60))
        report = _import(store, ImportKind.fit, path)
        assert not ActivityStore(store).activities("me")
        (reason,) = report.skipped
        assert reason.startswith("old.fit: activity ") and reason.endswith(
            "field start: 2100-01-01 is outside 1990-01-01..2025-07-02"
        )
        return
    assert stored == {date(2025, 7, 2)}
    expected = [
        (
            where.format(line=i + 1, ident=i) + f": field {field}: {d} is outside "
            "1990-01-01..2025-07-02"
        )
        for i, d in enumerate(days, 1)
        if d != "2025-07-02"
    ]
    assert report.skipped == expected


def test_one_absurd_activity_load_is_skipped_and_the_rest_of_the_file_is_kept(
    store: StateStore, tmp_path: Path
) -> None:
    header = ACTIVITY_LINES[0].split(",")
    ftp_at = header.index("icu_ftp")
    rows = [line.split(",") for line in ACTIVITY_LINES[1:11]]
    rows[3][ftp_at] = "1"  # an FTP of 1 W: about 1,000,000 TSS for an hour's ride
    text = "\n".join([ACTIVITY_LINES[0], *(",".join(r) for r in rows)]) + "\n"
    report = _import(store, ImportKind.intervals_activities, _write(tmp_path, "a.csv", text))
    assert report.activities == 9
    (reason,) = report.skipped
    assert reason.startswith(f"a.csv: activity {rows[3][0]} (")
    assert "field load: " in reason and "is above 1,500 for one activity" in reason
    assert "ftp 1.0" in reason
    assert rows[3][0] not in {a.external_id for a in ActivityStore(store).activities("me")}


def test_a_damaged_deflate_stream_in_a_zip_member_is_one_line_and_nothing_stored(
    store: StateStore, tmp_path: Path
) -> None:
    start = datetime(2025, 6, 1, 6, tzinfo=UTC)
    rows = [export_row(301, start, "Ride", "activities/301.fit.gz", 600)]
    archive = strava_zip(rows, {"activities/301.fit.gz": gz(fit_file(start))})
    with zipfile.ZipFile(io.BytesIO(archive)) as source:
        info = source.getinfo("activities/301.fit.gz")
    data = bytearray(archive)
    name_len = int.from_bytes(data[info.header_offset + 26 : info.header_offset + 28], "little")
    extra_len = int.from_bytes(data[info.header_offset + 28 : info.header_offset + 30], "little")
    body = info.header_offset + 30 + name_len + extra_len
    data[body] = 0xFF  # an invalid deflate block type: zlib.error, not a CRC mismatch
    path = tmp_path / "damaged.zip"
    path.write_bytes(bytes(data))
    before = snapshot(store)
    with pytest.raises(DataError, match=r"damaged\.zip: damaged entry activities/301\.fit\.gz"):
        _import(store, ImportKind.strava_export, path)
    assert snapshot(store) == before


def test_activities_plausible_alone_but_not_together_on_one_day_skip_the_one_that_overflows(
    store: StateStore, tmp_path: Path
) -> None:
    header = ACTIVITY_LINES[0].split(",")
    ftp_at, moving_at = header.index("icu_ftp"), header.index("moving_time")
    start_at = header.index("start_date_local")
    rows = []
    for i, hour in enumerate((6, 12, 18), start=1):  # three rides of ~600 TSS on one day
        cells = ACTIVITY_LINES[1].split(",")
        cells[0], cells[start_at] = f"90{i}", f"2025-06-20T{hour:02}:00:00"
        cells[ftp_at], cells[moving_at] = "45", "5400"
        rows.append(",".join(cells))
    text = "\n".join([ACTIVITY_LINES[0], ACTIVITY_LINES[2], *rows]) + "\n"
    report = _import(store, ImportKind.intervals_activities, _write(tmp_path, "a.csv", text))
    kept = ActivityStore(store).activities("me")
    assert [a.external_id for a in kept if a.local_day == date(2025, 6, 20)] == ["901", "902"]
    (reason,) = report.skipped
    assert reason.startswith("a.csv: activity 903 (2025-06-20): field load: the day would hold ")
    assert reason.endswith("above 1,500")
    assert max(d.load for d in store.loads("me")) <= 1500
