"""``python -m lanterne_rouge`` is the ``lanterne-rouge`` command."""

from lanterne_rouge.cli import console

console()
