"""The verdict on an exercise answer, and the comparisons every check is built from."""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import torch


@dataclass(frozen=True)
class Feedback:
    """The verdict on one answer: ``status`` is ``correct``, ``wrong`` or ``unattempted``."""

    status: str
    message: str

    @property
    def correct(self) -> bool:
        return self.status == "correct"

    def __str__(self) -> str:
        return self.message

    def _ipython_display_(self) -> None:  # already printed by the check; show nothing twice
        pass


def say(status: str, text: str) -> Feedback:
    # plain symbols, not emoji: they render in every font, on any projector
    mark = {"correct": "✓ Correct:", "wrong": "✗ Not yet:", "unattempted": "✎ Your turn:"}
    feedback = Feedback(status, f"{mark[status]} {text}")
    print(feedback.message)
    return feedback


def unattempted(answer) -> bool:
    return answer is None or answer is Ellipsis


def prompt(what: str) -> Feedback:
    return say("unattempted", f"replace `...` with {what}, then run the cell again.")


def is_int(value) -> bool:
    """A whole number: Python's, numpy's (np.int64) or a 0-D integer tensor; never a bool."""
    if isinstance(value, torch.Tensor):
        return value.dim() == 0 and not value.is_floating_point() and value.dtype != torch.bool
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def as_shape(answer) -> tuple[int, ...] | None:
    """A shape answer as a tuple of ints, or None if it is not one (a tuple, list or torch.Size)."""
    if not isinstance(answer, (tuple, list, torch.Size)) or not all(is_int(n) for n in answer):
        return None
    return tuple(int(n) for n in answer)


def same(answer: torch.Tensor, other: torch.Tensor, close: bool = False) -> bool:
    """Same shape, dtype and values (``close``: up to float rounding), wherever each lives; never raises."""
    if answer.shape != other.shape or answer.dtype != other.dtype:
        return False
    try:
        a, b = answer.detach().cpu(), other.detach().cpu()
        return torch.allclose(a, b, rtol=1e-4, atol=1e-6) if close else torch.equal(a, b)
    except (RuntimeError, NotImplementedError):  # e.g. a tensor on the 'meta' device has no values
        return False


def check_number(answer, expected: int, what: str, hints: dict[int, str], otherwise: str) -> Feedback:
    if unattempted(answer):
        return prompt(what)
    if isinstance(answer, numbers.Real) and not isinstance(answer, bool) and float(answer).is_integer():
        answer = int(answer)  # 32.0 or np.ceil(...) is a whole number too
    if not is_int(answer):
        return say("wrong", f"expected a whole number, got {type(answer).__name__} {answer!r}: "
                   "round it (math.ceil rounds up).")
    answer = int(answer)
    if answer == expected:
        return say("correct", f"{expected}.")
    return say("wrong", f"you answered {answer}. {hints.get(answer, otherwise)}")


def check_tensor(answer, expected: torch.Tensor, what: str, near_misses: list[tuple[torch.Tensor, str]],
                 shape_hints: dict[tuple, str], close: bool = False,
                 otherwise: str = "check which index you used.") -> Feedback:
    """Compare a tensor answer with ``expected``; name a known near miss or the shape difference.

    ``close``: compare values up to float rounding (for answers the student computes);
    ``otherwise``: the hint when the shape is right but the values match no known near miss.
    """
    if unattempted(answer):
        return prompt(what)
    if not isinstance(answer, torch.Tensor):
        return say("wrong", f"expected a tensor, got {type(answer).__name__}.")
    if same(answer, expected, close):
        return say("correct", f"shape {list(expected.shape)}, the right values.")
    for candidate, hint in near_misses:
        if same(answer, candidate, close):
            return say("wrong", f"your tensor is {list(answer.shape)}: {hint}")
    got = tuple(answer.shape)
    if got != tuple(expected.shape):
        hint = shape_hints.get(got, "index one dimension at a time and print .shape after each step.")
        return say("wrong", f"your tensor is {list(got)}, expected {list(expected.shape)}: {hint}")
    if answer.dtype != expected.dtype:
        return say("wrong", f"the shape is right but the dtype is {answer.dtype}, expected {expected.dtype}: "
                   "keep the tensors' own dtype.")
    return say("wrong", f"the shape {list(got)} is right but the values differ: {otherwise}")


def check_shape(answer, expected: tuple[int, ...], what: str, hints: dict[tuple, str], why: str,
                otherwise: str) -> Feedback:
    """Compare a shape answer (tuple, list or torch.Size) with ``expected``.

    ``why`` follows the verdict when right; ``hints`` name known wrong shapes, ``otherwise`` the rest.
    """
    if unattempted(answer):
        return prompt(what)
    got = as_shape(answer)
    if got is None:
        return say("wrong", f"expected a shape: a tuple of whole numbers such as (1, 2, 3), got {answer!r}.")
    if got == expected:
        return say("correct", f"{expected}: {why}")
    return say("wrong", f"you answered {got}. {hints.get(got, otherwise)}")

