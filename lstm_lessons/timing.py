"""How fast an LSTM runs, and which kernels run it (lesson 03; ``benchmarks/scratch_vs_fused.py``).

* :func:`time_call` and :func:`seconds_per_pass` time a computation: the median of several runs
  after warm-up runs, so one disturbed run does not decide the figure.
* :func:`op_counts` runs a computation once under ``torch.profiler`` and counts the calls of
  chosen operators -- a small, machine-independent summary of *what* ran (lesson 03 shows that
  ``nn.LSTM`` on the CPU in float32 runs oneDNN's ``aten::mkldnn_rnn_layer``, once per layer).
"""

from __future__ import annotations

import contextlib
import os
import statistics
import sys
import time
import warnings
from collections import Counter
from collections.abc import Callable, Iterable

import torch
from torch import nn

__all__ = ["LSTM_OPS", "op_counts", "seconds_per_pass", "time_call"]

# The operators lesson 03 counts: oneDNN's whole-layer LSTM; and PyTorch's own CPU loop -- one
# matrix product (mm) of the inputs of all steps, then per step a product with h_{t-1} (addmm) and
# the gates' element-wise arithmetic.
LSTM_OPS = ("aten::mkldnn_rnn_layer", "aten::mm", "aten::addmm", "aten::sigmoid_", "aten::tanh", "aten::mul")


def time_call(compute: Callable[[], object], repeat: int = 20, warmup: int = 1) -> tuple[object, float]:
    """Call ``compute()`` ``warmup`` times untimed, then ``repeat`` times timed.

    Returns ``(the last result, the median of the timed calls in seconds)``.
    """
    if repeat < 1 or warmup < 0:
        raise ValueError(f"expected repeat >= 1 and warmup >= 0, got repeat={repeat}, warmup={warmup}")
    for _ in range(warmup):
        compute()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = compute()
        times.append(time.perf_counter() - start)
    return result, statistics.median(times)


def seconds_per_pass(model: nn.Module, x: torch.Tensor, repeat: int = 20, warmup: int = 2) -> float:
    """Median seconds of one forward + backward pass of an LSTM-like ``model`` on ``x``.

    ``model(x)`` must return ``out, (h_n, c_n)`` like ``nn.LSTM``; the pass backpropagates
    ``out.sum() + h_n.sum()``, so every output takes part.
    """
    def one_pass():
        out, (h_n, _) = model(x)
        (out.sum() + h_n.sum()).backward()

    return time_call(one_pass, repeat=repeat, warmup=warmup)[1]


@contextlib.contextmanager
def _quiet_stderr():
    """Silence file descriptor 2: the profiler's C++ side logs a start and a stop line there.

    Descriptor 2 itself, not ``sys.stderr.fileno()``: Jupyter's kernel points ``sys.stderr`` at a
    copy of the original descriptor and reads descriptor 2 through a pipe.
    """
    for stream in (sys.stderr, sys.__stderr__):
        if stream is not None:
            stream.flush()
    saved = os.dup(2)
    with open(os.devnull, "w") as devnull:
        os.dup2(devnull.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)


def op_counts(compute: Callable[[], object], names: Iterable[str] = LSTM_OPS,
              onednn: bool = True) -> dict[str, int]:
    """Run ``compute()`` once under ``torch.profiler`` (CPU) and count the calls of each operator.

    ``names``: operator names as the profiler reports them (``"aten::addmm"``). ``onednn=False``
    runs with oneDNN (``torch.backends.mkldnn``) switched off. Returns ``{name: calls}`` in the
    order given, 0 for an operator that did not run.
    """
    from torch.profiler import ProfilerActivity, profile

    with warnings.catch_warnings():
        # switching oneDNN's flags notes that TF32 on oneDNN needs an Intel GPU: not our concern
        warnings.filterwarnings("ignore", message="TF32 acceleration on top of oneDNN")
        with torch.backends.mkldnn.flags(enabled=onednn), _quiet_stderr():
            with profile(activities=[ProfilerActivity.CPU]) as prof:
                compute()
    counted = Counter(event.name for event in prof.events())
    return {name: counted[name] for name in names}
