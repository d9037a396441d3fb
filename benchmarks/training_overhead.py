"""What train() costs over the seed's bare loop, and how fast the learnable tasks are learned.

    python benchmarks/training_overhead.py [--repeat N]

1. The seed's configuration (64 x 5 x 10, hidden 32, 2 layers, 100 full-batch epochs): the seed's
   bare loop (``run_seed_program(print_every=0)``) against ``train(..., progress=False)`` on the
   same data and weights; the median of N runs each, interleaved. Target: ratio <= 1.10.
2. Seconds until the validation accuracy first reaches the target, for the order task (95%) and
   the digits (90%), with the settings lesson 05 uses.
"""

from __future__ import annotations

import argparse
import statistics
import time

import torch

from lstm_lessons import LSTMClassifier, SeedLSTM, load_task, run_seed_program, train


def seed_loop() -> None:
    run_seed_program(num_epochs=100, seed=0, print_every=0)


def train_loop() -> None:
    torch.manual_seed(0)  # the same data and weights as the seed's program
    x, y = torch.randn(64, 5, 10), torch.randint(0, 2, (64,))
    model = SeedLSTM(10, 32, 2, 2)
    train(model, (x, y), epochs=100, lr=1e-3, progress=False)


def seconds_to_target(task_name: str, target: float, hidden: int, epochs: int) -> tuple[float | None, float]:
    task = load_task(task_name, seed=0)
    torch.manual_seed(0)
    model = LSTMClassifier(task.input_size, hidden, 1, task.num_classes)
    start, reached = time.perf_counter(), []

    def watch(record):
        if record["val_accuracy"] >= target and not reached:
            reached.append(time.perf_counter() - start)

    history = train(model, task.train, val_set=task.val, epochs=epochs, lr=1e-2, batch_size=64, seed=0,
                    progress=False, callbacks=[watch])
    return (reached[0] if reached else None), history.val_accuracy[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="runs per figure; the median is shown")
    args = parser.parse_args()

    seed_loop(), train_loop()  # warm up
    times = {"seed": [], "train": []}
    for _ in range(args.repeat):
        for name, run in (("seed", seed_loop), ("train", train_loop)):
            start = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - start)
    seed_s, train_s = statistics.median(times["seed"]), statistics.median(times["train"])
    verdict = "ok" if train_s <= 1.10 * seed_s else "OVER the 1.10 target"
    print(f"seed's bare loop, 100 epochs      {seed_s:6.3f} s")
    print(f"train(), same data and weights     {train_s:6.3f} s   ratio {train_s / seed_s:.3f}  {verdict}")
    for name, target, hidden, epochs in (("order", 0.95, 32, 15), ("digits", 0.90, 64, 15)):
        seconds, final = seconds_to_target(name, target, hidden, epochs)
        when = f"{seconds:5.2f} s" if seconds is not None else "not reached"
        print(f"{name:7s} task: {target:.0%} validation accuracy after {when} (hidden {hidden}, batch 64, lr 0.01;"
              f" {final:.1%} after {epochs} epochs)")


if __name__ == "__main__":
    main()
