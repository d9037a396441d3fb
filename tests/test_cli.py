"""`python -m lstm_lessons train`: what a user at a terminal sees."""

import subprocess
import sys

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
])
def test_a_bad_value_exits_2_with_one_line_naming_the_flag(flag, value, words):
    result = run("train", flag, value)
    assert result.returncode == 2
    assert words in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_help_names_every_flag():
    result = run("train", "--help")
    for flag in ("--task", "--hidden-size", "--num-layers", "--lr", "--epochs", "--batch-size", "--device",
                 "--seed", "--output"):
        assert flag in result.stdout
    assert result.returncode == 0


def test_a_diverging_run_exits_1_with_advice():
    result = run("train", "--task", "order", "--lr", "50", "--epochs", "5", "--hidden-size", "8", "--quiet")
    assert result.returncode == 1 and "Try a smaller learning rate" in result.stderr
