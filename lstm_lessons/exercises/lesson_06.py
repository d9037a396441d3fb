"""Checks for the guided experiments of lesson 06 (each trains a run, in a second or two)."""

from __future__ import annotations

import math
import numbers

from .feedback import Feedback, is_int, prompt, say, unattempted


def check_06_diverging_lr(answer) -> Feedback:
    """A learning rate that makes the order task's run diverge (hidden 32, batch 64, 3 epochs)."""
    from ..playground import PlaygroundSettings, run_training

    if unattempted(answer):
        return prompt("a learning rate that blows the loss up")
    if isinstance(answer, bool) or not isinstance(answer, numbers.Real) or not 0 < answer < math.inf:
        return say("wrong", f"a learning rate is a positive, finite number, got {answer!r}.")
    result = run_training(PlaygroundSettings(task="order", lr=float(answer), epochs=3))
    if result.history is not None and result.history.stopped == "diverged":
        return say("correct", f"lr={answer:g} blows the loss up: the run stops with TrainingDiverged.")
    return say("wrong", f"lr={answer:g} trained without blowing up. Try something 100 times larger.")


def check_06_overfitting(answer) -> Feedback:
    """On the random task, what does validation accuracy do while training accuracy climbs to 100%?"""
    choices = {"a": "it climbs too", "b": "it stays near chance (50%)", "c": "it falls to 0%"}
    if unattempted(answer):
        return prompt("'a', 'b' or 'c'")
    key = str(answer).strip().lower()[:1]
    if key == "b":
        return say("correct", "the network memorises its 64 training labels; on unseen sequences it guesses. "
                   "That is overfitting in its purest form: there is nothing to learn.")
    if key == "a":
        return say("wrong", "run it and watch the dashed accuracy line: the labels are random, so nothing "
                   "learned from the training set can help on new sequences.")
    if key == "c":
        return say("wrong", "0% would mean always wrong — that needs knowledge too. With random labels the "
                   "network can only guess.")
    return say("wrong", f"answer 'a', 'b' or 'c' ({'; '.join(f'{k}: {v}' for k, v in choices.items())}).")


def check_06_smallest_model(answer, target: float = 0.9, epochs: int = 10) -> Feedback:
    """The smallest hidden size with which the digits run reaches ``target`` validation accuracy."""
    from ..playground import PlaygroundSettings, run_training

    if unattempted(answer):
        return prompt("a hidden size")
    if not is_int(answer) or int(answer) < 1:
        return say("wrong", f"a hidden size is a positive whole number, got {answer!r}.")
    hidden = int(answer)
    result = run_training(PlaygroundSettings(task="digits", hidden_size=hidden, epochs=epochs))
    accuracy = result.history.val_accuracy[-1] if result.history and result.history.val_accuracy else 0.0
    if accuracy < target:
        return say("wrong", f"hidden size {hidden} stays below {target:.0%} in {epochs} epochs: too small. "
                   "Try doubling it.")
    if hidden > 24:
        return say("wrong", f"hidden size {hidden} reaches {target:.0%} — it works, but a much smaller "
                   "model does too. Halve it and try again.")
    return say("correct", f"hidden size {hidden} reaches {target:.0%} in {epochs} epochs. The LSTM "
               f"needs only {4 * (hidden * 8 + hidden * hidden + 2 * hidden)} parameters for that.")
