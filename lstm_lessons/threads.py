"""How many CPU threads PyTorch computes with: chosen once, in every lesson's first cell (lesson 00).

PyTorch splits each large operation over one thread per core and waits for all of them before the next.
The course's models are small (hidden sizes up to 256, batches of 64), so extra threads gain little;
but when other programs keep the cores busy, a run whose threads must all be scheduled at every
operation slows many-fold -- lesson 05 took 47 s instead of 6 s on a 2-core machine with two other busy
programs, and 6.5 s with one thread. So the course uses one thread unless told otherwise.
"""

from __future__ import annotations

import os

import torch

from .i18n import _
from .validation import require_int

__all__ = ["use_threads", "THREADS_VARIABLE", "TORCH_DEFAULT_THREADS"]

THREADS_VARIABLE = "LSTM_LESSONS_THREADS"
TORCH_DEFAULT_THREADS = torch.get_num_threads()  # when lstm_lessons is imported: PyTorch's default, unless set before


def use_threads(n: int | None = None) -> int:
    """Make PyTorch compute with ``n`` CPU threads (``torch.set_num_threads``) and return ``n``.

    ``n=None``: the environment variable ``LSTM_LESSONS_THREADS`` if it is set (capped at this
    machine's CPU count, so one setting serves every machine), else 1. An explicit ``n`` that is not a
    whole number from 1 to this machine's CPU count raises ``ValueError``, as does a variable that is
    not a positive whole number.
    """
    cpus = os.cpu_count() or 1
    if n is None:
        text = os.environ.get(THREADS_VARIABLE, "").strip() or "1"  # set but empty counts as unset
        try:
            n = int(text)
        except ValueError:
            raise ValueError(_("{THREADS_VARIABLE} must be a whole number of threads such as 1 or 4, got {text!r}: "
                             "set it to one, or unset it to use 1").format(
                                 THREADS_VARIABLE=THREADS_VARIABLE, text=text)) from None
        n = min(require_int(THREADS_VARIABLE, n), cpus)
    n = require_int(_("n (the number of threads)"), n)
    if n > cpus:
        raise ValueError(_("this machine has {cpus} CPUs, got n={n} threads: more threads than CPUs only make "
                         "them wait for each other; use at most {cpus}").format(cpus=cpus, n=n))
    torch.set_num_threads(n)
    return n
