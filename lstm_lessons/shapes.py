"""The shapes ``nn.LSTM`` takes and returns, computed without running it (lesson 02).

Conventions (PyTorch's own):

* input  ``x``   : ``[batch, seq_len, input_size]`` if ``batch_first`` else ``[seq_len, batch, input_size]``
* output ``out`` : the same layout, last dim ``D * H_out`` -- the *last layer's* h at every step
* ``h_n``        : ``[D * num_layers, batch, H_out]`` -- *every layer's* (and direction's) final h:
  after the last step going forward, after step 0 going backward; ``batch_first`` never applies to it
* ``c_n``        : ``[D * num_layers, batch, hidden_size]``

where ``D = 2`` if bidirectional else 1 and ``H_out = proj_size`` if ``proj_size > 0`` else
``hidden_size``.
"""

from __future__ import annotations

import warnings

import torch

from .i18n import _
from .validation import require_bool, require_int

__all__ = ["lstm_shapes", "measure_lstm_shapes", "shape_table", "lstm_parameter_count", "count_parameters"]


def lstm_shapes(
    batch_size: int,
    seq_len: int,
    input_size: int,
    hidden_size: int,
    num_layers: int = 1,
    bidirectional: bool = False,
    batch_first: bool = False,
    proj_size: int = 0,
) -> dict[str, torch.Size]:
    """Shapes of ``input``, ``output``, ``h_n`` and ``c_n`` for one ``nn.LSTM`` call.

    Returns a dict with those four keys, each a ``torch.Size`` equal to what
    ``nn.LSTM(input_size, hidden_size, num_layers, batch_first=..., bidirectional=...,
    proj_size=...)`` produces for an input of ``batch_size`` sequences of ``seq_len`` steps.

    Raises:
        ValueError: an argument is not a positive integer (``proj_size``: not >= 0), is not a
            bool where one is expected, or ``proj_size >= hidden_size``.
    """
    batch_size = require_int("batch_size", batch_size)
    seq_len = require_int("seq_len", seq_len)
    input_size = require_int("input_size", input_size)
    hidden_size = require_int("hidden_size", hidden_size)
    num_layers = require_int("num_layers", num_layers)
    bidirectional = require_bool("bidirectional", bidirectional)
    batch_first = require_bool("batch_first", batch_first)
    proj_size = require_int("proj_size", proj_size, minimum=0)
    if proj_size >= hidden_size:
        raise ValueError(
            _("proj_size must be smaller than hidden_size (it projects h down), got "
            "proj_size={proj_size} with hidden_size={hidden_size}; use 0 for no projection").format(
                proj_size=proj_size, hidden_size=hidden_size)
        )

    directions = 2 if bidirectional else 1
    h_out = proj_size or hidden_size

    def sequence(features: int) -> torch.Size:
        if batch_first:
            return torch.Size([batch_size, seq_len, features])
        return torch.Size([seq_len, batch_size, features])

    return {
        "input": sequence(input_size),
        "output": sequence(directions * h_out),
        "h_n": torch.Size([directions * num_layers, batch_size, h_out]),
        "c_n": torch.Size([directions * num_layers, batch_size, hidden_size]),
    }


def measure_lstm_shapes(
    batch_size: int,
    seq_len: int,
    input_size: int,
    hidden_size: int,
    num_layers: int = 1,
    bidirectional: bool = False,
    batch_first: bool = False,
    proj_size: int = 0,
) -> dict[str, torch.Size]:
    """The same four shapes as :func:`lstm_shapes`, read off a real ``nn.LSTM`` run on zeros.

    Arguments are checked exactly as :func:`lstm_shapes` checks them, so a bad one raises the
    same clear ``ValueError`` rather than an error from inside PyTorch.
    """
    expected = lstm_shapes(batch_size, seq_len, input_size, hidden_size, num_layers,
                           bidirectional, batch_first, proj_size)
    lstm = torch.nn.LSTM(input_size, hidden_size, num_layers, batch_first=batch_first,
                         bidirectional=bidirectional, proj_size=proj_size)
    x = torch.zeros(expected["input"])
    with torch.no_grad(), warnings.catch_warnings():
        # CPU builds note that oneDNN has no kernel for proj_size; it changes speed, not shapes.
        warnings.filterwarnings("ignore", message="LSTM with projections is not supported")
        out, (h_n, c_n) = lstm(x)
    return {"input": x.shape, "output": out.shape, "h_n": h_n.shape, "c_n": c_n.shape}


def shape_table(configs: list[dict], **base) -> str:
    """A text table, one row per dict in ``configs``: the settings it adds to ``base``, the shapes
    :func:`lstm_shapes` predicts for ``output``, ``h_n`` and ``c_n``, and whether a real ``nn.LSTM``
    (:func:`measure_lstm_shapes`) agrees -- ``True`` or ``False``.

    ``base`` holds the settings every row shares (``batch_size``, ``seq_len``, ``input_size``,
    ``hidden_size``); a row's own settings take precedence.
    """
    shared = ", ".join(f"{key.removesuffix('_size')} {value}" for key, value in base.items())
    lines = [f"{'settings (' + shared + ')':64s} {'out':12s} {'h_n':12s} {'c_n':12s} agree"]
    for extra in configs:
        settings = base | extra
        predicted = lstm_shapes(**settings)
        agree = predicted == measure_lstm_shapes(**settings)
        described = ", ".join(f"{key}={value}" for key, value in extra.items())
        shapes = " ".join(f"{str(list(predicted[name])):12s}" for name in ("output", "h_n", "c_n"))
        lines.append(f"{described:64s} {shapes} {agree}")
    return "\n".join(lines)


def lstm_parameter_count(input_size: int, hidden_size: int, num_layers: int = 1,
                         bidirectional: bool = False, bias: bool = True) -> int:
    """Number of parameters of ``nn.LSTM(input_size, hidden_size, num_layers, bias, bidirectional)``.

    Per layer and direction: ``4 * (H*I + H*H + 2*H)`` -- four gates, each with an input weight
    [H, I], a recurrent weight [H, H] and two biases [H] (``bias=False``: ``4 * (H*I + H*H)``).
    ``I`` is ``input_size`` for layer 0 and ``D * H`` above it (the layer below's output).
    """
    input_size = require_int("input_size", input_size)
    hidden = require_int("hidden_size", hidden_size)
    num_layers = require_int("num_layers", num_layers)
    directions = 2 if require_bool("bidirectional", bidirectional) else 1
    biases = 2 * hidden if require_bool("bias", bias) else 0
    total = 0
    for layer in range(num_layers):
        layer_input = input_size if layer == 0 else directions * hidden
        total += directions * 4 * (hidden * layer_input + hidden * hidden + biases)
    return total


def count_parameters(module: torch.nn.Module, trainable_only: bool = True) -> int:
    """``sum(p.numel() for p in module.parameters())``, only those with ``requires_grad`` by default."""
    return sum(p.numel() for p in module.parameters() if p.requires_grad or not trainable_only)
