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
from lanterne_rouge.training.load import (
    ActivityInput,
    AthleteThresholds,
    LoadMethod,
    LoadResult,
    LoadSettings,
    SportWeight,
    activity_load,
    normalized_power,
    power_tss,
)

__all__ = [
    "RAMP_DAYS",
    "ActivityInput",
    "AthleteThresholds",
    "FitnessPoint",
    "FitnessState",
    "LoadMethod",
    "LoadResult",
    "LoadSettings",
    "SportWeight",
    "TrainingInputError",
    "TsbConvention",
    "activity_load",
    "advance",
    "normalized_power",
    "pmc",
    "power_tss",
    "project",
    "seed_state",
    "state_from_points",
]
