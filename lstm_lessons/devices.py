"""Which devices this machine has, and the one place where a lesson's device is decided.

Taught in lesson 00 (environment check). Every lesson calls ``resolve_device`` once and passes
the result on explicitly; nothing in the course calls ``.cuda()``.
"""

from __future__ import annotations

import difflib
import os

import torch

from .i18n import _

__all__ = ["available_devices", "free_memory", "resolve_device"]

_EXAMPLES = "'cpu', 'cuda', 'cuda:1', 'mps'"


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


def _present(device: torch.device, have: list[str]) -> bool:
    """Whether this machine has ``device``: CPU (index 0), a GPU index it has, or a backend that says so."""
    kind, index = device.type, device.index
    if kind == "cpu":
        return index in (None, 0)  # one CPU device: "cpu" is "cpu:0"
    if kind == "cuda":
        gpus = sum(name.startswith("cuda") for name in have)
        return (index or 0) < gpus
    if kind == "mps":
        return "mps" in have and index in (None, 0)
    backend = getattr(torch, kind, None)  # xpu, mtia, ...: PyTorch's per-backend module
    try:
        return bool(backend.is_available()) and (index or 0) < backend.device_count()
    except (AttributeError, RuntimeError):
        return False


def free_memory(device: torch.device) -> int | None:
    """Bytes free for new tensors on ``device`` (``None`` when this machine cannot tell)."""
    try:
        if device.type == "cuda":
            return torch.cuda.mem_get_info(device.index or 0)[0]
        if device.type == "mps":
            return torch.mps.recommended_max_memory() - torch.mps.driver_allocated_memory()
        if device.type == "cpu":
            return _free_ram()
    except (AttributeError, RuntimeError):
        pass
    return None


def _free_ram() -> int | None:
    """Linux: MemAvailable (free + reclaimable cache); elsewhere the physical memory, if known."""
    try:
        with open("/proc/meminfo") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):
        return None


def _did_you_mean(key: str) -> str:
    """`` (did you mean 'cuda'?)`` for "gpu" or a near typo of a device name, else ``""``."""
    if key.startswith("gpu"):
        index = key[3:].lstrip(":")
        guess = f"cuda:{index}" if index.isdigit() else "cuda"  # never a guess that is itself no device name
    else:
        close = difflib.get_close_matches(key, ("auto", "cpu", "cuda", "mps"), n=1, cutoff=0.75)
        guess = close[0] if close else ""
    return _(" (did you mean {guess!r}?)").format(guess=guess) if guess else ""


def resolve_device(name: str | torch.device = "auto") -> torch.device:
    """Turn a device name into a ``torch.device`` this machine really has.

    ``"auto"`` picks ``cuda``, then ``mps``, then ``cpu``. Any other name is a device string PyTorch
    accepts (``"cpu"``, ``"cpu:0"``, ``"cuda"``, ``"cuda:1"``, ``"mps"``, ``"xpu"``, ...) naming a
    device this machine has. ``"cpu:0"`` is returned as ``cpu``, the device CPU tensors report.

    Raises:
        ValueError: the name is not a device PyTorch knows, or this machine lacks it; the
            message lists what this machine has.
    """
    if isinstance(name, torch.device):
        name = str(name)
    if not isinstance(name, str):
        raise ValueError(
            _("device must be a string such as 'auto' or 'cpu', got {type} {name!r}").format(
                type=type(name).__name__, name=name)
        )
    have = available_devices()
    key = name.strip().lower()
    if key == "auto":
        return torch.device("cuda" if have[0].startswith("cuda") else have[0])
    try:
        device = torch.device(key)
    except RuntimeError:
        meant = _did_you_mean(key)
        raise ValueError(
            _("unknown device {name!r}{meant}: expected 'auto' or a device name such as {EXAMPLES}; "
            "this machine has {have}. Try device='auto'.").format(
                name=name, meant=meant, EXAMPLES=_EXAMPLES, have=have)  # lesson 00 shows this line
        ) from None
    if device.type == "meta":
        raise ValueError(_("device {name!r} holds shapes but no numbers: nothing can be trained on it; "
                         "this machine has {have}. Try device='auto' or 'cpu'.").format(name=name, have=have))
    if not _present(device, have):
        raise ValueError(
            _("device {name!r} is not available on this machine, which has {have}. "
            "Try device='auto' (it picks the best one present) or 'cpu'.").format(name=name, have=have)
        )
    return torch.device("cpu") if device.type == "cpu" else device
