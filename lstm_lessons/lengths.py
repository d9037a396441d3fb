"""Sequences of different lengths: checked lengths, padded batches, the last real step (lesson 07).

* :func:`checked_lengths` turns what came as ``lengths`` into what ``pack_padded_sequence`` wants --
  a CPU int64 tensor -- or raises a ``ValueError`` naming ``lengths``.
* :class:`SequenceDataset` holds sequences of their own lengths with their labels;
  :func:`pad_collate` pads a batch of them and keeps each one's length (:class:`PaddedBatch`).
* :func:`last_real_step` reads ``out`` at each sequence's last real step, ``lengths - 1``.
* :func:`length_buckets` cuts a set into batches of sequences of similar lengths.
"""

from __future__ import annotations

import numbers
from typing import NamedTuple

import torch
from torch.nn.utils.rnn import pad_sequence
from torch.utils.data import Dataset

from .i18n import _

__all__ = ["PaddedBatch", "SequenceDataset", "checked_lengths", "last_real_step", "length_buckets", "pad_collate"]


def checked_lengths(lengths, batch_size: int, max_len: int) -> torch.Tensor:
    """``lengths`` (one whole number per sequence: a tensor on any device, a list, a numpy array) as
    the CPU int64 tensor [batch_size] that ``pack_padded_sequence`` wants.

    Raises ``ValueError`` naming ``lengths`` when they are not whole numbers, not one per sequence,
    zero or negative, or longer than ``max_len``, the padded length.
    """
    if isinstance(lengths, torch.Tensor):
        values = lengths.detach()
        if values.is_floating_point() or values.is_complex() or values.dtype == torch.bool:
            raise ValueError(_("lengths must hold whole numbers, got a {dtype} tensor: pass "
                               "lengths.long()").format(dtype=values.dtype))
        values = values.cpu().long()  # pack_padded_sequence wants them on the CPU, as int64
    else:
        items = list(lengths) if isinstance(lengths, (list, tuple)) or getattr(lengths, "ndim", 0) == 1 else None
        if items is None or not all(isinstance(n, numbers.Integral) and not isinstance(n, bool) for n in items):
            raise ValueError(_("lengths must be whole numbers, one per sequence (a list or an int64 tensor), "
                               "got {got!r}").format(got=lengths if items is None else items[:8]))
        values = torch.tensor([int(n) for n in items], dtype=torch.int64)
    if values.dim() != 1 or len(values) != batch_size:
        raise ValueError(_("lengths must hold one length per sequence: x has {batch} sequences, got lengths "
                           "of shape {shape}").format(batch=batch_size, shape=list(values.shape)))
    if (values < 1).any():
        raise ValueError(_("every length must be at least 1, got lengths[{i}] = {n}: drop empty sequences "
                           "from the batch").format(i=int((values < 1).nonzero()[0]), n=int(values.min())))
    if (values > max_len).any():
        raise ValueError(_("lengths[{i}] = {n} is longer than x, padded to {max_len} steps: is x cut short, "
                           "or are lengths in another order?").format(
            i=int((values > max_len).nonzero()[0]), n=int(values.max()), max_len=max_len))
    return values


class PaddedBatch(NamedTuple):
    """A batch of sequences of different lengths: ``padded`` [batch, max_len, features] (zeros after each
    sequence's end) and ``lengths`` [batch] int64 on the CPU."""

    padded: torch.Tensor
    lengths: torch.Tensor


class SequenceDataset(Dataset):
    """Sequences of their own lengths (each [length, features]) with one label each; item ``i`` is
    ``(sequences[i], labels[i])``. Batch it with ``DataLoader(..., collate_fn=pad_collate)``."""

    def __init__(self, sequences, labels: torch.Tensor):
        if len(sequences) != len(labels):
            raise ValueError(_("{n_x} sequences but {n_y} labels: they must match").format(
                n_x=len(sequences), n_y=len(labels)))
        self.sequences, self.labels = list(sequences), labels

    def __len__(self) -> int:
        return len(self.sequences)

    def __getitem__(self, index):
        return self.sequences[index], self.labels[index]


def pad_collate(samples) -> tuple[PaddedBatch, torch.Tensor]:
    """``[(sequence, label), ...]`` -> ``(PaddedBatch(padded, lengths), labels)``, padded to the batch's longest."""
    sequences, labels = zip(*samples, strict=True)
    lengths = torch.tensor([len(s) for s in sequences], dtype=torch.int64)
    return PaddedBatch(pad_sequence(list(sequences), batch_first=True), lengths), torch.stack(list(labels))


def last_real_step(out: torch.Tensor, lengths) -> torch.Tensor:
    """``out`` [batch, max_len, features] at each sequence's last real step -> [batch, features].

    The same as ``out[arange(batch), lengths - 1]``, written with ``gather``.
    """
    index = torch.as_tensor(lengths, device=out.device).long() - 1  # [batch]
    index = index.view(-1, 1, 1).expand(-1, 1, out.shape[2])  # [batch, 1, features]
    return out.gather(1, index).squeeze(1)


def length_buckets(lengths, batch_size: int, shuffle_with: torch.Generator | None = None) -> list[torch.Tensor]:
    """The indices of a set cut into batches of ``batch_size`` sequences of similar lengths.

    Sorts by length and cuts; with ``shuffle_with``, the order of the batches is shuffled (each batch
    keeps its similar lengths).
    """
    order = torch.argsort(torch.as_tensor(lengths), stable=True)
    batches = list(torch.split(order, batch_size))
    if shuffle_with is not None:
        batches = [batches[i] for i in torch.randperm(len(batches), generator=shuffle_with)]
    return batches
