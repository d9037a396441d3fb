"""The verdict on an exercise answer, the one way every check reads an answer, and the comparisons.

Reading: :func:`read_number` (a count, a size or a learning rate), :func:`read_shape` and
:func:`read_choice` turn what a student typed into a value, or into a :class:`Feedback` that says
what came and what to write instead -- for any input, never a traceback. A whole number may come
as ``int``, an integral ``float``, a numpy integer or a 0-D tensor.
"""

from __future__ import annotations

import math
import numbers
import re
from dataclasses import dataclass

import torch

from ..i18n import _


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
    mark = {"correct": _("✓ Correct:"), "wrong": _("✗ Not yet:"), "unattempted": _("✎ Your turn:")}
    feedback = Feedback(status, _("{mark} {text}").format(mark=mark[status], text=text))
    print(feedback.message)
    return feedback


def unattempted(answer) -> bool:
    return answer is None or answer is Ellipsis


def prompt(what: str) -> Feedback:
    return say("unattempted", _("replace `...` with {what}, then run the cell again.").format(what=what))


def shown(answer, limit: int = 60) -> str:
    """``repr(answer)``, cut to ``limit`` characters (a 400-digit number or a long list stays readable)."""
    if isinstance(answer, int) and not isinstance(answer, bool) and abs(answer) >= 10**limit:
        return _("a number with {digits} digits").format(digits=len(str(abs(answer))))
    text = repr(answer) if not isinstance(answer, torch.Tensor) else _("a tensor of shape {shape}").format(
        shape=list(answer.shape))
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _one_value(answer):
    """A 0-D tensor or array -> its Python number; anything else unchanged."""
    if isinstance(answer, torch.Tensor) or type(answer).__module__ == "numpy":
        if getattr(answer, "shape", None) == ():
            try:
                return answer.item()
            except (RuntimeError, NotImplementedError, ValueError):  # e.g. a tensor on the 'meta' device
                return answer
    return answer


def read_number(answer, what: str, whole: bool = True, fraction_hint: str = ""):
    """The number in ``answer`` (``int`` if ``whole``, else ``float``), or a Feedback saying why not.

    ``fraction_hint`` follows the verdict when a whole number was asked for and a fraction came.
    """
    if unattempted(answer):
        return prompt(what)
    value = _one_value(answer)
    if isinstance(value, str):
        if _is_numeral(value) and not value.strip().isascii():  # "６４": full-width digits from an IME
            return say("wrong", _("write the number with ASCII digits and no quotes (such as 64), not "
                       "{value}: Python reads full-width digits only inside a string.").format(value=shown(value)))
        if _is_numeral(value):
            return say("wrong", _("write a number, not a string: {digits} without the quotes, "
                       "not {value}.").format(digits=value.strip(), value=shown(value)))
        return say("wrong", _("expected a number, got the string {value}: write the number itself, "
                   "such as 64, with no quotes.").format(value=shown(value)))
    if isinstance(value, bool):
        return say("wrong", _("{value} is a truth value; write a number.").format(value=value))
    if isinstance(value, torch.Tensor) or hasattr(value, "shape"):
        size = list(getattr(value, "shape", []))
        if not size:
            return say("wrong", _("that tensor has no value to read (is it on the 'meta' device?)."))
        kind = _("a tensor") if isinstance(value, torch.Tensor) else _("an {type}").format(type=type(value).__name__)
        more = _(" (take it out with .item())") if math.prod(size) == 1 else ""
        return say("wrong", _("expected one number, got {kind} of shape {size}{more}.").format(
            kind=kind, size=size, more=more))
    if isinstance(value, (tuple, list, torch.Size)):
        return say("wrong", _("expected one number, got a whole {type} {value}.").format(
            type=type(value).__name__, value=shown(value)))
    if callable(value):
        return say("wrong", _("expected a number, got the function {value}: did you forget the () that "
                   "calls it?").format(value=shown(value)))
    if not isinstance(value, numbers.Real):
        return say("wrong", _("expected a number, got {type} {value}.").format(
            type=type(value).__name__, value=shown(value)))
    if isinstance(value, numbers.Integral):
        value = int(value)
        return value if whole else _as_float(value)
    value = _as_float(value)
    if isinstance(value, Feedback) or not whole:
        return value
    if not value.is_integer():
        return say("wrong", _("expected a whole number, got {value!r}. {fraction_hint}").format(
            value=value, fraction_hint=fraction_hint).rstrip())
    return int(value)


def _is_numeral(text: str) -> bool:
    """Whether ``text`` is a number written as a string, such as ``"64"`` or ``" 2.5 "``."""
    try:
        return math.isfinite(float(text))
    except (ValueError, OverflowError):
        return False


def _as_float(value):
    try:
        value = float(value)
    except OverflowError:
        return say("wrong", _("{value} is too large for any computation here (more than about 1e308).").format(
            value=shown(value)))
    if math.isnan(value):
        return say("wrong", _("that is NaN, 'not a number': write a number."))
    if math.isinf(value):
        return say("wrong", _("{value} is not a finite number; write one.").format(value=value))
    return value


def _whole(value) -> int | None:
    """``value`` as an int if it is a whole number (int, integral float, numpy, 0-D tensor), else None."""
    value = _one_value(value)
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return None
    if isinstance(value, numbers.Integral):
        return int(value)
    try:
        value = float(value)
    except OverflowError:
        return None
    return int(value) if value.is_integer() else None  # NaN and inf are not integers


def read_shape(answer, what: str):
    """A shape answer (tuple, list or torch.Size of whole numbers) as a tuple of ints, or a Feedback."""
    if unattempted(answer):
        return prompt(what)
    example = _("a tuple of whole numbers such as (3, 4), or (3,) for one dimension")
    if isinstance(answer, str):
        return say("wrong", _("write a tuple, not a string: {example}; got {answer}.").format(
            example=example, answer=shown(answer)))
    if isinstance(answer, torch.Tensor):
        return say("wrong", _("expected a shape, {example}; got {answer}: its shape is `.shape`.").format(
            example=example, answer=shown(answer)))
    if isinstance(answer, numbers.Number) and not isinstance(answer, bool):
        number = shown(answer)  # the student's own number, never the exercise's answer
        if number != repr(answer) or _whole(answer) is None:  # too long to repeat, or not a size at all
            return say("wrong", _("expected a shape, {example}; got {number}. In Python (n) is just the number n: "
                       "the comma makes a tuple, (n,).").format(example=example, number=number))
        return say("wrong", _("expected a shape, {example}; got {number}. In Python ({number}) is just the number "
                   "{number}: the comma makes a tuple, ({number},).").format(example=example, number=number))
    if not isinstance(answer, (tuple, list, torch.Size)):
        return say("wrong", _("expected a shape, {example}; got {type} {answer}.").format(
            example=example, type=type(answer).__name__, answer=shown(answer)))
    sizes = [_whole(size) for size in answer]
    for size, value in zip(answer, sizes, strict=True):
        if value is None or value < 0:
            return say("wrong", _("expected a shape, {example}; {size} in {answer} is not a size.").format(
                example=example, size=shown(size), answer=shown(answer)))
    return tuple(sizes)


def read_choice(answer, choices: dict[str, str]):
    """The key of the one option ``answer`` names ("b", "(b)", " B "), or a Feedback."""
    keys = list(choices)
    listed = _("{keys} or '{last}'").format(keys=", ".join(f"'{key}'" for key in keys[:-1]), last=keys[-1])
    options = "; ".join(f"({key}) {text}" for key, text in choices.items())
    if unattempted(answer):
        return prompt(listed)
    if not isinstance(answer, str):
        return say("wrong", _("write the letter as a string, {listed}; got {answer}.").format(
            listed=listed, answer=shown(answer)))
    key = answer.strip().strip("\"'").strip().lower().strip("()[]. ")
    if key in choices:
        return key
    return say("wrong", _("answer with exactly one option, {listed} ({options}); got {answer}.").format(
        listed=listed, options=options, answer=shown(answer)))


def same(answer: torch.Tensor, other: torch.Tensor, close: bool = False) -> bool:
    """Same shape, dtype and values (``close``: up to float rounding), wherever each lives; never raises."""
    if answer.shape != other.shape or answer.dtype != other.dtype:
        return False
    try:
        a, b = answer.detach().cpu(), other.detach().cpu()
        return torch.allclose(a, b, rtol=1e-4, atol=1e-6) if close else torch.equal(a, b)
    except (RuntimeError, NotImplementedError, TypeError):  # e.g. a tensor on the 'meta' device has no values
        return False


def sentence(text: str) -> str:
    """``text`` with its first word capitalised, to start a sentence -- unless that word is code (``squeeze()``)."""
    word = re.match(r"[a-z]+(?=[ ,;:])", text)
    return text if word is None or word[0] in ("x", "y", "h", "c", "out") else text[0].upper() + text[1:]


def check_number(answer, expected: int, what: str, hints: dict[int, str], otherwise: str,
                 fraction_hint: str = "") -> Feedback:
    """Compare a whole-number answer (a count) with ``expected``; ``hints`` name known wrong counts."""
    value = read_number(answer, what, fraction_hint=fraction_hint)
    if isinstance(value, Feedback):
        return value
    if value == expected:
        return say("correct", f"{expected}.")
    if value in hints:
        return say("wrong", _("you answered {value}. {hint}").format(value=value, hint=sentence(hints[value])))
    if value < 0:
        return say("wrong", _("you answered {value}: a count is never negative.").format(value=shown(value)))
    if value > 10**15:
        return say("wrong", _("you answered {value}: far more than anything counted here. "
                   "{hint}").format(value=shown(value), hint=sentence(otherwise)))
    return say("wrong", _("you answered {value}. {hint}").format(value=shown(value), hint=sentence(otherwise)))


def not_a_tensor(answer) -> Feedback:
    """The feedback for an answer that should be a tensor and is not."""
    more = "" if type(answer).__module__ != "numpy" else _(": torch.from_numpy(...) converts it") \
        if getattr(answer, "ndim", 0) else _(": torch.as_tensor(...) converts it")  # from_numpy: arrays only
    return say("wrong", _("expected a tensor, got {type} {answer}{more}.").format(
        type=type(answer).__name__, answer=shown(answer, limit=40), more=more))


def check_tensor(answer, expected: torch.Tensor, what: str, near_misses: list[tuple[torch.Tensor, str]],
                 shape_hints: dict[tuple, str], close: bool = False,
                 otherwise: str = _("check which index you used.")) -> Feedback:
    """Compare a tensor answer with ``expected``; name a known near miss or the shape difference.

    ``close``: compare values up to float rounding (for answers the student computes);
    ``otherwise``: the hint when the shape is right but the values match no known near miss.
    """
    if unattempted(answer):
        return prompt(what)
    if not isinstance(answer, torch.Tensor):
        return not_a_tensor(answer)
    if same(answer, expected, close):
        return say("correct", _("shape {expected_shape}, the right values.").format(
            expected_shape=list(expected.shape)))
    for candidate, hint in near_misses:
        if same(answer, candidate, close):
            return say("wrong", _("your tensor is {shape}: {hint}").format(shape=list(answer.shape), hint=hint))
    got = tuple(answer.shape)
    if got != tuple(expected.shape):
        hint = shape_hints.get(got, _("index one dimension at a time and print .shape after each step."))
        return say("wrong", _("your tensor is {got}, expected {expected_shape}: {hint}").format(
            got=list(got), expected_shape=list(expected.shape), hint=hint))
    if answer.dtype != expected.dtype:
        return say("wrong", _("the shape is right but the dtype is {dtype}, expected {expected_dtype}: "
                   "keep the tensors' own dtype.").format(dtype=answer.dtype, expected_dtype=expected.dtype))
    return say("wrong", _("the shape {got} is right but the values differ: {otherwise}").format(
        got=list(got), otherwise=otherwise))


def check_shape(answer, expected: tuple[int, ...], what: str, hints: dict[tuple, str], why: str,
                otherwise: str) -> Feedback:
    """Compare a shape answer (tuple, list or torch.Size) with ``expected``.

    ``why`` follows the verdict when right; ``hints`` name known wrong shapes, ``otherwise`` the rest.
    """
    got = read_shape(answer, what)
    if isinstance(got, Feedback):
        return got
    if got == expected:
        return say("correct", f"{expected}: {why}")
    return say("wrong", _("you answered {got}. {hint}").format(
        got=shown(got), hint=sentence(hints.get(got, otherwise))))
