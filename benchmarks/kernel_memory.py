"""What one student's kernel costs a server: each lesson's peak memory and CPU seconds, measured.

    python benchmarks/kernel_memory.py [--lessons 00 05] [--interval 0.05]

Each saved lesson in ``notebooks/`` runs top to bottom in a fresh kernel, as "Restart kernel and run
all cells" does. While it runs, the resident memory (RSS) of the kernel and of every process it
starts (lesson 10's torchrun and its workers) is summed every ``--interval`` seconds; the peak of
that sum is the figure to size a server with (sampled: a spike shorter than the interval can be
missed, so the kernel's own peak, which Linux records exactly as VmHWM, is printed beside it). The
CPU seconds are user + system time of the kernel and everything it waited for, from the operating
system's accounts once the kernel has exited: they include starting the kernel and importing torch.

docs/jupyterhub.md turns these figures into students per core and per GB.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import threading
import time
from pathlib import Path

import nbformat
import psutil  # installed with IPython, which uses it itself
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
MIB = 2**20


class TreeSampler(threading.Thread):
    """Samples the summed RSS of every process below this one (the kernel and its children) until stopped."""

    def __init__(self, interval: float):
        super().__init__(daemon=True)
        self.interval, self.peak, self.kernel_hwm = interval, 0, 0
        self._done = threading.Event()

    def run(self) -> None:
        me = psutil.Process()
        while not self._done.is_set():
            total = 0
            for process in me.children(recursive=True):
                try:
                    total += process.memory_info().rss
                    if process.ppid() == me.pid:  # the kernel itself: its exact peak, where Linux keeps one
                        self.kernel_hwm = max(self.kernel_hwm, _high_water_mark(process.pid))
                except psutil.Error:  # a process that ended between listing and reading
                    pass
            self.peak = max(self.peak, total)
            self._done.wait(self.interval)

    def stop(self) -> None:
        self._done.set()
        self.join()


def _high_water_mark(pid: int) -> int:
    """A process's peak RSS in bytes (Linux's VmHWM), or 0 where /proc does not say."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(path: Path, interval: float) -> dict:
    """Run one notebook in a fresh kernel: wall seconds, CPU seconds, peak tree RSS, the kernel's own peak."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}})
    sampler = TreeSampler(interval)
    cpu_before, start = _children_cpu_seconds(), time.perf_counter()
    sampler.start()
    try:
        client.execute()  # starts the kernel, runs every cell, shuts the kernel down and waits for it
    finally:
        sampler.stop()
    return {"lesson": path.stem, "wall_s": time.perf_counter() - start,
            "cpu_s": _children_cpu_seconds() - cpu_before, "peak_mib": sampler.peak / MIB,
            "kernel_hwm_mib": sampler.kernel_hwm / MIB}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lessons", nargs="*", default=[], help="lesson numbers (default: every lesson)")
    parser.add_argument("--interval", type=float, default=0.05, help="seconds between memory samples")
    args = parser.parse_args(argv)
    if not 0 < args.interval <= 5:
        parser.error(f"--interval: expected seconds between 0 and 5, got {args.interval}")
    paths = sorted(p for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")
                   if not args.lessons or p.name[:2] in args.lessons)
    if not paths:
        parser.error(f"no lesson in notebooks/ matches {args.lessons}")
    print(f"{os.cpu_count()} CPUs, {psutil.virtual_memory().total / 2**30:.1f} GiB; python {sys.version.split()[0]}")
    print(f"{'lesson':32s} {'wall s':>7s} {'CPU s':>7s} {'peak MiB':>9s} {'kernel MiB':>11s}", flush=True)
    for path in paths:
        r = measure(path, args.interval)
        print(f"{r['lesson']:32s} {r['wall_s']:7.1f} {r['cpu_s']:7.1f} {r['peak_mib']:9.0f} "
              f"{r['kernel_hwm_mib']:11.0f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
