"""A character-level language model: an LSTM that reads ids and predicts the next character.

Taught in lesson 08: the model, the per-step loss, training in chunks with the state carried and
detached (truncated back-propagation through time), bits per character, sampling with temperature.
"""

from __future__ import annotations

import math
from pathlib import Path

import torch
from torch import nn

from .i18n import _
from .text_data import Vocabulary, stream_batches

__all__ = ["CharLSTM", "PRETRAINED_FILE", "bits_per_character", "detach_state", "generate", "load_pretrained",
           "next_char_probabilities", "save_model", "sequence_loss", "train_epoch"]

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
    state, total, count = None, 0.0, 0
    for step, (x, y) in enumerate(stream_batches(ids, batch_size, seq_len)):
        if max_chunks is not None and step >= max_chunks:
            break
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
    carried along each. Lower is better; guessing uniformly gives ``log2(vocab size)``."""
    was_training = model.training
    model.eval()
    state, total, count = None, 0.0, 0
    for x, y in stream_batches(ids, streams, seq_len):
        logits, state = model(x, state)
        total += nn.functional.cross_entropy(logits.transpose(1, 2), y, reduction="sum").item()
        count += y.numel()
    model.train(was_training)
    return total / count / math.log(2)


def _check_prompt(model: CharLSTM, prompt) -> torch.Tensor:
    if not isinstance(prompt, str) or not prompt:
        raise ValueError(_("the prompt must be a non-empty string (the model needs at least one character to "
                           "start from), got {got!r}").format(got=prompt))
    return model.vocab.encode(prompt).unsqueeze(0)  # [1, len(prompt)]; unknown characters raise ValueError


def _check_temperature(temperature) -> float:
    if isinstance(temperature, bool) or not isinstance(temperature, (int, float)) or not temperature > 0 \
            or math.isinf(temperature):
        raise ValueError(_("temperature must be a positive number such as 0.5 or 1.0, got {got!r}: as it goes "
                           "to 0 sampling becomes argmax (always the likeliest character)").format(got=temperature))
    return float(temperature)


@torch.no_grad()
def next_char_probabilities(model: CharLSTM, prompt: str, temperature: float = 1.0) -> torch.Tensor:
    """The probabilities ``[vocab]`` of the character after ``prompt``: ``softmax(logits / temperature)``."""
    temperature = _check_temperature(temperature)
    model.eval()
    logits, _state = model(_check_prompt(model, prompt))
    return torch.softmax(logits[0, -1] / temperature, dim=0)


@torch.no_grad()
def generate(model: CharLSTM, prompt: str, length: int, *, temperature: float = 1.0, seed: int = 0) -> str:
    """``length`` characters that follow ``prompt``, each drawn from ``softmax(logits / temperature)``.

    The same ``seed`` gives the same text. Small temperatures pick the likeliest character (argmax) ever
    more often; large ones flatten the distribution. Raises ``ValueError`` for a temperature <= 0, an
    empty prompt, or characters the vocabulary lacks.
    """
    temperature = _check_temperature(temperature)
    ids = _check_prompt(model, prompt)
    if isinstance(length, bool) or not isinstance(length, int) or length < 0:
        raise ValueError(_("length must be a whole number of characters, 0 or more, got {got!r}").format(
            got=length))
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(_("seed must be a whole number, 0 or more, got {got!r}").format(got=seed))
    generator = torch.Generator().manual_seed(seed)
    model.eval()
    logits, state = model(ids)  # read the whole prompt once
    chosen = []
    for _step in range(length):
        probabilities = torch.softmax(logits[0, -1].double() / temperature, dim=0)
        next_id = torch.multinomial(probabilities, 1, generator=generator)  # [1]
        chosen.append(next_id.item())
        logits, state = model(next_id.view(1, 1), state)  # one step, the state carried
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
