"""Argument checks shared by the package: each failure is a ``ValueError`` a student can act on."""

from __future__ import annotations

import numbers

__all__ = ["require_int", "require_bool"]


def require_int(name: str, value, *, minimum: int = 1) -> int:
    """Return ``value`` if it is an integer >= ``minimum``; otherwise raise ``ValueError``.

    ``True``/``False`` and floats such as ``3.0`` are refused: a size must be a whole number.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(
            f"{name} must be an integer >= {minimum}, got {type(value).__name__} {value!r}"
        )
    if value < minimum:
        kind = "positive" if minimum == 1 else f">= {minimum}"
        raise ValueError(f"{name} must be {kind}, got {value}")
    return int(value)


def require_bool(name: str, value) -> bool:
    """Return ``value`` if it is ``True`` or ``False``; otherwise raise ``ValueError``."""
    if not isinstance(value, bool):
        raise ValueError(f"{name} must be True or False, got {type(value).__name__} {value!r}")
    return value
