"""An LSTM written from plain tensor operations, equal to ``nn.LSTM`` (lesson 03).

Each line of :func:`lstm_cell` is one of the LSTM equations. :class:`ScratchLSTM` stacks the cell
over time, layers and directions with ``nn.LSTM``'s conventions and parameter names, so
``scratch.load_state_dict(torch_lstm.state_dict())`` works both ways and the tests can prove the
two equal -- outputs, states and every gradient.

What it leaves out: ``dropout`` and ``proj_size``. It is written to be read, not to be fast: see
``benchmarks/scratch_vs_fused.py`` and lesson 03 for what the library does differently.
"""

from __future__ import annotations

import math

import torch
from torch import nn

from .validation import require_bool, require_int, require_lstm_state

__all__ = ["lstm_cell", "ScratchLSTMCell", "ScratchLSTM"]


def lstm_cell(x_t, h, c, weight_ih, weight_hh, bias_ih=None, bias_hh=None):
    """One LSTM step. ``x_t``: [batch, input_size]; ``h``, ``c``: [batch, H] -> new ``(h, c)``.

    ``weight_ih`` is [4H, input_size] and ``weight_hh`` [4H, H], their rows in PyTorch's gate
    order: input gate i, forget gate f, cell candidate g, output gate o.
    """
    gates = x_t @ weight_ih.T + h @ weight_hh.T  # W_i* x_t + W_h* h_{t-1}, all four gates: [batch, 4H]
    if bias_ih is not None:
        gates = gates + bias_ih + bias_hh  # + b_i* + b_h*
    i, f, g, o = gates.chunk(4, dim=1)  # each [batch, H]
    i = torch.sigmoid(i)  # i_t = σ(W_ii x_t + b_ii + W_hi h_{t-1} + b_hi)   how much new to write
    f = torch.sigmoid(f)  # f_t = σ(W_if x_t + b_if + W_hf h_{t-1} + b_hf)   how much old to keep
    g = torch.tanh(g)  # g_t = tanh(W_ig x_t + b_ig + W_hg h_{t-1} + b_hg)     what to write
    o = torch.sigmoid(o)  # o_t = σ(W_io x_t + b_io + W_ho h_{t-1} + b_ho)   how much to show
    c = f * c + i * g  # c_t = f_t ⊙ c_{t-1} + i_t ⊙ g_t
    h = o * torch.tanh(c)  # h_t = o_t ⊙ tanh(c_t)
    return h, c


def _init_uniform(parameters, hidden_size: int) -> None:
    """PyTorch's LSTM initialisation: every weight and bias from U(-1/sqrt(H), 1/sqrt(H))."""
    bound = 1.0 / math.sqrt(hidden_size)
    for p in parameters:
        nn.init.uniform_(p, -bound, bound)


class ScratchLSTMCell(nn.Module):
    """``nn.LSTMCell`` from scratch: same parameter names and shapes, same results.

    ``forward(x_t, state=None)``: ``x_t`` [batch, input_size] -> ``(h, c)``, each [batch, H].
    """

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True):
        super().__init__()
        self.input_size = require_int("input_size", input_size)
        self.hidden_size = require_int("hidden_size", hidden_size)
        self.bias = require_bool("bias", bias)
        self.weight_ih = nn.Parameter(torch.empty(4 * hidden_size, input_size))
        self.weight_hh = nn.Parameter(torch.empty(4 * hidden_size, hidden_size))
        self.bias_ih = nn.Parameter(torch.empty(4 * hidden_size)) if bias else None
        self.bias_hh = nn.Parameter(torch.empty(4 * hidden_size)) if bias else None
        _init_uniform(self.parameters(), hidden_size)

    def forward(self, x_t: torch.Tensor, state=None):
        """``x_t`` [batch, input_size] (or unbatched [input_size]) -> ``(h, c)``, each [batch, H] (or [H])."""
        if x_t.dim() not in (1, 2) or x_t.shape[-1] != self.input_size:
            raise ValueError(f"expected x_t of shape [batch, {self.input_size}] or [{self.input_size}], "
                             f"got {list(x_t.shape)}")
        unbatched = x_t.dim() == 1
        if unbatched:
            x_t = x_t.unsqueeze(0)
            state = None if state is None else tuple(s.unsqueeze(0) for s in state)
        if state is None:
            zeros = x_t.new_zeros(x_t.shape[0], self.hidden_size)
            state = (zeros, zeros)
        require_lstm_state(state, (x_t.shape[0], self.hidden_size), x_t)
        h, c = lstm_cell(x_t, *state, self.weight_ih, self.weight_hh, self.bias_ih, self.bias_hh)
        return (h.squeeze(0), c.squeeze(0)) if unbatched else (h, c)


class ScratchLSTM(nn.Module):
    """``nn.LSTM`` from scratch, for reading: same arguments (no dropout or proj_size), same
    parameter names (``weight_ih_l0``, ..., ``bias_hh_l1_reverse``), same conventions.

    ``forward(x, state=None)``:

    * ``x``: [seq_len, batch, input_size], or [batch, seq_len, input_size] if ``batch_first``,
      or unbatched [seq_len, input_size];
    * ``state``: optional ``(h0, c0)``, each [D * num_layers, batch, H] (unbatched: [D * num_layers, H]),
      zeros if not given (D = 2 if bidirectional else 1);
    * returns ``out, (h_n, c_n)``: ``out`` in ``x``'s layout with D * H features -- the last
      layer's h at every step; ``h_n``, ``c_n`` like the state -- every layer's (and direction's)
      final state: after the last step forward, after step 0 backward.
    """

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1, bias: bool = True,
                 batch_first: bool = False, bidirectional: bool = False):
        super().__init__()
        self.input_size = require_int("input_size", input_size)
        self.hidden_size = require_int("hidden_size", hidden_size)
        self.num_layers = require_int("num_layers", num_layers)
        self.bias = require_bool("bias", bias)
        self.batch_first = require_bool("batch_first", batch_first)
        self.bidirectional = require_bool("bidirectional", bidirectional)
        directions = 2 if bidirectional else 1
        for layer in range(num_layers):
            layer_input = input_size if layer == 0 else directions * hidden_size
            for suffix in ["", "_reverse"][:directions]:
                self._add(f"weight_ih_l{layer}{suffix}", 4 * hidden_size, layer_input)
                self._add(f"weight_hh_l{layer}{suffix}", 4 * hidden_size, hidden_size)
                if bias:
                    self._add(f"bias_ih_l{layer}{suffix}", 4 * hidden_size)
                    self._add(f"bias_hh_l{layer}{suffix}", 4 * hidden_size)
        _init_uniform(self.parameters(), hidden_size)

    def _add(self, name: str, *shape: int) -> None:
        self.register_parameter(name, nn.Parameter(torch.empty(*shape)))

    def _weights(self, layer: int, suffix: str):
        names = ["weight_ih", "weight_hh"] + (["bias_ih", "bias_hh"] if self.bias else [])
        return [getattr(self, f"{name}_l{layer}{suffix}") for name in names]

    def _run_direction(self, x, h, c, weights, reverse: bool):
        """Run one direction of one layer over ``x`` [seq_len, batch, in] -> outputs [seq_len, batch, H]."""
        steps = range(x.shape[0] - 1, -1, -1) if reverse else range(x.shape[0])
        outputs = [None] * x.shape[0]
        for t in steps:
            h, c = lstm_cell(x[t], h, c, *weights)
            outputs[t] = h
        return torch.stack(outputs), h, c

    def forward(self, x: torch.Tensor, state=None):
        unbatched = x.dim() == 2
        self._check_input(x)
        if unbatched:
            x = x.unsqueeze(1)  # [seq_len, 1, input_size]
        elif self.batch_first:
            x = x.transpose(0, 1)  # [seq_len, batch, input_size]
        directions = 2 if self.bidirectional else 1
        shape = (directions * self.num_layers, x.shape[1], self.hidden_size)
        if state is None:
            zeros = x.new_zeros(shape)
            state = (zeros, zeros)
        elif unbatched:
            require_lstm_state(state, (shape[0], shape[2]), x)
            state = tuple(s.unsqueeze(1) for s in state)
        require_lstm_state(state, shape, x)
        h_n, c_n = [], []
        for layer in range(self.num_layers):
            outputs = []
            for d, suffix in enumerate(["", "_reverse"][:directions]):
                k = layer * directions + d  # h_n's order: layer 0 fwd, layer 0 bwd, layer 1 fwd, ...
                out, h, c = self._run_direction(x, state[0][k], state[1][k], self._weights(layer, suffix),
                                                reverse=d == 1)
                outputs.append(out)
                h_n.append(h)
                c_n.append(c)
            x = torch.cat(outputs, dim=2)  # [seq_len, batch, D * H]: the next layer's input
        h_n, c_n = torch.stack(h_n), torch.stack(c_n)
        if unbatched:
            return x.squeeze(1), (h_n.squeeze(1), c_n.squeeze(1))
        return (x.transpose(0, 1) if self.batch_first else x), (h_n, c_n)

    def _check_input(self, x: torch.Tensor) -> None:
        layout = "[batch, seq_len, input_size]" if self.batch_first else "[seq_len, batch, input_size]"
        if x.dim() not in (2, 3):
            raise ValueError(f"expected x of shape {layout} (or unbatched [seq_len, input_size]), "
                             f"got {list(x.shape)}")
        if x.shape[-1] != self.input_size:
            raise ValueError(f"expected x's last dim to be input_size={self.input_size} ({layout}), "
                             f"got {list(x.shape)}")
        time_dim = 1 if self.batch_first and x.dim() == 3 else 0
        if x.shape[time_dim] == 0:
            raise ValueError(f"expected at least one time step, got seq_len=0 in x of shape {list(x.shape)}")

    def extra_repr(self) -> str:
        return (f"{self.input_size}, {self.hidden_size}, num_layers={self.num_layers}, bias={self.bias}, "
                f"batch_first={self.batch_first}, bidirectional={self.bidirectional}")
