"""Argument checks shared by the package: each failure is a ``ValueError`` a student can act on."""

from __future__ import annotations

import numbers

import torch

from .i18n import _

__all__ = ["require_int", "require_bool", "require_lstm_state"]


def require_int(name: str, value, *, minimum: int = 1) -> int:
    """Return ``value`` if it is an integer >= ``minimum``; otherwise raise ``ValueError``.

    ``True``/``False`` and floats such as ``3.0`` are refused: a size must be a whole number.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(
            _("{name} must be an integer >= {minimum}, got {type} {value!r}").format(
                name=name, minimum=minimum, type=type(value).__name__, value=value)
        )
    if value < minimum:
        kind = _("positive") if minimum == 1 else f">= {minimum}"
        raise ValueError(_("{name} must be {kind}, got {value}").format(name=name, kind=kind, value=value))
    return int(value)


def require_bool(name: str, value) -> bool:
    """Return ``value`` if it is ``True`` or ``False``; otherwise raise ``ValueError``."""
    if not isinstance(value, bool):
        raise ValueError(_("{name} must be True or False, got {type} {value!r}").format(
            name=name, type=type(value).__name__, value=value))
    return value


def require_lstm_state(state, shape: tuple[int, ...], x: torch.Tensor) -> None:
    """Refuse an LSTM state that is not ``(h0, c0)``, two tensors of exactly ``shape`` on ``x``'s
    device and dtype -- with a message saying what was expected and what came."""
    if not isinstance(state, (tuple, list)) or len(state) != 2:
        raise ValueError(_("expected state = (h0, c0), two tensors of shape {shape}, got {type}").format(
            shape=list(shape), type=type(state).__name__))
    for name, s in zip(("h0", "c0"), state, strict=True):
        if not isinstance(s, torch.Tensor) or tuple(s.shape) != tuple(shape):
            got = list(s.shape) if isinstance(s, torch.Tensor) else type(s).__name__
            raise ValueError(_("expected {name} of shape {shape} ([num_layers * num_directions, batch, "
                             "hidden_size]), got {got}: was it made for another batch size or model?").format(
                                 name=name, shape=list(shape), got=got))
        if s.dtype != x.dtype or s.device != x.device:
            raise ValueError(_("expected {name} to be {dtype} on {device} like the input, "
                             "got {state_dtype} on {state_device}").format(
                                 name=name, dtype=x.dtype, device=x.device, state_dtype=s.dtype, state_device=s.device))

