"""Checks for the exercises of lesson 05."""

from __future__ import annotations

import re

import torch

from ..i18n import _
from ..training import MAX_LR
from .feedback import Feedback, check_number, prompt, read_number, say, shown, unattempted

_STEPS = {"forward", "loss", "zero_grad", "backward", "step"}
BARELY_MOVED = 0.95  # a last epoch's training loss above this fraction of the first's: the steps are too small


def check_05_steps_per_epoch(answer) -> Feedback:
    """Optimizer steps in one epoch over the digits' 1438 training sequences with ``batch_size=32``."""
    return check_number(answer, 45, _("the number of optimizer steps in one epoch"), {
        44: _("44 full batches of 32 make 1408 sequences; the last 30 form a 45th, smaller batch — a step too."),
        1438: _("that is one step per sequence; a step uses a whole batch."),
        1: _("that is full-batch training, as in the tutorial; here each batch of 32 gets its own step."),
        32: _("32 is the batch size; how many batches does 1438 make?"),
    }, otherwise=_("divide 1438 by 32 and round up: the last, smaller batch is a step too."),
        fraction_hint=_("A step takes a whole batch: round it (math.ceil rounds up) -- the last, smaller batch "
                      "is a step too."))


def check_05_loop_order(answer) -> Feedback:
    """The five steps of one training iteration, in an order that trains correctly.

    The rule, read top to bottom as one pass of the loop: forward before loss, loss before backward,
    backward before step; zero_grad anywhere except between backward and step.
    """
    if unattempted(answer):
        return prompt(_('a list of the five step names, e.g. ["forward", ...]'))
    if isinstance(answer, str):
        return say("wrong", _('write a list with one string per step, ["forward", ...], not one string: '
                   "got {answer}.").format(answer=shown(answer)))
    if not isinstance(answer, (list, tuple)) or not all(isinstance(step, str) for step in answer):
        return say("wrong", _("expected a list of step names (strings), got {answer}.").format(answer=shown(answer)))
    steps = [_step_name(step) for step in answer]
    if set(steps) != _STEPS or len(steps) != 5:
        missing = sorted(_STEPS - set(steps))
        unknown = [step for step, name in zip(answer, steps, strict=True) if name not in _STEPS]
        twice = sorted({step for step in steps if steps.count(step) > 1})
        problems = [_("missing {missing}").format(missing=missing) if missing else "",
                    _("unknown {unknown}").format(unknown=unknown) if unknown else "",
                    _("repeated {twice}").format(twice=twice) if twice else ""]
        return say("wrong", _("use each of {STEPS} once: ").format(
            STEPS=sorted(_STEPS)) + ", ".join(p for p in problems if p) + ".")
    at = {step: i for i, step in enumerate(steps)}
    if at["loss"] < at["forward"]:
        return say("wrong", _("the loss compares the model's output with the labels: forward must come first."))
    if at["backward"] < at["loss"]:
        return say("wrong", _("backward computes the gradients of the loss: the loss must exist first."))
    if at["step"] < at["backward"]:
        return say("wrong", _("step moves the weights along the gradients: backward must compute them first, "
                   "earlier in the same pass (the loop body runs top to bottom)."))
    if at["backward"] < at["zero_grad"] < at["step"]:
        return say("wrong", _("zero_grad between backward and step wipes the gradients just computed: step would "
                   "do nothing."))
    if at["zero_grad"] > at["step"]:
        return say("correct", _("zeroing after the step also works, as long as the first iteration starts with "
                   "zero gradients (a new model's are None)."))
    return say("correct", _("zero_grad anywhere before backward clears the last step's gradients, which would "
               "otherwise add up."))


def read_learning_rate(answer, what: str):
    """A positive, finite learning rate as a float, or a Feedback (shared with lesson 06)."""
    value = read_number(answer, what, whole=False)
    if isinstance(value, Feedback):
        return value
    if value <= 0:
        return say("wrong", _("a learning rate is a positive number, got {value:g}: the steps would go uphill "
                   "(negative) or nowhere (0).").format(value=value))
    if value > MAX_LR:
        return say("wrong", _("{value:g} is more than train() accepts (lr <= {MAX_LR:g}): every weight would "
                   "move by about that much in one step. Try something between 1e-4 and 1.").format(
                       value=value, MAX_LR=MAX_LR))
    return value


def _step_name(step: str) -> str:
    """"optimizer.zero_grad()", "Zero grad", "forward pass", "pred = model(x)" or "loss = criterion(pred, y)"
    -> the step's name."""
    text = step.strip().lower()
    if re.fullmatch(r"[\w.]+\s*=[^=].*", text):  # an assignment, as the tutorial writes its first two steps
        target = text.split("=", 1)[0].strip()
        return "loss" if "loss" in target else "forward"
    if re.fullmatch(r"(lstm|model)\(.*\)", text):  # the tutorial's bare call, lstm(x)
        return "forward"
    if re.fullmatch(r"(criterion|loss_fn|loss)\(.*\)", text):  # criterion(pred.squeeze(), y)
        return "loss"
    name = re.sub(r"\(.*\)$", "", text).strip().replace(" ", "_").replace("-", "_")
    name = name.rsplit(".", 1)[-1].removesuffix("_pass")
    return _SYNONYMS.get(name, name)


_SYNONYMS = {"compute_loss": "loss", "backprop": "backward", "backpropagation": "backward", "update": "step",
             "optimizer_step": "step", "zero_gradients": "zero_grad"}


def check_05_learning_rate(answer, task, epochs: int = 3, target: float = 0.9) -> Feedback:
    """A learning rate with which an LSTMClassifier (hidden 16, batch 64, seed 0) reaches ``target``
    validation accuracy on ``task`` within ``epochs`` epochs. Runs that training (a few seconds)."""
    from ..models import LSTMClassifier
    from ..training import TrainingDiverged, train

    answer = read_learning_rate(answer, _("a learning rate, e.g. 1e-4"))
    if isinstance(answer, Feedback):
        return answer
    torch.manual_seed(0)
    model = LSTMClassifier(task.input_size, 16, 1, task.num_classes)
    try:
        history = train(model, task.train, val_set=task.val, epochs=epochs, lr=float(answer), batch_size=64,
                        seed=0, progress=False, device="cpu")  # the CPU: the same verdict on every machine
    except TrainingDiverged:
        return say("wrong", _("lr={answer:g} blows the loss up: too large. Try 10 to 100 times smaller.").format(
            answer=answer))
    if history.stopped == "interrupted":  # the stop button: no verdict on a run cut short
        return say("unattempted", _("the training of lr={answer:g} was interrupted after {epochs} of "
                   "{planned} epochs: run the cell again to check it.").format(
                       answer=answer, epochs=history.epochs, planned=epochs))
    accuracy = max(history.val_accuracy)  # "within" the epochs: the best epoch counts
    if accuracy >= target:
        return say("correct", _("lr={answer:g} reaches {target:.0%} validation accuracy within {epochs} "
                                "epochs.").format(
            answer=answer, target=target, epochs=epochs))
    if answer > 0.1:
        return say("wrong", _("lr={answer:g} reaches only {accuracy:.1%}: the steps overshoot, so the loss does not "
                   "settle. Try 10 times smaller.").format(answer=answer, accuracy=accuracy))
    losses = history.train_loss
    if losses[-1] > BARELY_MOVED * losses[0]:
        return say("wrong", _("lr={answer:g} reaches only {accuracy:.1%}: the loss barely moved, so the steps "
                   "are too small. Try 10 times larger.").format(answer=answer, accuracy=accuracy))
    if all(later < earlier for earlier, later in zip(losses, losses[1:], strict=False)):
        return say("wrong", _("lr={answer:g} reaches {accuracy:.1%}, short of {target:.0%}: the loss fell but not "
                   "far enough in {epochs} epochs. Try a learning rate about 3 times larger.").format(
                       answer=answer, accuracy=accuracy, target=target, epochs=epochs))
    return say("wrong", _("lr={answer:g} reaches {accuracy:.1%}, short of {target:.0%}: the loss went up and down, "
               "as when the steps overshoot. Try a learning rate about 3 times smaller.").format(
                   answer=answer, accuracy=accuracy, target=target))
