"""Each lesson's run time idle and under two CPU-bound background processes, as a ratio.

    python benchmarks/lessons_under_load.py [--lessons 03 05] [--repeat N] [--threads N]

For each lesson, N times in turn: run it in a fresh kernel with the machine as it is ("idle"), then
start two ``python -c "while True: pass"`` processes, run it again ("loaded") and stop them. The
figure is the median of each, and the ratio loaded / idle; target: every lesson <= 1.5x. Idle and
loaded runs alternate, so other work on the machine slows both alike.

``--threads N`` runs the kernels with ``LSTM_LESSONS_THREADS=N``, the count ``use_threads()`` in each
lesson's first cell then sets (default: unset, so 1); ``--threads $(nproc)`` is torch's own default,
for comparison. The background processes are stopped on any exit, Ctrl-C and SIGTERM included.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from lstm_lessons.threads import THREADS_VARIABLE

ROOT = Path(__file__).resolve().parent.parent
BURNER = "while True: pass"


@contextlib.contextmanager
def cpu_load(processes: int = 2):
    """Keep ``processes`` CPU-bound Python processes running inside the ``with`` block; stop them on
    leaving it, however it is left (SIGTERM is turned into an exception that leaves it too)."""
    burners = []

    def on_sigterm(signum, frame):
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, on_sigterm)
    try:
        for _ in range(processes):
            burners.append(subprocess.Popen([sys.executable, "-c", BURNER]))
        yield burners
    finally:
        for burner in burners:
            burner.kill()
        for burner in burners:
            burner.wait()
        signal.signal(signal.SIGTERM, previous)


def run_lesson(path: Path) -> float:
    """Seconds to execute the notebook at ``path`` in a fresh kernel."""
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(nb, timeout=900, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lessons", nargs="*", default=None, help="lesson numbers, e.g. 03 05 (default: all)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure; the median is shown")
    parser.add_argument("--threads", type=int, default=None, help="the lessons' thread count (default: theirs, 1)")
    args = parser.parse_args()
    if args.threads is not None:  # kernels inherit this environment; each lesson's use_threads() reads it
        os.environ[THREADS_VARIABLE] = str(args.threads)
    paths = sorted((ROOT / "notebooks").glob("*.ipynb"))
    if args.lessons:
        paths = [p for p in paths if p.name[:2] in args.lessons]
    threads = args.threads or "the lessons' own, 1"
    print(f"{'lesson':32s} {'idle s':>7s} {'loaded s':>9s} {'ratio':>6s}   (threads: {threads})")
    for path in paths:
        idle, loaded = [], []
        for _ in range(args.repeat):
            idle.append(run_lesson(path))
            with cpu_load(2):
                loaded.append(run_lesson(path))
        idle_s, loaded_s = statistics.median(idle), statistics.median(loaded)
        verdict = "ok" if loaded_s <= 1.5 * idle_s else "OVER the 1.5x target"
        print(f"{path.stem:32s} {idle_s:7.2f} {loaded_s:9.2f} {loaded_s / idle_s:6.2f}  {verdict}", flush=True)


if __name__ == "__main__":
    main()
