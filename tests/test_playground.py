"""The playground without a browser: set controls, press the buttons, check what happened."""

import json
import math
import os
import threading
import time

import pytest
import torch

from lstm_lessons import LSTMClassifier, available_devices
from lstm_lessons import playground as playground_module
from lstm_lessons.playground import Playground, PlaygroundSettings, build_task, run_training, summary_line


@pytest.fixture
def playground():
    return Playground(task="order", hidden_size=8, epochs=2, seq_len=10)


def test_pressing_train_runs_with_exactly_the_controls_settings(playground):
    c = playground.controls
    c["hidden_size"].value, c["num_layers"].value, c["lr"].value = 12, 2, 3e-2
    c["epochs"].value, c["batch_size"].value, c["seq_len"].value, c["bidirectional"].value = 3, 32, 8, True
    empty_plot = playground.plot.value
    playground.train_button.click()
    playground.wait(60)
    run = playground.runs[-1]
    assert run.ok and run.history.epochs == 3
    s = run.history.settings
    assert (s["hidden_size"], s["num_layers"], s["lr"], s["batch_size"], s["bidirectional"]) == (12, 2, 3e-2, 32, True)
    assert run.settings.seq_len == 8 and run.settings.device == available_devices()[-1] == "cpu"
    assert playground.plot.value != empty_plot and playground.plot.value[:4] == b"\x89PNG"
    assert playground.summaries.value.startswith("1. order: hidden 12 x2, bi, lr 0.03, batch 32, seq 8 -> val acc")
    assert playground.progress.value == 3 and not playground.train_button.disabled


def test_the_plot_gains_a_run_and_keeps_the_earlier_one(playground):
    playground.train()
    first_plot = playground.plot.value
    playground.controls["hidden_size"].value = 4
    playground.train()
    assert len(playground.runs) == 2 and playground.plot.value != first_plot
    assert playground.summaries.value.count("<br>") == 1 and "2. order: hidden 4" in playground.summaries.value
    playground.clear()
    assert playground.runs == [] and playground.summaries.value == ""


def test_a_second_press_while_running_does_not_start_a_second_run(playground):
    playground.controls["epochs"].value = 40
    playground.train_button.click()
    time.sleep(0.3)
    assert playground.running and playground.train_button.disabled and not playground.stop_button.disabled
    assert playground.train(wait=False) is None
    assert "A run is in progress" in playground.status.value
    playground.stop()
    playground.wait(60)
    assert len(playground.runs) == 1


def test_stop_ends_the_run_and_keeps_its_curve(playground):
    playground.controls["epochs"].value = 50
    playground.train_button.click()
    while playground.progress.value < 1:  # one epoch done: its curve is there to keep
        time.sleep(0.01)
    playground.stop_button.click()
    playground.wait(60)
    run = playground.runs[-1]
    assert run.history.stopped == "stopped" and 1 <= run.history.epochs < 50
    assert "stopped early" in playground.summaries.value and not playground.running


def test_a_diverging_run_shows_its_message_in_the_panel(playground):
    c = playground.controls
    c["lr"].value, c["hidden_size"].value, c["seq_len"].value = 10.0, 32, 20  # the slider's largest lr
    result = playground.train()
    assert not result.ok and result.message.startswith("Diverged: the training loss")
    assert "Try a smaller learning rate" in playground.status.value
    assert not playground.train_button.disabled  # ready for another try


def test_device_control_lists_only_this_machines_devices(playground):
    assert list(playground.controls["device"].options) == available_devices()


def test_device_note_when_there_is_no_gpu(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: False)
    assert "No GPU on this machine" in repr(Playground().panel)


def test_sequence_length_only_for_the_order_task(playground):
    playground.controls["task"].value = "digits"
    assert playground.controls["seq_len"].disabled
    playground.controls["task"].value = "order"
    assert not playground.controls["seq_len"].disabled


def test_impossible_settings_are_explained_not_raised():
    result = run_training(PlaygroundSettings(task="order", device="tpu"))
    assert not result.ok and result.message.startswith("Cannot train: unknown device 'tpu'")
    assert not run_training(PlaygroundSettings(task="nope")).ok


def test_summary_line_reports_the_last_epoch():
    result = run_training(PlaygroundSettings(task="order", hidden_size=4, epochs=2, seq_len=6))
    line = summary_line(result.settings, result.history)
    assert f"val acc {result.history.val_accuracy[-1]:.1%}" in line and "2 epochs" in line and "on cpu" in line
    assert f"loss {result.history.train_loss[-1]:.3f} train / {result.history.val_loss[-1]:.3f} val" in line


def test_live_updates_are_throttled(playground, monkeypatch):
    draws = []
    original = playground._draw
    monkeypatch.setattr(playground, "_draw", lambda *a: (draws.append(a), original(*a)))
    playground.redraw_share = 1e-9  # any redraw "takes too long": no live redraw after the first
    playground.controls["epochs"].value = 6
    playground.train()
    live = [a for a in draws if a]  # redraws with a live history
    assert len(live) == 1 and len(draws) == 2  # the first epoch, then the final picture


def test_lecture_mode_toggle_enlarges_fonts(playground):
    import matplotlib.pyplot as plt

    normal = plt.rcParams["font.size"]
    playground.lecture.value = True
    assert plt.rcParams["font.size"] > normal
    playground.lecture.value = False
    assert plt.rcParams["font.size"] == normal


# --- issue 10: every way a run ends leaves the panel idle and says what happened ------------------------------

class InterruptedClassifier(LSTMClassifier):
    """Ctrl-C (a kernel interrupt) in the third forward pass: inside the first epoch."""

    calls = 0

    def forward(self, x):
        type(self).calls += 1
        if type(self).calls == 3:
            raise KeyboardInterrupt
        return super().forward(x)


def test_an_interrupt_in_the_first_epoch_leaves_the_panel_idle(playground, monkeypatch, capsys):
    monkeypatch.setattr(playground_module, "LSTMClassifier", InterruptedClassifier)
    result = playground.train()
    assert result.ended == "interrupted" and result.history.epochs == 0
    assert playground.runs == [result] and "no epoch finished" in playground.summaries.value
    assert playground.status.value.startswith("Interrupted after 0 of 2 epochs")
    assert not playground.train_button.disabled and playground.stop_button.disabled and not playground.running


def test_an_error_leaves_the_panel_idle_and_says_so(playground, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("out of memory")

    monkeypatch.setattr(playground_module, "train", broken)
    with pytest.raises(RuntimeError):
        playground.train()
    assert "Error before the run could finish: RuntimeError out of memory" in playground.status.value
    assert not playground.train_button.disabled and not playground.running


def test_status_says_how_each_run_ended(playground):
    assert playground.train().ended == "finished"
    assert playground.status.value.startswith("Finished 2 epochs: its curve and model are kept")


def test_train_in_a_cell_waits_for_the_run_the_button_started(playground):
    playground.controls["epochs"].value = 50
    playground.train_button.click()
    threading.Timer(0.5, playground.stop).start()
    result = playground.train()  # the notebook cell, run while the button's run goes on
    assert result is playground.runs[-1] and len(playground.runs) == 1
    assert result.ended == "stopped" and result.history.epochs < 50 and not playground.running


def test_stop_acts_within_a_batch_and_says_stopping_at_once():
    big = Playground(task="digits", hidden_size=256, num_layers=4, bidirectional=True, batch_size=16, epochs=3)
    batches = []
    big._should_stop = lambda: (batches.append(1), big._stop.is_set())[1]
    big.train_button.click()
    deadline = time.monotonic() + 60
    while len(batches) < 3 and time.monotonic() < deadline:  # the first epoch is under way (113 batches)
        time.sleep(0.01)
    big.stop_button.click()
    assert big.status.value == "<b>stopping...</b>" and big.stop_button.disabled
    asked = len(batches)
    big.wait(60)
    run = big.runs[-1]
    assert run.ended == "stopped" and run.history.epochs == 0 and len(batches) <= asked + 2
    assert "Stopped after 0 of 3 epochs: no epoch finished, so no curve; its model is kept" in big.status.value
    assert not big.train_button.disabled


def test_a_run_diverging_in_its_first_epoch_stays_in_the_list(playground, monkeypatch):
    class Exploding(LSTMClassifier):
        def forward(self, x):
            return super().forward(x) * math.inf

    monkeypatch.setattr(playground_module, "LSTMClassifier", Exploding)
    result = playground.train()
    assert result.ended == "diverged" and result.history.epochs == 0 and playground.runs == [result]
    assert "no epoch finished, 0 epochs" in playground.summaries.value
    assert "diverged (the training loss became nan at epoch 1)" in playground.summaries.value
    assert "Diverged: the training loss became nan" in playground.status.value


def test_each_run_keeps_its_trained_model_on_the_cpu(playground):
    result = playground.train()
    model = playground.runs[-1].model
    assert next(model.parameters()).device.type == "cpu" and not model.training
    x, y = build_task(result.settings).val
    with torch.no_grad():
        accuracy = (model(x).argmax(dim=1) == y).float().mean().item()
    assert accuracy == pytest.approx(result.history.val_accuracy[-1])  # the model that was measured


@pytest.mark.parametrize("settings, words", [
    (dict(batch_size=1000), r"batch_size must be one of \[16, 32, 64, 128, 256\], got 1000"),
    (dict(hidden_size=0), r"hidden_size must be an integer from 1 to 256 \(the panel's range\), got 0"),
    (dict(lr=100.0), r"lr must be a number from 0.0001 to 10 .*got 100.0"),
    (dict(epochs=2.5), r"epochs must be an integer from 1 to 50 .*got 2.5"),
    (dict(task="mnist"), r"task must be one of \['order', 'digits', 'random'\], got 'mnist'"),
    (dict(device="cuda"), r"device must be one of this machine's devices \['cpu'\], got 'cuda'"),
    (dict(bidirectional="yes"), "bidirectional must be True or False"),
])
def test_constructor_values_out_of_range_are_refused(settings, words, monkeypatch):
    monkeypatch.setattr(playground_module, "available_devices", lambda: ["cpu"])
    with pytest.raises(ValueError, match=words):
        Playground(**settings)


def test_compact_layout_fits_a_slide(playground):
    rows = playground.panel.children
    columns = rows[0].children
    assert len(columns) == 3 and all(len(column.children) == 3 for column in columns)  # 3 rows of controls
    assert playground.plot.layout.max_height == "250px" and playground.summaries.layout.overflow == "auto"
    assert all(control.layout.width == "260px" for control in playground.controls.values())  # 3 fit a slide
    assert "lstm-playground" in playground.panel._dom_classes


def test_arrow_keys_on_a_focused_slider_move_it_not_the_slideshow():
    """In Chromium: in a slideshow (``.reveal``), an arrow key on a slider inside the panel moves the slider
    and reaches no slideshow listener, not even one capturing at the document (as RISE's shell does); outside
    the panel, and outside a slideshow, keys go where they always went. The page builds the panel's DOM as
    the HTML widget does (innerHTML), with a stand-in for the noUiSlider API that ipywidgets' sliders carry."""
    playwright = pytest.importorskip("playwright.sync_api")
    chromium = os.environ.get("LSTM_LESSONS_CHROMIUM", "/usr/bin/chromium")
    if not os.path.exists(chromium):
        pytest.skip(f"no Chromium at {chromium}")
    page_html = f"""<div class="reveal"><div class="lstm-playground">
      <div id="slider" class="noUi-target"><div id="handle" class="noUi-handle" tabindex="0">handle</div></div>
      <div id="html"></div></div>
      <div id="outside" tabindex="0">outside</div></div>
    <div class="lstm-playground"><div id="notebook" tabindex="0">not in a slideshow</div><div id="html2"></div></div>
    <script>
      window.seen = []; window.value = 1;
      document.getElementById('slider').noUiSlider = {{get: () => String(value), set: v => {{ value = v; }},
                                                       steps: () => [[1, 1]]}};
      document.addEventListener('keydown', e => seen.push('slideshow:' + e.target.id), true);
      document.getElementById('html').innerHTML = {json.dumps(playground_module.KEEP_KEYS_HTML)};
      document.getElementById('html2').innerHTML = {json.dumps(playground_module.KEEP_KEYS_HTML)};
    </script>"""
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page()
        page.set_content(page_html)
        page.wait_for_function("document.querySelectorAll('[data-keys-stay-here]').length === 2")
        page.focus("#handle")
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowRight")
        page.focus("#outside")
        page.keyboard.press("ArrowRight")
        page.focus("#notebook")
        page.keyboard.press("ArrowRight")
        seen, value = page.evaluate("[window.seen, window.value]")
        browser.close()
    assert value == 3  # the slider moved twice
    assert seen == ["slideshow:outside", "slideshow:notebook"]


# --- review of lesson 06: threads, interrupts and the end of a run -----------------------------------------------

def test_a_button_run_draws_without_pyplot(playground, monkeypatch):
    """The inline backend shows every figure pyplot has open when a cell ends: a figure made in the button's
    thread would appear under whichever cell ended meanwhile."""
    import matplotlib.pyplot as plt

    made = []
    figure = plt.figure
    monkeypatch.setattr(plt, "figure", lambda *a, **k: (made.append(threading.current_thread()), figure(*a, **k))[1])
    empty_plot = playground.plot.value
    open_before = plt.get_fignums()  # other tests may have left figures open
    playground.train_button.click()
    playground.wait(60)
    assert playground.runs[-1].ended == "finished" and playground.plot.value != empty_plot
    assert made == [] and plt.get_fignums() == open_before


def test_an_interrupted_wait_does_not_let_a_second_run_start(playground):
    """Jupyter's stop button while train() waits on the button's run: Thread.join(), interrupted, made
    is_alive() report False while the thread ran on, and the next train() started a parallel run."""
    import signal

    playground.controls["epochs"].value = 50
    playground.train_button.click()
    main = threading.main_thread().ident
    threading.Timer(0.3, signal.pthread_kill, (main, signal.SIGINT)).start()  # Jupyter's stop button
    with pytest.raises(KeyboardInterrupt):
        playground.train()  # waits on the button's run
    assert playground.running and playground.train(wait=False) is None
    assert "A run is in progress" in playground.status.value
    playground.stop()
    playground.wait(60)
    assert len(playground.runs) == 1 and not playground.running


def test_stop_during_the_final_redraw_does_not_leave_stopping_for_good(playground, monkeypatch):
    draw = playground._draw

    def draw_then_stop(*args):
        draw(*args)
        if not args:  # the final picture: the run has finished, Stop comes too late
            playground.stop()

    monkeypatch.setattr(playground, "_draw", draw_then_stop)
    playground.train_button.click()
    playground.wait(60)
    assert playground.status.value.startswith("Finished 2 epochs") and playground.stop_button.disabled


@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_train_waiting_on_a_crashing_run_returns_its_error_not_the_previous_run(playground, monkeypatch):
    previous = playground.train()

    def broken(*args, **kwargs):
        time.sleep(0.5)
        raise RuntimeError("out of memory")

    monkeypatch.setattr(playground_module, "train", broken)
    playground.train_button.click()
    result = playground.train()  # waits on the button's run
    assert result is not previous and not result.ok and result.ended == "error"
    assert result.message == "Error: RuntimeError out of memory" and not playground.running


def test_a_crashing_button_run_prints_no_thread_traceback(playground, monkeypatch):
    """A traceback from the button's thread would land under whichever cell is running: the status says it."""
    tracebacks = []
    monkeypatch.setattr(threading, "excepthook", tracebacks.append)
    monkeypatch.setattr(playground_module, "train", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("boom")))
    playground.train_button.click()
    playground.wait(30)
    assert tracebacks == [] and "RuntimeError boom" in playground.status.value


@pytest.mark.parametrize("seed", [2**63, 2**70, -1])
def test_a_seed_torch_cannot_take_is_refused_at_once(seed):
    with pytest.raises(ValueError, match=r"seed must be an integer from 0 to 2\*\*63-1"):
        Playground(seed=seed)


def test_an_interrupt_in_the_final_redraw_still_lists_the_run(playground, monkeypatch):
    draw = playground._draw

    def interrupted(*args):
        if not args:
            raise KeyboardInterrupt
        draw(*args)

    monkeypatch.setattr(playground, "_draw", interrupted)
    with pytest.raises(KeyboardInterrupt):
        playground.train()
    assert len(playground.runs) == 1 and playground.summaries.value.startswith("1. order: hidden 8")
    assert playground.status.value.startswith("Finished 2 epochs")
    assert "interrupted before the plot was redrawn" in playground.status.value
    assert not playground.running and not playground.train_button.disabled


def test_stop_stays_disabled_during_a_run_started_from_a_cell(playground, monkeypatch):
    """The kernel is busy with the cell: a click on Stop would wait until the run had ended."""
    seen = []
    draw = playground._draw
    monkeypatch.setattr(playground, "_draw", lambda *a: (seen.append(playground.stop_button.disabled), draw(*a)))
    playground.train()
    assert seen and all(seen)


def test_the_seed_given_to_the_panel_is_used():
    panel = Playground(task="order", hidden_size=4, epochs=1, seq_len=6, seed=5)
    assert panel.settings().seed == 5 and panel.train().history.settings["seed"] == 5


def test_numpy_numbers_are_accepted():
    import numpy as np

    panel = Playground(epochs=np.int64(3), hidden_size=np.int32(16), lr=np.float32(0.02), batch_size=np.int64(32))
    s = panel.settings()
    assert (s.epochs, s.hidden_size, s.batch_size) == (3, 16, 32) and s.lr == pytest.approx(0.02)


def test_clear_during_a_run_says_it_waits(playground):
    playground.train()
    playground.controls["epochs"].value = 50
    playground.train_button.click()
    playground.clear()
    assert "Clear runs works once it has ended" in playground.status.value and len(playground.runs) == 1
    playground.stop()
    playground.wait(60)


def test_the_learning_rate_reads_as_a_plain_number(playground):
    playground.controls["lr"].value = 10 ** -0.5
    assert playground.controls["lr"].readout_format == ".2g" and "lr 0.32," in playground.settings().label()


def test_reading_the_digits_closes_its_file():
    import gc
    import warnings

    from lstm_lessons.tasks import _read_digits

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        _read_digits()
        gc.collect()
    assert not [w for w in caught if issubclass(w.category, ResourceWarning)]
