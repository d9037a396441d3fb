"""Pictures for the lessons (needs matplotlib; imported only by notebooks and tools).

Each function returns the ``matplotlib.figure.Figure`` it drew, so a notebook shows it and a
script can save it.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import torch
from matplotlib.patches import Rectangle

__all__ = ["draw_sequence_batch", "draw_lstm_states"]


def draw_sequence_batch(x: torch.Tensor, step: int = 2, show: int = 3):
    """Draw the first ``show`` sequences of ``x`` [batch, seq_len, features] as grids.

    Each panel is one sequence ``x[i]``: time runs left to right (``seq_len`` columns), features
    top to bottom (``features`` rows). The outlined column in every panel is ``x[:, step, :]``.
    """
    if x.dim() != 3:
        raise ValueError(f"expected x of shape [batch, seq_len, features], got {list(x.shape)}")
    batch, seq_len, features = x.shape
    show = min(show, batch)
    fig, axes = plt.subplots(1, show, figsize=(3.2 * show + 0.8, 3.8), squeeze=False)
    for i, ax in enumerate(axes[0]):
        image = ax.imshow(x[i].T.detach().cpu(), cmap="coolwarm", vmin=-2.5, vmax=2.5, aspect="auto")
        ax.add_patch(Rectangle((step - 0.5, -0.5), 1, features, fill=False, lw=3, ec="black"))
        ax.set_title(f"x[{i}]: {seq_len} steps x {features} features")
        ax.set_xlabel("time step t  (seq_len)")
        ax.set_xticks(range(seq_len))
        ax.set_ylabel("feature  (input_size)" if i == 0 else "")
    fig.suptitle(
        f"x: [batch={batch}, seq_len={seq_len}, features={features}]  "
        f"(first {show} sequences; outlined: x[:, {step}, :])"
    )
    fig.tight_layout()
    fig.colorbar(image, ax=axes[0].tolist(), label="value", fraction=0.03, pad=0.02)
    return fig


def draw_lstm_states(num_layers: int = 2, seq_len: int = 5):
    """Draw where ``out`` and ``h_n`` come from in a stacked (unidirectional) LSTM.

    A grid of hidden states h, one row per layer (layer 0 at the bottom, fed by ``x``) and one
    column per time step. ``out`` is the top row (the last layer at every step); ``h_n`` is the
    right column (every layer at the last step); they share one cell: ``out[:, -1] == h_n[-1]``.
    """
    fig, ax = plt.subplots(figsize=(1.5 * seq_len + 3.2, 1.2 * num_layers + 1.9))
    arrow = {"arrowstyle": "->", "color": "#777777", "lw": 1.2}
    for layer in range(num_layers):
        for t in range(seq_len):
            in_out, in_h_n = layer == num_layers - 1, t == seq_len - 1
            color = {(True, True): "#8e6bbf", (True, False): "#4c9be8",
                     (False, True): "#f4a259", (False, False): "#e6e6e6"}[(in_out, in_h_n)]
            ax.add_patch(Rectangle((t, layer), 0.8, 0.7, color=color))
            ax.text(t + 0.4, layer + 0.35, f"layer {layer}\nt={t}", ha="center", va="center", fontsize=9)
            if t < seq_len - 1:  # state passed to the next step
                ax.annotate("", (t + 1, layer + 0.35), (t + 0.8, layer + 0.35), arrowprops=arrow)
            if layer < num_layers - 1:  # output fed to the layer above
                ax.annotate("", (t + 0.4, layer + 1), (t + 0.4, layer + 0.7), arrowprops=arrow)
    for t in range(seq_len):
        ax.annotate("", (t + 0.4, 0), (t + 0.4, -0.3), arrowprops=arrow)
        ax.text(t + 0.4, -0.45, f"x[:, {t}]", ha="center", va="center", fontsize=9)
    ax.text((seq_len - 0.2) / 2, num_layers + 0.1, "out = the last layer's h at every step  (blue + purple)",
            ha="center", color="#1f5fa8", fontsize=11)
    ax.text(seq_len + 0.1, num_layers / 2 - 0.15, "h_n = every layer's h\nat the last step\n(orange + purple)",
            ha="left", va="center", color="#b35c00", fontsize=11)
    ax.set_xlim(-0.2, seq_len + 2.6)
    ax.set_ylim(-0.7, num_layers + 0.45)
    ax.set_axis_off()
    ax.set_title(f"{num_layers}-layer LSTM, {seq_len} steps:  purple = out[:, -1] = h_n[-1]")
    fig.tight_layout()
    return fig
