"""Pure sports-science functions: training load, the fitness model, readiness.

Nothing here does I/O, logging, database or LLM work: every function is pure.
"""

from lanterne_rouge.training.errors import TrainingInputError
from lanterne_rouge.training.fitness import RAMP_DAYS, FitnessPoint, TsbConvention, pmc
from lanterne_rouge.training.fitness_state import (
    FitnessState,
    advance,
    project,
    seed_state,
    state_from_points,
)

__all__ = [
    "RAMP_DAYS",
    "FitnessPoint",
    "FitnessState",
    "TrainingInputError",
    "TsbConvention",
    "advance",
    "pmc",
    "project",
    "seed_state",
    "state_from_points",
]
