"""Checks for the exercises of lesson 07 (sequences of different lengths)."""

from __future__ import annotations

import torch
from torch.nn import functional as F

from ..i18n import _
from .feedback import Feedback, _whole, check_tensor, not_a_tensor, prompt, same, say, shown, unattempted

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
    if hint is None and sum(sizes) != sum(EXAMPLE_LENGTHS):
        hint = _("the entries must add up to the number of real steps, 5 + 3 + 2 = 10; you have {total}.").format(
            total=sum(sizes))
    if hint is None:
        hint = _("write how many of the three sequences are longer than t, for t = 0, 1, 2, 3, 4.")
    return say("wrong", _("you answered {answer}. {hint}").format(answer=shown(list(sizes)), hint=hint))


def _read_counts(answer):
    """A list, tuple or 1-D integer tensor of whole numbers as a tuple of ints, or a Feedback."""
    if unattempted(answer):
        return prompt(_("a list of whole numbers, one per time step, such as [3, 1]"))
    if isinstance(answer, torch.Tensor) and answer.dim() == 1 and not answer.is_floating_point() \
            and answer.device.type != "meta":
        answer = answer.tolist()
    if not isinstance(answer, (list, tuple)):
        return say("wrong", _("expected a list of whole numbers, one per time step, such as [3, 1]; got "
                              "{got}.").format(got=shown(answer)))
    counts = [_whole(n) if not isinstance(n, bool) else None for n in answer]
    if not counts or any(n is None or n < 0 for n in counts):
        return say("wrong", _("expected a list of whole numbers, one per time step, such as [3, 1]; got "
                              "{got}.").format(got=shown(answer)))
    return tuple(counts)


def check_07_last_real_step(answer, out: torch.Tensor, lengths: torch.Tensor) -> Feedback:
    """``out`` [batch, max_len, hidden] at each sequence's last real step: [batch, hidden]."""
    batch = torch.arange(len(lengths))
    expected = out[batch, lengths - 1]
    near_misses = [
        (out[:, -1], _("out[:, -1] reads the last padded step: zeros for every sequence shorter than the longest "
                       "(confusion 5). Index each sequence at its own lengths - 1.")),
        (out[batch, (lengths - 2).clamp(min=0)], _("that is one step early: the last real step is lengths - 1.")),
        (out[:, 0], _("that is the first step of every sequence; the last real one is at lengths - 1.")),
    ]
    shape_hints = {
        (len(lengths), len(lengths), out.shape[2]): _(
            "out[:, lengths - 1] reads every sequence at every length. Pair them: "
            "out[torch.arange(batch), lengths - 1]."),
        tuple(out.shape): _("that is the whole padded out; pick one step per sequence."),
    }
    return check_tensor(answer, expected, _("out at each sequence's last real step"), near_misses, shape_hints,
                        otherwise=_("index sequence i at step lengths[i] - 1."))


def check_07_masked_loss(answer, logits: torch.Tensor, targets: torch.Tensor, lengths: torch.Tensor) -> Feedback:
    """The mean per-step cross-entropy over the real steps only: ``logits`` [batch, max_len, classes],
    ``targets`` [batch, max_len], ``lengths`` [batch]."""
    if unattempted(answer):
        return prompt(_("the mean loss over the real steps (a tensor holding one number)"))
    if not isinstance(answer, torch.Tensor):
        return not_a_tensor(answer)
    if answer.numel() != 1:
        return say("wrong", _("expected one number (a 0-D tensor), got a tensor of shape {shape}: average the "
                              "per-step losses of the real steps.").format(shape=list(answer.shape)))
    answer = answer.detach().reshape(())
    mask = torch.arange(logits.shape[1]) < lengths.unsqueeze(1)  # [batch, max_len]: True at real steps
    per_step = F.cross_entropy(logits.transpose(1, 2), targets, reduction="none")  # [batch, max_len]
    expected = (per_step * mask).sum() / mask.sum()
    if same(answer.to(expected.dtype), expected, close=True):
        return say("correct", _("{value:.4f}: every real step counts once, the padding not at all.").format(
            value=expected.item()))
    wrong = [
        (per_step.mean(), _("that averages over the padded steps too: they are not part of any sequence.")),
        ((per_step * mask).mean(), _("the padding is zeroed but still counted in the mean: divide by the number "
                                     "of real steps, mask.sum(), not by every step.")),
        ((per_step * mask).sum(), _("that is the sum: divide it by the number of real steps, mask.sum().")),
        (((per_step * mask).sum(1) / lengths).mean(), _(
            "that is the mean of each sequence's mean: every sequence weighs the same, so a step of a short "
            "sequence weighs more. Here every real step should weigh the same: sum, then divide by mask.sum().")),
    ]
    for candidate, hint in wrong:
        if same(answer.to(candidate.dtype), candidate, close=True):
            return say("wrong", hint)
    try:
        got = float(answer)
    except (RuntimeError, NotImplementedError, ValueError):  # e.g. a tensor on the 'meta' device
        return say("wrong", _("that tensor has no value to read (is it on the 'meta' device?)."))
    return say("wrong", _("you got {got:.4f}. Build mask = torch.arange(max_len) < lengths[:, None], take the "
                          "per-step losses with reduction='none', and average them where mask is True.").format(
        got=got))
