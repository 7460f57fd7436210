"""A workout as a Zwift workout file (``.zwo``): one ``SteadyState`` block per step."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from lanterne_rouge.messages import Workout


def workout_to_zwo(workout: Workout, *, author: str = "Lanterne Rouge") -> str:
    """The ``.zwo`` XML text; the blocks' durations add up to the workout's minutes."""
    root = ET.Element("workout_file")
    ET.SubElement(root, "author").text = author
    ET.SubElement(root, "name").text = workout.name
    ET.SubElement(
        root, "description"
    ).text = f"{workout.description} About {workout.tss_target:.0f} TSS.".strip()
    ET.SubElement(root, "sportType").text = "bike"
    blocks = ET.SubElement(root, "workout")
    for step in workout.steps:
        ET.SubElement(
            blocks,
            "SteadyState",
            Duration=str(step.minutes * 60),
            Power=f"{step.pct_ftp / 100:.3f}",
        )
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=False) + "\n"
