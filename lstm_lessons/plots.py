"""Pictures for the lessons (needs matplotlib; imported only by notebooks and tools).

Each function returns the ``matplotlib.figure.Figure`` it drew, so a notebook shows it and a
script can save it.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import torch
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.ticker import MaxNLocator

from .fonts import register_chinese_font
from .i18n import _

__all__ = ["lecture_mode", "draw_sequence_batch", "draw_lstm_states", "draw_lstm_cell", "plot_gate_activations",
           "plot_gradient_per_step", "plot_history", "draw_digit_rows", "plot_forecasts"]


_LECTURE = {
    "font.size": 15, "axes.titlesize": 17, "axes.labelsize": 16, "xtick.labelsize": 14, "ytick.labelsize": 14,
    "legend.fontsize": 13, "lines.linewidth": 3.5, "figure.titlesize": 18,
}
_NORMAL = {key: plt.rcParams[key] for key in _LECTURE}
register_chinese_font()  # Chinese labels (中文版) drawn with the package's font, never as empty boxes


def lecture_mode(on: bool = True) -> None:
    """Make every figure drawn from now on readable on a projector (large fonts, thick lines), or undo it.

    It sets matplotlib's defaults, so every lesson's pictures, ``plot_history`` and the playground follow.
    """
    plt.rcParams.update(_LECTURE if on else _NORMAL)


def draw_sequence_batch(x: torch.Tensor, step: int = 2, show: int = 3):
    """Draw the first ``show`` sequences of ``x`` [batch, seq_len, features] as grids.

    Each panel is one sequence ``x[i]``: time runs left to right (``seq_len`` columns), features
    top to bottom (``features`` rows). The outlined column in every panel is ``x[:, step, :]``.
    """
    if x.dim() != 3:
        raise ValueError(_("expected x of shape [batch, seq_len, features], got {shape}").format(shape=list(x.shape)))
    batch, seq_len, features = x.shape
    if isinstance(step, bool) or not hasattr(step, "__index__") or not 0 <= step < seq_len:
        raise ValueError(_("step must be a time step of x, a whole number from 0 to {last_step} (x has seq_len "
                         "{seq_len}), got {step!r}; try step=0").format(
                             last_step=seq_len - 1, seq_len=seq_len, step=step))
    if isinstance(show, bool) or not hasattr(show, "__index__") or show < 1:
        raise ValueError(_("show must be how many sequences to draw, a whole number of at least 1, got {show!r}; "
                         "try show=3").format(show=show))
    step, show = int(step), min(int(show), batch)
    fig, axes = plt.subplots(1, show, figsize=(3.2 * show + 0.8, 3.8), squeeze=False)
    for i, ax in enumerate(axes[0]):
        image = ax.imshow(x[i].T.detach().cpu().float().numpy(), cmap="coolwarm", vmin=-2.5, vmax=2.5, aspect="auto")
        ax.add_patch(Rectangle((step - 0.5, -0.5), 1, features, fill=False, lw=3, ec="black"))
        ax.set_title(_("x[{i}]: {seq_len} steps x {features} features").format(i=i, seq_len=seq_len, features=features))
        ax.set_xlabel(_("time step t  (seq_len)"))
        ax.set_xticks(range(seq_len))
        ax.set_ylabel(_("feature  (input_size)") if i == 0 else "")
    fig.suptitle(
        _("x: [batch={batch}, seq_len={seq_len}, features={features}]  "
        "(first {show} sequences; outlined: x[:, {step}, :])").format(
            batch=batch, seq_len=seq_len, features=features, show=show, step=step)
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
            ax.text(t + 0.4, layer + 0.35, _("layer {layer}\nt={t}").format(
                layer=layer, t=t), ha="center", va="center", fontsize=9)
            if t < seq_len - 1:  # state passed to the next step
                ax.annotate("", (t + 1, layer + 0.35), (t + 0.8, layer + 0.35), arrowprops=arrow)
            if layer < num_layers - 1:  # output fed to the layer above
                ax.annotate("", (t + 0.4, layer + 1), (t + 0.4, layer + 0.7), arrowprops=arrow)
    for t in range(seq_len):
        ax.annotate("", (t + 0.4, 0), (t + 0.4, -0.3), arrowprops=arrow)
        ax.text(t + 0.4, -0.45, f"x[:, {t}]", ha="center", va="center", fontsize=9)
    ax.text((seq_len - 0.2) / 2, num_layers + 0.1, _("out = the last layer's h at every step  (blue + purple)"),
            ha="center", color="#1f5fa8", fontsize=11)
    ax.text(seq_len + 0.1, num_layers / 2 - 0.15, _("h_n = every layer's h\nat the last step\n(orange + purple)"),
            ha="left", va="center", color="#b35c00", fontsize=11)
    ax.set_xlim(-0.2, seq_len + 2.6)
    ax.set_ylim(-0.7, num_layers + 0.45)
    ax.set_axis_off()
    ax.set_title(_("{num_layers}-layer LSTM, {seq_len} steps:  purple = out[:, -1] = h_n[-1]").format(
        num_layers=num_layers, seq_len=seq_len))
    fig.tight_layout()
    return fig


def plot_gate_activations(gates: dict, units: int = 16):
    """Heatmaps of the gates ``i``, ``f``, ``g``, ``o`` (each [seq_len, hidden]) for one sequence.

    ``gates`` is what :func:`lstm_lessons.probes.gate_activations` returns; the first ``units``
    hidden units are shown, time running left to right.
    """
    names = {"i": _("input gate i"), "f": _("forget gate f"), "g": _("candidate g (tanh)"), "o": _("output gate o")}
    fig, axes = plt.subplots(1, 4, figsize=(15, 3.6), sharey=True)
    for ax, (key, title) in zip(axes, names.items(), strict=True):
        values = gates[key][:, :units].T.detach().cpu().numpy()  # imshow takes an array
        low = -1 if key == "g" else 0
        image = ax.imshow(values, aspect="auto", cmap="viridis", vmin=low, vmax=1)
        ax.set_title(f"{title}: mean {values.mean():.2f}")
        ax.set_xlabel(_("time step"))
        fig.colorbar(image, ax=ax, fraction=0.05)
    axes[0].set_ylabel(_("hidden unit"))
    fig.tight_layout()
    return fig


def plot_gradient_per_step(norms: dict):
    """Log-scale curves of the gradient norm reaching each time step, one per model.

    ``norms`` maps a label to a [seq_len] tensor from :func:`lstm_lessons.probes.gradient_per_step`.
    """
    fig, ax = plt.subplots(figsize=(9, 4))
    for label, values in norms.items():
        steps_back = torch.arange(len(values) - 1, -1, -1)
        ax.semilogy(steps_back, values.clamp_min(1e-30).detach().cpu(), label=label, lw=2)
    ax.set_xlabel(_("steps before the last one"))
    ax.set_ylabel(_("gradient norm reaching that step"))
    ax.set_ylim(1e-25, 1e2)
    ax.grid(True, which="major", alpha=0.3)
    ax.legend()
    ax.set_title(_("How far back the last output's gradient reaches"))
    fig.tight_layout()
    return fig


def draw_lstm_cell():
    """A diagram of one LSTM cell: the four gates, the cell-state line and the output."""
    fig, ax = plt.subplots(figsize=(9.5, 4.8))
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 6)
    ax.set_axis_off()
    arrow = {"arrowstyle": "->", "lw": 1.5, "color": "#444444"}

    def box(x, y, text, color, w=1.0, h=0.6):
        ax.add_patch(Rectangle((x - w / 2, y - h / 2), w, h, color=color, ec="black", lw=1))
        ax.text(x, y, text, ha="center", va="center", fontsize=11)

    def node(x, y, text):
        ax.add_patch(plt.Circle((x, y), 0.28, color="white", ec="black", lw=1.2))
        ax.text(x, y, text, ha="center", va="center", fontsize=13)

    # the cell-state line along the top: c_{t-1} -> (x f) -> (+ i*g) -> c_t
    ax.annotate("", (2.72, 5), (0.4, 5), arrowprops=arrow)
    ax.annotate("", (5.22, 5), (3.28, 5), arrowprops=arrow)
    ax.annotate("", (9.6, 5), (5.78, 5), arrowprops=arrow)
    ax.text(0.3, 5.3, "$c_{t-1}$", fontsize=13)
    ax.text(9.2, 5.3, "$c_t$", fontsize=13)
    node(3, 5, "×")
    node(5.5, 5, "+")
    gates = [(3, "f = σ(·)", "#f4a259"), (4.4, "i = σ(·)", "#4c9be8"),
             (5.8, "g = tanh(·)", "#8fd18f"), (7.2, "o = σ(·)", "#c39bd3")]
    for x, text, color in gates:
        box(x, 2.2, text, color, w=1.25)
    # English in both editions: a caption holding $...$ is drawn by mathtext, whose font has no Chinese
    ax.text(5.0, 0.55, r"f forget · i input · g candidate · o output;   $(\cdot) = W x_t + U h_{t-1} + b$",
            ha="center", fontsize=10, color="#444444")
    ax.annotate("", (3, 4.72), (3, 2.5), arrowprops=arrow)  # f scales the old cell state
    node(5.1, 3.7, "×")  # i * g
    ax.annotate("", (4.9, 3.5), (4.4, 2.5), arrowprops=arrow)
    ax.annotate("", (5.3, 3.5), (5.8, 2.5), arrowprops=arrow)
    ax.annotate("", (5.42, 4.73), (5.15, 3.98), arrowprops=arrow)
    box(8.3, 4.1, "tanh", "#eeeeee", w=0.8, h=0.5)  # h_t = o * tanh(c_t)
    ax.annotate("", (8.3, 4.35), (8.3, 5), arrowprops=arrow)
    node(8.3, 3.0, "×")
    ax.annotate("", (8.3, 3.28), (8.3, 3.85), arrowprops=arrow)
    ax.annotate("", (8.02, 3.0), (7.2, 2.5), arrowprops=arrow)
    ax.annotate("", (9.6, 1.0), (8.3, 2.72), arrowprops=arrow)
    ax.text(9.3, 0.6, "$h_t$", fontsize=13)
    # inputs: h_{t-1} and x_t feed every gate
    ax.plot([0.4, 7.2], [1.0, 1.0], color="#444444", lw=1.5)
    for x, _text, _color in gates:
        ax.annotate("", (x, 1.9), (x, 1.0), arrowprops=arrow)
    ax.text(0.3, 1.2, "$h_{t-1}$, $x_t$", fontsize=13)
    ax.set_title("One LSTM step: $c_t = f \\odot c_{t-1} + i \\odot g$,   $h_t = o \\odot \\tanh(c_t)$", fontsize=12)
    fig.tight_layout()
    return fig


def plot_history(histories, labels=None, title: str | None = None, pyplot: bool = True):
    """Loss (and accuracy, when recorded) per epoch for one or several training runs.

    ``histories``: a :class:`lstm_lessons.History` or a list of them; each run gets one colour,
    training solid and validation dashed, labelled with ``labels`` or each run's settings.
    ``pyplot=False`` makes a bare ``Figure`` that pyplot never shows (for drawing in a thread).
    """
    histories = [histories] if not isinstance(histories, (list, tuple)) else list(histories)
    labels = labels or [h.label for h in histories]
    with_accuracy = any(h.train_accuracy or h.val_accuracy for h in histories)
    size = (13 if with_accuracy else 7, 4.2)
    fig = plt.figure(figsize=size) if pyplot else Figure(figsize=size)
    axes = fig.subplots(1, 2 if with_accuracy else 1, squeeze=False)
    panels = [("loss", "train_loss", "val_loss")] + ([("accuracy", "train_accuracy", "val_accuracy")]
                                                     if with_accuracy else [])
    for ax, (name, train_key, val_key) in zip(axes[0], panels, strict=True):
        for i, (history, label) in enumerate(zip(histories, labels, strict=True)):
            color = f"C{i % 10}"
            epochs = range(1, history.epochs + 1)
            if getattr(history, train_key):
                ax.plot(epochs[:len(getattr(history, train_key))], getattr(history, train_key), color=color,
                        label=_("{label} (train)").format(label=label))
            if getattr(history, val_key):
                ax.plot(epochs[:len(getattr(history, val_key))], getattr(history, val_key), color=color,
                        ls="--", label=_("{label} (validation)").format(label=label))
        ax.set_xlabel(_("epoch"))
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_ylabel(_("accuracy") if name == "accuracy" else _("loss"))
        ax.grid(alpha=0.3)
        if name == "accuracy":
            ax.set_ylim(0, 1.02)
    if axes[0][0].get_legend_handles_labels()[0]:  # runs without a finished epoch draw nothing to label
        axes[0][0].legend()
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def draw_digit_rows(x: torch.Tensor, y: torch.Tensor, show: int = 5):
    """The first ``show`` digits of ``x`` [n, 8, 8] as the LSTM reads them: row t is time step t."""
    fig, axes = plt.subplots(1, show, figsize=(2.2 * show, 2.8))
    for i, ax in enumerate(axes):
        ax.imshow(x[i].detach().cpu().numpy(), cmap="gray_r", vmin=0, vmax=1)
        ax.set_title(_("label {label}").format(label=y[i].item()))
        ax.set_xticks([])
        ax.set_yticks(range(0, x.shape[1], 2))
        ax.set_ylabel(_("time step (row)") if i == 0 else "")
    fig.tight_layout()
    return fig


def plot_forecasts(months, truth, forecasts: dict, start: int, title: str = "", context: int = 36,
                   ylabel: str | None = None):
    """The true series and each forecast of its months from ``start`` on (lesson 09).

    ``months``: the n month labels; ``truth``: [n] values; ``forecasts``: label -> [n - start] values.
    Only the last ``context`` months before ``start`` are drawn, then the forecast months.
    """
    first = max(start - context, 0)
    steps = range(first, len(truth))
    fig, ax = plt.subplots(figsize=(11, 4))
    ax.plot(steps, torch.as_tensor(truth)[first:].cpu(), color="black", lw=2, label=_("truth"))
    for i, (label, values) in enumerate(forecasts.items()):
        ax.plot(range(start, len(truth)), torch.as_tensor(values).cpu(), color=f"C{i % 10}", lw=1.8, label=label)
    ax.axvline(start - 0.5, color="gray", ls=":", lw=1)
    ticks = [i for i in steps if months[i].endswith("-01")]
    ax.set_xticks(ticks, [months[i][:4] for i in ticks])
    ax.set_ylabel(ylabel if ylabel is not None else _("passengers (thousands)"))
    ax.grid(alpha=0.3)
    ax.legend(ncol=min(len(forecasts) + 1, 5), fontsize="small")
    ax.set_title(title)
    fig.tight_layout()
    return fig
