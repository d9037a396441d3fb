"""Data-parallel training on several processes with ``torch.distributed`` and DDP (lesson 10).

``python -m lstm_lessons train`` trains through :func:`train_sharded`. Started alone it is a world of
one process; started by ``torchrun --standalone --nproc_per_node N -m lstm_lessons train ...`` each of
the N processes reads its place from torchrun's environment (:class:`World`), joins the process group
(gloo on the CPU, NCCL on CUDA GPUs: :func:`process_group`), takes every N-th sample of each epoch's
shuffled order (``DistributedSampler``) and trains a ``DistributedDataParallel`` copy of the model,
which averages the gradients of all processes with an all-reduce before every step.

``--batch-size`` is the *global* batch: each process takes ``batch_size / N`` of it. Each epoch trains
on ``len(train) // batch_size`` full global batches (``drop_last``): the same batches, in the same
order, whatever N is -- so 1 and N processes train on the same data, and to the same weights up to float
rounding, which grows slowly with the number of steps (lesson 10 measures it).

Ctrl-C reaches torchrun, which passes it on to every process: rank 0 says once that training was
interrupted, nothing is written, and each process exits with code 130 (torchrun then reports the signal
itself and exits with 1).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DistributedSampler

from .devices import resolve_device
from .i18n import _

__all__ = ["World", "ProcessGroupError", "check_gpus", "device_for", "local_batch_size", "process_group",
           "shard_sampler", "train_sharded", "save_state_dict", "only_on_rank_0", "TIMEOUT_S"]

TIMEOUT_S = 120  # how long a process waits for the others, at the start and at every all-reduce
_NEEDED = ("RANK", "WORLD_SIZE", "MASTER_ADDR", "MASTER_PORT")  # what torchrun (or a hand launch) must set
_LAUNCH = "torchrun --standalone --nproc_per_node 2 -m lstm_lessons train ..."


class ProcessGroupError(RuntimeError):
    """The processes could not form their group (a peer never came, an address nobody can reach)."""


@dataclass(frozen=True)
class World:
    """This process's place among the processes that train together (torchrun's environment).

    ``launched`` is False for a plain ``python -m lstm_lessons train``: a world of one, no process group.
    """

    rank: int = 0
    world_size: int = 1
    local_rank: int = 0
    local_world_size: int = 1
    master_addr: str = "127.0.0.1"
    master_port: int = 29500
    launched: bool = False

    @property
    def is_main(self) -> bool:
        """Rank 0: the one process that prints, and writes files."""
        return self.rank == 0

    @classmethod
    def from_environment(cls, env: Mapping[str, str] | None = None) -> World:
        """Read ``RANK``, ``WORLD_SIZE``, ``MASTER_ADDR``, ``MASTER_PORT`` (and ``LOCAL_RANK``,
        ``LOCAL_WORLD_SIZE``) as torchrun sets them; none set: a world of one. Raises ``ValueError`` when
        only some are set or a value makes no sense."""
        env = os.environ if env is None else env
        present = [name for name in _NEEDED if name in env]
        if not present:
            return cls()
        missing = [name for name in _NEEDED if name not in env]
        if missing:
            raise ValueError(_("{present} set but {missing} not: this process was started as one of a group, "
                               "by hand. Let torchrun start the processes, it sets them all: {launch}").format(
                present=", ".join(present), missing=", ".join(missing), launch=_LAUNCH))
        rank, size = _whole(env, "RANK", 0), _whole(env, "WORLD_SIZE", 1)
        if rank >= size:
            raise ValueError(_("RANK={rank} but WORLD_SIZE={size}: ranks go from 0 to WORLD_SIZE - 1").format(
                rank=rank, size=size))
        local_size = _whole(env, "LOCAL_WORLD_SIZE", 1) if "LOCAL_WORLD_SIZE" in env else size
        local_rank = _whole(env, "LOCAL_RANK", 0) if "LOCAL_RANK" in env else rank
        return cls(rank, size, local_rank, local_size, env["MASTER_ADDR"], _whole(env, "MASTER_PORT", 1), True)


def _whole(env: Mapping[str, str], name: str, minimum: int) -> int:
    try:
        value = int(env[name])
    except ValueError:
        value = None
    if value is None or value < minimum:
        raise ValueError(_("the environment variable {name}={value!r}: expected a whole number of at least "
                           "{minimum}").format(name=name, value=env[name], minimum=minimum))
    return value


def check_gpus(processes: int, gpus: int) -> None:
    """``ValueError`` unless each of ``processes`` on this machine can have a GPU of its own."""
    if processes > gpus:
        raise ValueError(_("{processes} processes on this machine but {gpus} GPU(s): with --device cuda each "
                           "process needs a GPU of its own (NCCL cannot share one). Start at most {gpus} "
                           "(torchrun --nproc_per_node {gpus}), or train on the CPU with --device cpu (gloo).").format(
            processes=processes, gpus=gpus))


def device_for(world: World, name: str) -> torch.device:
    """The device this process trains on: ``resolve_device(name)``; under torchrun, GPU ``LOCAL_RANK``.

    Raises ``ValueError`` for a device the machine lacks, more processes than GPUs, one GPU named for
    several processes (``cuda:1``), or a device that has no backend for several processes (``mps``).
    """
    device = resolve_device(name)
    if not world.launched:
        return device
    if device.type == "cuda":
        check_gpus(world.local_world_size, torch.cuda.device_count())
        if device.index is not None and world.local_world_size > 1:
            raise ValueError(_("--device {name} names one GPU for {n} processes: give --device cuda, and each "
                               "process takes GPU number LOCAL_RANK").format(name=name, n=world.local_world_size))
        return torch.device("cuda", world.local_rank)
    if device.type != "cpu":
        raise ValueError(_("training on several processes runs on the CPU (gloo) or on CUDA GPUs (NCCL), not on "
                           "{device}: use --device cpu").format(device=device.type))
    return device


def local_batch_size(batch_size: int, world_size: int, n_train: int) -> int:
    """Each process's share of the global ``batch_size``; ``ValueError`` if it does not divide, or if
    the training set holds no full global batch."""
    if batch_size % world_size:
        lower, upper = batch_size - batch_size % world_size, batch_size + world_size - batch_size % world_size
        raise ValueError(_("--batch-size {batch} is the global batch, shared by {n} processes: it must divide by "
                           "{n}. Try --batch-size {lower} or {upper}.").format(
            batch=batch_size, n=world_size, lower=lower or upper, upper=upper))
    if batch_size > n_train:
        raise ValueError(_("--batch-size {batch} is more than the {n_train} training sequences: an epoch trains "
                           "on full batches only, and there would be none. Try --batch-size {n_train} or less.").format(
            batch=batch_size, n_train=n_train))
    return batch_size // world_size


def _backend(device: torch.device) -> str:
    backend = "nccl" if device.type == "cuda" else "gloo"
    available = dist.is_available() and (dist.is_nccl_available() if backend == "nccl" else dist.is_gloo_available())
    if not available:
        raise ProcessGroupError(_("this PyTorch build has no {backend} backend, which {device} needs for several "
                                  "processes").format(backend=backend, device=device.type))
    return backend


@contextmanager
def process_group(world: World, device: torch.device, timeout: float = TIMEOUT_S):
    """Join the process group for the ``with`` block, and leave it however the block ends.

    A world of one does nothing. Raises :class:`ProcessGroupError` when the group cannot form: rank 0
    cannot listen on ``MASTER_PORT`` (another program has it), or not every process arrives within
    ``timeout`` seconds (one never started, or cannot reach ``MASTER_ADDR``).
    """
    if not world.launched:
        yield
        return
    backend, address = _backend(device), f"{world.master_addr}:{world.master_port}"
    if device.type == "cuda":
        torch.cuda.set_device(device)
    try:
        dist.init_process_group(backend, init_method=f"tcp://{address}", rank=world.rank,
                                world_size=world.world_size, timeout=timedelta(seconds=timeout),
                                device_id=device if device.type == "cuda" else None)
    except (RuntimeError, ValueError) as error:  # torch's DistNetworkError and DistStoreError are RuntimeErrors
        said = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise ProcessGroupError(_("the process group could not start: process {rank} of {size} at {address} ({said}). "
                                  "Start all {size} processes with the same MASTER_ADDR and MASTER_PORT: a port no "
                                  "other program uses, which every machine can reach. On one machine torchrun "
                                  "--standalone does both: {launch}").format(
            rank=world.rank, size=world.world_size, address=address, said=said, launch=_LAUNCH)) from None
    try:
        yield
    finally:
        dist.destroy_process_group()


def shard_sampler(dataset, world: World, seed: int) -> DistributedSampler:
    """Each epoch: one shuffled order of the whole set (seeded by ``seed + epoch``, the same in every
    process), cut to a multiple of ``world_size``; this process takes every ``world_size``-th index from
    its ``rank``. ``drop_last=True``: the few left over are left out this epoch instead of being padded
    with repeats."""
    return DistributedSampler(dataset, num_replicas=world.world_size, rank=world.rank, shuffle=True, seed=seed,
                              drop_last=True)


def _sum_over_processes(device: torch.device) -> Callable:
    """The epoch's (mean loss, accuracy, count) of this process -> the same figures over all processes."""
    def combine(loss: float, accuracy: float | None, count: int):
        totals = torch.tensor([loss * count, (accuracy or 0.0) * count, count], dtype=torch.float64, device=device)
        dist.all_reduce(totals)  # sum over the processes, in every process
        loss_sum, correct, count = totals.tolist()
        return loss_sum / count, (None if accuracy is None else correct / count), int(count)

    return combine


def train_sharded(model: torch.nn.Module, task, world: World, *, batch_size: int, device: torch.device, seed: int,
                  progress: bool = True, **options):
    """Train ``model`` on ``task`` as this process's part of ``world``; its ``History`` (lesson 10).

    ``batch_size`` is the global batch. In a launched world the model is wrapped in
    ``DistributedDataParallel``; the training figures are summed over the processes, and only rank 0
    validates and shows a progress bar. ``options`` go to :func:`~lstm_lessons.training.train`.
    """
    from .training import train
    from .training_checks import as_dataset

    dataset = as_dataset(task.train, "task.train")  # tensors, or sequences of different lengths (lesson 07)
    local = local_batch_size(batch_size, world.world_size, len(dataset))
    model.to(device)
    trained = model
    if world.launched:
        trained = DistributedDataParallel(model, device_ids=[device.index] if device.type == "cuda" else None)
    history = train(trained, dataset, val_set=task.val if world.is_main else None, batch_size=local, device=device,
                    seed=seed, progress=progress and world.is_main, sampler=shard_sampler(dataset, world, seed),
                    combine=_sum_over_processes(device) if world.launched else None, **options)
    history.settings.update(batch_size=batch_size, processes=world.world_size,
                            **{k: getattr(model, k) for k in ("hidden_size", "num_layers", "bidirectional")
                               if hasattr(model, k)})
    return history


def save_state_dict(model: torch.nn.Module, path: str) -> None:
    """Write ``model``'s weights (on the CPU) to ``path``: ``torch.load(path, weights_only=True)`` reads them."""
    model = getattr(model, "module", model)  # DDP keeps the model as .module
    torch.save({name: tensor.detach().cpu() for name, tensor in model.state_dict().items()}, path)


def only_on_rank_0(check: Callable[[str], str]) -> Callable[[str], str]:
    """An argparse type that runs ``check`` in rank 0 only: N processes probing one output file at once
    would trip over each other (the others stop with rank 0 when it refuses)."""
    def parse(text: str) -> str:
        return check(text) if os.environ.get("RANK", "0") == "0" else text

    return parse
