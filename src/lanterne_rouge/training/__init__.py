"""Pure sports-science functions: training load, the fitness model, readiness.

Nothing here does I/O, logging, database or LLM work: every function is pure.
"""

from lanterne_rouge.training.errors import TrainingInputError
from lanterne_rouge.training.fitness import RAMP_DAYS, FitnessPoint, TsbConvention, pmc
from lanterne_rouge.training.fitness_state import (
    FitnessState,
    advance,
    advance_days,
    project,
    seed_state,
    state_from_points,
)
from lanterne_rouge.training.flags import LoadFlag, LoadFlagSettings, load_flags, raised_flags
from lanterne_rouge.training.load import (
    ActivityInput,
    AthleteThresholds,
    LoadMethod,
    LoadResult,
    LoadSettings,
    SportRule,
    activity_load,
    normalized_power,
    power_tss,
)
from lanterne_rouge.training.readiness import assess_readiness, score_band
from lanterne_rouge.training.readiness_models import (
    ReadinessAssessment,
    ReadinessSettings,
    RecoveryDay,
    SignalReading,
)

__all__ = [
    "RAMP_DAYS",
    "ActivityInput",
    "AthleteThresholds",
    "FitnessPoint",
    "FitnessState",
    "LoadFlag",
    "LoadFlagSettings",
    "LoadMethod",
    "LoadResult",
    "LoadSettings",
    "ReadinessAssessment",
    "ReadinessSettings",
    "RecoveryDay",
    "SignalReading",
    "SportRule",
    "TrainingInputError",
    "TsbConvention",
    "activity_load",
    "advance",
    "advance_days",
    "assess_readiness",
    "load_flags",
    "normalized_power",
    "pmc",
    "power_tss",
    "project",
    "raised_flags",
    "score_band",
    "seed_state",
    "state_from_points",
]
