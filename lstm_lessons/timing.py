"""How fast an LSTM runs, and which kernels run it (lesson 03; ``benchmarks/scratch_vs_fused.py``).

* :func:`time_call` times a computation: the median of several runs
  after warm-up runs, so one disturbed run does not decide the figure.
* :func:`time_in_turns` times several computations taking turns, one call each per round, so other
  work on the machine slows them alike and their ratios stay steady.
* :func:`op_counts` runs a computation once under ``torch.profiler`` and counts the calls of
  chosen operators -- a small, machine-independent summary of *what* ran (lesson 03 shows that
  ``nn.LSTM`` on the CPU in float32 runs oneDNN's ``aten::mkldnn_rnn_layer``, once per layer);
  :func:`autograd_nodes` counts the operations autograd recorded for the backward pass.
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

from .i18n import _

__all__ = ["LSTM_OPS", "autograd_nodes", "lstm_pass", "op_counts", "time_call", "time_in_turns"]

# The operators lesson 03 counts: oneDNN's whole-layer LSTM; and PyTorch's own CPU loop -- one
# matrix product (mm) of the inputs of all steps, then per step a product with h_{t-1} (addmm) and
# the gates' element-wise arithmetic. op_counts counts an in-place variant (aten::sigmoid_, which
# PyTorch's loop calls) with its operator (aten::sigmoid, which ScratchLSTM calls).
LSTM_OPS = ("aten::mkldnn_rnn_layer", "aten::mm", "aten::addmm", "aten::sigmoid", "aten::tanh", "aten::mul")


def time_call(compute: Callable[[], object], repeat: int = 20, warmup: int = 1) -> tuple[object, float]:
    """Call ``compute()`` ``warmup`` times untimed, then ``repeat`` times timed.

    Returns ``(the last result, the median of the timed calls in seconds)``.
    """
    if repeat < 1 or warmup < 0:
        raise ValueError(_("expected repeat >= 1 and warmup >= 0, got repeat={repeat}, warmup={warmup}").format(
            repeat=repeat, warmup=warmup))
    for _warmup in range(warmup):
        compute()
    times = []
    for _repeat in range(repeat):
        start = time.perf_counter()
        result = compute()
        times.append(time.perf_counter() - start)
    return result, statistics.median(times)


def lstm_pass(model: nn.Module, x: torch.Tensor, onednn: bool = True) -> Callable[[], None]:
    """A function running one forward + backward pass of an LSTM-like ``model`` on ``x``.

    ``model(x)`` must return ``out, (h_n, c_n)`` like ``nn.LSTM``; the pass backpropagates
    ``out.sum() + h_n.sum()``, so every output takes part. ``onednn=False`` runs it with oneDNN off.
    """
    def one_pass():
        with _onednn(onednn):
            out, (h_n, _) = model(x)
            (out.sum() + h_n.sum()).backward()

    return one_pass


def time_in_turns(computations: dict[str, Callable[[], object]], repeat: int = 10,
                  warmup: int = 2) -> dict[str, tuple[float, float]]:
    """Time several computations taking turns: ``warmup`` untimed rounds, then ``repeat`` timed ones,
    each calling every computation once, in order.

    Returns ``{label: (median seconds, median ratio to the first computation of the same round)}``:
    a slowdown that hits a whole round cancels out of the ratio.
    """
    if repeat < 1 or warmup < 0:
        raise ValueError(_("expected repeat >= 1 and warmup >= 0, got repeat={repeat}, warmup={warmup}").format(
            repeat=repeat, warmup=warmup))
    rounds = [[time_call(compute, repeat=1, warmup=0)[1] for compute in computations.values()]
              for _ in range(warmup + repeat)][warmup:]
    return {label: (statistics.median(r[k] for r in rounds), statistics.median(r[k] / r[0] for r in rounds))
            for k, label in enumerate(computations)}


@contextlib.contextmanager
def _onednn(enabled: bool):
    """oneDNN (``torch.backends.mkldnn``) switched on or off, without torch's note on TF32."""
    with warnings.catch_warnings():
        # switching oneDNN's flags notes that TF32 on oneDNN needs an Intel GPU: not our concern
        warnings.filterwarnings("ignore", message="TF32 acceleration on top of oneDNN")
        with torch.backends.mkldnn.flags(enabled=enabled):
            yield


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
    order given, 0 for an operator that did not run. An in-place variant counts as its operator:
    ``"aten::sigmoid"`` counts ``aten::sigmoid_`` too.
    """
    from torch.profiler import ProfilerActivity, profile

    with _onednn(onednn), _quiet_stderr(), profile(activities=[ProfilerActivity.CPU]) as prof:
        compute()
    counted = Counter(event.name.removesuffix("_") for event in prof.events())  # aten::sigmoid_ -> aten::sigmoid
    return {name: counted[name.removesuffix("_")] for name in names}


def autograd_nodes(model: nn.Module, x: torch.Tensor, onednn: bool = True) -> int:
    """Run an LSTM-like ``model`` on ``x`` and count the nodes of the autograd graph behind ``out``: the
    operations recorded for the backward pass. ``onednn=False`` runs it with oneDNN off."""
    with _onednn(onednn):
        out, _ = model(x)
    seen, todo = set(), [out.grad_fn]
    while todo:
        node = todo.pop()
        if node is not None and node not in seen:
            seen.add(node)
            todo.extend(parent for parent, _ in node.next_functions)
    return len(seen)
