"""``train()``: the training loop the lessons use, with its ``History`` (lesson 05).

The loop is the tutorial's -- forward, loss, ``zero_grad``, ``backward``, ``step`` -- plus what the
seed leaves out: mini-batches, a validation set evaluated in ``eval()`` mode under ``no_grad``,
seeding, gradient clipping, a clear stop when the loss blows up, and a clean stop on interrupt.
"""

from __future__ import annotations

import math
import numbers
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import torch
from torch import nn
from torch.utils.data import DataLoader, Dataset, TensorDataset

from .devices import resolve_device
from .i18n import _
from .lengths import PaddedBatch, SequenceDataset, forward_padded, pad_collate
from .training_checks import (
    checked_callbacks,
    checked_clip,
    checked_data,
    checked_loss_fn,
    checked_seed,
    class_targets,
    loss_that_fits,
    nothing_counted,
)
from .validation import require_bool, require_int

__all__ = ["History", "TrainingDiverged", "train", "shuffling_generator", "MAX_LR"]


@dataclass
class History:
    """What one ``train()`` run measured, epoch by epoch, and the settings it ran with.

    ``val_*`` lists stay empty without a validation set; ``*_accuracy`` lists stay empty when the
    loss is not a classification loss (``CrossEntropyLoss``).
    """

    settings: dict
    train_loss: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    train_accuracy: list[float] = field(default_factory=list)
    val_accuracy: list[float] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    stopped: str | None = None  # why training ended early: "interrupted" (Ctrl-C), "stopped" or "diverged"

    @property
    def epochs(self) -> int:
        return len(self.train_loss)

    @property
    def label(self) -> str:
        """A short description of the run for plot legends, e.g. ``hidden 32, lr 0.001, batch 64``."""
        s = self.settings
        parts = [s.get("name"), f"hidden {s['hidden_size']}" if "hidden_size" in s else None,
                 f"lr {s['lr']:g}", f"batch {s['batch_size'] or 'all'}"]
        return ", ".join(p for p in parts if p)

    def summary(self) -> str:
        """One line: epochs, final losses and accuracies, seconds."""
        parts = [(_("{epochs} epoch") if self.epochs == 1 else _("{epochs} epochs")).format(epochs=self.epochs)
                 if self.epochs else _("no epoch finished")]
        if self.train_loss:
            parts.append(_("train loss {train_loss:.4f}").format(train_loss=self.train_loss[-1]))
        if self.val_loss:
            parts.append(_("val loss {val_loss:.4f}").format(val_loss=self.val_loss[-1]))
        if self.train_accuracy:
            parts.append(_("train acc {train_accuracy:.1%}").format(train_accuracy=self.train_accuracy[-1]))
        if self.val_accuracy:
            parts.append(_("val acc {val_accuracy:.1%}").format(val_accuracy=self.val_accuracy[-1]))
        parts.append(_("{seconds:.1f} s on {device}").format(seconds=sum(self.seconds), device=self.settings["device"]))
        return _(", ").join(parts)  # Translators: the separator between the parts of a summary line

    def add_epoch(self, record: dict) -> None:
        """Append one epoch's figures, as ``train()`` hands them to its callbacks."""
        self.train_loss.append(record["train_loss"])
        self.seconds.append(record["seconds"])
        if record.get("train_accuracy") is not None:
            self.train_accuracy.append(record["train_accuracy"])
        if "val_loss" in record:
            self.val_loss.append(record["val_loss"])
            if record.get("val_accuracy") is not None:
                self.val_accuracy.append(record["val_accuracy"])

    def plot(self, **kwargs):
        """Plot this run's curves (see :func:`lstm_lessons.plots.plot_history`)."""
        from .plots import plot_history

        return plot_history(self, **kwargs)


MAX_LR = 1e6  # Adam moves each weight by about lr a step: beyond this only overflow is left to see (3e37 crashes Adam)
DIVERGED_FACTOR = 10  # a training loss this many times max(the starting loss, 1) counts as blown up


class TrainingDiverged(RuntimeError):
    """The loss became NaN or infinite, or grew past ``DIVERGED_FACTOR`` times the starting loss (or
    times 1, if that is larger); ``history`` holds the epochs completed before."""

    def __init__(self, message: str, history: History, reached: str = ""):
        super().__init__(message)
        self.history = history
        self.reached = reached or message  # where it blew up, without the advice: for a one-line summary


def _batches(dataset: Dataset, batch_size: int | None, shuffle: bool, generator: torch.Generator,
             sampler=None) -> Iterable:
    """The whole set as one batch (no DataLoader: as fast as the tutorial's loop), or a DataLoader.

    The DataLoader gets its own ``generator``, so its shuffling -- and the seed each iterator draws --
    never touch the global random stream: adding a validation set does not change the training run.
    A ``sampler`` (lesson 10) orders the samples instead, in full batches only.
    """
    collate = pad_collate if isinstance(dataset, SequenceDataset) else None  # pads each batch (lesson 07)
    if sampler is not None:
        return DataLoader(dataset, batch_size=batch_size, sampler=sampler, drop_last=True, collate_fn=collate)
    if batch_size is None:
        if isinstance(dataset, TensorDataset):
            return [dataset.tensors]
        return DataLoader(dataset, batch_size=len(dataset), generator=generator, collate_fn=collate)
    return DataLoader(dataset, batch_size=batch_size, shuffle=shuffle, generator=generator, collate_fn=collate)


def _forward(model, x, device):
    """``model(x)``; for a padded batch of sequences of different lengths, ``model(x, lengths=...)`` (lesson 07)."""
    if isinstance(x, PaddedBatch):
        return forward_padded(model, x, device)
    return model(x.to(device))


def shuffling_generator() -> torch.Generator:
    """The generator ``train()`` shuffles with: seeded by one number drawn from the (seeded) global stream."""
    return torch.Generator().manual_seed(int(torch.randint(2**62, (1,)).item()))


class _StopRequested(Exception):
    """``should_stop()`` said True: ``train()`` ends at once, as on Ctrl-C."""


def _run_epoch(model, batches, loss_fn, device, optimizer=None, clip_grad_norm=None, should_stop=None):
    """One pass over ``batches``; trains when given an ``optimizer``.

    Returns (mean loss, accuracy or None, samples counted); a batch whose every label is ignored is
    skipped. ``should_stop()`` is asked before every batch.
    """
    total_loss, correct, count = 0.0, 0, 0
    classify = isinstance(loss_fn, nn.CrossEntropyLoss)
    for x, y in batches:
        if should_stop is not None and should_stop():
            raise _StopRequested
        y = y.to(device)
        output = _forward(model, x, device)  # forward
        if classify:
            target, counted = class_targets(output, y, loss_fn.ignore_index)
            n = int(counted.sum().item())
            if n == 0:
                continue
        else:
            n = len(y)
        loss = loss_fn(output, y)  # loss
        if optimizer is not None:
            if not math.isfinite(loss.item()):
                return loss.item(), None, n
            optimizer.zero_grad()
            loss.backward()  # backward
            if clip_grad_norm is not None:
                nn.utils.clip_grad_norm_(model.parameters(), clip_grad_norm)
            optimizer.step()  # step
        total_loss += loss.item() * n
        count += n
        if classify:
            correct += ((output.argmax(dim=1) == target) & counted).sum().item()
    if count == 0:
        return math.nan, None, 0
    return total_loss / count, (correct / count if classify else None), count


def _evaluate(model, batches, loss_fn, device, should_stop=None):
    model.eval()
    with torch.no_grad():
        return _run_epoch(model, batches, loss_fn, device, should_stop=should_stop)


def _progress_bar(total: int, enabled: bool):
    if not enabled:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, desc="training", unit="epoch")


def train(model: nn.Module, train_set, *, epochs: int, lr: float, batch_size: int | None = None,
          loss_fn: nn.Module | None = None, val_set=None, device="auto", seed: int | None = None,
          clip_grad_norm: float | None = None, progress: bool = True,
          callbacks: Iterable[Callable[[dict], None]] = (),
          should_stop: Callable[[], bool] | None = None, sampler=None, combine=None) -> History:
    """Train ``model`` with Adam and return its :class:`History`.

    ``train_set``/``val_set``: an ``(x, y)`` pair of tensors or a torch ``Dataset``;
    ``batch_size=None`` trains on the whole set at once, as the tutorial does. ``loss_fn`` defaults to
    ``CrossEntropyLoss`` (accuracy is then recorded too). ``seed`` seeds PyTorch's global generator,
    which fixes the shuffling and dropout: the same starting weights give the same history on the
    same machine (another thread count or device can change the last digits). ``callbacks`` get a
    dict of each epoch's figures. Training figures are averages over the epoch, while the weights
    change; validation figures are measured after it. Raises :class:`TrainingDiverged` when the
    loss becomes NaN or infinite or grows past ``DIVERGED_FACTOR`` times its start (or 1), and
    ``ValueError`` for impossible settings or data holding NaN. Ctrl-C (Jupyter's stop button)
    ends training cleanly: the model and the history so far are kept (the weights include the
    interrupted epoch's steps). ``should_stop()`` is asked before every batch, training and
    validation: True ends training the same way, at once, with ``history.stopped = "stopped"``.
    The model is left on ``device``, in ``eval()`` mode.

    Lesson 10 (:mod:`lstm_lessons.distributed`): a ``sampler`` (such as ``DistributedSampler``) orders
    the training samples instead of the shuffling above, in full batches of ``batch_size`` only; its
    ``set_epoch(epoch)`` is called before every epoch. ``combine(loss, accuracy, count)`` turns each
    epoch's training figures into those over all processes.

    With ``CrossEntropyLoss``, ``y`` holds class indices (int64, ``0..C-1``; entries equal to the
    loss's ``ignore_index``, -100 by default, count neither in the loss nor in the accuracy) or class
    probabilities (floats of the output's shape; accuracy then compares with the most likely class).
    Float indices or classes out of range raise ``ValueError``.

    While it trains, denormal floats (below about 1e-38) are flushed to zero in the calling thread,
    on CPUs that support it: with tiny hidden sizes they appear in the gradients and slow training
    down a hundredfold. (The flag is per thread: work that PyTorch hands to its other CPU threads is
    not covered, which is why the playground trains on one thread.)
    """
    epochs = require_int("epochs", epochs)
    if isinstance(lr, bool) or not isinstance(lr, numbers.Real) or not 0 < lr <= MAX_LR:
        raise ValueError(_("lr must be a positive number up to {MAX_LR:g}, got {lr!r}; try 1e-3 "
                         "(Adam moves each weight by about lr per step)").format(MAX_LR=MAX_LR, lr=lr))
    if batch_size is not None:
        batch_size = require_int("batch_size", batch_size)
    clip_grad_norm, seed = checked_clip(clip_grad_norm), checked_seed(seed)
    progress = require_bool("progress", progress)
    if should_stop is not None and not callable(should_stop):
        raise TypeError(_("should_stop must be a function returning True or False, got {type}").format(
            type=type(should_stop).__name__))
    device = resolve_device(device)
    loss_fn, callbacks = checked_loss_fn(loss_fn), checked_callbacks(callbacks)
    train_data = checked_data(train_set, "train_set")
    val_data = None if val_set is None else checked_data(val_set, "val_set")
    if seed is not None:
        torch.manual_seed(seed)
    model.to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    settings = dict(epochs=epochs, lr=lr, batch_size=batch_size,
                    device=str(device), seed=seed, clip_grad_norm=clip_grad_norm)
    for attribute in ("hidden_size", "num_layers", "bidirectional"):
        if hasattr(model, attribute):
            settings[attribute] = getattr(model, attribute)
    history = History(settings)
    shuffling = shuffling_generator()
    train_batches = _batches(train_data, batch_size, shuffle=True, generator=shuffling, sampler=sampler)
    val_batches = None if val_data is None else _batches(val_data, batch_size, shuffle=False,
                                                         generator=torch.Generator().manual_seed(0))
    bar = _progress_bar(epochs, progress)
    epoch = 0
    flushing = torch.set_flush_denormal(True)  # tiny numbers -> 0: tiny models otherwise slow down 100-fold
    try:
        first_batch = next(iter(_batches(train_data, batch_size, False, torch.Generator().manual_seed(0))))
        start_loss = _start_loss(model, first_batch, loss_fn, device, should_stop)
        blown_up = DIVERGED_FACTOR * (max(start_loss, 1.0) if math.isfinite(start_loss) else 1.0)
        for epoch in range(1, epochs + 1):
            if hasattr(sampler, "set_epoch"):
                sampler.set_epoch(epoch)  # a new order every epoch, the same in every process
            record = _train_one_epoch(model, train_batches, val_batches, loss_fn, device, optimizer,
                                      clip_grad_norm, should_stop, epoch, blown_up, history, combine)
            history.add_epoch(record)
            for callback in callbacks:
                callback(record)
            if bar is not None:
                bar.update(1)
                bar.set_postfix(loss=f"{record['train_loss']:.4f}")
    except KeyboardInterrupt:
        history.stopped = "interrupted"
        print(_interrupted_message(history.epochs, epoch, epochs))
    except _StopRequested:
        history.stopped = "stopped"
    finally:
        if flushing:
            torch.set_flush_denormal(False)  # PyTorch's default again
        if bar is not None:
            bar.close()
    model.eval()
    return history


def _interrupted_message(finished: int, epoch: int, epochs: int) -> str:
    """What ``train()`` prints on Ctrl-C, ``finished`` epochs done, ``epoch`` the one running (0: none yet)."""
    where = (_("after epoch {finished} of {epochs}").format(finished=finished, epochs=epochs)
             if epoch and finished == epoch else
             _("during epoch {running} of {epochs}").format(running=finished + 1, epochs=epochs) if epoch else
             _("before epoch 1 of {epochs}").format(epochs=epochs))
    kept = (_("no epoch finished; the model is kept") if finished == 0 else
            (_("the model and the history of its {finished} finished epoch are kept") if finished == 1 else
             _("the model and the history of its {finished} finished epochs are kept")).format(finished=finished))
    return (_("Training stopped {where}: {kept}. "
            "(A cell that goes on to train again is not stopped: press stop again.)").format(where=where, kept=kept))


def _start_loss(model, batch, loss_fn, device, should_stop=None) -> float:
    """The loss on the first batch before training, in eval() mode without a graph; checks that it fits."""
    if should_stop is not None and should_stop():
        raise _StopRequested
    model.eval()
    with torch.no_grad():
        y = batch[1].to(device)
        output = _forward(model, batch[0], device)
        if isinstance(loss_fn, nn.CrossEntropyLoss) and not class_targets(output, y, loss_fn.ignore_index)[1].any():
            return math.nan
        return loss_that_fits(loss_fn, output, y).item()


def _train_one_epoch(model, train_batches, val_batches, loss_fn, device, optimizer, clip_grad_norm,
                     should_stop, epoch, blown_up, history, combine=None) -> dict:
    """One epoch of training, then validation; its figures as the dict callbacks get."""
    start = time.perf_counter()
    model.train()
    loss, accuracy, counted = _run_epoch(model, train_batches, loss_fn, device, optimizer, clip_grad_norm,
                                         should_stop)
    if combine is not None:  # every process the same figures, so every one decides alike below
        loss, accuracy, counted = combine(loss, accuracy, counted)
    if counted == 0:
        raise nothing_counted("train_set", loss_fn)
    if not math.isfinite(loss) or loss > blown_up:
        history.stopped = "diverged"
        lr = optimizer.param_groups[0]["lr"]
        what = _("became {loss}") if not math.isfinite(loss) else _("grew to {loss:.3g}")
        reached = _("the training loss {what} at epoch {epoch}").format(what=what.format(loss=loss), epoch=epoch)
        raise TrainingDiverged(
            _("{reached} with lr={lr:g}: the steps are too large. Try a smaller learning rate, e.g. "
              "lr={smaller_lr:g}.").format(reached=reached, lr=lr, smaller_lr=lr / 100), history, reached)
    record = {"epoch": epoch, "train_loss": loss, "train_accuracy": accuracy}
    if val_batches is not None:
        record["val_loss"], record["val_accuracy"], counted = _evaluate(model, val_batches, loss_fn, device,
                                                                        should_stop)
        if counted == 0:
            raise nothing_counted("val_set", loss_fn)
    record["seconds"] = time.perf_counter() - start
    return record
