"""Argument checks shared by the package: each failure is a ``ValueError`` a student can act on."""

from __future__ import annotations

import numbers

import torch

__all__ = ["require_int", "require_bool", "require_lstm_state"]


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


def require_lstm_state(state, shape: tuple[int, ...], x: torch.Tensor) -> None:
    """Refuse an LSTM state that is not ``(h0, c0)``, two tensors of exactly ``shape`` on ``x``'s
    device and dtype -- with a message saying what was expected and what came."""
    if not isinstance(state, (tuple, list)) or len(state) != 2:
        raise ValueError(f"expected state = (h0, c0), two tensors of shape {list(shape)}, got {type(state).__name__}")
    for name, s in zip(("h0", "c0"), state, strict=True):
        if not isinstance(s, torch.Tensor) or tuple(s.shape) != tuple(shape):
            got = list(s.shape) if isinstance(s, torch.Tensor) else type(s).__name__
            raise ValueError(f"expected {name} of shape {list(shape)} ([num_layers * num_directions, batch, "
                             f"hidden_size]), got {got}: was it made for another batch size or model?")
        if s.dtype != x.dtype or s.device != x.device:
            raise ValueError(f"expected {name} to be {x.dtype} on {x.device} like the input, "
                             f"got {s.dtype} on {s.device}")

