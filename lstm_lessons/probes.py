"""Looking inside a running LSTM: gate activations and how far gradients reach (lesson 03)."""

from __future__ import annotations

import torch
from torch import nn

from .i18n import _
from .scratch import lstm_cell

__all__ = ["cell_state_gradient_per_step", "gate_activations", "gradient_per_step", "mean_forget_gate"]


def gate_activations(lstm: nn.LSTM, sequence: torch.Tensor) -> dict[str, torch.Tensor]:
    """Run layer 0 (forward direction) of ``lstm`` over one sequence, recording every gate.

    ``sequence``: [seq_len, input_size]. Returns ``i``, ``f``, ``g``, ``o``, ``c`` and ``h``, each
    [seq_len, hidden_size], computed with :func:`lstm_lessons.lstm_cell`'s equations from
    ``lstm``'s own weights (``weight_ih_l0`` and friends).
    """
    if sequence.dim() != 2 or sequence.shape[1] != lstm.input_size:
        raise ValueError(_("expected one sequence of shape [seq_len, {input_size}], got {shape}").format(
            input_size=lstm.input_size, shape=list(sequence.shape)))
    w_ih, w_hh = lstm.weight_ih_l0, lstm.weight_hh_l0
    bias = lstm.bias_ih_l0 + lstm.bias_hh_l0 if lstm.bias else 0
    h = c = sequence.new_zeros(lstm.hidden_size)
    record = {name: [] for name in "ifgoch"}
    with torch.no_grad():
        for x_t in sequence:
            i, f, g, o = (w_ih @ x_t + w_hh @ h + bias).chunk(4)
            i, f, g, o = torch.sigmoid(i), torch.sigmoid(f), torch.tanh(g), torch.sigmoid(o)
            c = f * c + i * g
            h = o * torch.tanh(c)
            for name, value in zip("ifgoch", (i, f, g, o, c, h), strict=True):
                record[name].append(value)
    return {name: torch.stack(values) for name, values in record.items()}


def gradient_per_step(model: nn.Module, x: torch.Tensor) -> torch.Tensor:
    """How strongly the last step's output depends on each input step.

    ``model``: a batch_first ``nn.RNN``/``nn.LSTM``/``nn.GRU``; ``x``: [batch, seq_len, input_size].
    Returns [seq_len], float64: the norm of d(sum of the last step's output)/d(x[:, t]) for every t.
    The norm is taken in float64: it squares every entry, and in float32 a square below about
    1e-45 is exactly 0, so a tiny but non-zero float32 gradient would read as 0.
    """
    x = x.detach().clone().requires_grad_(True)
    out = model(x)[0]  # [batch, seq_len, hidden]
    out[:, -1].sum().backward()
    return x.grad.double().norm(dim=(0, 2))


def cell_state_gradient_per_step(lstm: nn.LSTM, x: torch.Tensor) -> torch.Tensor:
    """Like :func:`gradient_per_step`, through the cell state alone: every h_{t-1} is detached.

    ``lstm``: a one-layer, one-direction, batch_first ``nn.LSTM``; ``x``: [batch, seq_len, input_size].
    The gates still read h_{t-1}, but no gradient flows back through it, so the only path from the
    last output to x[:, t] runs along c_t = f_t * c_{t-1} + ...: a product of forget gates.
    Returns [seq_len], float64.
    """
    if lstm.num_layers != 1 or lstm.bidirectional or not lstm.batch_first or lstm.proj_size:
        raise ValueError(_("expected a one-layer, one-direction nn.LSTM with batch_first=True and no proj_size, "
                         "got {lstm}").format(lstm=lstm))
    if x.dim() != 3 or x.shape[2] != lstm.input_size:
        raise ValueError(_("expected x of shape [batch, seq_len, {input_size}], got {shape}").format(
            input_size=lstm.input_size, shape=list(x.shape)))
    x = x.detach().clone().requires_grad_(True)
    weights = [lstm.weight_ih_l0, lstm.weight_hh_l0] + ([lstm.bias_ih_l0, lstm.bias_hh_l0] if lstm.bias else [])
    h = c = x.new_zeros(x.shape[0], lstm.hidden_size)
    for t in range(x.shape[1]):
        h, c = lstm_cell(x[:, t], h.detach(), c, *weights)  # h.detach(): cut the recurrent paths
    h.sum().backward()
    return x.grad.double().norm(dim=(0, 2))


def mean_forget_gate(lstm: nn.LSTM, x: torch.Tensor) -> float:
    """The average forget-gate value of layer 0 over a batch ``x`` [batch, seq_len, input_size]."""
    return torch.stack([gate_activations(lstm, seq)["f"].mean() for seq in x]).mean().item()
