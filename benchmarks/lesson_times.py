"""How long each lesson takes to run, against the seed's 40-line program, measured in one run.

    python benchmarks/lesson_times.py [--repeat N]

Every figure is the median wall time of N runs on this machine, in a fresh process (the seed's
program) or a fresh kernel (a lesson: what "Restart kernel and run all cells" costs a student),
so both include starting Python and importing torch. Ratios are against the seed's program in the
same run; the target is every lesson under 10 s. Also measured: what ``import lstm_lessons``
costs beyond ``import torch`` (target < 0.3 s).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
SEED_PROGRAM = ROOT / "lstm_lessons" / "resources" / "seed_program.py"
IMPORT_COST = (
    "import time; t0 = time.perf_counter(); import torch; t1 = time.perf_counter(); "
    "import lstm_lessons; t2 = time.perf_counter(); print(t1 - t0, t2 - t1)"
)


def median_seconds(run, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run_seed_program() -> None:
    subprocess.run([sys.executable, str(SEED_PROGRAM)], check=True, capture_output=True)


def run_lesson(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()


def import_cost(repeat: int) -> tuple[float, float]:
    runs = [subprocess.run([sys.executable, "-c", IMPORT_COST], check=True, capture_output=True,
                           text=True).stdout.split() for _ in range(repeat)]
    return statistics.median(float(r[0]) for r in runs), statistics.median(float(r[1]) for r in runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure; the median is shown")
    args = parser.parse_args()

    seed = median_seconds(run_seed_program, args.repeat)
    print(f"{'what':50s} {'seconds':>8s} {'x seed':>7s}")
    print(f"{'seed program (fresh process)':50s} {seed:8.2f} {1:7.2f}")
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        seconds = median_seconds(lambda p=path: run_lesson(p), args.repeat)
        verdict = "ok" if seconds < 10 else "OVER the 10 s target"
        print(f"{'lesson ' + path.stem + ' (fresh kernel)':50s} {seconds:8.2f} {seconds / seed:7.2f}  {verdict}")
    torch_s, package_s = import_cost(args.repeat)
    print(f"{'import torch':50s} {torch_s:8.2f}")
    verdict = "ok" if package_s < 0.3 else "OVER the 0.3 s target"
    print(f"{'import lstm_lessons after torch':50s} {package_s:8.3f} {'':7s}  {verdict} "
          f"({package_s / torch_s:.1%} of import torch)")


if __name__ == "__main__":
    main()
