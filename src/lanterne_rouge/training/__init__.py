"""Pure sports-science functions: training load, the fitness model, readiness.

Nothing here does I/O, logging, database or LLM work: every function is pure.
"""
