"""Lanterne Rouge: an AI endurance coach that runs once a day."""

__version__ = "0.1.0"
