"""What the playground's live plot costs: the same training run with and without it.

    python benchmarks/playground_overhead.py [--repeat N]

The run: the order task, hidden 32, 20 epochs, batch 64, on the CPU. "With" is what pressing Train
does (the panel redraws its figure live, throttled to ``Playground.redraw_share`` of the time, and
once at the end); "without" calls the same ``run_training`` with no drawing. Median of N each, interleaved.
Target: ratio <= 1.3.
"""

from __future__ import annotations

import argparse
import statistics
import time

from lstm_lessons.playground import Playground, PlaygroundSettings, run_training


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per figure; the median is shown")
    args = parser.parse_args()
    settings = PlaygroundSettings(task="order", hidden_size=32, epochs=20, batch_size=64)
    playground = Playground(**vars(settings))
    run_training(settings)  # warm up
    times = {"without": [], "with": []}
    for _ in range(args.repeat):
        start = time.perf_counter()
        run_training(settings)
        times["without"].append(time.perf_counter() - start)
        start = time.perf_counter()
        playground.train()
        times["with"].append(time.perf_counter() - start)
        playground.clear()
    without, with_plot = statistics.median(times["without"]), statistics.median(times["with"])
    verdict = "ok" if with_plot <= 1.3 * without else "OVER the 1.3 target"
    print(f"training without the live plot  {without:6.2f} s")
    print(f"training with the live plot     {with_plot:6.2f} s   ratio {with_plot / without:.2f}  {verdict}")


if __name__ == "__main__":
    main()
