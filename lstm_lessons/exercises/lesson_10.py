"""Checks for the exercises of lesson 10 (data-parallel training)."""

from __future__ import annotations

from ..i18n import _
from .feedback import Feedback, check_number, read_number, say, shown

SHARING = 3  # the processes of exercises 2 and 3
LOW, HIGH = 60, 70  # exercise 3: a global batch in this range


def check_10_steps_per_epoch(answer) -> Feedback:
    """Optimizer steps each process takes in one epoch over the order task's 2000 training sequences, under
    torchrun with 4 processes and ``--batch-size 96`` (the global batch; full batches only)."""
    return check_number(answer, 2000 // 96, _("the number of steps each process takes in one epoch"), {
        21: _("2000 / 96 = 20.8: the last, partial global batch is not trained on (full batches only, "
              "drop_last): round down."),
        5: _("the processes share every batch, not the steps: each takes all 20 steps, with 24 sequences of each "
             "global batch of 96."),
        83: _("83 counts batches of 24, one process's share; a step is one global batch of 96, shared by all 4."),
        84: _("84 counts batches of 24, one process's share; a step is one global batch of 96, shared by all 4."),
        2000: _("that is one step per sequence; a step uses a whole batch."),
        96: _("96 is the global batch size; how many full batches does 2000 make?"),
        80: _("80 adds up the steps of all 4 processes; they take their steps together, and each takes all 20."),
        500: _("500 is each process's share of the 2000 sequences (2000 / 4); a step takes a global batch of 96."),
        24: _("24 is each process's share of a batch (96 / 4), the sequences it takes per step; how many steps?"),
    }, otherwise=_("divide 2000 by the global batch of 96 and round down (2000 // 96): only full batches train."),
        fraction_hint=_("A step takes a full global batch: round down (2000 // 96)."))


def check_10_padding(answer) -> Feedback:
    """Samples ``DistributedSampler(drop_last=False)`` repeats in an epoch over 1438 samples and 3 processes."""
    share = -(-1438 // SHARING)  # 480: rounded up
    return check_number(answer, share * SHARING - 1438, _("the number of repeated samples"), {
        0: _("1438 does not divide by 3, and every process must get as many samples: with drop_last=False the "
             "sampler pads with repeats."),
        1438 % SHARING: _("1 is what is left over (1438 % 3); the sampler pads up to the next multiple of 3 instead "
                          "of dropping it."),
        share: _("480 is each process's share, rounded up (1438 / 3 = 479.3); how many is that in all, and how many "
                 "more than 1438?"),
        share * SHARING: _("1440 is the padded total, 3 x 480; how many of those are repeats?"),
        1438 // SHARING: _("479 is each share with drop_last=True, which drops; the default, drop_last=False, pads."),
        1438: _("1438 is the whole data set; the repeats are only the few extra samples added so that the 3 shares "
                "are equal."),
    }, otherwise=_("round 1438 / 3 up to a whole share, multiply by 3, and subtract 1438: the extra are repeats."))


def check_10_global_batch(answer) -> Feedback:
    """A ``--batch-size`` from 60 to 70 that 3 processes can share: any multiple of 3 there is right."""
    value = read_number(answer, _("a batch size such as 64"),
                        fraction_hint=_("A batch holds a whole number of sequences."))
    if isinstance(value, Feedback):
        return value
    if not LOW <= value <= HIGH:
        return say("wrong", _("you answered {value}: give a batch size from {low} to {high}.").format(
            value=shown(value), low=LOW, high=HIGH))
    if value % SHARING:
        return say("wrong", _("{value} / 3 = {share:.2f}: each process would need a fraction of a sequence. "
                              "Try a multiple of 3.").format(value=value, share=value / SHARING))
    return say("correct", _("{value} = 3 x {share}: each process takes {share} sequences of every batch.").format(
        value=value, share=value // SHARING))
