"""The playground of lesson 06: widgets to choose a run's settings, Train and Stop, and live curves.

The logic lives in plain functions and a settings dataclass that tests call directly
(:func:`run_training`, :func:`summary_line`); :class:`Playground` only wires widgets to them.
"""

from __future__ import annotations

import html
import io
import math
import numbers
import threading
import time
from dataclasses import asdict, dataclass, replace

import ipywidgets as widgets
import torch
from matplotlib.figure import Figure
from torch import nn

from .devices import available_devices
from .i18n import _
from .models import LSTMClassifier
from .plots import lecture_mode, plot_history
from .tasks import digits_task, order_task, random_labels_task
from .training import History, TrainingDiverged, train

__all__ = ["PlaygroundSettings", "RunResult", "build_task", "check_settings", "run_training", "summary_line",
           "Playground"]

TASK_NAMES = ["order", "digits", "random"]
BATCH_SIZES = [16, 32, 64, 128, 256]
RANGES = {"hidden_size": (1, 256), "num_layers": (1, 4), "lr": (1e-4, 10.0), "epochs": (1, 50), "seq_len": (2, 60)}


@dataclass
class PlaygroundSettings:
    """One run's settings: every control of the panel, and the command line's flags."""

    task: str = "order"  # "order" (needs memory), "digits" (real data) or "random" (the tutorial's labels)
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
        return (_("{task}: hidden {hidden_size} x{num_layers}{bi}, lr {lr:.2g}, "
                "batch {batch_size}{extra}").format(
                    task=self.task, hidden_size=self.hidden_size, num_layers=self.num_layers, bi=bi, lr=self.lr,
                    batch_size=self.batch_size, extra=extra))


@dataclass
class RunResult:
    """What a run produced: its history (possibly cut short), a one-line summary or error, and the
    trained model (on the CPU, in ``eval()`` mode; a diverged run's weights are blown up)."""

    settings: PlaygroundSettings
    history: History | None
    message: str
    ok: bool
    model: nn.Module | None = None
    summary: str = ""  # the run's line in the panel's list

    @property
    def ended(self) -> str:
        """How the run ended: "finished", "stopped", "interrupted", "diverged", or "error" (never started)."""
        if self.history is None:
            return "error"
        return self.history.stopped or "finished"


def check_settings(settings: PlaygroundSettings, devices: list[str]) -> None:
    """Raise ``ValueError`` naming the first setting outside what the panel's controls allow."""
    s = settings
    if s.task not in TASK_NAMES:
        raise ValueError(_("task must be one of {TASK_NAMES}, got {task!r}").format(TASK_NAMES=TASK_NAMES, task=s.task))
    for name, (low, high) in RANGES.items():
        value = getattr(s, name)
        kinds = numbers.Real if name == "lr" else numbers.Integral  # numpy's numbers too
        if isinstance(value, bool) or not isinstance(value, kinds) or not low <= value <= high:
            kind = _("a number") if name == "lr" else _("an integer")
            raise ValueError(_("{name} must be {kind} from {low:g} to {high:g} (the panel's range), "
                               "got {value!r}").format(
                name=name, kind=kind, low=low, high=high, value=value))
    if s.batch_size not in BATCH_SIZES or isinstance(s.batch_size, bool):
        raise ValueError(_("batch_size must be one of {BATCH_SIZES}, got {batch_size!r}").format(
            BATCH_SIZES=BATCH_SIZES, batch_size=s.batch_size))
    if not isinstance(s.bidirectional, bool):
        raise ValueError(_("bidirectional must be True or False, got {bidirectional!r}").format(
            bidirectional=s.bidirectional))
    if s.device not in devices:
        raise ValueError(_("device must be one of this machine's devices {devices}, got {device!r}").format(
            devices=devices, device=s.device))
    if isinstance(s.seed, bool) or not isinstance(s.seed, numbers.Integral) or not 0 <= s.seed < 2**63:
        raise ValueError(_("seed must be an integer from 0 to 2**63-1, got {seed!r}").format(seed=s.seed))


def build_task(settings: PlaygroundSettings):
    """The task the settings ask for, split reproducibly by ``settings.seed``."""
    if settings.task == "order":
        return order_task(seed=settings.seed, seq_len=settings.seq_len)
    if settings.task == "digits":
        return digits_task(seed=settings.seed)
    if settings.task == "random":
        return random_labels_task(seed=settings.seed)
    raise ValueError(_("unknown task {task!r}: choose order, digits or random").format(task=settings.task))


def summary_line(settings: PlaygroundSettings, history: History) -> str:
    """One line per run, e.g. ``order: hidden 32 x1, ... -> val acc 98.0% (train 99.1%),
    loss 0.031 train / 0.052 val, 8 epochs, 1.2 s on cpu``; a run cut short says how it ended."""
    if history.epochs:
        val = _("val acc {val_accuracy:.1%}").format(
            val_accuracy=history.val_accuracy[-1]) if history.val_accuracy else _("no validation")
        train_acc = (_(" (train {accuracy:.1%})").format(accuracy=history.train_accuracy[-1])
                     if history.train_accuracy else "")
        val_loss = _(" / {loss:.3f} val").format(loss=history.val_loss[-1]) if history.val_loss else ""
        figures = _("{val}{train_acc}, loss {train_loss:.3f} train{val_loss}, ").format(
            val=val, train_acc=train_acc, train_loss=history.train_loss[-1], val_loss=val_loss)
    else:
        figures = _("no epoch finished, ")
    ended = {"interrupted": _(" - interrupted"), "stopped": _(" - stopped early"), "diverged": _(" - diverged")}
    return (_("{label} -> {figures}{epochs} epochs, {seconds:.1f} s on "
            "{device}{ended}").format(
                label=settings.label(), figures=figures, epochs=history.epochs, seconds=sum(history.seconds),
                device=settings.device, ended=ended.get(history.stopped, '')))


def run_training(settings: PlaygroundSettings, on_epoch=None, should_stop=None) -> RunResult:
    """Train one run with ``settings``; ``on_epoch(history_so_far)`` after each epoch.

    ``should_stop()`` is asked before every batch: True ends the run at once, keeping its history and
    model. A diverging run or impossible settings give ``ok=False`` and a message, never an exception.
    """
    try:
        task = build_task(settings)
        torch.manual_seed(settings.seed)
        model = LSTMClassifier(task.input_size, settings.hidden_size, settings.num_layers, task.num_classes,
                               bidirectional=settings.bidirectional)
    except ValueError as error:
        return RunResult(settings, None, _("Cannot train: {error}").format(error=error), ok=False)
    live = History(asdict(settings))

    def record(epoch: dict) -> None:
        live.add_epoch(epoch)
        if on_epoch is not None:
            on_epoch(live)

    # The playground's models are small: one CPU thread trains them as fast as several, and lets the
    # denormal flush of train() cover every computation (with hidden sizes 1-3, denormal gradients in
    # other threads slowed training 200-fold: 18 s an epoch instead of 0.07 s, measured).
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        history = train(model, task.train, val_set=task.val, epochs=settings.epochs, lr=settings.lr,
                        batch_size=settings.batch_size, device=settings.device, seed=settings.seed,
                        progress=False, callbacks=[record], should_stop=should_stop)
    except TrainingDiverged as error:
        line = f"{summary_line(settings, error.history)} ({error.reached})"  # "... (the training loss grew to ...)"
        return RunResult(settings, error.history, _("Diverged: {error}").format(error=error), ok=False,
                         model=model.cpu().eval(), summary=line)
    except ValueError as error:
        return RunResult(settings, None, _("Cannot train: {error}").format(error=error), ok=False)
    finally:
        torch.set_num_threads(threads)
    line = summary_line(settings, history)
    return RunResult(settings, history, line, ok=True, model=model.cpu(), summary=line)


def figure_png(histories: list[History], labels: list[str]) -> bytes:
    """The loss and accuracy curves of ``histories`` as PNG bytes (for an Image widget).

    Drawn without pyplot: a figure pyplot knew of, made in the Train button's thread, would be shown by
    the inline backend under whichever cell ended while it was open."""
    fig = plot_history(histories, labels=labels, pyplot=False) if histories else Figure(figsize=(13, 4.2))
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=64)
    return buffer.getvalue()


class Playground:
    """The panel: controls, Train / Stop / Clear, a progress bar, live curves and one summary line per run.

    ``Playground().panel`` is the widget to display. ``train()`` is what the Train button does, run in
    the foreground (a cell, tests); the button runs it in a background thread so that Stop stays
    clickable. A run in the foreground keeps the kernel busy, so its Stop stays disabled: Jupyter's
    interrupt ends it (as "interrupted"). Every run stays in ``runs`` (with its trained model) and on the
    plot until Clear. The panel is compact enough for a 1280x720 slide: three columns of controls above a
    plot of bounded height, and a list of runs that scrolls.
    """

    redraw_share = 0.1  # live redraws take at most about this share of the run's time

    def __init__(self, **settings):
        s = PlaygroundSettings(**settings)
        devices = available_devices()
        check_settings(s, devices)
        s = replace(s, lr=float(s.lr), **{name: int(getattr(s, name))  # numpy numbers -> Python's, for the widgets
                                          for name in ("hidden_size", "num_layers", "epochs", "batch_size",
                                                       "seq_len", "seed")})
        self.seed = s.seed  # no control: every run of this panel uses it
        self.controls = _make_controls(s, devices)
        self.controls["task"].observe(self._task_changed, names="value")
        self._task_changed()
        self.train_button = widgets.Button(description=_("Train"), button_style="success", icon="play")
        self.stop_button = widgets.Button(description=_("Stop"), button_style="warning", icon="stop", disabled=True)
        self.clear_button = widgets.Button(description=_("Clear runs"), icon="trash")
        self.train_button.on_click(lambda _: self.train(wait=False))
        self.stop_button.on_click(lambda _: self.stop())
        self.clear_button.on_click(lambda _: self.clear())
        for button in (self.train_button, self.stop_button, self.clear_button):
            button.layout.width = "100px"
        self.progress = widgets.IntProgress(0, 0, s.epochs, description=_("epoch {epochs}").format(epochs=0),
                                            style=_WIDE, layout=widgets.Layout(width=CONTROL_WIDTH))
        self.plot = widgets.Image(format="png", layout=widgets.Layout(width="100%", max_width="800px",
                                                                      max_height="250px", object_fit="contain"))
        self.status = widgets.HTML()
        self.summaries = widgets.HTML(layout=widgets.Layout(max_height="5.5em", overflow="auto"))
        note = "" if len(devices) > 1 else _("<i>No GPU on this machine: the CPU trains these models in seconds.</i>")
        self.lecture = widgets.Checkbox(False, description=_("lecture mode (large fonts)"), indent=False,
                                        layout=widgets.Layout(width="auto"))
        self.lecture.observe(self._lecture_changed, names="value")
        self.runs: list[RunResult] = []
        self._thread: threading.Thread | None = None
        self._result: RunResult | None = None  # the latest run's result, for a train() that waited on it
        self._stop = threading.Event()
        # Cleared from the start of a run until its panel is updated. Not Thread.is_alive(): an interrupted
        # Thread.join() can make it report False while the thread runs on.
        self._idle = threading.Event()
        self._idle.set()
        self._lock = threading.Lock()  # the end of a run against stop() and clear()
        self.panel = _layout(self, widgets.HTML(note + KEEP_KEYS_HTML))
        self._draw()

    @property
    def running(self) -> bool:
        """True from the start of a run until the panel shows how it ended."""
        return not self._idle.is_set()

    def settings(self) -> PlaygroundSettings:
        """The settings the controls show now (and the panel's seed)."""
        return PlaygroundSettings(**{name: control.value for name, control in self.controls.items()}, seed=self.seed)

    def train(self, wait: bool = True) -> RunResult | None:
        """Run once with the controls' settings and return its :class:`RunResult`.

        While a run started by the Train button is in progress, ``train()`` waits for it and returns
        that run instead of starting another; ``train(wait=False)`` (the button) starts the run in a
        background thread and returns ``None``.
        """
        if self.running:
            if not wait:
                self.status.value = _("<b>A run is in progress:</b> press Stop first, or wait for it to finish.")
                return None
            self._idle.wait()
            return self._result
        settings = self.settings()
        self._stop.clear()
        self._result = None
        self._idle.clear()
        self._set_running(True, settings, stoppable=not wait)
        if wait:
            return self._run(settings)
        self._thread = threading.Thread(target=self._run, args=(settings,), daemon=True)
        self._thread.start()
        return None

    def stop(self) -> None:
        """Ask the run in progress to end before its next batch; its curve and model are kept."""
        with self._lock:
            if self.running:
                self._stop.set()
                self.stop_button.disabled = True
                self.status.value = _("<b>stopping...</b>")

    def wait(self, timeout: float | None = None) -> None:
        """Block until a run started by the Train button has finished (for tests and scripts)."""
        self._idle.wait(timeout)

    def clear(self) -> None:
        """Forget earlier runs, their curves and models (not during a run: the status says so)."""
        with self._lock:
            if self.running:
                self.status.value = _("<b>A run is in progress:</b> Clear runs works once it has ended.")
                return
            self.runs.clear()
            self.summaries.value = ""
        self._draw()

    def _should_stop(self) -> bool:
        return self._stop.is_set()

    def _run(self, settings: PlaygroundSettings) -> RunResult:
        next_draw = [0.0]  # perf_counter() time after which the next live redraw may happen

        def on_epoch(live: History) -> None:
            self.progress.value = live.epochs
            self.progress.description = _("epoch {epochs}").format(epochs=live.epochs)
            now = time.perf_counter()
            if now >= next_draw[0] and live.epochs < settings.epochs:  # the last epoch gets the final picture
                self._draw(live, settings)
                took = time.perf_counter() - now
                next_draw[0] = now + took / self.redraw_share  # throttled: plotting never dominates

        status = None  # what the status line says once the run has ended (written last, under the lock)
        try:
            try:
                result = run_training(settings, on_epoch=on_epoch, should_stop=lambda: self._should_stop())
            except BaseException as error:  # noqa: BLE001 -- a bug or Ctrl-C outside train(): say so, then raise
                kind = _("Interrupted") if isinstance(error, KeyboardInterrupt) else _("Error")
                status = _red(_("{kind} before the run could finish: {error_type} {error}").format(
                    kind=kind, error_type=type(error).__name__, error=error))
                self._result = RunResult(settings, None, f"{kind}: {type(error).__name__} {error}", ok=False)
                if threading.current_thread() is threading.main_thread():
                    raise  # a cell's run: the cell shows the traceback
                return  # the button's thread: the status says it in red; a thread traceback would land under
                        # whichever cell happens to be running
            self._result = result
            if result.history is not None:
                self.runs.append(result)
            self.summaries.value = "<br>".join(f"{i}. {r.summary}" for i, r in enumerate(self.runs, 1))
            status = _status_of(result) + _(" <i>(interrupted before the plot was redrawn)</i>")
            self._draw()
            status = _status_of(result)
            return result
        finally:
            with self._lock:
                self._set_running(False, settings)
                if status is not None:
                    self.status.value = status
                self._idle.set()

    def _set_running(self, running: bool, settings: PlaygroundSettings, stoppable: bool = True) -> None:
        self.train_button.disabled = running
        self.stop_button.disabled = not (running and stoppable)
        self.clear_button.disabled = running
        if running:
            self.progress.max, self.progress.value = settings.epochs, 0
            self.progress.description = _("epoch {epochs}").format(epochs=0)
            self.status.value = _("Training {label} on {device} ...").format(
                label=settings.label(), device=settings.device)

    def _draw(self, live: History | None = None, settings: PlaygroundSettings | None = None) -> None:
        histories = [r.history for r in self.runs]
        labels = [r.settings.label() + ("" if r.ended == "finished" else f" ({r.ended})") for r in self.runs]
        if live is not None and live.epochs:
            histories, labels = histories + [live], labels + [settings.label() + _(" (running)")]
        self.plot.value = figure_png(histories, labels)

    def _lecture_changed(self, change) -> None:
        lecture_mode(change["new"])
        self._draw()

    def _task_changed(self, _change=None) -> None:
        self.controls["seq_len"].disabled = self.controls["task"].value != "order"


_WIDE = {"description_width": "100px"}
CONTROL_WIDTH = "260px"

# In a RISE slideshow the arrow keys on a focused slider turned the slide: reveal.js reads keys at the document,
# and RISE's JupyterLab shell catches them even earlier (a capture listener). ipywidgets has no Python API for
# DOM events, so this image, which cannot load, runs a script once: inside a slideshow (``.reveal``), a key
# pressed in the panel is stopped at the window, before any slideshow listener, and the arrow keys move a
# focused slider themselves (its own handler is never reached then). Outside a slideshow nothing changes.
_KEEP_KEYS_SCRIPT = """if (!window.lstmKeysStayInPanel) { window.lstmKeysStayInPanel = true;
window.addEventListener('keydown', function (e) {
  var t = e.target; if (!t.closest || !t.closest('.lstm-playground') || !t.closest('.reveal')) return;
  e.stopPropagation();
  var slider = t.closest('.noUi-target'), sign = {ArrowRight: 1, ArrowUp: 1, ArrowLeft: -1, ArrowDown: -1}[e.key];
  if (slider && slider.noUiSlider && sign) {
    e.preventDefault();
    var api = slider.noUiSlider, step = api.steps()[0][sign > 0 ? 1 : 0];
    if (step) api.set(Number(api.get()) + sign * Math.abs(step));
  }
}, true); }
var p = this.closest('.lstm-playground'); if (p) p.dataset.keysStayHere = '1';"""
KEEP_KEYS_HTML = f'<img src="data:," alt="" style="display:none" onerror="{html.escape(_KEEP_KEYS_SCRIPT)}">'


def _make_controls(s: PlaygroundSettings, devices: list[str]) -> dict:
    """One widget per setting, its range from ``RANGES``; each 260 px wide, so three fit side by side
    on a slide (a 960 px reveal.js slide less its prompt column)."""
    def slider(name, description):
        low, high = RANGES[name]
        return widgets.IntSlider(getattr(s, name), low, high, description=description, style=_WIDE)

    controls = {
        "task": widgets.Dropdown(options=TASK_NAMES, value=s.task, description=_("task"), style=_WIDE),
        "hidden_size": slider("hidden_size", _("hidden size")),
        "num_layers": slider("num_layers", _("layers")),
        "lr": widgets.FloatLogSlider(s.lr, base=10, min=math.log10(RANGES["lr"][0]), max=math.log10(RANGES["lr"][1]),
                                     step=0.25, description=_("learning rate"), readout_format=".2g", style=_WIDE),
        "epochs": slider("epochs", _("epochs")),
        "batch_size": widgets.Dropdown(options=BATCH_SIZES, value=s.batch_size, description=_("batch size"),
                                       style=_WIDE),
        "seq_len": slider("seq_len", _("seq length")),
        "bidirectional": widgets.Checkbox(s.bidirectional, description=_("bidirectional"), style=_WIDE),
        "device": widgets.Dropdown(options=devices, value=s.device, description=_("device"), style=_WIDE),
    }
    for control in controls.values():
        control.layout.width = CONTROL_WIDTH
    return controls


def _layout(pg: Playground, note: widgets.HTML) -> widgets.VBox:
    """Three columns of three controls, the buttons, then status, plot and runs: under 560 px tall, so the
    panel and its cell fit a 1280x720 projector slide (the browser test measures it in RISE).

    The class ``lstm-playground`` lets a slideshow's CSS or script single the panel out (see lesson 06)."""
    names = list(pg.controls)
    columns = [widgets.VBox([pg.controls[n] for n in names[i:i + 3]]) for i in range(0, 9, 3)]
    panel = widgets.VBox([
        widgets.HBox(columns, layout=widgets.Layout(flex_flow="row wrap")),
        widgets.HBox([pg.train_button, pg.stop_button, pg.clear_button, pg.progress, pg.lecture],
                     layout=widgets.Layout(flex_flow="row wrap")),
        note, pg.status, pg.plot, pg.summaries,
    ])
    panel.add_class("lstm-playground")
    return panel


def _red(text: str) -> str:
    return f"<span style='color:#b00020'><b>{html.escape(text, quote=False)}</b></span>"


def _status_of(result: RunResult) -> str:
    """The status line once a run has ended: how it ended, and what was kept."""
    h = result.history
    if result.ended == "error" or result.ended == "diverged":
        return _red(result.message)
    kept = (_("its curve and model are kept") if h.epochs else _("no epoch finished, so no curve; its model is kept")) \
        + _(" (playground.runs[-1].model)")
    if result.ended == "finished":
        return _("Finished {epochs} epochs: {kept}.").format(epochs=h.epochs, kept=kept)
    how = _("Stopped") if result.ended == "stopped" else _("Interrupted")
    return _("{how} after {epochs} of {planned} epochs: {kept}.").format(
        how=how, epochs=h.epochs, planned=result.settings.epochs, kept=kept)
