"""Tasks to train on, each with reproducible train and validation splits from a seed (lesson 05).

* ``random``: the tutorial's random labels -- nothing to learn, so validation accuracy stays at chance.
* ``order``: which of two marked steps comes first -- needs memory across time; a model that
  ignores order cannot beat chance.
* ``digits``: real handwritten digits (UCI, CC BY 4.0; see ``resources/DATA.md``), each 8x8 image
  read as a sequence of 8 rows of 8 pixels.
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

__all__ = ["Task", "TASKS", "load_task", "random_labels_task", "order_task", "digits_task"]


@dataclass(frozen=True)
class Task:
    """A classification task: ``x`` tensors are [n, seq_len, input_size] floats, ``y`` [n] int64."""

    name: str
    description: str
    train: tuple[torch.Tensor, torch.Tensor]
    val: tuple[torch.Tensor, torch.Tensor]
    num_classes: int

    @property
    def input_size(self) -> int:
        return self.train[0].shape[2]

    @property
    def seq_len(self) -> int:
        return self.train[0].shape[1]

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


TASKS = {"order": order_task, "digits": digits_task, "random": random_labels_task}


def load_task(name: str, seed: int = 0) -> Task:
    """One of :data:`TASKS` by name, split reproducibly by ``seed``."""
    if name not in TASKS:
        raise ValueError(_("unknown task {name!r}: choose one of {TASKS}").format(name=name, TASKS=sorted(TASKS)))
    return TASKS[name](seed=seed)
