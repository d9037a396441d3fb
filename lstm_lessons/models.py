"""Models the lessons build and take apart.

``SeedLSTM`` is the seed tutorial's class, kept faithful to the letter so the lessons can dissect
it (lessons 00, 04). It is *not* what the course recommends.
"""

from __future__ import annotations

import torch
from torch import nn

__all__ = ["SeedLSTM"]


class SeedLSTM(nn.Module):
    """The seed's ``LSTM`` class, renamed so it does not shadow ``nn.LSTM`` (seed error S11).

    Same attributes (``lstm``, ``fc``, ``hidden_size``, ``num_layers``) and the same computation,
    so the seed's ``state_dict`` loads into it and gives the same outputs. Its known faults
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
