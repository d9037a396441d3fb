"""Checks for the exercises of lesson 07 (sequences of different lengths)."""

from __future__ import annotations

import math
import numbers

import torch
from torch.nn import functional as F
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence, pad_sequence

from ..i18n import _
from .feedback import Feedback, _whole, check_tensor, prompt, same, say, shown, unattempted

EXAMPLE_LENGTHS = (5, 3, 2)  # exercise 1's batch


def check_07_batch_sizes(answer) -> Feedback:
    """``packed.batch_sizes`` for sequences of lengths 5, 3 and 2: how many are still running at each step."""
    sizes = _read_counts(answer)
    if isinstance(sizes, Feedback):
        return sizes
    expected = (3, 3, 2, 1, 1)
    if sizes == expected:
        return say("correct", _("[3, 3, 2, 1, 1]: all three sequences run steps 0 and 1, two run step 2, only the "
                                "longest runs steps 3 and 4 -- 10 real steps, not 15."))
    hints = {
        EXAMPLE_LENGTHS: _("those are the lengths, one per sequence; batch_sizes has one entry per time step: "
                           "how many sequences are still running at that step?"),
        (3, 3, 3, 3, 3): _("that counts the padding too: a sequence stops counting after its last real step."),
        (1, 1, 2, 3, 3): _("the right counts in the wrong order: at step 0 every sequence is still running."),
        (3, 2, 2, 1, 1): _("the sequence of length 2 runs steps 0 and 1; it stops before step 2."),
    }
    hint = hints.get(sizes)
    if hint is None and max(sizes) > len(EXAMPLE_LENGTHS):
        return say("wrong", _("batch_sizes counts the sequences still running at each step: never more than the "
                              "3 in this batch; you have {got}.").format(got=shown(max(sizes), limit=20)))
    if hint is None and sum(sizes) != sum(EXAMPLE_LENGTHS):
        hint = _("the entries must add up to the number of real steps, 5 + 3 + 2 = 10; you have {total}.").format(
            total=sum(sizes))
    if hint is None:
        hint = _("write how many of the three sequences are longer than t, for t = 0, 1, 2, 3, 4.")
    return say("wrong", _("you answered {answer}. {hint}").format(answer=shown(list(sizes)), hint=hint))


def _read_counts(answer):
    """A list, tuple or 1-D tensor or array of whole numbers as a tuple of ints, or a Feedback."""
    if unattempted(answer):
        return prompt(_("a list of whole numbers, one per time step, such as [3, 1]"))
    if (isinstance(answer, torch.Tensor) and answer.device.type != "meta" and not answer.is_complex()) \
            or type(answer).__module__ == "numpy":
        if getattr(answer, "ndim", 0) == 1:
            answer = answer.tolist()  # [3., 3., 2., 1., 1.] reads as whole numbers, like a list of floats
    if not isinstance(answer, (list, tuple)):
        return say("wrong", _("expected a list of whole numbers, one per time step, such as [3, 1]; got "
                              "{got}.").format(got=shown(answer)))
    counts = [_whole(n) if not isinstance(n, bool) else None for n in answer]
    if not counts or any(n is None or n < 0 for n in counts):
        return say("wrong", _("expected a list of whole numbers, one per time step, such as [3, 1]; got "
                              "{got}.").format(got=shown(answer)))
    return tuple(counts)


def check_07_both_directions(answer, bi: torch.nn.LSTM, sequences) -> Feedback:
    """Both directions' final states side by side, [batch, 2 * hidden], read from the padded ``out`` of the
    packed bidirectional ``bi`` run on ``sequences`` (each [length, features])."""
    hidden = bi.hidden_size
    lengths = torch.tensor([len(s) for s in sequences])
    with torch.no_grad():
        alone = [bi(s.unsqueeze(0))[1][0] for s in sequences]  # each h_n: [2, 1, hidden]
        expected = torch.cat([torch.cat([h_n[0], h_n[1]], dim=1) for h_n in alone])  # [batch, 2 * hidden]
        padded = pad_sequence(list(sequences), batch_first=True)
        packed = pack_padded_sequence(padded, lengths, batch_first=True, enforce_sorted=False)
        out = pad_packed_sequence(bi(packed)[0], batch_first=True)[0]  # [batch, longest, 2 * hidden]
        unpacked = bi(padded)[0]
    batch = torch.arange(len(lengths))
    forward, backward = slice(0, hidden), slice(hidden, 2 * hidden)
    near_misses = [
        (out[batch, lengths - 1], _("the forward half is right, but the backward half at lengths - 1 is the "
                                    "backward direction after reading one frame: its final state is at step 0.")),
        (out[:, 0], _("the backward half is right, but the forward half at step 0 has read one frame: its final "
                      "state is at lengths - 1.")),
        (out[:, -1], _("out[:, -1] is a padded step: zeros for every sequence shorter than the longest "
                       "(confusion 5).")),
        (torch.cat([out[:, 0, backward], out[batch, lengths - 1, forward]], dim=1), _(
            "the right states in the wrong order: the forward direction is the first half of out's features.")),
        (torch.cat([unpacked[batch, lengths - 1, forward], unpacked[:, 0, backward]], dim=1), _(
            "the right steps of an unpacked run: there the backward direction starts in the padding. Pack first.")),
    ]
    shape_hints = {
        (len(lengths), hidden): _("that is one direction: put both side by side, torch.cat([...], dim=1)."),
        tuple(out.shape): _("that is the whole padded out; pick one step per sequence and direction."),
    }
    return check_tensor(answer, expected, _("both directions' final states, [batch, 2 * hidden]"), near_misses,
                        shape_hints, close=True,
                        otherwise=_("forward: out[i, lengths[i] - 1, :hidden]; backward: out[i, 0, hidden:]."))


def check_07_sequence_mean(answer, logits: torch.Tensor, targets: torch.Tensor, lengths: torch.Tensor) -> Feedback:
    """The mean over sequences of each sequence's mean per-step cross-entropy over its real steps (every
    sequence weighs the same): ``logits`` [batch, max_len, classes], ``targets`` [batch, max_len]."""
    if unattempted(answer):
        return prompt(_("the mean over the sequences of each one's mean loss (a tensor holding one number)"))
    mask = torch.arange(logits.shape[1]) < lengths.unsqueeze(1)  # [batch, max_len]: True at real steps
    with torch.no_grad():
        per_step = F.cross_entropy(logits.transpose(1, 2), targets, reduction="none")  # [batch, max_len]
    each = (per_step * mask).sum(1) / lengths  # [batch]: each sequence's own mean
    expected = each.mean()
    if type(answer).__module__ == "numpy" and getattr(answer, "ndim", 0) > 0:
        answer = torch.as_tensor(answer)
    value = _one_number(answer)
    if isinstance(value, Feedback):
        return value
    if value is None:  # several numbers
        if tuple(answer.shape) == tuple(each.shape) and same(answer.detach().to(each.dtype), each, close=True):
            return say("wrong", _("those are the {n} sequences' own means, right: now average them, one "
                                  "number.").format(n=len(lengths)))
        return say("wrong", _("expected one number (a 0-D tensor), got a tensor of shape {shape}: average "
                              "each sequence's real steps, then the sequences.").format(shape=list(answer.shape)))
    if math.isclose(value, expected.item(), rel_tol=1e-4, abs_tol=1e-6):
        return say("correct", _("{value:.4f}: each sequence's real steps averaged first, so a short sequence "
                                "weighs as much as a long one.").format(value=expected.item()))
    wrong = [
        ((per_step * mask).sum() / mask.sum(), _(
            "that is the masks section's mean: every real step weighs the same, so a long sequence counts more. "
            "Average each sequence's own steps first, then the sequences.")),
        (per_step.mean(), _("that averages over the padded steps too: they are not part of any sequence.")),
        (((per_step * mask).sum(1) / logits.shape[1]).mean(), _(
            "the padding is zeroed but each sum is divided by max_len: divide by each sequence's own length.")),
        (each.sum(), _("that is the sum of the sequences' means: divide by the number of sequences.")),
    ]
    for candidate, hint in wrong:
        if math.isclose(value, candidate.item(), rel_tol=1e-4, abs_tol=1e-6):
            return say("wrong", hint)
    return say("wrong", _("you got {got:.4f}. With mask = torch.arange(max_len) < lengths[:, None], sum each "
                          "sequence's per-step losses where mask is True, divide by its length, then take "
                          "the mean.").format(got=value))


def _one_number(answer):
    """A real number from a tensor or array of one element, or a Python or numpy number; None when the
    tensor holds several; a Feedback when it is no real number at all."""
    if isinstance(answer, torch.Tensor) or type(answer).__module__ == "numpy":
        if getattr(answer, "dtype", None) is not None and (
                getattr(answer.dtype, "is_complex", False) or getattr(answer.dtype, "kind", "") == "c"):
            return say("wrong", _("expected a real number, got a complex {got}: a loss is real.").format(
                got=shown(answer)))
        if getattr(answer, "size", None) is not None and (answer.numel() if isinstance(answer, torch.Tensor)
                                                          else answer.size) != 1:
            return None
        try:
            answer = answer.item()
        except (RuntimeError, NotImplementedError, ValueError):  # e.g. a tensor on the 'meta' device
            return say("wrong", _("that tensor has no value to read (is it on the 'meta' device?)."))
    if isinstance(answer, bool) or not isinstance(answer, numbers.Real):
        return say("wrong", _("expected one number, the mean loss (a 0-D tensor), got {got}.").format(
            got=shown(answer, limit=40)))
    try:
        value = float(answer)
    except OverflowError:
        value = math.inf
    if not math.isfinite(value):
        return say("wrong", _("you got {got}: a mean of cross-entropies is a finite number.").format(
            got=shown(answer, limit=30)))
    return value
