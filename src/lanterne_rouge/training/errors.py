"""The one error the training functions raise.

``TrainingInputError`` is a ``ValueError``: the input was absurd or inconsistent (a negative
load, a 5,000 W average, a heart rate of 300, days out of order). Its message names the field
or day and the offending value, so the caller can skip the record and say why.
"""

from __future__ import annotations


class TrainingInputError(ValueError):
    """An input to a training function is out of range, non-finite or inconsistent."""
