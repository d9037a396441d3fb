"""What lesson 10 runs from its cells: processes started from a notebook, in any kernel.

* :func:`half_batch_gradient` is the lesson's first example, one process's part of an all-reduce;
  :func:`run_processes` starts it ``world_size`` times with ``torch.multiprocessing`` and collects what
  each returned. It works from any kernel: on Linux the processes are forked from the kernel (no second
  import of PyTorch, a second faster), elsewhere spawned (macOS and Windows cannot fork a kernel safely).
* :func:`launch` runs ``python -m lstm_lessons train`` -- or the same under torchrun -- as a
  subprocess, and keeps its output to show, so no log line of torchrun's lands in the notebook unasked.
* :func:`run_here` runs the same command inside this kernel, where PyTorch is already imported.
* :func:`global_batches` lists which samples each global batch holds, for a number of processes.
* :func:`two_halves_drift` trains one model on whole batches and a copy on the average of two half-batch
  gradients, as DDP on 2 processes does, and measures how far apart their weights drift.
"""

from __future__ import annotations

import contextlib
import copy
import io
import os
import re
import socket
import subprocess
import sys
import time
from dataclasses import dataclass

import torch
import torch.distributed as dist
from torch import nn
from torch.utils.data import DataLoader

from .distributed import World, shard_sampler
from .i18n import _, language

__all__ = ["half_batch_gradient", "run_processes", "free_port", "port_in_use", "Launched", "launch", "run_here",
           "global_batches", "two_halves_drift"]


def half_batch_gradient(rank: int, world_size: int, port: int, results) -> None:
    """One process: the gradient of its share of a batch, then the average over all processes."""
    dist.init_process_group("gloo", init_method=f"tcp://127.0.0.1:{port}", rank=rank, world_size=world_size)
    torch.manual_seed(0)  # the same weights and the same batch in every process
    model, x, y = nn.Linear(3, 1), torch.randn(8, 3), torch.randn(8, 1)
    share = slice(rank, None, world_size)  # every world_size-th sample from its rank on, as DistributedSampler
    nn.functional.mse_loss(model(x[share]), y[share]).backward()
    own = model.weight.grad.clone()  # [1, 3]
    dist.all_reduce(model.weight.grad)  # the sum over all processes, written into each one's tensor
    model.weight.grad /= world_size  # the average: what DDP hands every process's optimizer
    results.put((rank, own.tolist(), model.weight.grad.tolist()))
    dist.destroy_process_group()


def _quietly(rank: int, worker, world_size: int, port: int, results) -> None:
    """Run ``worker`` with this process's own output off: a kernel would show it unasked, out of order.
    (An exception still reaches the notebook: ``torch.multiprocessing`` sends it back.)"""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    worker(rank, world_size, port, results)


def free_port() -> int:
    """A TCP port free on this machine now (the operating system picks it)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def port_in_use(port: int):
    """Keep TCP ``port`` on 127.0.0.1 busy for the ``with`` block, as another program would (if one
    already has it, so much the better)."""
    with socket.socket() as blocker:
        with contextlib.suppress(OSError):
            blocker.bind(("127.0.0.1", port))
            blocker.listen()
        yield port


def run_processes(worker, world_size: int = 2) -> list:
    """Start ``worker(rank, world_size, port, results)`` in ``world_size`` new processes and wait for them;
    what they put in ``results``, sorted (by rank when each puts a tuple starting with its rank)."""
    method = "fork" if sys.platform.startswith("linux") else "spawn"
    results = torch.multiprocessing.get_context(method).SimpleQueue()
    torch.multiprocessing.start_processes(_quietly, args=(worker, world_size, free_port(), results),
                                          nprocs=world_size, start_method=method)
    found = []
    while not results.empty():
        found.append(results.get())
    return sorted(found)


def global_batches(n: int, batch_size: int, world_size: int, seed: int = 0, epoch: int = 1) -> list[list[int]]:
    """The sample numbers of each global batch of one epoch, when ``world_size`` processes share it as
    :func:`~lstm_lessons.distributed.train_sharded` does: step k joins every process's k-th local batch."""
    local = batch_size // world_size
    per_rank = []
    for rank in range(world_size):
        sampler = shard_sampler(range(n), World(rank=rank, world_size=world_size), seed)
        sampler.set_epoch(epoch)
        per_rank.append(list(DataLoader(range(n), batch_size=local, sampler=sampler, drop_last=True)))
    return [sorted(sum((rank[k].tolist() for rank in per_rank), [])) for k in range(len(per_rank[0]))]


def two_halves_drift(task, hidden_size: int, epochs: int, batch_size: int, seed: int = 0,
                     lr: float = 1e-2) -> list[float]:
    """Train an ``LSTMClassifier`` on ``task`` twice, from the same weights, on the same global batches:
    once on each whole batch, once on the average of its two halves' gradients (what DDP hands each of 2
    processes). The largest difference between the two models' weights after each epoch."""
    from .models import LSTMClassifier

    x, y = task.train  # tensors: [n, seq_len, input_size], [n]
    torch.manual_seed(seed)
    one = LSTMClassifier(task.input_size, hidden_size, 1, task.num_classes)
    two = copy.deepcopy(one)
    optimizers = [torch.optim.Adam(model.parameters(), lr=lr) for model in (one, two)]
    drift = []
    for epoch in range(1, epochs + 1):
        for batch in global_batches(len(y), batch_size, 2, seed=seed, epoch=epoch):
            batch = torch.tensor(batch)
            optimizers[0].zero_grad()
            nn.functional.cross_entropy(one(x[batch]), y[batch]).backward()
            halves = []
            for half in (batch[0::2], batch[1::2]):  # each process's share
                two.zero_grad()
                nn.functional.cross_entropy(two(x[half]), y[half]).backward()
                halves.append([p.grad.clone() for p in two.parameters()])
            for p, first, second in zip(two.parameters(), *halves, strict=True):
                p.grad = (first + second) / 2  # the all-reduce's sum, divided by 2
            for optimizer in optimizers:
                optimizer.step()
        pairs = zip(one.parameters(), two.parameters(), strict=True)
        drift.append(max((a - b).abs().max().item() for a, b in pairs))
    return drift


def _seconds_pattern() -> re.Pattern:
    """The summary's seconds (``12.3 s on cpu``), in the language the notebook shows messages in."""
    before, after = _("{seconds:.1f} s on {device}").split("{device}")[0].split("{seconds:.1f}")
    return re.compile(re.escape(before) + r"(\d+(?:\.\d+)?)" + re.escape(after))


@dataclass
class Launched:
    """A finished ``python -m lstm_lessons train`` run: its command, exit code, output and wall time."""

    shown: str
    returncode: int
    stdout: str
    stderr: str
    seconds: float

    @property
    def training_seconds(self) -> float | None:
        """The seconds the run's summary gives for training itself (no start-up), or None."""
        found = _seconds_pattern().findall(self.stdout)
        return float(found[-1]) if found else None

    @property
    def summaries(self) -> list[str]:
        """The summary lines printed, each without its seconds (the part two runs may differ in)."""
        pattern = _seconds_pattern()
        return [line[:found.start()] for line in self.stdout.splitlines() if (found := pattern.search(line))]

    def show(self) -> None:
        """Print the command and what rank 0 printed; on failure the error lines too (torchrun's log is kept
        in ``.stderr``)."""
        print("$", self.shown)
        print(self.stdout.rstrip())
        if self.returncode:
            errors = [line for line in self.stderr.splitlines() if "error:" in line or line.startswith("stopped:")]
            print("\n".join(errors) or self.stderr.rstrip()[-2000:])
            print(_("exit code {code}").format(code=self.returncode))


def launch(args: list[str], processes: int | None = None, cwd: str | None = None, timeout: float = 600) -> Launched:
    """Run ``python -m lstm_lessons train *args`` -- or, given ``processes``, ``torchrun --standalone
    --nproc_per_node processes -m lstm_lessons train *args`` -- in folder ``cwd``, with this kernel's Python
    and language."""
    train = ["-m", "lstm_lessons", "train", *map(str, args)]
    if processes is None:
        command, shown = [sys.executable, *train], "python " + " ".join(train)
    else:  # torchrun is `python -m torch.distributed.run`: no need for the script to be on the PATH
        launcher = ["--standalone", "--nproc_per_node", str(processes)]
        command, shown = [sys.executable, "-m", "torch.distributed.run", *launcher, *train], \
            "torchrun " + " ".join(launcher + train)
    env = {k: v for k, v in os.environ.items() if k not in ("RANK", "WORLD_SIZE", "MASTER_ADDR", "MASTER_PORT")}
    env["LSTM_LESSONS_LANG"] = language()  # the messages in this notebook's language
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=env, cwd=cwd)
    return Launched(shown, done.returncode, done.stdout, done.stderr, time.perf_counter() - start)


def run_here(args: list[str], cwd: str | None = None) -> Launched:
    """Run ``python -m lstm_lessons train *args`` inside this process, in folder ``cwd``: one process, with no
    start-up to pay (PyTorch is already imported). What it prints is kept, as :func:`launch` keeps it."""
    from .__main__ import main

    out, err, before = io.StringIO(), io.StringIO(), os.getcwd()
    start = time.perf_counter()
    try:
        os.chdir(cwd or before)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(["train", *map(str, args)])
            except SystemExit as stop:  # argparse refused a flag
                code = stop.code
    finally:
        os.chdir(before)
    shown = "python -m lstm_lessons train " + " ".join(map(str, args))
    return Launched(shown, code, out.getvalue(), err.getvalue(), time.perf_counter() - start)
