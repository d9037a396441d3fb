"""Tasks to train on, each with reproducible train and validation splits from a seed (lesson 05).

* ``random``: the tutorial's random labels -- nothing to learn, so validation accuracy stays at chance.
* ``order``: which of two marked steps comes first -- needs memory across time; a model that
  ignores order cannot beat chance.
* ``digits``: real handwritten digits (UCI, CC BY 4.0; see ``resources/DATA.md``), each 8x8 image
  read as a sequence of 8 rows of 8 pixels.
* ``vowels``: real speech (UCI, CC BY 4.0), who said the vowels /ae/: sequences of 7 to 29 frames,
  kept at their own lengths (lesson 07).
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from importlib import resources

import numpy
import torch

from .data import make_seed_data
from .i18n import _
from .validation import require_int

__all__ = ["Task", "TASKS", "load_task", "random_labels_task", "order_task", "digits_task", "vowels_task"]


@dataclass(frozen=True)
class Task:
    """A classification task: ``x`` tensors are [n, seq_len, input_size] floats, ``y`` [n] int64.

    For sequences of different lengths (``vowels``), ``x`` is a list of n tensors, each [length, input_size].
    """

    name: str
    description: str
    train: tuple[torch.Tensor, torch.Tensor]
    val: tuple[torch.Tensor, torch.Tensor]
    num_classes: int

    @property
    def input_size(self) -> int:
        return self.train[0][0].shape[-1]  # the first sequence: [seq_len, input_size]

    @property
    def seq_len(self) -> int:
        """Steps per sequence; for sequences of different lengths, the longest of the training set."""
        x = self.train[0]
        return x.shape[1] if isinstance(x, torch.Tensor) else max(len(s) for s in x)

    @property
    def chance_accuracy(self) -> float:
        """The validation accuracy of always guessing the most common class."""
        counts = torch.bincount(self.val[1], minlength=self.num_classes)
        return counts.max().item() / counts.sum().item()


def random_labels_task(seed: int = 0, n_val: int = 1000) -> Task:
    """The tutorial's 64 random sequences with random labels to train on; ``n_val`` fresh ones to validate."""
    train = make_seed_data(seed=seed)
    val = make_seed_data(batch_size=require_int("n_val", n_val), seed=seed + 1)
    return Task("random", _("the tutorial's random labels: nothing to learn"), train, val, num_classes=2)


def _order_split(n: int, seq_len: int, generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """``n`` sequences of one-hot symbols (0 blank, 1 A, 2 B), exactly one A and one B each; label 1 if A is first."""
    symbols = torch.zeros(n, seq_len, dtype=torch.int64)
    positions = torch.stack([torch.randperm(seq_len, generator=generator)[:2] for _ in range(n)])  # [n, 2]
    rows = torch.arange(n)
    symbols[rows, positions[:, 0]] = 1  # A
    symbols[rows, positions[:, 1]] = 2  # B
    x = torch.nn.functional.one_hot(symbols, 3).float()  # [n, seq_len, 3]
    y = (positions[:, 0] < positions[:, 1]).long()  # 1 if A comes before B
    return x, y


def order_task(seed: int = 0, n_train: int = 2000, n_val: int = 500, seq_len: int = 20) -> Task:
    """Which comes first, A or B? Every sequence holds the same symbols, so only their order tells."""
    generator = torch.Generator().manual_seed(require_int("seed", seed, minimum=0))
    seq_len = require_int("seq_len", seq_len, minimum=2)
    train = _order_split(require_int("n_train", n_train), seq_len, generator)
    val = _order_split(require_int("n_val", n_val), seq_len, generator)
    return Task("order", _("does A come before B? ({seq_len} steps; needs memory)").format(
        seq_len=seq_len), train, val, num_classes=2)


def _read_digits() -> tuple[torch.Tensor, torch.Tensor]:
    path = resources.files("lstm_lessons") / "resources" / "digits.csv.gz"
    with path.open("rb") as raw, gzip.open(raw, "rt") as lines:  # both closed (no ResourceWarning)
        rows = torch.from_numpy(numpy.loadtxt(lines, delimiter=",", dtype=numpy.int64))  # [1797, 65]
    return rows[:, :64].float().view(-1, 8, 8) / 16.0, rows[:, 64]  # [1797, 8 rows, 8 pixels] in [0, 1]


def digits_task(seed: int = 0, val_fraction: float = 0.2) -> Task:
    """1797 handwritten digits, each 8 rows (steps) of 8 pixels (features); a random split by ``seed``."""
    x, y = _read_digits()
    order = torch.randperm(len(y), generator=torch.Generator().manual_seed(require_int("seed", seed, minimum=0)))
    n_val = int(len(y) * val_fraction)
    val, train = order[:n_val], order[n_val:]
    return Task("digits", _("handwritten digits, read row by row (UCI, CC BY 4.0)"),
                (x[train], y[train]), (x[val], y[val]), num_classes=10)


VOWELS_TRAIN = 270  # the published split: utterances 0-269 train, 270-639 test


def _read_vowels() -> tuple[list[torch.Tensor], torch.Tensor]:
    path = resources.files("lstm_lessons") / "resources" / "japanese_vowels.csv.gz"
    with path.open("rb") as raw, gzip.open(raw, "rt") as lines:
        rows = numpy.loadtxt(lines, delimiter=",", dtype=numpy.float64)  # [9961 frames, 2 + 12]
    utterance = torch.from_numpy(rows[:, 0]).long()
    frames = torch.from_numpy(rows[:, 2:]).float()  # [9961, 12]
    counts = torch.bincount(utterance).tolist()  # frames per utterance, in order
    speakers = torch.from_numpy(rows[:, 1]).long()[torch.cumsum(torch.bincount(utterance), 0) - 1]
    return list(torch.split(frames, counts)), speakers - 1  # speakers 1..9 -> classes 0..8


def vowels_task(seed: int = 0) -> Task:
    """Japanese Vowels: who of nine speakers said /ae/, from 12 LPC cepstrum coefficients per frame.

    The published split: ``train`` is ``(sequences, y)`` with a list of 270 float32 tensors, each
    [length, 12] with length 7..26, and ``y`` [270] int64 speakers 0..8 (30 each); ``val`` is the
    published test set, 370 sequences of 7..29 frames. Nothing is padded: ``train()`` pads each
    batch and passes the lengths. Each coefficient is standardised with the training frames' mean
    and standard deviation (the test set's are not looked at). ``seed`` is accepted like the other
    tasks' and changes nothing.
    """
    require_int("seed", seed, minimum=0)
    sequences, y = _read_vowels()
    frames = torch.cat(sequences[:VOWELS_TRAIN])  # [4274, 12]: every training frame
    mean, std = frames.mean(dim=0), frames.std(dim=0)
    sequences = [(s - mean) / std for s in sequences]
    return Task("vowels", "who said /ae/? 9 speakers, 7-29 frames each (UCI, CC BY 4.0)",
                (sequences[:VOWELS_TRAIN], y[:VOWELS_TRAIN]), (sequences[VOWELS_TRAIN:], y[VOWELS_TRAIN:]),
                num_classes=9)


TASKS = {"order": order_task, "digits": digits_task, "random": random_labels_task, "vowels": vowels_task}


def load_task(name: str, seed: int = 0) -> Task:
    """One of :data:`TASKS` by name, split reproducibly by ``seed``."""
    if name not in TASKS:
        raise ValueError(_("unknown task {name!r}: choose one of {TASKS}").format(name=name, TASKS=sorted(TASKS)))
    return TASKS[name](seed=seed)
