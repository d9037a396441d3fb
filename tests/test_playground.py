"""The playground without a browser: set controls, press the buttons, check what happened."""

import time

import pytest
import torch

from lstm_lessons import available_devices
from lstm_lessons.playground import Playground, PlaygroundSettings, run_training, summary_line


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
    assert playground.summaries.value.startswith("1. order: hidden 12 x2, bi, lr 3e-02, batch 32, seq 8 -> val acc")
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
    time.sleep(0.5)
    playground.stop_button.click()
    playground.wait(60)
    run = playground.runs[-1]
    assert run.history.stopped == "interrupted" and 1 <= run.history.epochs < 50
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
    assert "No GPU on this machine" in repr(Playground().panel.children[0])


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
