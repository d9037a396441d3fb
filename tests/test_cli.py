"""`python -m lstm_lessons train`: what a user at a terminal sees."""

import os
import signal
import subprocess
import sys
import time

import pytest


def run(*args, timeout=120):
    return subprocess.run([sys.executable, "-m", "lstm_lessons", *args], capture_output=True, text=True,
                          timeout=timeout)


def test_train_writes_a_figure_and_a_summary(tmp_path):
    figure = tmp_path / "curves.png"
    result = run("train", "--task", "order", "--epochs", "2", "--hidden-size", "8", "--quiet",
                 "--output", str(figure))
    assert result.returncode == 0, result.stderr
    assert "task order" in result.stdout and "2 epochs" in result.stdout and "val acc" in result.stdout
    assert figure.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_progress_is_printed_without_quiet():
    result = run("train", "--task", "random", "--epochs", "3", "--hidden-size", "4")
    assert result.returncode == 0 and "3/3" in result.stderr


@pytest.mark.parametrize("flag, value, words", [
    ("--hidden-size", "-3", "argument --hidden-size: expected a positive whole number, got -3"),
    ("--epochs", "ten", "argument --epochs: expected a positive whole number, got 'ten'"),
    ("--lr", "0", "argument --lr: expected a positive number"),
    ("--task", "mnist", "argument --task: invalid choice"),
    ("--device", "tpu", "argument --device: unknown device 'tpu'"),
    ("--seed", "-1", "argument --seed"),
    ("--seed", "18446744073709551616", "argument --seed: expected a whole number from 0 to 4294967295"),
    ("--seed", "²", "argument --seed: expected a whole number from 0 to 4294967295, got '²'"),
    ("--seed", "٣", "argument --seed: expected a whole number from 0 to 4294967295"),
    ("--epochs", "99999999999999999999999", "argument --epochs: expected at most 10000 epochs"),
    ("--device", "cdua", "Try --device auto"),
    ("--hidden-size", "10000000", "argument --hidden-size: training hidden size 10000000 x 1 layer(s) needs about"),
    ("--num-layers", "100000", "argument --num-layers: expected at most 100 layers"),
    ("--lr", "1e38", "argument --lr: expected a learning rate of at most 100"),
    ("--output", "no/such/folder/x.png", "argument --output: the folder"),
    pytest.param("--output", "/proc/curves.png", "argument --output: cannot write '/proc/curves.png'",
                 marks=pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc is Linux's")),
])
def test_a_bad_value_exits_2_with_one_line_naming_the_flag(flag, value, words):
    result = run("train", flag, value)
    assert_refused(result, words)


def assert_refused(result, words):
    assert result.returncode == 2
    assert words in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "task " not in result.stdout  # refused before the task is announced and training starts


def test_a_model_too_big_for_memory_says_what_it_needs_what_there_is_and_what_fits():
    result = run("train", "--hidden-size", "10000000")
    assert_refused(result, "TiB (weights, gradients, Adam's state, activations), but cpu has")
    assert "GiB free: try --hidden-size" in result.stderr


def test_an_output_that_is_a_folder_is_refused_before_training(tmp_path):
    folder = tmp_path / "curves.png"
    folder.mkdir()
    assert_refused(run("train", "--output", str(folder)), f"argument --output: '{folder}' is a folder")


def test_checking_that_the_output_can_be_written_leaves_no_file(tmp_path):
    figure = tmp_path / "curves.png"
    assert_refused(run("train", "--output", str(figure), "--epochs", "0"), "argument --epochs")
    assert not figure.exists()


def test_ctrl_c_in_the_first_epoch_writes_no_empty_figure(tmp_path):
    figure = tmp_path / "curves.png"
    process = subprocess.Popen([sys.executable, "-m", "lstm_lessons", "train", "--task", "digits", "--hidden-size",
                                "512", "--batch-size", "1", "--epochs", "1", "--output", str(figure)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    seen = b""
    while b"training:" not in seen:  # tqdm's bar: the first epoch is about to start (it lasts seconds)
        chunk = os.read(process.stderr.fileno(), 1024)
        assert chunk, "the command ended before training"
        seen += chunk
    time.sleep(1)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=120)
    stderr = (seen + stderr).decode()
    assert process.returncode == 130
    assert "no epoch finished" in stdout.decode() and f"no curve to draw, {figure} not written" in stderr
    assert not figure.exists() and "Warning" not in stderr and "Traceback" not in stderr


def test_help_names_every_flag():
    result = run("train", "--help")
    for flag in ("--task", "--hidden-size", "--num-layers", "--lr", "--epochs", "--batch-size", "--device",
                 "--seed", "--output"):
        assert flag in result.stdout
    assert result.returncode == 0


def test_a_diverging_run_exits_1_with_advice():
    result = run("train", "--task", "order", "--lr", "50", "--epochs", "5", "--hidden-size", "8", "--quiet")
    assert result.returncode == 1 and "Try a smaller learning rate" in result.stderr
