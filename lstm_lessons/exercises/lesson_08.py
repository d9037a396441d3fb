"""Checks for the exercises of lesson 08: targets shifted by one, the per-step loss, a unigram model's bits."""

from __future__ import annotations

import math
import numbers
from collections import Counter

import torch
from torch import nn

from ..i18n import _
from .feedback import Feedback, check_tensor, prompt, read_number, say, shown, unattempted


def check_08_targets(answer, ids: torch.Tensor) -> Feedback:
    """The targets for the inputs ``ids[:-1]`` of a text's ids ``[n]``: the next character of each, ``ids[1:]``."""
    if not isinstance(ids, torch.Tensor) or ids.dim() != 1 or len(ids) < 3:
        return say("wrong", _("the check needs the lesson's ids, a 1-D tensor of at least 3 ids: re-run the "
                              "cells above."))
    n = len(ids)
    near = [(ids[:-1], _("that is the input itself. Each target is the character after its input: shift by one.")),
            (torch.roll(ids, -1),
             _("roll wraps the text's first character round to the end, so the last target would be the first "
               "character: slice instead, so that there is one target per input.")),
            (ids[:-2], _("one short: the inputs are {n} ids, so are the targets.").format(n=n - 1)),
            (ids[1:-1], _("one short at the end: the last input, ids[-2], has a target too, the text's last "
                          "character. Slice to the end."))]
    shape_hints = {(n,): _("that is one id more than the {n} inputs: the first id is never a target.").format(
                       n=n - 1),
                   (n - 2,): _("shifted by two: the target of each input is the very next character.")}
    return check_tensor(answer, ids[1:], _("the targets, a tensor of ids such as ids[...]"), near, shape_hints,
                        otherwise=_("the target at step t is ids[t + 1]."))


def check_08_sequence_loss(answer) -> Feedback:
    """``answer`` is a function ``loss(logits, targets)``: the mean cross-entropy over every step, for logits
    ``[batch, seq_len, vocab]`` and targets ``[batch, seq_len]``. The check calls it on a batch of its own
    (batch 3, seq_len 5, vocab 7, so no two sizes are equal)."""
    what = _("a function of (logits, targets) that returns the loss: `lambda logits, targets: ...` or a def")
    if unattempted(answer):
        return prompt(what)
    if isinstance(answer, (torch.Tensor, numbers.Number)):
        return say("wrong", _("that is a value, not a function. Give the function itself, without calling it: "
                              "the check calls it on a batch of its own."))
    if not callable(answer):
        return say("wrong", _("expected a function loss(logits, targets), got {got}.").format(
            got=type(answer).__name__))
    if isinstance(answer, type):
        return say("wrong", _("that is the class {name} itself: calling it makes a loss object, not a loss. "
                              "Make one first, {name}(), and call that on logits.transpose(1, 2) and the "
                              "targets.").format(name=answer.__name__))
    generator = torch.Generator().manual_seed(8)
    logits = torch.randn(3, 5, 7, generator=generator).requires_grad_()
    targets = torch.randint(0, 7, (3, 5), generator=generator)
    try:
        value = answer(logits, targets.clone())
    except Exception as error:  # noqa: BLE001 -- any error in the student's code becomes a hint
        return say("wrong", _("it raises {kind}: {text} -- {hint}").format(
            kind=type(error).__name__, text=str(error).splitlines()[0][:120] if str(error) else "",
            hint=_loss_error_hint(error)))
    return _judge_sequence_loss(value, logits, targets)


def _loss_error_hint(error: Exception) -> str:
    text = str(error)
    if "Expected target size" in text:
        return _("cross_entropy reads dim 1 as the classes: give it the logits as [batch, vocab, seq_len] with "
                 "logits.transpose(1, 2), or flatten both with reshape.")
    if "target dtype" in text or "scalar type Long" in text:
        return _("the targets are class ids: keep them int64 (no .float() or .int()); cross_entropy takes float "
                 "targets only as probabilities of the same shape as the logits.")
    if "batch_size" in text:
        return _("you flattened the logits to [batch * seq_len, vocab]: flatten the targets too, "
                 "targets.reshape(-1).")
    return _("print the shapes of logits and targets inside your function.")


def _judge_sequence_loss(value, logits: torch.Tensor, targets: torch.Tensor) -> Feedback:
    if unattempted(value):
        return prompt(_("the loss in `return ...`")) if value is Ellipsis else say(
            "wrong", _("your function returns None: did you forget `return`?"))
    if isinstance(value, numbers.Number):
        return say("wrong", _("it returns a Python number; return the loss tensor itself (drop .item())."))
    if not isinstance(value, torch.Tensor) or value.dim() != 0:
        return say("wrong", _("it returns {got}; the loss is one number, a 0-D tensor (keep the default "
                              "reduction='mean').").format(got=shown(value)))
    trainable = value.requires_grad
    try:
        got = value.detach().double().cpu().item()
    except (RuntimeError, NotImplementedError):
        return say("wrong", _("that tensor has no value to compare (is it on the 'meta' device?)."))
    if not trainable:
        return say("wrong", _("the loss has no gradient, so loss.backward() cannot train the model: drop "
                              ".detach() (or torch.no_grad())."))
    return _compare_loss(got, logits.detach(), targets)


def _compare_loss(got: float, logits: torch.Tensor, targets: torch.Tensor) -> Feedback:
    cross_entropy = nn.functional.cross_entropy
    right = cross_entropy(logits.transpose(1, 2), targets).item()
    if math.isclose(got, right, rel_tol=1e-4):
        return say("correct", _("the mean loss over all {n} steps of the batch: cross_entropy wants the classes "
                                "in dim 1, (N, C, L), or everything flattened.").format(n=targets.numel()))
    b, length, vocab = logits.shape
    known = [
        (cross_entropy(logits.reshape(b, vocab, length), targets).item(),
         _("reshape (or view) to [batch, vocab, seq_len] keeps the numbers in memory order, so steps and "
           "characters get mixed: transpose(1, 2) moves them.")),
        (right * targets.numel(), _("that is the sum over the steps: keep the mean (the default reduction).")),
        (cross_entropy(torch.softmax(logits, -1).transpose(1, 2), targets).item(),
         _("cross_entropy takes raw logits and applies log_softmax itself: drop the softmax.")),
        (cross_entropy(logits[:, -1], targets[:, -1]).item(),
         _("that is the loss of the last step only: a language model predicts at every step.")),
        (right / math.log(2), _("that is the loss in bits (divided by ln 2): training minimises it in nats, "
                                "as cross_entropy returns it; bits are for reporting.")),
        (nn.functional.nll_loss(logits.transpose(1, 2), targets).item(),
         _("nll_loss expects log-probabilities, and gets raw logits: use cross_entropy, which applies "
           "log_softmax itself.")),
        (cross_entropy(logits[:, :-1].transpose(1, 2), targets[:, 1:]).item(),
         _("the targets are already shifted by one: compare logits and targets step for step."))]
    for value, hint in known:
        if math.isclose(got, value, rel_tol=1e-4):
            return say("wrong", hint)
    return say("wrong", _("your loss is {got:.4f}, the right one {right:.4f}: use cross_entropy on "
                          "logits.transpose(1, 2) and the targets.").format(got=got, right=right))


UNIGRAM_TEXT = "tattoo"  # t 3 times, o 2, a 1: probabilities 1/2, 1/3, 1/6


def _unigram_bits(text: str, per_letter: bool = False, smooth: bool = False) -> float:
    """Bits per character of predicting ``text`` by its own character frequencies (the right answer), or
    the mean over its distinct letters (``per_letter``), or with one added to each count (``smooth``)."""
    counts = Counter(text)
    total = len(text) + (len(counts) if smooth else 0)
    cost = {c: -math.log2((counts[c] + smooth) / total) for c in counts}
    return sum(cost.values()) / len(cost) if per_letter else sum(cost[c] for c in text) / len(text)


def check_08_unigram_bits(answer, text: str = UNIGRAM_TEXT) -> Feedback:
    """Bits per character on ``text`` of a unigram model built from ``text`` itself: each character with
    probability ``count / len(text)``, costing ``-log2`` of it; the mean over the characters of ``text``."""
    value = read_number(answer, _("a number of bits, such as -sum(...) / len(text)"), whole=False)
    if isinstance(value, Feedback):
        return value
    right = _unigram_bits(text)
    if math.isclose(value, right, rel_tol=1e-3):
        (common, most), (rare, fewest) = Counter(text).most_common()[0], Counter(text).most_common()[-1]
        return say("correct", _("{bits:.3f} bits: frequent characters cost little ({common!r}: {cheap:.2f} bits), "
                                "rare ones a lot ({rare!r}: {dear:.2f} bits). Below log2({k}) = {uniform:.3f}, "
                                "guessing the {k} letters evenly.").format(
            bits=right, common=common, cheap=math.log2(len(text) / most), rare=rare,
            dear=math.log2(len(text) / fewest), k=len(set(text)), uniform=math.log2(len(set(text)))))
    hints = [(right * math.log(2), _("that is in nats (the natural log, which the loss uses): bits use log2.")),
             (right * math.log(2) / math.log(10), _("that is log base 10: bits use log2.")),
             (right * len(text), _("that is the total over the {n} characters: divide by their number for bits "
                                   "per character.").format(n=len(text))),
             (-right, _("the sign: a cost in bits is -log2(p), never negative.")),
             (math.log2(len(set(text))), _("that gives each of the {k} letters the same probability: use each "
                                           "one's frequency, count / {n}.").format(k=len(set(text)), n=len(text))),
             (math.log2(73), _("that is the uniform baseline of the lesson's 73 characters: here the model knows "
                               "only the letters of the text, each by its frequency.")),
             (_unigram_bits(text, per_letter=True),
              _("that averages over the {k} distinct letters: average over all {n} characters, so that t counts "
                "three times.").format(k=len(set(text)), n=len(text))),
             (_unigram_bits(text, smooth=True),
              _("that adds one to each count, as unigram_bits does for characters unseen in training: here every "
                "character is seen, use the plain frequencies."))]
    for wrong, hint in hints:
        if math.isclose(value, wrong, rel_tol=1e-3):
            return say("wrong", _("you answered {got}: {hint}").format(got=shown(value), hint=hint))
    return say("wrong", _("you answered {got}. Each character c has probability text.count(c) / {n} and costs "
                          "-log2 of it; average that cost over the {n} characters.").format(
        got=shown(value), n=len(text)))
