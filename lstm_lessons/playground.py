"""The playground of lesson 06: widgets to choose a run's settings, Train and Stop, and live curves.

The logic lives in plain functions and a settings dataclass that tests call directly
(:func:`run_training`, :func:`summary_line`); :class:`Playground` only wires widgets to them.
"""

from __future__ import annotations

import io
import threading
import time
from dataclasses import asdict, dataclass

import ipywidgets as widgets
import matplotlib.pyplot as plt
import torch

from .devices import available_devices
from .models import LSTMClassifier
from .plots import lecture_mode, plot_history
from .tasks import digits_task, order_task, random_labels_task
from .training import History, TrainingDiverged, train

__all__ = ["PlaygroundSettings", "RunResult", "build_task", "run_training", "summary_line", "Playground"]

BATCH_SIZES = [16, 32, 64, 128, 256]


@dataclass
class PlaygroundSettings:
    """One run's settings: every control of the panel, and the command line's flags."""

    task: str = "order"  # "order" (needs memory), "digits" (real data) or "random" (the seed's labels)
    hidden_size: int = 32  # LSTM hidden size
    num_layers: int = 1  # stacked LSTM layers
    lr: float = 1e-2  # Adam's learning rate
    epochs: int = 8  # passes over the training set
    batch_size: int = 64  # sequences per optimizer step
    seq_len: int = 20  # steps per sequence (order task only)
    bidirectional: bool = False  # read each sequence in both directions
    device: str = "cpu"  # one of available_devices()
    seed: int = 0  # data split, starting weights and shuffling

    def label(self) -> str:
        """A legend label that names what differs between runs."""
        extra = f", seq {self.seq_len}" if self.task == "order" else ""
        bi = ", bi" if self.bidirectional else ""
        return (f"{self.task}: hidden {self.hidden_size} x{self.num_layers}{bi}, lr {self.lr:.0e}, "
                f"batch {self.batch_size}{extra}")


@dataclass
class RunResult:
    """What a run produced: its history (possibly cut short) and a one-line summary or error."""

    settings: PlaygroundSettings
    history: History | None
    message: str
    ok: bool


def build_task(settings: PlaygroundSettings):
    """The task the settings ask for, split reproducibly by ``settings.seed``."""
    if settings.task == "order":
        return order_task(seed=settings.seed, seq_len=settings.seq_len)
    if settings.task == "digits":
        return digits_task(seed=settings.seed)
    if settings.task == "random":
        return random_labels_task(seed=settings.seed)
    raise ValueError(f"unknown task {settings.task!r}: choose order, digits or random")


def summary_line(settings: PlaygroundSettings, history: History) -> str:
    """One line per run, e.g. ``order: hidden 32 x1, ... -> val acc 98.0% (train 99.1%),
    loss 0.031 train / 0.052 val, 8 epochs, 1.2 s on cpu``."""
    val = f"val acc {history.val_accuracy[-1]:.1%}" if history.val_accuracy else "no validation"
    train_acc = f" (train {history.train_accuracy[-1]:.1%})" if history.train_accuracy else ""
    stopped = " - stopped early" if history.stopped == "interrupted" else ""
    return (f"{settings.label()} -> {val}{train_acc}, loss {history.train_loss[-1]:.3f} train / "
            f"{history.val_loss[-1]:.3f} val, {history.epochs} epochs, {sum(history.seconds):.1f} s on "
            f"{settings.device}{stopped}")


def run_training(settings: PlaygroundSettings, on_epoch=None, should_stop=lambda: False) -> RunResult:
    """Train one run with ``settings``; ``on_epoch(history_so_far)`` after each epoch.

    ``should_stop()`` is asked after each epoch: True ends the run cleanly, keeping its history.
    A diverging run or impossible settings give ``ok=False`` and a message, never an exception.
    """
    try:
        task = build_task(settings)
        torch.manual_seed(settings.seed)
        model = LSTMClassifier(task.input_size, settings.hidden_size, settings.num_layers, task.num_classes,
                               bidirectional=settings.bidirectional)
    except ValueError as error:
        return RunResult(settings, None, f"Cannot train: {error}", ok=False)
    live = History(asdict(settings))

    def record(epoch: dict) -> None:
        live.add_epoch(epoch)
        if on_epoch is not None:
            on_epoch(live)
        if should_stop():
            raise KeyboardInterrupt  # train() ends cleanly and keeps what was done

    # The playground's models are small: one CPU thread trains them as fast as several, and lets the
    # denormal flush of train() cover every computation (with hidden sizes 1-3, denormal gradients in
    # other threads slowed training 200-fold: 18 s an epoch instead of 0.07 s, measured).
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        history = train(model, task.train, val_set=task.val, epochs=settings.epochs, lr=settings.lr,
                        batch_size=settings.batch_size, device=settings.device, seed=settings.seed,
                        progress=False, callbacks=[record])
    except TrainingDiverged as error:
        return RunResult(settings, error.history, f"Diverged: {error}", ok=False)
    except ValueError as error:
        return RunResult(settings, None, f"Cannot train: {error}", ok=False)
    finally:
        torch.set_num_threads(threads)
    return RunResult(settings, history, summary_line(settings, history), ok=True)


def figure_png(histories: list[History], labels: list[str]) -> bytes:
    """The loss and accuracy curves of ``histories`` as PNG bytes (for an Image widget)."""
    fig = plot_history(histories, labels=labels) if histories else plt.figure(figsize=(13, 4.2))
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=64)
    plt.close(fig)
    return buffer.getvalue()


class Playground:
    """The panel: controls, Train / Stop / Clear, a progress bar, live curves and one summary line per run.

    ``Playground().panel`` is the widget to display. ``train(wait=True)`` is what the Train button
    does, run in the foreground (headless, in tests); the button runs it in a background thread so
    that Stop stays clickable. Earlier runs stay on the plot until Clear.
    """

    redraw_share = 0.1  # live redraws take at most about this share of the run's time

    def __init__(self, **settings):
        s = PlaygroundSettings(**settings)
        devices = available_devices()
        wide = {"description_width": "110px"}
        self.controls = {
            "task": widgets.Dropdown(options=["order", "digits", "random"], value=s.task, description="task",
                                     style=wide),
            "hidden_size": widgets.IntSlider(s.hidden_size, 1, 256, description="hidden size", style=wide),
            "num_layers": widgets.IntSlider(s.num_layers, 1, 4, description="layers", style=wide),
            "lr": widgets.FloatLogSlider(s.lr, base=10, min=-4, max=1, step=0.25, description="learning rate",
                                         readout_format=".0e", style=wide),
            "epochs": widgets.IntSlider(s.epochs, 1, 50, description="epochs", style=wide),
            "batch_size": widgets.Dropdown(options=BATCH_SIZES, value=s.batch_size, description="batch size",
                                           style=wide),
            "seq_len": widgets.IntSlider(s.seq_len, 2, 60, description="seq length", style=wide),
            "bidirectional": widgets.Checkbox(s.bidirectional, description="bidirectional", style=wide),
            "device": widgets.Dropdown(options=devices, value=s.device if s.device in devices else devices[-1],
                                       description="device", style=wide),
        }
        self.controls["task"].observe(self._task_changed, names="value")
        self._task_changed()
        self.train_button = widgets.Button(description="Train", button_style="success", icon="play")
        self.stop_button = widgets.Button(description="Stop", button_style="warning", icon="stop", disabled=True)
        self.clear_button = widgets.Button(description="Clear runs", icon="trash")
        self.train_button.on_click(lambda _: self.train(wait=False))
        self.stop_button.on_click(lambda _: self.stop())
        self.clear_button.on_click(lambda _: self.clear())
        self.progress = widgets.IntProgress(0, 0, s.epochs, description="epoch 0", style=wide)
        self.plot = widgets.Image(format="png", layout=widgets.Layout(width="100%", max_width="980px"))
        self.status = widgets.HTML()
        self.summaries = widgets.HTML()
        note = "" if len(devices) > 1 else "<i>No GPU on this machine: the CPU trains these models in seconds.</i>"
        self.lecture = widgets.Checkbox(False, description="lecture mode (large fonts)", style=wide)
        self.lecture.observe(self._lecture_changed, names="value")
        self.runs: list[RunResult] = []
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        names = list(self.controls)
        self.panel = widgets.VBox([
            widgets.HBox([widgets.VBox([self.controls[n] for n in names[:5]]),
                          widgets.VBox([self.controls[n] for n in names[5:]] + [self.lecture, widgets.HTML(note)])]),
            widgets.HBox([self.train_button, self.stop_button, self.clear_button, self.progress]),
            self.status, self.plot, self.summaries,
        ])
        self._draw()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def settings(self) -> PlaygroundSettings:
        """The settings the controls show now."""
        return PlaygroundSettings(**{name: control.value for name, control in self.controls.items()})

    def train(self, wait: bool = True) -> RunResult | None:
        """Start a run with the controls' settings; ignored (with a note) while one is running."""
        if self.running:
            self.status.value = "<b>A run is in progress:</b> press Stop first, or wait for it to finish."
            return None
        settings = self.settings()
        self._stop.clear()
        self._set_running(True, settings)
        if wait:
            return self._run(settings)
        self._thread = threading.Thread(target=self._run, args=(settings,), daemon=True)
        self._thread.start()
        return None

    def stop(self) -> None:
        """Ask the running run to end after its current epoch; its curve is kept."""
        self._stop.set()

    def wait(self, timeout: float | None = None) -> None:
        """Block until a run started by the Train button has finished (for tests and scripts)."""
        if self._thread is not None:
            self._thread.join(timeout)

    def clear(self) -> None:
        """Forget earlier runs and their curves."""
        if not self.running:
            self.runs.clear()
            self.summaries.value = ""
            self._draw()

    def _run(self, settings: PlaygroundSettings) -> RunResult:
        next_draw = [0.0]  # perf_counter() time after which the next live redraw may happen

        def on_epoch(live: History) -> None:
            self.progress.value = live.epochs
            self.progress.description = f"epoch {live.epochs}"
            now = time.perf_counter()
            if now >= next_draw[0] and live.epochs < settings.epochs:  # the last epoch gets the final picture
                self._draw(live, settings)
                took = time.perf_counter() - now
                next_draw[0] = now + took / self.redraw_share  # throttled: plotting never dominates

        try:
            result = run_training(settings, on_epoch=on_epoch, should_stop=self._stop.is_set)
            if result.history is not None and result.history.epochs:
                self.runs.append(result)
            self.status.value = ("" if result.ok else
                                 f"<span style='color:#b00020'><b>{result.message}</b></span>")
            self._draw()
            lines = [r.message if r.ok else f"{r.settings.label()} -> diverged" for r in self.runs]
            self.summaries.value = "<br>".join(f"{i}. {line}" for i, line in enumerate(lines, start=1))
            return result
        finally:
            self._set_running(False, settings)

    def _set_running(self, running: bool, settings: PlaygroundSettings) -> None:
        self.train_button.disabled = running
        self.stop_button.disabled = not running
        self.clear_button.disabled = running
        if running:
            self.progress.max, self.progress.value = settings.epochs, 0
            self.progress.description = "epoch 0"
            self.status.value = f"Training {settings.label()} on {settings.device} ..."

    def _draw(self, live: History | None = None, settings: PlaygroundSettings | None = None) -> None:
        histories = [r.history for r in self.runs]
        labels = [r.settings.label() for r in self.runs]
        if live is not None and live.epochs:
            histories, labels = histories + [live], labels + [settings.label() + " (running)"]
        self.plot.value = figure_png(histories, labels)

    def _lecture_changed(self, change) -> None:
        lecture_mode(change["new"])
        self._draw()

    def _task_changed(self, _change=None) -> None:
        self.controls["seq_len"].disabled = self.controls["task"].value != "order"
