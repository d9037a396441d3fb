"""What a trained classifier gets right and wrong, class by class (lesson 07).

* :func:`predict` runs a model over sequences of their own lengths, in padded batches.
* :func:`confusion_matrix` counts (true class, predicted class) pairs.
* :func:`plot_confusion_matrix` draws it (needs matplotlib, imported only when called).
"""

from __future__ import annotations

import torch
from torch.nn.utils.rnn import pad_sequence

from .i18n import _
from .lengths import check_sequence
from .validation import require_int

__all__ = ["predict", "confusion_matrix", "plot_confusion_matrix"]


def predict(model: torch.nn.Module, sequences, batch_size: int = 128) -> torch.Tensor:
    """The class ``model`` predicts for each sequence (each [length, features]) -> [n] int64, on the CPU.

    Runs in ``eval()`` mode under ``no_grad()``, ``batch_size`` sequences at a time, each batch padded
    and passed with its lengths: ``model(x, lengths=lengths)``.
    """
    batch_size = require_int("batch_size", batch_size)
    if len(sequences) == 0:
        raise ValueError(_("sequences is empty: predict needs at least one sequence [length, features]"))
    for index, sequence in enumerate(sequences):  # name the sequence, not a position inside a batch
        check_sequence(index, sequence, sequences[0])
        if not torch.isfinite(sequence).all():  # a NaN would give a class, silently
            raise ValueError(_("sequence {index} holds NaN or infinite values: a prediction from it means "
                               "nothing; clean the data first").format(index=index))
    model.eval()
    device = next(model.parameters()).device
    predicted = []
    with torch.no_grad():
        for start in range(0, len(sequences), batch_size):
            batch = list(sequences[start:start + batch_size])
            lengths = torch.tensor([len(s) for s in batch])
            x = pad_sequence(batch, batch_first=True).to(device)  # [batch, longest, features]
            predicted.append(model(x, lengths=lengths).argmax(dim=1).cpu())
    return torch.cat(predicted)


def confusion_matrix(y: torch.Tensor, predicted: torch.Tensor, num_classes: int) -> torch.Tensor:
    """[num_classes, num_classes] int64: entry [i, j] counts the sequences of class i predicted as j."""
    num_classes = require_int("num_classes", num_classes)
    y, predicted = torch.as_tensor(y), torch.as_tensor(predicted)
    for name, classes in (("y", y), ("predicted", predicted)):
        if classes.is_floating_point() or classes.is_complex() or classes.dtype == torch.bool:
            raise ValueError(_("{name} must hold class indices (whole numbers, e.g. int64), got dtype {dtype}").format(
                name=name, dtype=classes.dtype))
    if y.shape != predicted.shape or y.dim() != 1:
        raise ValueError(_("y and predicted must be two 1-D tensors of one class each per sequence, got shapes "
                           "{y} and {predicted}").format(y=list(y.shape), predicted=list(predicted.shape)))
    for name, classes in (("y", y), ("predicted", predicted)):
        outside = (classes < 0) | (classes >= num_classes)
        if outside.any():
            i = int(outside.nonzero()[0])
            raise ValueError(_("{name}[{i}] = {value} is not a class of 0..{last}: is num_classes={n} right?").format(
                name=name, i=i, value=classes[i].item(), last=num_classes - 1, n=num_classes))
    pairs = y.long() * num_classes + predicted.long()
    return torch.bincount(pairs, minlength=num_classes**2).view(num_classes, num_classes)


def plot_confusion_matrix(matrix: torch.Tensor, labels=None, title: str | None = None):
    """Draw ``matrix`` (from :func:`confusion_matrix`) with its counts; the diagonal holds the right answers."""
    import matplotlib.pyplot as plt

    from . import plots  # noqa: F401  (the course's fonts and lecture mode)

    n = matrix.shape[0]
    labels = labels or [str(i) for i in range(n)]
    fig, ax = plt.subplots(figsize=(5.6, 4.8))
    image = ax.imshow(matrix.numpy(), cmap="Blues")
    for i in range(n):
        for j in range(n):
            count = int(matrix[i, j])
            if count:
                ax.text(j, i, str(count), ha="center", va="center",
                        color="white" if count > matrix.max() / 2 else "black")
    ax.set_xticks(range(n), labels)
    ax.set_yticks(range(n), labels)
    ax.set_xlabel(_("predicted"))
    ax.set_ylabel(_("true"))
    fig.colorbar(image, ax=ax, shrink=0.8)
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig
