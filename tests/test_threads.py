"""use_threads(): the one place the course chooses PyTorch's CPU thread count (lesson 00)."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from lstm_lessons import use_threads
from lstm_lessons.__main__ import main
from lstm_lessons.threads import THREADS_VARIABLE

ROOT = Path(__file__).resolve().parent.parent
TWO = min(2, os.cpu_count() or 1)
needs_two_cpus = pytest.mark.skipif(TWO < 2, reason="needs a machine with at least 2 CPUs")


@pytest.fixture(autouse=True)
def restore_threads(monkeypatch):
    monkeypatch.delenv(THREADS_VARIABLE, raising=False)
    before = torch.get_num_threads()
    yield
    torch.set_num_threads(before)


def test_the_test_session_computes_on_one_thread():
    assert torch.get_num_threads() == 1  # set by tests/conftest.py


@needs_two_cpus
def test_sets_and_returns_the_count():
    assert use_threads(2) == 2
    assert torch.get_num_threads() == 2
    assert use_threads(1) == 1
    assert torch.get_num_threads() == 1


@needs_two_cpus
def test_default_is_one_thread():
    torch.set_num_threads(2)
    assert use_threads() == 1
    assert torch.get_num_threads() == 1


@needs_two_cpus
def test_the_environment_variable_chooses_the_default(monkeypatch):
    monkeypatch.setenv(THREADS_VARIABLE, "2")
    assert use_threads() == 2
    assert torch.get_num_threads() == 2
    assert use_threads(1) == 1  # an explicit count wins


@pytest.mark.parametrize("n, words", [
    (0, "must be positive, got 0"),
    (-1, "must be positive"),
    (1.5, "must be an integer"),
    (True, "must be an integer"),
    ("2", "must be an integer"),
    ((os.cpu_count() or 1) + 1, f"this machine has {os.cpu_count() or 1} CPUs"),
])
def test_a_bad_count_is_refused_and_changes_nothing(n, words):
    before = torch.get_num_threads()
    with pytest.raises(ValueError, match=words):
        use_threads(n)
    assert torch.get_num_threads() == before


def test_the_environment_variable_is_capped_at_the_cpu_count(monkeypatch):
    cpus = os.cpu_count() or 1
    monkeypatch.setenv(THREADS_VARIABLE, str(cpus + 3))
    assert use_threads() == cpus
    assert torch.get_num_threads() == cpus


def test_pytorchs_default_count_is_kept_for_lesson_00():
    """In a fresh process (this one set 1 thread first), the constant is PyTorch's own default."""
    code = ("import torch; default = torch.get_num_threads(); import lstm_lessons; lstm_lessons.use_threads(); "
            "from lstm_lessons.threads import TORCH_DEFAULT_THREADS as kept; "
            "print(default, kept, torch.get_num_threads())")
    env = {k: v for k, v in os.environ.items() if k not in (THREADS_VARIABLE, "OMP_NUM_THREADS")}
    default, kept, now = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                                        cwd=ROOT, env=env).stdout.split()
    assert kept == default and now == "1"


@pytest.mark.parametrize("text", ["many", "0", "2.5"])
def test_a_bad_environment_variable_is_refused_by_name(monkeypatch, text):
    monkeypatch.setenv(THREADS_VARIABLE, text)
    with pytest.raises(ValueError, match=r"LSTM_LESSONS_THREADS|must be positive"):
        use_threads()


@needs_two_cpus
def test_the_command_line_trains_on_one_thread(capsys):
    seen = []
    torch.set_num_threads(2)
    original = torch.nn.LSTM.forward

    def spy(self, *args, **kwargs):
        seen.append(torch.get_num_threads())
        return original(self, *args, **kwargs)

    torch.nn.LSTM.forward = spy
    try:
        assert main(["train", "--task", "random", "--epochs", "1", "--quiet"]) == 0
    finally:
        torch.nn.LSTM.forward = original
    assert seen and set(seen) == {1}


@pytest.mark.parametrize("path", sorted((ROOT / "lessons").glob("[0-9][0-9]_*.py")), ids=lambda p: p.stem)
def test_every_lesson_chooses_its_threads_in_its_first_code_cell(path):
    cells = re.split(r"^# %%.*$", path.read_text(), flags=re.M)
    first_code = next(c for c, header in zip(cells[1:], re.findall(r"^# %%.*$", path.read_text(), flags=re.M),
                                              strict=True) if "[markdown]" not in header)
    assert re.search(r"^threads = lstm_lessons\.use_threads\(\)", first_code, flags=re.M), path.name


def test_an_empty_variable_counts_as_unset(monkeypatch):
    monkeypatch.setenv(THREADS_VARIABLE, "")
    assert use_threads() == 1
