"""plot_gate_activations (lesson 03) draws without warnings, even with every warning shown."""

import warnings

import matplotlib
import torch
from torch import nn

from lstm_lessons.plots import plot_gate_activations
from lstm_lessons.probes import gate_activations

matplotlib.use("Agg")


def test_gate_heatmaps_draw_without_deprecation_warnings():
    torch.manual_seed(0)
    gates = gate_activations(nn.LSTM(1, 16), torch.randn(30, 1))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = plot_gate_activations(gates)
        fig.canvas.draw()
    assert [str(w.message) for w in caught] == []
    assert [ax.get_title().split(":")[0] for ax in fig.axes[:4]] == ["input gate i", "forget gate f",
                                                                      "candidate g (tanh)", "output gate o"]
