"""Forward + backward time of the readable ScratchLSTM against nn.LSTM, measured in one run.

    python benchmarks/scratch_vs_fused.py [--repeat N]

Configuration (issue 3): batch 64, seq_len 50, input 10, hidden 64, 2 layers, float32, CPU.
Each figure is the median of N timed passes after two warm-up passes, on one thread and with
torch's default number of threads. Target: ScratchLSTM <= 2x nn.LSTM on one thread.
"""

from __future__ import annotations

import argparse

import torch
from torch import nn

from lstm_lessons import ScratchLSTM
from lstm_lessons.timing import seconds_per_pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="timed passes per figure; the median is shown")
    args = parser.parse_args()

    torch.manual_seed(0)
    x = torch.randn(64, 50, 10)
    fused = nn.LSTM(10, 64, num_layers=2, batch_first=True)
    scratch = ScratchLSTM(10, 64, num_layers=2, batch_first=True)
    scratch.load_state_dict(fused.state_dict())
    default_threads = torch.get_num_threads()

    print(f"{'threads':>8s} {'nn.LSTM ms':>11s} {'ScratchLSTM ms':>15s} {'ratio':>6s}")
    for threads in sorted({1, default_threads}):
        torch.set_num_threads(threads)
        t_fused = seconds_per_pass(fused, x, args.repeat)
        t_scratch = seconds_per_pass(scratch, x, args.repeat)
        verdict = ""
        if threads == 1:
            verdict = "  ok (target <= 2x)" if t_scratch <= 2 * t_fused else "  OVER the 2x target"
        print(f"{threads:8d} {1e3 * t_fused:11.1f} {1e3 * t_scratch:15.1f} {t_scratch / t_fused:6.2f}{verdict}")
    torch.set_num_threads(default_threads)


if __name__ == "__main__":
    main()
