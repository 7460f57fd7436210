"""Exports of a plan: a workout as a Zwift ``.zwo`` file, the week as an ``.ics`` calendar."""

from lanterne_rouge.exports.calendar import plan_to_ics
from lanterne_rouge.exports.zwift import workout_to_zwo

__all__ = ["plan_to_ics", "workout_to_zwo"]
