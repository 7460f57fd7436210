"""Small pieces of English shared by every place that writes for the athlete."""


def plural(n: int, word: str) -> str:
    """``1 day``, ``2 days``, ``0 days``."""
    return f"{n} {word}" + ("" if n == 1 else "s")
