"""Models the lessons build and take apart.

``SeedLSTM`` is the tutorial's class, kept faithful to the letter so the lessons can dissect
it (lessons 00, 04). It is *not* what the course recommends; ``LSTMClassifier`` is (lesson 04).
"""

from __future__ import annotations

import numbers

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence

from .i18n import _
from .lengths import checked_lengths
from .shapes import lstm_parameter_count
from .validation import require_bool, require_int, require_lstm_state

__all__ = ["SeedLSTM", "LSTMClassifier", "MeanPoolClassifier", "training_bytes"]


class SeedLSTM(nn.Module):
    """The tutorial's ``LSTM`` class, renamed so it does not shadow ``nn.LSTM`` (tutorial error S11).

    Same attributes (``lstm``, ``fc``, ``hidden_size``, ``num_layers``) and the same computation,
    so the tutorial's ``state_dict`` loads into it and gives the same outputs. Its known faults
    (hand-made zero states built on the CPU in float32; ``out[:, -1]`` as the summary) are kept on
    purpose: the lessons show them.
    """

    def __init__(self, input_size, hidden_size, num_layers, output_size):
        super().__init__()
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.lstm = nn.LSTM(input_size, hidden_size, num_layers, batch_first=True)
        self.fc = nn.Linear(hidden_size, output_size)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``x``: [batch, seq_len, input_size] -> logits [batch, output_size]."""
        h0 = torch.zeros(self.num_layers, x.size(0), self.hidden_size).to(x.device)
        c0 = torch.zeros(self.num_layers, x.size(0), self.hidden_size).to(x.device)
        out, _ = self.lstm(x, (h0, c0))  # out: [batch, seq_len, hidden]
        out = self.fc(out[:, -1, :])  # the last step of the last layer -> [batch, output_size]
        return out


class LSTMClassifier(nn.Module):
    """The classifier the course recommends (lesson 04): an ``nn.LSTM`` and a linear head.

    ``forward(x, state=None, lengths=None)``: ``x`` [batch, seq_len, input_size] -> logits [batch, num_classes].

    * No hand-made zero states: ``nn.LSTM`` makes them in ``x``'s dtype, on ``x``'s device. An
      initial ``state = (h0, c0)``, each [D * num_layers, batch, hidden_size], may be passed.
    * The head reads the final hidden state from ``h_n``: ``h_n[-1]``, or for a bidirectional LSTM
      ``cat(h_n[-2], h_n[-1])`` -- the forward direction after the last step and the backward
      direction after the first, each having read the whole sequence.
    * ``lengths`` (lesson 07): for a padded batch, each sequence's real length (a list or an integer
      tensor, on any device, in any order). The LSTM then runs packed, only the real steps, and the
      logits equal those of each sequence run alone.
    * A wrong input raises ``ValueError`` saying what was expected and what came.

    Its attributes ``lstm`` and ``fc`` have the tutorial's names, so a ``SeedLSTM``'s ``state_dict``
    loads into an ``LSTMClassifier`` of the same sizes (and gives the same logits).
    """

    def __init__(self, input_size: int, hidden_size: int, num_layers: int, num_classes: int,
                 bidirectional: bool = False, dropout: float = 0.0):
        super().__init__()
        self.input_size = require_int("input_size", input_size)
        self.hidden_size = require_int("hidden_size", hidden_size)
        self.num_layers = require_int("num_layers", num_layers)
        self.num_classes = require_int("num_classes", num_classes)  # 1: one logit, for BCEWithLogitsLoss
        self.bidirectional = require_bool("bidirectional", bidirectional)
        if isinstance(dropout, bool) or not isinstance(dropout, numbers.Real) or not 0 <= dropout < 1:
            raise ValueError(_("dropout must be a number in [0, 1), got {dropout!r}").format(dropout=dropout))
        dropout = float(dropout)
        if dropout and self.num_layers == 1:
            raise ValueError(_("dropout={dropout} acts between LSTM layers, so it needs num_layers > 1, "
                             "got num_layers=1: use dropout=0, or more layers").format(dropout=dropout))
        directions = 2 if bidirectional else 1
        # the checked Python ints, not what came: nn.LSTM refuses numpy integers such as np.int64(3)
        self.lstm = nn.LSTM(self.input_size, self.hidden_size, self.num_layers, batch_first=True,
                            bidirectional=self.bidirectional, dropout=dropout)
        self.fc = nn.Linear(directions * self.hidden_size, self.num_classes)

    def forward(self, x: torch.Tensor, state=None, lengths=None) -> torch.Tensor:
        self._check_input(x)
        if state is not None:
            directions = 2 if self.bidirectional else 1
            require_lstm_state(state, (directions * self.num_layers, x.shape[0], self.hidden_size), x)
        if lengths is not None:  # only the real steps: h_n is each sequence's own last state (lesson 07)
            lengths = checked_lengths(lengths, x.shape[0], x.shape[1])  # CPU int64
            x = pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
        _, (h_n, _) = self.lstm(x, state)  # h_n: [D * num_layers, batch, hidden_size]
        if self.bidirectional:
            final = torch.cat([h_n[-2], h_n[-1]], dim=1)  # last layer, forward + backward: [batch, 2H]
        else:
            final = h_n[-1]  # last layer: [batch, H]
        return self.fc(final)  # [batch, num_classes]

    def _check_input(self, x: torch.Tensor) -> None:
        expected = f"[batch, seq_len, {self.input_size}]"
        if not isinstance(x, torch.Tensor):
            raise ValueError(_("expected x to be a tensor of shape {expected}, got {type}").format(
                expected=expected, type=type(x).__name__))
        if x.dim() == 2:
            raise ValueError(
                _("expected x of shape {expected}, got {shape}: did you forget a dimension? "
                "One sequence is x.unsqueeze(0) ([1, seq_len, {input_size}]); "
                "a batch of one-step sequences is x.unsqueeze(1)").format(
                    expected=expected, shape=list(x.shape), input_size=self.input_size))
        if x.dim() != 3:
            raise ValueError(_("expected x of shape {expected}, got {shape} ({dim}-D)").format(
                expected=expected, shape=list(x.shape), dim=x.dim()))
        if x.shape[-1] != self.input_size:
            hint = ""
            if x.shape[1] == self.input_size:
                hint = _(": are seq_len and features swapped? Try x.transpose(1, 2)")
            raise ValueError(_("expected x of shape {expected} ({input_size} features per step), "
                             "got {shape}{hint}").format(
                                 expected=expected, input_size=self.input_size, shape=list(x.shape), hint=hint))
        if x.shape[1] == 0:
            raise ValueError(_("expected at least one time step, got seq_len=0 in x of shape {shape}").format(
                shape=list(x.shape)))
        if not x.is_floating_point():
            raise ValueError(_("expected x of shape {expected} holding floats, got dtype {dtype}: try "
                               "x.float()").format(
                expected=expected, dtype=x.dtype))
        weight = self.fc.weight
        if x.device != weight.device:
            raise ValueError(_("x is on {device} but the model is on {model_device}: move both to one "
                             "device, e.g. model.to(device) and x.to(device)").format(
                                 device=x.device, model_device=weight.device))
        if x.dtype != weight.dtype:
            raise ValueError(_("x is {dtype} but the model is {model_dtype}: convert one of them, "
                             "x.to({model_dtype}) or model.to({dtype})").format(
                                 dtype=x.dtype, model_dtype=weight.dtype))


class MeanPoolClassifier(nn.Module):
    """A baseline that ignores order (lesson 05): the mean of the steps, then a linear layer.

    ``forward(x)``: ``x`` [batch, seq_len, input_size] -> logits [batch, num_classes]. Any
    reordering of the steps gives the same logits, so it cannot solve a task whose answer is the order.
    """

    def __init__(self, input_size: int, num_classes: int):
        super().__init__()
        self.fc = nn.Linear(require_int("input_size", input_size), require_int("num_classes", num_classes))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc(x.mean(dim=1))  # [batch, input_size] -> [batch, num_classes]


def training_bytes(input_size: int, hidden_size: int, num_layers: int, num_classes: int, *,
                   bidirectional: bool = False, batch_size: int, seq_len: int, bytes_per_number: int = 4) -> int:
    """A rough estimate of the memory training an ``LSTMClassifier`` with Adam needs, in bytes.

    Measured on the CPU (torch 2.13, peak resident memory of a few Adam steps): about seven copies
    of the parameters (weights, gradients, Adam's two moment estimates, temporaries of backward)
    and about twelve numbers per hidden unit, step, layer, direction and sequence of a batch (the
    gates and states kept for backward, and their gradients).
    """
    directions = 2 if bidirectional else 1
    parameters = lstm_parameter_count(input_size, hidden_size, num_layers, bidirectional) \
        + directions * hidden_size * num_classes + num_classes  # + the linear head
    weights = 7 * parameters
    activations = 12 * batch_size * seq_len * num_layers * directions * hidden_size
    return (weights + activations) * bytes_per_number
