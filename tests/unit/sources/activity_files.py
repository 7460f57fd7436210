"""Small activity files for tests: FIT written with fit-tool (PyPI), GPX, TCX, a Strava zip."""

from __future__ import annotations

import gzip
import io
import zipfile
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from functools import cache

FIT_EPOCH = datetime(1989, 12, 31, tzinfo=UTC)


@cache  # fit-tool writes about 2,000 records a second: build each file once per session
def fit_file(
    start: datetime,
    *,
    seconds: int = 600,
    watts: int | None = 200,
    heart_rate: int | None = 140,
    utc_offset_hours: int | None = 2,
    sport: str = "cycling",
    sub_sport: str = "indoor_cycling",
    serial: int = 1234,
) -> bytes:
    """A one-session activity FIT file with a record per second."""
    from fit_tool.fit_file_builder import FitFileBuilder
    from fit_tool.profile.messages.activity_message import ActivityMessage
    from fit_tool.profile.messages.file_id_message import FileIdMessage
    from fit_tool.profile.messages.record_message import RecordMessage
    from fit_tool.profile.messages.session_message import SessionMessage
    from fit_tool.profile.profile_type import FileType, Manufacturer, Sport, SubSport

    ms = int(start.timestamp() * 1000)
    builder = FitFileBuilder(auto_define=True, min_string_size=50)
    file_id = FileIdMessage()
    file_id.type = FileType.ACTIVITY
    file_id.manufacturer = Manufacturer.DEVELOPMENT.value
    file_id.product = 0
    file_id.time_created = ms
    file_id.serial_number = serial
    builder.add(file_id)
    records = []
    for second in range(seconds):
        record = RecordMessage()
        record.timestamp = ms + second * 1000
        if watts is not None:
            record.power = watts
        if heart_rate is not None:
            record.heart_rate = heart_rate
        records.append(record)
    builder.add_all(records)
    session = SessionMessage()
    session.timestamp = ms + seconds * 1000
    session.start_time = ms
    session.total_elapsed_time = seconds
    session.total_timer_time = seconds
    session.sport = Sport[sport.upper()]
    session.sub_sport = SubSport[sub_sport.upper()]
    builder.add(session)
    activity = ActivityMessage()
    activity.timestamp = ms + seconds * 1000
    if utc_offset_hours is not None:
        local = start + timedelta(seconds=seconds, hours=utc_offset_hours)
        activity.local_timestamp = int((local - FIT_EPOCH).total_seconds())
    activity.num_sessions = 1
    builder.add(activity)
    return bytes(builder.build().to_bytes())


def gpx_file(start: datetime, *, seconds: int = 600, watts: int = 180, hr: int = 150) -> bytes:
    points = "".join(
        f'<trkpt lat="45.{i:04d}" lon="6.{i:04d}"><ele>1000</ele>'
        f"<time>{(start + timedelta(seconds=i)).strftime('%Y-%m-%dT%H:%M:%SZ')}</time>"
        f"<extensions><power>{watts}</power><gpxtpx:TrackPointExtension>"
        f"<gpxtpx:hr>{hr}</gpxtpx:hr></gpxtpx:TrackPointExtension></extensions></trkpt>"
        for i in range(0, seconds + 1, 5)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<gpx creator="StravaGPX" version="1.1" xmlns="http://www.topografix.com/GPX/1/1" '
        'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">'
        f"<metadata><time>{start:%Y-%m-%dT%H:%M:%SZ}</time></metadata>"
        f"<trk><name>Col du test</name><type>cycling</type><trkseg>{points}</trkseg></trk></gpx>"
    ).encode()


def tcx_file(start: datetime, *, seconds: int = 600, watts: int = 220, hr: int = 155) -> bytes:
    points = "".join(
        f"<Trackpoint><Time>{(start + timedelta(seconds=i)).strftime('%Y-%m-%dT%H:%M:%SZ')}"
        f"</Time><HeartRateBpm><Value>{hr}</Value></HeartRateBpm>"
        f"<Extensions><ns3:TPX><ns3:Watts>{watts}</ns3:Watts></ns3:TPX></Extensions>"
        "</Trackpoint>"
        for i in range(seconds + 1)
    )
    stamp = start.strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"'
        ' xmlns:ns3="http://www.garmin.com/xmlschemas/ActivityExtension/v2">'
        f'<Activities><Activity Sport="Biking"><Id>{stamp}</Id><Lap StartTime="{stamp}">'
        f"<TotalTimeSeconds>{seconds}</TotalTimeSeconds><Track>{points}</Track></Lap>"
        "</Activity></Activities></TrainingCenterDatabase>"
    ).encode()


STRAVA_EXPORT_HEADER = (
    "Activity ID,Activity Date,Activity Name,Activity Type,Activity Description,Elapsed Time,"
    "Distance,Max Heart Rate,Relative Effort,Commute,Activity Private Note,Activity Gear,"
    "Filename,Athlete Weight,Bike Weight,Elapsed Time,Moving Time,Distance,Max Speed,"
    "Average Speed,Elevation Gain,Elevation Loss,Elevation Low,Elevation High,Max Grade,"
    "Average Grade,Average Positive Grade,Average Negative Grade,Max Cadence,Average Cadence,"
    "Max Heart Rate,Average Heart Rate,Max Watts,Average Watts,Calories"
)


def export_row(
    ident: int, start: datetime, kind: str, filename: str, moving: int, average_hr: str = ""
) -> str:
    when = start.strftime("%b %d, %Y, %I:%M:%S %p").replace(" 0", " ")
    return (
        f'{ident},"{when}",Morning ride,{kind},,{moving},20.1,160,30,false,,,{filename},70,8,'
        f"{moving},{moving},20100.5,12.1,6.2,100,100,200,300,5,0.1,2,-2,100,85,160,"
        f"{average_hr},600,200,500"
    )


def strava_zip(
    rows: Sequence[str], members: dict[str, bytes], *, header: str = STRAVA_EXPORT_HEADER
) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("activities.csv", "\n".join([header, *rows]) + "\n")
        archive.writestr("profile.csv", "Athlete ID,Email\n1,someone@example.org\n")
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def gz(data: bytes) -> bytes:
    return gzip.compress(data)


def damage_member(archive: bytes, name: str) -> bytes:
    """The archive with one member's stored bytes flipped (its CRC check fails)."""
    with zipfile.ZipFile(io.BytesIO(archive)) as source:
        info = source.getinfo(name)
    data = bytearray(archive)
    header = info.header_offset
    name_len = int.from_bytes(data[header + 26 : header + 28], "little")
    extra_len = int.from_bytes(data[header + 28 : header + 30], "little")
    body = header + 30 + name_len + extra_len
    for i in range(body + 10, body + 40):
        data[i] ^= 0xFF
    return bytes(data)
