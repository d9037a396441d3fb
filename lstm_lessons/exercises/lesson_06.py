"""Checks for the guided experiments of lesson 06 (each trains a run, in a second or two)."""

from __future__ import annotations

from .feedback import Feedback, read_choice, read_number, say, shown
from .lesson_05 import read_learning_rate

#: Halving the hidden size from 64, the last one with which the digits run still reaches 90% validation
#: accuracy after 10 epochs (playground defaults, seed 0): 16 does (91%), 8 does not (85%).
#: tests/test_exercises.py re-measures both.
HALVING_ANSWER = 16
HALVING_PATH = (64, 32, 16, 8, 4, 2, 1)


def check_06_diverging_lr(answer) -> Feedback:
    """A learning rate that makes the order task's run diverge (hidden 32, batch 64, 3 epochs)."""
    from ..playground import PlaygroundSettings, run_training

    answer = read_learning_rate(answer, "a learning rate that blows the loss up")
    if isinstance(answer, Feedback):
        return answer
    result = run_training(PlaygroundSettings(task="order", lr=answer, epochs=3))
    if result.history is None:  # the run could not start: say why instead of judging it
        return say("wrong", result.message)
    if result.history.stopped == "diverged":
        return say("correct", f"lr={answer:g} blows the loss up: the run stops with TrainingDiverged.")
    return say("wrong", f"lr={answer:g} trained without blowing up. Raise it: try 10 times larger.")


def check_06_overfitting(answer) -> Feedback:
    """On the random task, what does validation accuracy do while training accuracy climbs to 100%?"""
    choices = {"a": "it climbs too", "b": "it stays near chance (50%)", "c": "it falls to 0%"}
    key = read_choice(answer, choices)
    if isinstance(key, Feedback):
        return key
    if key == "b":
        return say("correct", "the network memorises its 64 training labels; on unseen sequences it guesses. "
                   "That is overfitting in its purest form: there is nothing to learn.")
    if key == "a":
        return say("wrong", "run it and watch the dashed accuracy line: the labels are random, so nothing "
                   "learned from the training set can help on new sequences.")
    return say("wrong", "0% would mean always wrong — that needs knowledge too. With random labels the "
               "network can only guess.")


def check_06_smallest_model(answer, target: float = 0.9, epochs: int = 10) -> Feedback:
    """Halving the hidden size from 64 (64, 32, 16, ...), the last size with which the digits run still
    reaches ``target`` validation accuracy after ``epochs`` epochs. Trains the answer's run (seconds)."""
    from ..playground import PlaygroundSettings, run_training

    hidden = read_number(answer, "a hidden size")
    if isinstance(hidden, Feedback):
        return hidden
    if hidden not in HALVING_PATH:
        return say("wrong", f"{shown(hidden)} is not on the halving path {', '.join(map(str, HALVING_PATH[:4]))}, "
                   "...: start at 64 and halve it run after run.")
    result = run_training(PlaygroundSettings(task="digits", hidden_size=hidden, epochs=epochs))
    accuracy = result.history.val_accuracy[-1] if result.history and result.history.val_accuracy else 0.0
    if accuracy < target:
        return say("wrong", f"hidden size {hidden} ends at {accuracy:.0%}, below {target:.0%} after {epochs} "
                   "epochs: too small. The answer is the last size before it that got there.")
    if hidden > HALVING_ANSWER:
        return say("wrong", f"hidden size {hidden} ends at {accuracy:.0%} — it works; does half of it work too? "
                   "Halve it and try again.")
    params = 4 * (hidden * 8 + hidden * hidden + 2 * hidden)
    return say("correct", f"hidden size {hidden} ends at {accuracy:.0%} after {epochs} epochs, and half of it "
               f"falls short. The LSTM needs only {params} parameters for that.")
