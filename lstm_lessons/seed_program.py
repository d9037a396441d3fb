"""The tutorial's whole program: its source text, and a run of it through ``SeedLSTM``.

Taught in lesson 00; the benchmarks use it as the baseline every lesson's time is compared with.
"""

from __future__ import annotations

from importlib import resources

import torch
from torch import nn

from .models import SeedLSTM
from .validation import require_int

__all__ = ["seed_program_path", "seed_program_source", "run_seed_program"]


def seed_program_path():
    """Path of the tutorial's program as published (``lstm_lessons/resources/seed_program.py``)."""
    return resources.files("lstm_lessons") / "resources" / "seed_program.py"


def seed_program_source() -> str:
    """The tutorial's program as published, comments translated in parentheses."""
    return seed_program_path().read_text(encoding="utf-8")


def run_seed_program(num_epochs: int = 100, seed: int = 0, print_every: int = 1) -> list[float]:
    """Run the tutorial's program through ``SeedLSTM`` and return the loss of every epoch.

    Same steps in the same order as the published program -- including the wasted ``pred =
    lstm(x)`` before the loop and ``pred.squeeze()`` -- after ``torch.manual_seed(seed)``, so the
    losses equal those of the published file run after the same ``manual_seed``. Prints the
    tutorial's line ``Epoch [e/N], Loss: ...`` every ``print_every`` epochs (0: never).
    """
    num_epochs = require_int("num_epochs", num_epochs)
    print_every = require_int("print_every", print_every, minimum=0)
    torch.manual_seed(require_int("seed", seed, minimum=0))
    x = torch.randn(64, 5, 10)  # [batch_size, sequence_length, input_size]
    y = torch.randint(0, 2, (64,))  # one class index per sequence
    lstm = SeedLSTM(input_size=10, hidden_size=32, num_layers=2, output_size=2)
    pred = lstm(x)  # noqa: F841 -- the tutorial computes this and never uses it (error S7)
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(lstm.parameters(), lr=1e-3)
    losses = []
    for epoch in range(num_epochs):
        pred = lstm(x)
        loss = criterion(pred.squeeze(), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        if print_every and (epoch + 1) % print_every == 0:
            print(f"Epoch [{epoch + 1}/{num_epochs}], Loss: {loss.item():.4f}")
    return losses
