"""An LSTM written from plain tensor operations, equal to ``nn.LSTM`` (lesson 03).

Each line of :func:`lstm_cell` is one of the LSTM equations. :class:`ScratchLSTM` stacks the cell
over time, layers and directions with ``nn.LSTM``'s conventions and parameter names, so
``scratch.load_state_dict(torch_lstm.state_dict())`` works both ways and the tests can prove the
two equal -- outputs, states and every gradient.

What it leaves out: ``dropout``, ``proj_size`` and packed sequences. It is written to be read; the one
speed-up it borrows from the library is :func:`input_gates`, the input's part of the gates computed for
every time step at once. ``benchmarks/scratch_vs_fused.py`` measures the rest of the gap (lesson 03).
"""

from __future__ import annotations

import math

import torch
from torch import nn
from torch.nn.utils.rnn import PackedSequence

from .i18n import _
from .validation import require_bool, require_int, require_lstm_state

__all__ = ["lstm_cell", "input_gates", "ScratchLSTMCell", "ScratchLSTM"]


def input_gates(x, weight_ih, bias_ih=None, bias_hh=None):
    """The input's part of all four gates, W_i* x + b_i* + b_h*: ``x`` [..., input_size] -> [..., 4H].

    It does not depend on h, so :class:`ScratchLSTM` computes it for every time step at once -- one
    large matrix product instead of seq_len small ones, as ``nn.LSTM`` does (lesson 03).
    """
    _require_biases(weight_ih, bias_ih, bias_hh)
    gates = x @ weight_ih.T  # W_i* x: [..., 4H]
    if bias_ih is not None:
        gates = gates + bias_ih + bias_hh  # + b_i* + b_h*
    return gates


def lstm_cell(x_t, h, c, weight_ih, weight_hh, bias_ih=None, bias_hh=None):
    """One LSTM step. ``x_t``: [batch, input_size]; ``h``, ``c``: [batch, H] -> new ``(h, c)``.

    ``weight_ih`` is [4H, input_size] and ``weight_hh`` [4H, H], their rows in PyTorch's gate
    order: input gate i, forget gate f, cell candidate g, output gate o. With ``weight_ih=None``,
    ``x_t`` is the input's part of the gates already computed, [batch, 4H] (see :func:`input_gates`).
    """
    _require_biases(weight_ih, bias_ih, bias_hh)
    x_gates = x_t if weight_ih is None else input_gates(x_t, weight_ih, bias_ih, bias_hh)  # W_i* x_t + b_i* + b_h*
    gates = torch.addmm(x_gates, h, weight_hh.T)  # x_gates + W_h* h_{t-1}, one operation: [batch, 4H]
    i, f, g, o = gates.chunk(4, dim=1)  # each [batch, H]
    i = torch.sigmoid(i)  # i_t = σ(W_ii x_t + b_ii + W_hi h_{t-1} + b_hi)   how much new to write
    f = torch.sigmoid(f)  # f_t = σ(W_if x_t + b_if + W_hf h_{t-1} + b_hf)   how much old to keep
    g = torch.tanh(g)  # g_t = tanh(W_ig x_t + b_ig + W_hg h_{t-1} + b_hg)     what to write
    o = torch.sigmoid(o)  # o_t = σ(W_io x_t + b_io + W_ho h_{t-1} + b_ho)   how much to show
    c = f * c + i * g  # c_t = f_t ⊙ c_{t-1} + i_t ⊙ g_t
    h = o * torch.tanh(c)  # h_t = o_t ⊙ tanh(c_t)
    return h, c


def _require_biases(weight_ih, bias_ih, bias_hh) -> None:
    """Refuse one bias without the other, and biases that :func:`lstm_cell` would not use."""
    if (bias_ih is None) != (bias_hh is None):
        given, missing = ("bias_ih", "bias_hh") if bias_hh is None else ("bias_hh", "bias_ih")
        raise TypeError(_("expected both biases or neither, got {given} without {missing}: pass both "
                        "(a zero tensor of shape [4H] for one you do not want), or neither").format(
                            given=given, missing=missing))
    if weight_ih is None and bias_ih is not None:
        raise TypeError(_("expected no biases with weight_ih=None: x_t is then the input's part of the gates, "
                        "which already holds them -- add them in input_gates(x, weight_ih, bias_ih, bias_hh)"))


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
        """``x_t`` [batch, input_size] (or unbatched [input_size]) -> ``(h, c)``, each [batch, H] (or [H]).

        ``state``: optional ``(h, c)``, each [batch, H] (unbatched: [H]); zeros if not given.
        """
        layout = _("[batch, {input_size}] or unbatched [{input_size}]").format(input_size=self.input_size)
        _require_input_like(x_t, self.weight_ih, "x_t", layout, "ScratchLSTMCell")
        if x_t.dim() not in (1, 2) or x_t.shape[-1] != self.input_size:
            raise ValueError(_("expected x_t of shape {layout}, got {shape}").format(
                layout=layout, shape=list(x_t.shape)))
        unbatched = x_t.dim() == 1
        shape = [self.hidden_size] if unbatched else [x_t.shape[0], self.hidden_size]
        if state is not None:
            _require_cell_state(state, shape, x_t)
        if unbatched:
            x_t = x_t.unsqueeze(0)
            state = None if state is None else tuple(s.unsqueeze(0) for s in state)
        if state is None:
            zeros = x_t.new_zeros(x_t.shape[0], self.hidden_size)
            state = (zeros, zeros)
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
        weight_ih, weight_hh, *biases = weights
        x_gates = input_gates(x, weight_ih, *biases).unbind(0)  # every step's W_i* x_t + b at once: [batch, 4H] each
        steps = range(x.shape[0] - 1, -1, -1) if reverse else range(x.shape[0])
        outputs = [None] * x.shape[0]
        for t in steps:
            h, c = lstm_cell(x_gates[t], h, c, weight_ih=None, weight_hh=weight_hh)
            outputs[t] = h
        return torch.stack(outputs), h, c

    def forward(self, x: torch.Tensor, state=None):
        self._check_input(x)
        unbatched = x.dim() == 2
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
        _require_input_like(x, self.weight_ih_l0, "x", layout, "ScratchLSTM")
        if x.dim() not in (2, 3):
            raise ValueError(_("expected x of shape {layout} (or unbatched [seq_len, input_size]), "
                             "got {shape}").format(layout=layout, shape=list(x.shape)))
        if x.shape[-1] != self.input_size:
            raise ValueError(_("expected x's last dim to be input_size={input_size} ({layout}), "
                             "got {shape}").format(input_size=self.input_size, layout=layout, shape=list(x.shape)))
        time_dim = 1 if self.batch_first and x.dim() == 3 else 0
        if x.shape[time_dim] == 0:
            raise ValueError(_("expected at least one time step, got seq_len=0 in x of shape {shape}").format(
                shape=list(x.shape)))

    def extra_repr(self) -> str:
        return (f"{self.input_size}, {self.hidden_size}, num_layers={self.num_layers}, bias={self.bias}, "
                f"batch_first={self.batch_first}, bidirectional={self.bidirectional}")


def _require_input_like(x, weight: torch.Tensor, name: str, layout: str, model: str) -> None:
    """Refuse an input that is not a tensor of ``weight``'s dtype on its device, saying what to do."""
    if isinstance(x, PackedSequence):
        raise TypeError(_("{model} takes a padded tensor {layout}, got a PackedSequence: it does not implement "
                        "packing. Unpack it with torch.nn.utils.rnn.pad_packed_sequence, or use nn.LSTM").format(
                            model=model, layout=layout))
    if not isinstance(x, torch.Tensor):
        raise TypeError(_("expected {name} to be a tensor {layout}, got {type}: stack equal-length "
                        "sequences with torch.stack, pad unequal ones with torch.nn.utils.rnn.pad_sequence").format(
                            name=name, layout=layout, type=type(x).__name__))
    if x.dtype != weight.dtype:
        raise ValueError(_("expected {name} to be {model_dtype} like the model's weights, got {dtype}: convert "
                         "the input ({name}.to({model_dtype})) or the model (model.to({dtype}))").format(
                             name=name, model_dtype=weight.dtype, dtype=x.dtype))
    if x.device != weight.device:
        raise ValueError(_("expected {name} on {model_device} like the model's weights, got {device}: move "
                         "one to the other's device, e.g. {name}.to(\"{model_device}\")").format(
                             name=name, model_device=weight.device, device=x.device))


def _require_cell_state(state, shape: list[int], x_t: torch.Tensor) -> None:
    """Refuse a cell state that is not ``(h, c)``, two tensors of ``shape`` like ``x_t``, as the user passed it."""
    if isinstance(state, torch.Tensor) or not isinstance(state, (tuple, list)) or len(state) != 2:
        raise ValueError(_("expected state = (h, c), two tensors of shape {shape}, got {type}").format(
            shape=shape, type=type(state).__name__))
    for name, s in zip(("h", "c"), state, strict=True):
        got = list(s.shape) if isinstance(s, torch.Tensor) else type(s).__name__
        if got != shape:
            raise ValueError(_("expected {name} of shape {shape} ([batch, hidden_size], or [hidden_size] for an "
                             "unbatched x_t of shape {x_t_shape}), got {got}").format(
                                 name=name, shape=shape, x_t_shape=list(x_t.shape), got=got))
        if s.dtype != x_t.dtype or s.device != x_t.device:
            raise ValueError(_("expected {name} to be {dtype} on {device} like x_t, "
                             "got {state_dtype} on {state_device}").format(
                                 name=name, dtype=x_t.dtype, device=x_t.device, state_dtype=s.dtype,
                                 state_device=s.device))
