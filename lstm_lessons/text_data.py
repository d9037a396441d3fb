"""Text for a character-level language model: the shipped plays, characters <-> ids, the split, baselines.

Taught in lesson 08. The text is four of Shakespeare's tragedies (``resources/DATA.md`` says where
they come from); nothing is downloaded.
"""

from __future__ import annotations

import gzip
import math
import numbers
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import torch

from .i18n import _

__all__ = ["TEXT_FILE", "Vocabulary", "load_text", "split_text", "stream_batches", "unigram_bits", "uniform_bits"]

TEXT_FILE = Path(__file__).resolve().parent / "resources" / "shakespeare_tragedies.txt.gz"
VALIDATION_FRACTION = 0.1  # the last tenth of the text (the end of King Lear) is held out


def load_text() -> str:
    """The four tragedies (Hamlet, Macbeth, Romeo and Juliet, King Lear) as one string of 571,054 characters."""
    with gzip.open(TEXT_FILE, "rt", encoding="ascii") as file:
        return file.read()


def split_text(text: str, validation_fraction: float = VALIDATION_FRACTION) -> tuple[str, str]:
    """``(train, validation)``: the text cut once, at the start of the line where the last
    ``validation_fraction`` of it begins. ``train + validation == text``; no character is in both."""
    if not isinstance(text, str) or len(text) < 2:
        raise ValueError(_("split_text needs a string of at least 2 characters, got {got}").format(
            got=f"{type(text).__name__} of length {len(text)}" if hasattr(text, "__len__") else repr(text)))
    if not 0 < validation_fraction < 1:
        raise ValueError(_("validation_fraction must be between 0 and 1 (such as 0.1), got {value!r}").format(
            value=validation_fraction))
    cut = round(len(text) * (1 - validation_fraction))
    line_start = text.rfind("\n", 0, cut) + 1
    cut = line_start if line_start > 0 else cut
    return text[:cut], text[cut:]


@dataclass(frozen=True)
class Vocabulary:
    """The characters a model knows, each with an id: ``chars[i]`` has id ``i`` (sorted, so the same text
    always gives the same ids)."""

    chars: str

    @classmethod
    def from_text(cls, text: str) -> Vocabulary:
        """Every distinct character of ``text``, sorted."""
        return cls("".join(sorted(set(text))))

    def __len__(self) -> int:
        return len(self.chars)

    def __post_init__(self) -> None:
        if not isinstance(self.chars, str) or not self.chars or len(set(self.chars)) != len(self.chars):
            raise ValueError(_("a Vocabulary needs a non-empty string of distinct characters, got {got!r}").format(
                got=self.chars))
        object.__setattr__(self, "_ids", {c: i for i, c in enumerate(self.chars)})

    def encode(self, text: str) -> torch.Tensor:
        """``text`` -> int64 ids ``[len(text)]``. A character the vocabulary lacks raises ``ValueError``."""
        if not isinstance(text, str):
            raise TypeError(_("encode takes a string, got {kind}").format(kind=type(text).__name__))
        unknown = sorted(set(text) - set(self._ids))
        if unknown:
            shown = ", ".join(repr(c) for c in unknown[:5])
            raise ValueError(_("{shown} not in the vocabulary of {n} characters (the ones in the training "
                               "text); leave them out or replace them, e.g. with text.replace()").format(
                shown=shown, n=len(self)))
        return torch.tensor([self._ids[c] for c in text], dtype=torch.long)

    def decode(self, ids) -> str:
        """Ids (a 1-D tensor or a list of ints) -> the string they stand for."""
        ids = ids.tolist() if isinstance(ids, torch.Tensor) else list(ids)
        bad = [i for i in ids if isinstance(i, bool) or not isinstance(i, numbers.Integral) or not 0 <= i < len(self)]
        if bad:
            raise ValueError(_("ids must be whole numbers from 0 to {top}, got {bad!r}").format(
                top=len(self) - 1, bad=bad[0]))
        return "".join(self.chars[int(i)] for i in ids)


def stream_batches(ids: torch.Tensor, batch_size: int, seq_len: int):
    """Cut a long id sequence into ``batch_size`` parallel streams, then walk them ``seq_len`` steps at a time.

    Yields ``(x, y)``, both int64 ``[batch_size, <= seq_len]``: ``y`` is ``x`` shifted by one step. Row ``b``
    of each chunk continues row ``b`` of the chunk before, so a model may carry its state from one chunk to
    the next (truncated back-propagation through time). The last chunk may be shorter.
    """
    if ids.dim() != 1:
        raise ValueError(_("stream_batches takes a 1-D tensor of ids, got shape {shape}").format(
            shape=list(ids.shape)))
    length = (len(ids) - 1) // batch_size  # steps per stream, keeping one more id for the last target
    if length < 1:
        raise ValueError(_("{n} ids are too few for {b} streams: use a smaller batch_size").format(
            n=len(ids), b=batch_size))
    streams = ids[: batch_size * length + 1]
    x = streams[:-1].view(batch_size, length)  # [batch, length]: stream b is ids[b*length : (b+1)*length]
    y = streams[1:].view(batch_size, length)  # the next character of each
    for start in range(0, length, seq_len):
        yield x[:, start:start + seq_len], y[:, start:start + seq_len]


def uniform_bits(vocab_size: int) -> float:
    """Bits per character of guessing every character with the same probability, 1/vocab_size."""
    return math.log2(vocab_size)


def unigram_bits(train: str, validation: str, vocab: Vocabulary) -> float:
    """Bits per character on ``validation`` of predicting each character by its frequency in ``train``
    (counts plus one, so a character unseen in training is not infinitely surprising)."""
    counts = Counter(train)
    total = len(train) + len(vocab)
    return -sum(math.log2((counts[c] + 1) / total) for c in validation) / len(validation)
