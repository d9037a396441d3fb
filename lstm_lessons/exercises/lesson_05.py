"""Checks for the exercises of lesson 05."""

from __future__ import annotations

import torch

from .feedback import Feedback, check_number, prompt, say, unattempted

_STEPS = {"forward", "loss", "zero_grad", "backward", "step"}


def check_05_steps_per_epoch(answer) -> Feedback:
    """Optimizer steps in one epoch over 2000 sequences with ``batch_size=64``."""
    return check_number(answer, 32, "the number of optimizer steps in one epoch", {
        31: "31 full batches of 64 make 1984 sequences; the last 16 form a 32nd, smaller batch — a step too.",
        2000: "that is one step per sequence; a step uses a whole batch.",
        1: "that is full-batch training, as in the seed; here each batch of 64 gets its own step.",
        64: "64 is the batch size; how many batches does 2000 make?",
    }, otherwise="divide 2000 by 64 and round up: the last, smaller batch is a step too.")


def check_05_loop_order(answer) -> Feedback:
    """The five steps of one training iteration, in an order that trains correctly."""
    if unattempted(answer):
        return prompt('a list of the five step names, e.g. ["forward", ...]')
    if not isinstance(answer, (list, tuple)) or not all(isinstance(step, str) for step in answer):
        return say("wrong", f"expected a list of step names (strings), got {answer!r}.")
    steps = [step.strip().lower() for step in answer]
    if set(steps) != _STEPS or len(steps) != 5:
        missing, extra = _STEPS - set(steps), set(steps) - _STEPS
        return say("wrong", f"use each of {sorted(_STEPS)} once; missing {sorted(missing)}, unknown {sorted(extra)}.")
    at = {step: i for i, step in enumerate(steps)}
    if at["loss"] < at["forward"]:
        return say("wrong", "the loss compares the model's output with the labels: forward must come first.")
    if at["backward"] < at["loss"]:
        return say("wrong", "backward computes the gradients of the loss: the loss must exist first.")
    if at["step"] < at["backward"]:
        return say("wrong", "step moves the weights along the gradients: backward must compute them first.")
    if at["backward"] < at["zero_grad"] < at["step"]:
        return say("wrong", "zero_grad between backward and step wipes the gradients just computed: step would "
                   "do nothing.")
    if at["zero_grad"] > at["step"]:
        return say("correct", "zeroing after the step also works, as long as the first iteration starts with "
                   "zero gradients (a new model's are None).")
    return say("correct", "zero_grad anywhere before backward clears the last step's gradients, which would "
               "otherwise add up.")


def check_05_learning_rate(answer, task, epochs: int = 3, target: float = 0.9) -> Feedback:
    """A learning rate with which an LSTMClassifier (hidden 16, batch 64, seed 0) reaches ``target``
    validation accuracy on ``task`` within ``epochs`` epochs. Runs that training (a few seconds)."""
    from ..models import LSTMClassifier
    from ..training import TrainingDiverged, train

    if unattempted(answer):
        return prompt("a learning rate, e.g. 1e-4")
    if isinstance(answer, bool) or not isinstance(answer, (int, float)) or not answer > 0:
        return say("wrong", f"a learning rate is a positive number, got {answer!r}.")
    torch.manual_seed(0)
    model = LSTMClassifier(task.input_size, 16, 1, task.num_classes)
    try:
        history = train(model, task.train, val_set=task.val, epochs=epochs, lr=float(answer), batch_size=64,
                        seed=0, progress=False)
    except TrainingDiverged:
        return say("wrong", f"lr={answer:g} blows the loss up: too large. Try 10 to 100 times smaller.")
    accuracy = history.val_accuracy[-1]
    if accuracy >= target:
        return say("correct", f"lr={answer:g} reaches {accuracy:.1%} validation accuracy in {epochs} epochs.")
    if answer > 0.1:
        return say("wrong", f"lr={answer:g} reaches only {accuracy:.1%}: the steps overshoot, so the loss does not "
                   "settle. Try 10 times smaller.")
    if history.train_loss[-1] > 0.5 * history.train_loss[0]:
        return say("wrong", f"lr={answer:g} reaches only {accuracy:.1%}: the loss barely moved, so the steps "
                   "are too small. Try 10 times larger.")
    return say("wrong", f"lr={answer:g} reaches {accuracy:.1%}, short of {target:.0%}: the loss fell but not "
               "far enough. Try a learning rate about 3 times larger or smaller.")
