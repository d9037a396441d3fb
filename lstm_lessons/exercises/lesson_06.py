"""Checks for the guided experiments of lesson 06 (each trains a run, in a second or two)."""

from __future__ import annotations

from ..i18n import _
from .feedback import Feedback, read_choice, read_number, say, shown
from .lesson_05 import read_learning_rate

#: The hidden sizes of experiment 3: 64 halved run after run. The check trains the answer and its half
#: (no answer is stored: here 16 reaches 91% and 8 85%, but where 16 got 89% the answer would be 32).
HALVING_PATH = (64, 32, 16, 8, 4, 2, 1)


def check_06_diverging_lr(answer) -> Feedback:
    """A learning rate that makes the order task's run diverge (hidden 32, batch 64, 3 epochs)."""
    from ..playground import PlaygroundSettings, run_training

    answer = read_learning_rate(answer, _("a learning rate that blows the loss up"))
    if isinstance(answer, Feedback):
        return answer
    result = run_training(PlaygroundSettings(task="order", lr=answer, epochs=3))
    if result.history is None:  # the run could not start: say why instead of judging it
        return say("wrong", result.message)
    if result.history.stopped == "diverged":
        return say("correct", _("lr={answer:g} blows the loss up: the run stops with TrainingDiverged.").format(
            answer=answer))
    if answer * 10 <= 10:
        return say("wrong", _("lr={answer:g} trained without blowing up. Raise it: try 10 times larger.").format(
            answer=answer))
    return say("wrong", _("lr={answer:g} trained without blowing up. Raise it a notch or two along the slider "
               "(it goes up to 10).").format(answer=answer))


def check_06_overfitting(answer) -> Feedback:
    """On the random task, what does validation accuracy do while training accuracy climbs to 100%?"""
    choices = {"a": _("it climbs too"), "b": _("it stays near chance (50%)"), "c": _("it falls to 0%")}
    key = read_choice(answer, choices)
    if isinstance(key, Feedback):
        return key
    if key == "b":
        return say("correct", _("the network memorises its 64 training labels; on unseen sequences it guesses. "
                   "That is overfitting in its purest form: there is nothing to learn."))
    if key == "a":
        return say("wrong", _("run it and watch the dashed accuracy line: the labels are random, so nothing "
                   "learned from the training set can help on new sequences."))
    return say("wrong", _("0% would mean always wrong — that needs knowledge too. With random labels the "
               "network can only guess."))


def check_06_smallest_model(answer, target: float = 0.9, epochs: int = 10) -> Feedback:
    """Halving the hidden size from 64 (64, 32, 16, ...), the last size with which the digits run still
    reaches ``target`` validation accuracy after ``epochs`` epochs. Trains the answer's run, then the run of
    its half (seconds each): the answer must reach ``target``, its half must not."""
    hidden = read_number(answer, _("a hidden size"))
    if isinstance(hidden, Feedback):
        return hidden
    if hidden not in HALVING_PATH:
        return say("wrong", _("{hidden} is not on the halving path {names}, "
                   "...: start at 64 and halve it run after run.").format(
                       hidden=shown(hidden), names=', '.join(map(str, HALVING_PATH[:4]))))
    hidden = int(hidden)
    accuracy = _digits_accuracy(hidden, epochs)
    if accuracy < target:
        return say("wrong", _("hidden size {hidden} ends at {accuracy:.0%}, below {target:.0%} after {epochs} "
                   "epochs: too small. The answer is the last size before it that got there.").format(
                       hidden=hidden, accuracy=accuracy, target=target, epochs=epochs))
    half = _digits_accuracy(hidden // 2, epochs) if hidden > 1 else 0.0
    if half >= target:
        return say("wrong", _("hidden size {hidden} ends at {accuracy:.0%} — it works, and so does half of it "
                   "({half_size}: {half:.0%}). Halve it and try again.").format(
                       hidden=hidden, accuracy=accuracy, half_size=hidden // 2, half=half))
    lstm = 4 * (hidden * 8 + hidden * hidden + 2 * hidden)
    return say("correct", _("hidden size {hidden} ends at {accuracy:.0%} after {epochs} epochs, and half of it "
               "falls short ({half:.0%}). Its LSTM layer has only {lstm} parameters (the whole model, with "
               "its output layer, {total}).").format(
                   hidden=hidden, accuracy=accuracy, epochs=epochs, half=half, lstm=lstm,
                   total=lstm + hidden * 10 + 10))


def _digits_accuracy(hidden: int, epochs: int) -> float:
    """The validation accuracy of a digits run with the playground's defaults and ``hidden`` units."""
    from ..playground import PlaygroundSettings, run_training

    result = run_training(PlaygroundSettings(task="digits", hidden_size=hidden, epochs=epochs))
    return result.history.val_accuracy[-1] if result.history and result.history.val_accuracy else 0.0
