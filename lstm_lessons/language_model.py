"""A character-level language model: an LSTM that reads ids and predicts the next character.

Taught in lesson 08: the model, the per-step loss, training in chunks with the state carried and
detached (truncated back-propagation through time), bits per character, sampling with temperature.
"""

from __future__ import annotations

import math
import numbers
from pathlib import Path

import torch
from torch import nn

from .i18n import _
from .text_data import Vocabulary, stream_batches
from .validation import require_int

__all__ = ["CharLSTM", "PRETRAINED_FILE", "bits_per_character", "detach_state", "generate", "load_pretrained",
           "next_char_probabilities", "save_model", "sequence_loss", "temperature_softmax", "train_epoch"]

PRETRAINED_FILE = Path(__file__).resolve().parent / "resources" / "char_lstm_shakespeare.pt"


class CharLSTM(nn.Module):
    """Embedding -> LSTM -> linear: for each step, a score (logit) for every character of ``vocab``."""

    def __init__(self, vocab: Vocabulary, embed_size: int = 32, hidden_size: int = 128, num_layers: int = 1):
        super().__init__()
        self.vocab = vocab
        self.embedding = nn.Embedding(len(vocab), embed_size)
        self.lstm = nn.LSTM(embed_size, hidden_size, num_layers=num_layers, batch_first=True)
        self.head = nn.Linear(hidden_size, len(vocab))

    def config(self) -> dict:
        """What ``CharLSTM(**config)`` needs to rebuild this model (the vocabulary as a plain string)."""
        return {"chars": self.vocab.chars, "embed_size": self.embedding.embedding_dim,
                "hidden_size": self.lstm.hidden_size, "num_layers": self.lstm.num_layers}

    def forward(self, ids: torch.Tensor, state=None):
        """ids int64 ``[batch, seq_len]``; state ``(h, c)``, each ``[num_layers, batch, hidden]``, or None (zeros).

        Returns ``(logits, state)``: logits ``[batch, seq_len, vocab]``, and the state after the last step.
        """
        if not isinstance(ids, torch.Tensor) or ids.dim() != 2 or ids.dtype != torch.long:
            got = f"{ids.dtype} {list(ids.shape)}" if isinstance(ids, torch.Tensor) else type(ids).__name__
            raise ValueError(_("expected ids as an int64 tensor [batch, seq_len], got {got}: encode a text with "
                               "vocab.encode(text), and add a batch dimension with .unsqueeze(0)").format(got=got))
        x = self.embedding(ids)  # [batch, seq_len, embed]
        out, state = self.lstm(x, state)  # out: [batch, seq_len, hidden]
        return self.head(out), state  # [batch, seq_len, vocab]


def sequence_loss(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """Mean cross-entropy over every step: logits ``[batch, seq_len, vocab]``, targets ``[batch, seq_len]``.

    ``cross_entropy`` wants the classes in dim 1, ``(N, C, L)``, hence the transpose.
    """
    return nn.functional.cross_entropy(logits.transpose(1, 2), targets)


def detach_state(state):
    """``(h, c)`` cut from the graph that made them: the next chunk starts from their values, and its
    backward pass stops there."""
    return tuple(s.detach() for s in state)


def train_epoch(model: CharLSTM, ids: torch.Tensor, optimizer: torch.optim.Optimizer, *, batch_size: int = 32,
                seq_len: int = 64, max_chunks: int | None = None, clip: float = 1.0) -> float:
    """One pass over ``ids`` (1-D) in ``batch_size`` streams, ``seq_len`` steps per chunk, the state carried
    and detached from chunk to chunk. Returns the mean training loss in bits per character.

    ``max_chunks`` stops the epoch early (for short runs in a lesson).
    """
    model.train()
    device = _device(model)
    state, total, count = None, 0.0, 0
    for step, (x, y) in enumerate(stream_batches(ids, batch_size, seq_len)):
        if max_chunks is not None and step >= max_chunks:
            break
        x, y = x.to(device), y.to(device)  # the chunks are cut on the CPU; the model may be elsewhere
        logits, state = model(x, state)
        loss = sequence_loss(logits, y)
        optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), clip)
        optimizer.step()
        state = detach_state(state)  # without it, the next backward runs into this chunk's freed graph
        total, count = total + loss.item() * y.numel(), count + y.numel()
    return total / count / math.log(2)


@torch.no_grad()
def bits_per_character(model: CharLSTM, ids: torch.Tensor, *, streams: int = 8, seq_len: int = 256) -> float:
    """Mean ``-log2 p(next character)`` over ``ids`` (1-D), read as ``streams`` parallel streams, the state
    carried along each. Lower is better; guessing uniformly gives ``log2(vocab size)``.

    Each stream starts from a zero state, with no context for its first characters: more streams are
    faster but cost a little (on lesson 08's held-out text 2.21 bits with 1 or 8 streams, 2.23 with 64).
    """
    streams, seq_len = require_int("streams", streams), require_int("seq_len", seq_len)
    if isinstance(ids, torch.Tensor) and ids.dim() == 1 and (len(ids) - 1) // streams < 1:
        raise ValueError(_("{n} ids are too few for {streams} streams: use fewer streams (streams=1 reads the "
                           "text as one sequence)").format(n=len(ids), streams=streams))
    was_training = model.training
    model.eval()
    device = _device(model)
    state, total, count = None, 0.0, 0
    for x, y in stream_batches(ids, streams, seq_len):
        logits, state = model(x.to(device), state)
        total += nn.functional.cross_entropy(logits.transpose(1, 2), y.to(device), reduction="sum").item()
        count += y.numel()
    model.train(was_training)
    return total / count / math.log(2)


def _device(model: nn.Module) -> torch.device:
    return next(model.parameters()).device


def _check_prompt(model: CharLSTM, prompt) -> torch.Tensor:
    if not isinstance(prompt, str) or not prompt:
        raise ValueError(_("the prompt must be a non-empty string (the model needs at least one character to "
                           "start from), got {got!r}").format(got=prompt))
    ids = model.vocab.encode(prompt)  # unknown characters raise ValueError
    return ids.unsqueeze(0).to(_device(model))  # [1, len(prompt)], where the model is


SMALLEST_TEMPERATURE = 1 / torch.finfo(torch.float32).max  # below it, 1 / temperature overflows float32


def _check_temperature(temperature) -> float:
    value = None
    if isinstance(temperature, numbers.Real) and not isinstance(temperature, bool):
        try:
            value = float(temperature)
        except (OverflowError, ValueError):  # an int beyond float, such as 10**400
            value = None
    if value is None or not value > 0 or math.isinf(value):
        raise ValueError(_("temperature must be a positive number such as 0.5 or 1.0, got {got!r}: as it goes "
                           "to 0 sampling becomes argmax (always the likeliest character)").format(got=temperature))
    if value < SMALLEST_TEMPERATURE:
        raise ValueError(_("temperature must be a positive number such as 0.5 or 1.0, got {got!r}, so small that "
                           "1 / temperature overflows float32: 0.001 already gives argmax").format(got=temperature))
    return value


def temperature_softmax(logits: torch.Tensor, temperature: float) -> torch.Tensor:
    """``softmax(logits / temperature)`` over the last dim, computed as ``softmax((logits - max) / temperature)``
    so that a tiny temperature gives 1 at the likeliest character instead of ``inf / inf = nan``."""
    shifted = logits - logits.max(dim=-1, keepdim=True).values  # <= 0: divided by a tiny temperature, -inf at worst
    return torch.softmax(shifted / temperature, dim=-1)


def _is_whole(value, top: int) -> bool:
    """``value`` is an int (numpy's too, not a bool) from 0 to ``top - 1``."""
    return isinstance(value, numbers.Integral) and not isinstance(value, bool) and 0 <= value < top


@torch.no_grad()
def next_char_probabilities(model: CharLSTM, prompt: str, temperature: float = 1.0) -> torch.Tensor:
    """The probabilities ``[vocab]`` of the character after ``prompt``: ``softmax(logits / temperature)``.

    The model is put in ``eval()`` mode for the call and left in the mode it was in."""
    temperature = _check_temperature(temperature)
    was_training = model.training
    model.eval()
    logits, _state = model(_check_prompt(model, prompt))
    model.train(was_training)
    return temperature_softmax(logits[0, -1], temperature)


@torch.no_grad()
def generate(model: CharLSTM, prompt: str, length: int, *, temperature: float = 1.0, seed: int = 0) -> str:
    """``length`` characters that follow ``prompt``, each drawn from ``softmax(logits / temperature)``.

    The same ``seed`` gives the same text. Small temperatures pick the likeliest character (argmax) ever
    more often; large ones flatten the distribution. Raises ``ValueError`` for a temperature <= 0, an
    empty prompt, or characters the vocabulary lacks. The model runs in ``eval()`` mode, on its own device,
    and is left in the mode it was in; the draws are made on the CPU (the same text on any device).
    """
    temperature = _check_temperature(temperature)
    ids = _check_prompt(model, prompt)
    if not _is_whole(length, top=2**63):
        raise ValueError(_("length must be a whole number of characters, 0 or more, got {got!r}").format(
            got=length))
    if not _is_whole(seed, top=2**64):
        raise ValueError(_("seed must be a whole number from 0 to 2**64 - 1, got {got!r}; try seed=0").format(
            got=seed))
    length, seed = int(length), int(seed)
    generator = torch.Generator().manual_seed(seed)
    was_training = model.training
    model.eval()
    logits, state = model(ids)  # read the whole prompt once
    chosen = []
    for _step in range(length):
        probabilities = temperature_softmax(logits[0, -1].double().cpu(), temperature)
        next_id = torch.multinomial(probabilities, 1, generator=generator)  # [1], on the CPU
        chosen.append(next_id.item())
        logits, state = model(next_id.view(1, 1).to(ids.device), state)  # one step, the state carried
    model.train(was_training)
    return model.vocab.decode(chosen)


def save_model(model: CharLSTM, path) -> None:
    """Save the weights and what rebuilds the model, in a file ``torch.load(..., weights_only=True)`` reads."""
    torch.save({"config": model.config(), "state_dict": model.state_dict()}, path)


def load_pretrained(path=PRETRAINED_FILE) -> CharLSTM:
    """The model saved at ``path`` (by default the shipped one, trained by ``tools/train_char_model.py``),
    loaded with ``weights_only=True``, in ``eval()`` mode."""
    saved = torch.load(path, weights_only=True)
    config = dict(saved["config"])
    model = CharLSTM(Vocabulary(config.pop("chars")), **config)
    model.load_state_dict(saved["state_dict"])
    return model.eval()
