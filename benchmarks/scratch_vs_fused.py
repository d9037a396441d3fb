"""Forward + backward time of the readable ScratchLSTM against nn.LSTM, measured in one run.

    python benchmarks/scratch_vs_fused.py [--repeat N]

Configuration (issue 3): batch 64, seq_len 50, input 10, hidden 64, 2 layers, float32, CPU.
After two warm-up passes each, the two models take turns, one pass each, N times; the figure is the
median of the N ratios (so other work on the machine slows both alike), on one thread and on torch's
default number of threads. Target: ScratchLSTM <= 2x nn.LSTM on one thread.
"""

from __future__ import annotations

import argparse

import torch
from torch import nn

from lstm_lessons import ScratchLSTM
from lstm_lessons.timing import lstm_pass, time_in_turns


def interleaved(fused: nn.Module, scratch: nn.Module, x: torch.Tensor, repeat: int) -> tuple[float, float, float]:
    """Median seconds per pass of each model, and the median of their per-turn ratios."""
    timed = time_in_turns({"fused": lstm_pass(fused, x), "scratch": lstm_pass(scratch, x)}, repeat=repeat)
    return timed["fused"][0], timed["scratch"][0], timed["scratch"][1]


def at_least_one(text: str) -> int:
    """argparse type: an int >= 1 (a median needs at least one pass)."""
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected at least 1 timed pass, got {value}")
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=at_least_one, default=20, help="timed passes per figure; the median is shown")
    args = parser.parse_args()

    torch.manual_seed(0)
    x = torch.randn(64, 50, 10)
    fused = nn.LSTM(10, 64, num_layers=2, batch_first=True)
    scratch = ScratchLSTM(10, 64, num_layers=2, batch_first=True)
    scratch.load_state_dict(fused.state_dict())
    default_threads = torch.get_num_threads()

    print(f"{'threads':>8s} {'nn.LSTM ms':>11s} {'ScratchLSTM ms':>15s} {'ratio':>6s}  (median of {args.repeat} turns)")
    for threads in sorted({1, default_threads}):
        torch.set_num_threads(threads)
        t_fused, t_scratch, ratio = interleaved(fused, scratch, x, args.repeat)
        verdict = ""
        if threads == 1:
            verdict = "  ok (target <= 2x)" if ratio <= 2 else "  OVER the 2x target"
        print(f"{threads:8d} {1e3 * t_fused:11.1f} {1e3 * t_scratch:15.1f} {ratio:6.2f}{verdict}")
    torch.set_num_threads(default_threads)


if __name__ == "__main__":
    main()
