"""Which devices this machine has, and the one place where a lesson's device is decided.

Taught in lesson 00 (environment check). Every lesson calls ``resolve_device`` once and passes
the result on explicitly; nothing in the course calls ``.cuda()``.
"""

from __future__ import annotations

import torch

__all__ = ["available_devices", "resolve_device"]

_KNOWN = ("cpu", "cuda", "mps")


def _mps_available() -> bool:
    mps = getattr(torch.backends, "mps", None)
    return bool(mps is not None and mps.is_available())


def available_devices() -> list[str]:
    """Device names this machine can run tensors on, best first, always ending with ``"cpu"``.

    One GPU is listed as ``"cuda"``; several as ``"cuda:0"``, ``"cuda:1"``, ... so each is named once.
    """
    names: list[str] = []
    gpus = torch.cuda.device_count() if torch.cuda.is_available() else 0
    if gpus == 1:
        names.append("cuda")
    elif gpus > 1:
        names += [f"cuda:{i}" for i in range(gpus)]
    if _mps_available():
        names.append("mps")
    names.append("cpu")
    return names


def _present(key: str, have: list[str]) -> bool:
    """Whether this machine has device ``key``: listed, or ``cuda``/``cuda:i`` of a GPU it has."""
    if key in have:
        return True
    gpus = sum(name.startswith("cuda") for name in have)
    if key == "cuda":
        return gpus > 0
    index = key.removeprefix("cuda:")
    return key.startswith("cuda:") and index.isdigit() and int(index) < gpus


def resolve_device(name: str | torch.device = "auto") -> torch.device:
    """Turn a device name into a ``torch.device`` this machine really has.

    ``"auto"`` picks ``cuda``, then ``mps``, then ``cpu``. Any other name must be a device this
    machine has: ``"cpu"``, ``"mps"``, ``"cuda"`` or ``"cuda:i"`` for a GPU index it has.

    Raises:
        ValueError: the name is not a device PyTorch knows, or this machine lacks it; the
            message lists what this machine has.
    """
    if isinstance(name, torch.device):
        name = str(name)
    if not isinstance(name, str):
        raise ValueError(
            f"device must be a string such as 'auto' or 'cpu', got {type(name).__name__} {name!r}"
        )
    have = available_devices()
    key = name.strip().lower()
    if key == "auto":
        return torch.device("cuda" if have[0].startswith("cuda") else have[0])
    if key.split(":")[0] not in _KNOWN:
        raise ValueError(
            f"unknown device {name!r}: expected 'auto' or one of {_KNOWN}; "
            f"this machine has {have}. Try device='auto'."
        )
    if not _present(key, have):
        raise ValueError(
            f"device {name!r} is not available on this machine, which has {have}. "
            "Try device='auto' (it picks the best one present) or 'cpu'."
        )
    return torch.device(key)
