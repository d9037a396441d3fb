"""The checks ``train()`` makes on what it is given, each failure a clear ``ValueError``/``TypeError`` (lesson 05)."""

from __future__ import annotations

import math
import numbers
import warnings

import torch
from torch import nn
from torch.utils.data import Dataset, TensorDataset

from .i18n import _
from .lengths import SequenceDataset

__all__ = ["checked_data", "checked_loss_fn", "checked_callbacks", "checked_clip", "checked_seed", "loss_that_fits",
           "class_targets", "nothing_counted"]

MAX_SEED = 2**64 - 1  # the largest seed torch.manual_seed accepts


def as_dataset(data, name: str) -> Dataset:
    if isinstance(data, Dataset):
        return data
    if isinstance(data, (tuple, list)) and len(data) == 2 and all(isinstance(t, torch.Tensor) for t in data):
        x, y = data
        if len(x) != len(y):
            raise ValueError(_("{name}: x has {x_count} samples but y has {y_count}; they must match").format(
                name=name, x_count=len(x), y_count=len(y)))
        return TensorDataset(x, y)
    if isinstance(data, (tuple, list)) and len(data) == 2 and isinstance(data[0], (tuple, list)) and \
            isinstance(data[1], torch.Tensor):  # sequences of different lengths (lesson 07): each one checked
        try:
            return SequenceDataset(*data)
        except ValueError as error:  # say which set the bad sequence is in
            raise ValueError(_("{name}: {problem}").format(name=name, problem=error)) from None
    raise ValueError(_("{name} must be an (x, y) pair of tensors, a (list of sequences, y) pair, or a torch Dataset, "
                       "got {type}").format(name=name, type=type(data).__name__))


def refuse_nan(dataset: Dataset, name: str) -> None:
    """Raise ``ValueError`` naming the first sample (and position) that holds NaN or infinity."""
    tensors = dataset.tensors if isinstance(dataset, TensorDataset) else None
    items = zip(*tensors, strict=True) if tensors is not None else (dataset[i] for i in range(len(dataset)))
    if tensors is not None and all(torch.isfinite(t).all() for t in tensors if t.is_floating_point()):
        return
    for index, sample in enumerate(items):
        for part, value in zip(("x", "y"), sample, strict=False):
            if isinstance(value, torch.Tensor) and value.is_floating_point() and not torch.isfinite(value).all():
                where = tuple(torch.nonzero(~torch.isfinite(value))[0].tolist())
                raise ValueError(_("{name} holds NaN or infinity: sample {index}, {part}{where} = "
                                 "{value}. Clean or drop that sample before training.").format(
                                     name=name, index=index, part=part, where=list(where), value=value[where].item()))


def checked_loss_fn(loss_fn) -> nn.Module:
    if loss_fn is None:
        return nn.CrossEntropyLoss()
    if isinstance(loss_fn, type):
        prefix = "nn." if getattr(nn, loss_fn.__name__, None) is loss_fn else ""
        raise TypeError(_("loss_fn must be a loss object, got the class {loss_fn} itself: "
                        "add the brackets, loss_fn={prefix}{loss_fn}()").format(
                            loss_fn=loss_fn.__name__, prefix=prefix))
    if not callable(loss_fn):
        raise TypeError(_("loss_fn must be a loss such as nn.CrossEntropyLoss(), got {type}").format(
            type=type(loss_fn).__name__))
    return loss_fn


def checked_callbacks(callbacks) -> list:
    """A list, so that a generator serves every epoch, not only the first; one callable is a list of one;
    ``None`` is none."""
    if callbacks is None:
        return []
    if not callable(callbacks) and not hasattr(callbacks, "__iter__"):
        raise TypeError(_("callbacks must be a list of functions taking one dict, got {type}").format(
            type=type(callbacks).__name__))
    callbacks = [callbacks] if callable(callbacks) else list(callbacks)
    for callback in callbacks:
        if not callable(callback):
            raise TypeError(_("callbacks must be functions taking one dict, got {type}").format(
                type=type(callback).__name__))
    return callbacks


def checked_data(data, name: str) -> Dataset:
    data = as_dataset(data, name)
    if len(data) == 0:
        raise ValueError(_("{name} is empty: it holds no samples. Check how it was split or filtered.").format(
            name=name))
    refuse_nan(data, name)
    return data


def class_targets(output: torch.Tensor, y: torch.Tensor, ignore_index: int) -> tuple[torch.Tensor, torch.Tensor]:
    """For ``CrossEntropyLoss``: the target class of each counted sample, and which samples count.

    ``y`` holds class indices (int, [N] for output [N, C]; ``ignore_index`` entries do not count) or
    class probabilities (float, the output's shape; the most likely class is the target). Anything
    else raises ``ValueError``: float indices, or a class outside ``0..C-1``.
    """
    classes = output.shape[1]
    if y.is_floating_point():
        if y.shape != output.shape:
            raise ValueError(_("y must hold class indices (an integer tensor such as torch.int64) or class "
                             "probabilities of the output's shape {shape}; got {dtype} of shape "
                             "{y_shape}. Class indices stored as floats? Pass y.long().").format(
                                 shape=list(output.shape), dtype=y.dtype, y_shape=list(y.shape)))
        target = y.argmax(dim=1)
        return target, torch.ones_like(target, dtype=torch.bool)
    counted = y != ignore_index
    wrong = counted & ((y < 0) | (y >= classes))
    if wrong.any():
        raise ValueError(_("y holds class {y}, outside 0..{last_class} (the model's {classes} "
                         "outputs); only {ignore_index} (CrossEntropyLoss's ignore_index) may lie outside. Check "
                         "the labels, or give the model as many outputs as there are classes.").format(
                             y=y[wrong][0].item(), last_class=classes - 1, classes=classes, ignore_index=ignore_index))
    return y, counted


def nothing_counted(name: str, loss_fn) -> ValueError:
    return ValueError(_("every label of {name} is {ignore_index}, CrossEntropyLoss's ignore_index: there is "
                      "nothing to learn or measure. Check how the labels were made.").format(
                          name=name, ignore_index=loss_fn.ignore_index))


def checked_clip(clip_grad_norm):
    """``None``, or a positive finite float: the largest total gradient norm."""
    if clip_grad_norm is None:
        return None
    if isinstance(clip_grad_norm, bool) or not isinstance(clip_grad_norm, numbers.Real):
        raise TypeError(_("clip_grad_norm must be a positive number such as 1.0, or None, got "
                        "{type} {clip_grad_norm!r}").format(
                            type=type(clip_grad_norm).__name__, clip_grad_norm=clip_grad_norm))
    if not 0 < clip_grad_norm < math.inf:
        raise ValueError(_("clip_grad_norm must be a positive number such as 1.0, or None, got "
                           "{clip_grad_norm!r}").format(
            clip_grad_norm=clip_grad_norm))
    return float(clip_grad_norm)


def checked_seed(seed):
    """``None``, or a whole number from 0 to ``MAX_SEED``, as ``torch.manual_seed`` takes it."""
    if seed is None:
        return None
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or not 0 <= seed <= MAX_SEED:
        raise ValueError(_("seed must be a whole number from 0 to 2**64 - 1, or None, got {seed!r}; try seed=0").format(
            seed=seed))
    return int(seed)


def loss_that_fits(loss_fn, output: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """``loss_fn(output, y)``, or a ``ValueError`` when the two do not fit the loss (tried on the first batch)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)  # e.g. MSELoss: "target size ... different to the input size"
        try:
            loss = loss_fn(output, y)
        except (RuntimeError, ValueError, UserWarning) as error:
            raise ValueError(
                _("loss_fn {type} cannot compare the model's output ({dtype}, shape "
                "{shape}) with y ({y_dtype}, shape {y_shape}): {reason} "
                "With class indices as labels, use nn.CrossEntropyLoss() (the default); other losses need y "
                "of the output's shape and dtype.").format(
                    type=type(loss_fn).__name__, dtype=output.dtype, shape=list(output.shape), y_dtype=y.dtype,
                    y_shape=list(y.shape), reason=str(error).splitlines()[0])) from None
    if not isinstance(loss, torch.Tensor) or loss.numel() != 1:
        raise ValueError(_("loss_fn must return one number, got {type} "
                         "{shape}: use the loss's default reduction='mean'").format(
                             type=type(loss).__name__, shape=list(getattr(loss, 'shape', []))))
    return loss
