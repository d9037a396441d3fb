"""Sequences of different lengths: checked lengths, padded batches, the last real step (lesson 07).

* :func:`checked_lengths` turns what came as ``lengths`` into what ``pack_padded_sequence`` wants --
  a CPU int64 tensor -- or raises a ``ValueError`` naming ``lengths``.
* :class:`SequenceDataset` holds sequences of their own lengths with their labels;
  :func:`pad_collate` pads a batch of them and keeps each one's length (:class:`PaddedBatch`);
  :func:`forward_padded` runs a model on such a batch with its lengths.
* :func:`last_real_step` reads ``out`` at each sequence's last real step, ``lengths - 1``.
* :func:`length_buckets` cuts a set into batches of sequences of similar lengths.
"""

from __future__ import annotations

import inspect
import numbers
from typing import NamedTuple

import torch
from torch.nn.utils.rnn import pad_sequence
from torch.utils.data import Dataset

from .i18n import _

__all__ = ["PaddedBatch", "SequenceDataset", "checked_lengths", "forward_padded", "last_real_step", "length_buckets",
           "pad_collate"]


def checked_lengths(lengths, batch_size: int, max_len: int) -> torch.Tensor:
    """``lengths`` (one whole number per sequence: a tensor on any device with values, a list or tuple of
    ints or of 0-D integer tensors, a numpy array) as the CPU int64 tensor [batch_size] that
    ``pack_padded_sequence`` wants.

    Raises ``ValueError`` naming ``lengths`` when they are not whole numbers, have no values (the
    ``meta`` device), are not one per sequence, are zero or negative, or longer than ``max_len``, the
    padded length; and when the batch is empty (``batch_size`` 0: there is nothing to pack).
    """
    if isinstance(lengths, torch.Tensor):
        values = lengths.detach()
        if values.is_floating_point() or values.is_complex() or values.dtype == torch.bool:
            raise ValueError(_("lengths must hold whole numbers, got a {dtype} tensor: pass "
                               "lengths.long()").format(dtype=values.dtype))
        if values.device.type == "meta":
            raise ValueError(_("lengths are on the 'meta' device, which holds no values: packing needs the "
                               "real lengths, on any device (they are copied to the CPU)"))
        values = values.cpu().long()  # pack_padded_sequence wants them on the CPU, as int64
    else:
        values = _lengths_from_items(lengths)
    if values.dim() != 1 or len(values) != batch_size:
        raise ValueError(_("lengths must hold one length per sequence: x has {batch} sequences, got lengths "
                           "of shape {shape}").format(batch=batch_size, shape=list(values.shape)))
    if batch_size == 0:
        raise ValueError(_("x holds no sequences (batch of 0) and lengths is empty: there is nothing to pack; "
                           "skip empty batches"))
    for bad, message in ((values < 1, _("every length must be at least 1, got lengths[{i}] = {n}: drop empty "
                                        "sequences from the batch")),
                         (values > max_len, _("lengths[{i}] = {n} is longer than x, padded to {max_len} steps: "
                                              "is x cut short, or are lengths in another order?"))):
        if bad.any():
            i = int(bad.nonzero()[0])
            raise ValueError(message.format(i=i, n=int(values[i]), max_len=max_len))
    return values


def _lengths_from_items(lengths) -> torch.Tensor:
    """A list, tuple or 1-D numpy array of whole numbers (ints, numpy ints, 0-D integer tensors) as int64."""
    items = list(lengths) if isinstance(lengths, (list, tuple)) or getattr(lengths, "ndim", 0) == 1 else None
    whole = items is not None and all(
        (isinstance(n, numbers.Integral) and not isinstance(n, bool))
        or (isinstance(n, torch.Tensor) and n.dim() == 0 and not n.is_floating_point() and not n.is_complex()
            and n.dtype != torch.bool and n.device.type != "meta") for n in items)
    if not whole:
        raise ValueError(_("lengths must be whole numbers, one per sequence (a list or an int64 tensor), "
                           "got {got!r}").format(got=lengths if items is None else items[:8]))
    numbers_ = [int(n) for n in items]
    too_big = [i for i, n in enumerate(numbers_) if abs(n) > 2**62]
    if too_big:
        raise ValueError(_("lengths[{i}] is a number with {digits} digits: a length counts the steps of one "
                           "sequence").format(i=too_big[0], digits=len(str(abs(numbers_[too_big[0]])))))
    return torch.tensor(numbers_, dtype=torch.int64)


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
        for index, sequence in enumerate(self.sequences):
            check_sequence(index, sequence, self.sequences[0])

    def __len__(self) -> int:
        return len(self.sequences)

    def __getitem__(self, index):
        return self.sequences[index], self.labels[index]


def check_sequence(index: int, sequence, first) -> None:
    """Raise ``ValueError`` naming sequence ``index`` unless it is a tensor [length >= 1, features]
    with as many features as the first sequence (``pad_sequence`` needs them alike)."""
    if not isinstance(sequence, torch.Tensor) or sequence.dim() != 2:
        got = list(sequence.shape) if isinstance(sequence, torch.Tensor) else type(sequence).__name__
        raise ValueError(_("sequence {index} must be a tensor [length, features], got {got}: a sequence of one "
                           "feature per step is s.unsqueeze(1)").format(index=index, got=got))
    if len(sequence) == 0:
        raise ValueError(_("sequence {index} is empty (shape {shape}): an LSTM cannot read zero steps; drop it "
                           "from the data").format(index=index, shape=list(sequence.shape)))
    if first.dim() == 2 and sequence.shape[1] != first.shape[1]:
        raise ValueError(_("sequence {index} has {features} features per step, but sequence 0 has {first}: "
                           "every sequence needs the same features").format(
            index=index, features=sequence.shape[1], first=first.shape[1]))


def pad_collate(samples) -> tuple[PaddedBatch, torch.Tensor]:
    """``[(sequence, label), ...]`` -> ``(PaddedBatch(padded, lengths), labels)``, padded to the batch's longest."""
    sequences, labels = zip(*samples, strict=True)
    lengths = torch.tensor([len(s) for s in sequences], dtype=torch.int64)
    return PaddedBatch(pad_sequence(list(sequences), batch_first=True), lengths), torch.stack(list(labels))


def forward_padded(model: torch.nn.Module, batch: PaddedBatch, device) -> torch.Tensor:
    """``model(batch.padded, lengths=batch.lengths)`` on ``device``; a ``TypeError`` saying what to use when
    ``model.forward`` takes no ``lengths`` (such as ``SeedLSTM``)."""
    parameters = inspect.signature(model.forward).parameters.values()
    if not any(p.name == "lengths" or p.kind is p.VAR_KEYWORD for p in parameters):
        raise TypeError(_("these sequences have different lengths, but {model}.forward takes no lengths=: use a "
                          "model that does, such as LSTMClassifier, or pad the sequences to one length "
                          "yourself").format(model=type(model).__name__))
    return model(batch.padded.to(device), lengths=batch.lengths)


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
