"""The planned days as an iCalendar file: one all-day event per day with its workout."""

from __future__ import annotations

from datetime import datetime, timedelta

from lanterne_rouge.messages import Plan


def plan_to_ics(plan: Plan, *, athlete_id: str, created: datetime) -> str:
    """The ``.ics`` text; event ids are stable per athlete and day, so re-imports update."""
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//Lanterne Rouge//coach plan//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"Lanterne Rouge plan: {athlete_id}")
    for planned in plan.days:
        workout = planned.workout
        event = Event()
        event.add("uid", f"{planned.day.isoformat()}-{athlete_id}@lanterne-rouge")
        event.add("dtstamp", created)
        event.add("dtstart", planned.day)
        event.add("dtend", planned.day + timedelta(days=1))
        if workout.minutes:
            summary = f"{workout.name} ({workout.minutes} min, {workout.tss_target:.0f} TSS)"
        else:
            summary = workout.name
        event.add("summary", summary)
        event.add(
            "description",
            f"{workout.description}\nProjected: CTL {planned.projected_ctl:.1f}, "
            f"form {planned.projected_tsb:+.1f}".strip(),
        )
        calendar.add_component(event)
    encoded: bytes = calendar.to_ical()
    return encoded.decode("utf-8")
