"""A real-looking Strava week: what ``GET /athlete/activities`` lists for an indoor cyclist who
also takes strength, yoga and stretching classes, rows and walks.

Modelled on the shapes of a real athlete's Peloton and Zwift uploads (the intervals.icu
export in ``../shared/data/intervals_icu/activities.csv`` holds the same kinds): rides with a
power meter and heart rate, a ride whose power Strava estimated, classes uploaded as
``Workout`` with no heart rate, the "Upper Body Push + Ride" class whose power meter only ran
for the ride part (average 39 W, weighted average 125 W), yoga, weight training, rowing, walks.
Each entry says which rule of the sport table and power check it exercises.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from support.api_payloads import strava_activity, strava_streams


@dataclass(frozen=True)
class Case:
    ident: int
    rule: str
    payload: dict[str, Any]
    streams: dict[str, Any] | None = None


def _at(day: int, hour: int) -> datetime:
    return datetime(2025, 6, day, hour, tzinfo=UTC)


def _ride_watts(minutes: int, watts: int) -> list[int]:
    return [watts + (i % 7) - 3 for i in range(minutes * 60)]


def strava_week() -> list[Case]:
    """Activities on 2025-06-23 .. 2025-06-24 (local Paris days), with streams where the
    activity has power from a meter."""
    push_and_ride = [0] * (30 * 60) + _ride_watts(15, 117)  # strength first, then the bike
    return [
        Case(
            101,
            "ride with a power meter: power TSS from the stream",
            strava_activity(
                101,
                _at(23, 6),
                name="30 min Power Zone Ride",
                moving_time=1800,
                average_watts=118,
                weighted_average_watts=120,
                average_heartrate=141,
            ),
            strava_streams(_ride_watts(30, 118), [141] * 1800),
        ),
        Case(
            102,
            "virtual ride with a power meter: power TSS from the stream",
            strava_activity(
                102,
                _at(23, 17),
                sport_type="VirtualRide",
                name="Zwift - Watopia",
                moving_time=2700,
                average_watts=105,
                weighted_average_watts=108,
                average_heartrate=None,
            ),
            strava_streams(_ride_watts(45, 105)),
        ),
        Case(
            103,
            "ride with estimated power: never power TSS, heart rate instead",
            strava_activity(
                103,
                _at(23, 12),
                name="Lunch Ride",
                moving_time=3600,
                device_watts=False,
                average_watts=150,
                weighted_average_watts=160,
                average_heartrate=128,
            ),
        ),
        Case(
            104,
            "the push + ride class: NP 3.2x average rejected, no heart rate: not counted",
            strava_activity(
                104,
                _at(24, 17),
                sport_type="Workout",
                name="45 min Upper Body Push + Ride with Robin Arzón",
                moving_time=2700,
                average_watts=39,
                weighted_average_watts=125,
                average_heartrate=None,
            ),
            strava_streams(push_and_ride),
        ),
        Case(
            105,
            "workout without heart rate or RPE: not counted",
            strava_activity(
                105,
                _at(24, 7),
                sport_type="Workout",
                name="20 min Full Body Strength with Andy Speer",
                moving_time=1200,
                average_watts=None,
                weighted_average_watts=None,
                average_heartrate=None,
            ),
        ),
        Case(
            106,
            "workout with heart rate: heart-rate load, fatigue only",
            strava_activity(
                106,
                _at(24, 10),
                sport_type="Workout",
                name="Lunch Workout",
                moving_time=1947,
                average_watts=None,
                weighted_average_watts=None,
                average_heartrate=112,
            ),
        ),
        Case(
            107,
            "workout rated by the athlete: session RPE, fatigue only",
            strava_activity(
                107,
                _at(24, 11),
                sport_type="Workout",
                name="30 min Floor Bootcamp",
                moving_time=1800,
                average_watts=None,
                weighted_average_watts=None,
                average_heartrate=None,
                perceived_exertion=6,
            ),
        ),
        Case(
            108,
            "yoga: mobility loads nothing",
            strava_activity(
                108,
                _at(24, 19),
                sport_type="Yoga",
                name="20 min Yin Yoga with Aditi Shah",
                moving_time=1200,
                average_watts=None,
                weighted_average_watts=None,
                average_heartrate=None,
            ),
        ),
        Case(
            109,
            "a stretch uploaded as a workout, with heart rate: mobility loads nothing",
            strava_activity(
                109,
                _at(24, 18),
                sport_type="Workout",
                name="5 min Post-Ride Stretch with Hannah Corbin",
                moving_time=300,
                average_watts=None,
                weighted_average_watts=None,
                average_heartrate=114,
            ),
        ),
        Case(
            110,
            "weight training with heart rate: fatigue only",
            strava_activity(
                110,
                _at(23, 15),
                sport_type="WeightTraining",
                name="Evening Weight Training",
                moving_time=2084,
                average_watts=None,
                weighted_average_watts=None,
                average_heartrate=121,
            ),
        ),
        Case(
            111,
            "weight training without heart rate: not counted",
            strava_activity(
                111,
                _at(24, 15),
                sport_type="WeightTraining",
                name="Afternoon Weight Training",
                moving_time=1390,
                average_watts=None,
                weighted_average_watts=None,
                average_heartrate=None,
            ),
        ),
        Case(
            112,
            "rowing with heart rate: heart-rate load for fitness and fatigue",
            strava_activity(
                112,
                _at(23, 9),
                sport_type="Rowing",
                name="20 min Endurance Row",
                moving_time=1282,
                average_watts=None,
                weighted_average_watts=None,
                average_heartrate=93,
            ),
        ),
        Case(
            113,
            "walk without heart rate: the duration estimate the table allows",
            strava_activity(
                113,
                _at(24, 12),
                sport_type="Walk",
                name="Lunch Walk",
                moving_time=3246,
                average_watts=None,
                weighted_average_watts=None,
                average_heartrate=None,
            ),
        ),
    ]
