"""Oura v2 and Strava v3 payloads shaped like the official API reference examples.

Every field of the reference objects is present (values changed to be plausible), so the
clients meet the real shapes, extra fields included, not just the fields they read.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any


def oura_readiness(day: date, score: int | None = 78) -> dict[str, Any]:
    return {
        "id": f"readiness-{day}",
        "contributors": {
            "activity_balance": 76,
            "body_temperature": 98,
            "hrv_balance": 70,
            "previous_day_activity": 84,
            "previous_night": 81,
            "recovery_index": 100,
            "resting_heart_rate": 92,
            "sleep_balance": 79,
            "sleep_regularity": 88,
        },
        "day": day.isoformat(),
        "score": score,
        "temperature_deviation": -0.08,
        "temperature_trend_deviation": 0.05,
        "timestamp": f"{day}T00:00:00.000+02:00",
    }


def oura_daily_sleep(day: date, score: int | None = 81) -> dict[str, Any]:
    return {
        "id": f"daily-sleep-{day}",
        "contributors": {
            "deep_sleep": 97,
            "efficiency": 86,
            "latency": 54,
            "rem_sleep": 96,
            "restfulness": 80,
            "timing": 94,
            "total_sleep": 85,
        },
        "day": day.isoformat(),
        "score": score,
        "timestamp": f"{day}T00:00:00.000+02:00",
    }


def oura_sleep(
    day: date,
    *,
    kind: str = "long_sleep",
    hrv: int | None = 48,
    lowest: int | None = 47,
    average: float | None = 52.5,
    total: int | None = 26_100,
    ident: str | None = None,
) -> dict[str, Any]:
    bed_start = datetime.combine(day - timedelta(days=1), datetime.min.time()) + timedelta(hours=23)
    bed_end = bed_start + timedelta(seconds=(total or 25_000) + 1_800)
    return {
        "id": ident or f"sleep-{kind}-{day}",
        "average_breath": 14.25,
        "average_heart_rate": average,
        "average_hrv": hrv,
        "awake_time": 1_800,
        "bedtime_end": bed_end.isoformat() + "+02:00",
        "bedtime_start": bed_start.isoformat() + "+02:00",
        "day": day.isoformat(),
        "deep_sleep_duration": 5_400,
        "efficiency": 92,
        "heart_rate": {
            "interval": 300.0,
            "items": [None, 55.0, 51.0, 49.0, 48.0],
            "timestamp": bed_start.isoformat() + "+02:00",
        },
        "hrv": {
            "interval": 300.0,
            "items": [None, 41.0, 50.0, 52.0],
            "timestamp": bed_start.isoformat() + "+02:00",
        },
        "latency": 540,
        "light_sleep_duration": 14_400,
        "low_battery_alert": False,
        "lowest_heart_rate": lowest,
        "movement_30_sec": "1143222134",
        "period": 0,
        "readiness": {
            "contributors": {
                "activity_balance": 76,
                "body_temperature": 98,
                "hrv_balance": 70,
                "previous_day_activity": 84,
                "previous_night": 81,
                "recovery_index": 100,
                "resting_heart_rate": 92,
                "sleep_balance": 79,
                "sleep_regularity": 88,
            },
            "score": 78,
            "temperature_deviation": -0.08,
            "temperature_trend_deviation": 0.05,
        },
        "readiness_score_delta": 1,
        "rem_sleep_duration": 6_300,
        "restless_periods": 210,
        "sleep_algorithm_version": "v2",
        "sleep_phase_5_min": "442211233342",
        "sleep_score_delta": 0,
        "time_in_bed": (total or 25_000) + 1_800,
        "total_sleep_duration": total,
        "type": kind,
    }


def oura_daily_activity(day: date) -> dict[str, Any]:
    return {
        "id": f"activity-{day}",
        "class_5_min": "0000011112222",
        "score": 82,
        "active_calories": 640,
        "average_met_minutes": 1.6,
        "contributors": {
            "meet_daily_targets": 60,
            "move_every_hour": 95,
            "recovery_time": 100,
            "stay_active": 77,
            "training_frequency": 96,
            "training_volume": 99,
        },
        "equivalent_walking_distance": 11_000,
        "high_activity_met_minutes": 45,
        "high_activity_time": 1_200,
        "inactivity_alerts": 1,
        "low_activity_met_minutes": 180,
        "low_activity_time": 14_000,
        "medium_activity_met_minutes": 140,
        "medium_activity_time": 3_000,
        "met": {"interval": 60.0, "items": [0.9, 1.2], "timestamp": f"{day}T04:00:00+02:00"},
        "meters_to_target": 200,
        "non_wear_time": 3_600,
        "resting_time": 30_000,
        "sedentary_met_minutes": 10,
        "sedentary_time": 25_000,
        "steps": 9_800,
        "target_calories": 500,
        "target_meters": 8_000,
        "total_calories": 2_700,
        "day": day.isoformat(),
        "timestamp": f"{day}T04:00:00.000+02:00",
    }


def oura_day(day: date, **sleep: Any) -> dict[str, list[dict[str, Any]]]:
    """One day's documents in every collection."""
    return {
        "daily_readiness": [oura_readiness(day)],
        "daily_sleep": [oura_daily_sleep(day)],
        "sleep": [oura_sleep(day, **sleep)],
        "daily_activity": [oura_daily_activity(day)],
    }


def strava_activity(
    ident: int,
    start: datetime,
    *,
    sport_type: str = "Ride",
    moving_time: int = 3_600,
    device_watts: bool = True,
    weighted_average_watts: int | None = 200,
    average_heartrate: float | None = 142.5,
    utc_offset_hours: int = 2,
    name: str = "Happy Friday",
    average_watts: float | None = 185.5,
    perceived_exertion: float | None = None,
) -> dict[str, Any]:
    """A ``SummaryActivity`` as ``GET /athlete/activities`` lists it.

    Like Strava: an activity without power (``average_watts`` None) has no power fields at
    all, one without heart rate has ``has_heartrate`` false, no heart-rate fields and no
    suffer score, and ``perceived_exertion`` is there only when the athlete rated it.
    """
    local = start.astimezone(UTC) + timedelta(hours=utc_offset_hours)
    payload = {
        "resource_state": 2,
        "athlete": {"id": 134815, "resource_state": 1},
        "name": name,
        "distance": 24_931.4,
        "moving_time": moving_time,
        "elapsed_time": moving_time + 120,
        "total_elevation_gain": 0,
        "type": sport_type,
        "sport_type": sport_type,
        "workout_type": None,
        "id": ident,
        "external_id": "garmin_push_12345678987654321",
        "upload_id": 987654321234567891234,
        "start_date": start.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "start_date_local": local.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "timezone": "(GMT+01:00) Europe/Paris",
        "utc_offset": utc_offset_hours * 3600,
        "start_latlng": None,
        "end_latlng": None,
        "location_city": None,
        "location_state": None,
        "location_country": "France",
        "achievement_count": 0,
        "kudos_count": 3,
        "comment_count": 1,
        "athlete_count": 1,
        "photo_count": 0,
        "map": {"id": f"a{ident}", "summary_polyline": None, "resource_state": 2},
        "trainer": True,
        "commute": False,
        "manual": False,
        "private": False,
        "flagged": False,
        "gear_id": "b12345678987654321",
        "from_accepted_tag": False,
        "average_speed": 6.679,
        "max_speed": 18.5,
        "average_cadence": 78.5,
        "average_watts": average_watts,
        "weighted_average_watts": weighted_average_watts,
        "kilojoules": 667.8,
        "device_watts": device_watts,
        "has_heartrate": average_heartrate is not None,
        "average_heartrate": average_heartrate,
        "max_heartrate": 178.0,
        "max_watts": 743,
        "pr_count": 0,
        "total_photo_count": 1,
        "has_kudoed": False,
        "suffer_score": 82.0,
    }
    if average_watts is None:
        for key in ("average_watts", "weighted_average_watts", "kilojoules", "device_watts"):
            del payload[key]
        del payload["max_watts"]
    if average_heartrate is None:
        for key in ("average_heartrate", "max_heartrate"):
            del payload[key]
        payload["suffer_score"] = None
    if perceived_exertion is not None:
        payload["perceived_exertion"] = perceived_exertion
    return payload


def strava_streams(watts: list[int], heartrate: list[int] | None = None) -> dict[str, Any]:
    """``GET /activities/{id}/streams?keys=time,watts,heartrate&key_by_type=true``."""
    size = len(watts)
    streams: dict[str, Any] = {
        "time": {
            "data": list(range(size)),
            "series_type": "distance",
            "original_size": size,
            "resolution": "high",
        },
        "watts": {
            "data": watts,
            "series_type": "distance",
            "original_size": size,
            "resolution": "high",
        },
        "distance": {
            "data": [round(i * 8.3, 1) for i in range(size)],
            "series_type": "distance",
            "original_size": size,
            "resolution": "high",
        },
    }
    if heartrate is not None:
        streams["heartrate"] = {
            "data": heartrate,
            "series_type": "distance",
            "original_size": size,
            "resolution": "high",
        }
    return streams
