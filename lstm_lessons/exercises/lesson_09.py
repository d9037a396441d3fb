"""Checks for the exercises of lesson 09 (forecasting)."""

from __future__ import annotations

import math
import numbers

import torch

from ..i18n import N_, _
from .feedback import Feedback, check_number, not_a_tensor, prompt, same, say, shown, unattempted

# the hand-made cases the MAPE check runs a student's function on: (forecast, truth, MAPE by hand).
# In the first, errors of 10%, 10% and 20%: MAPE 13.33, and the mean absolute error is 13.33 too; in the
# second, errors of 10% each: MAPE 10, the mean absolute error 18.33 -- only MAPE gives both.
_CASES = [([110.0, 180.0, 60.0], [100.0, 200.0, 50.0], 100 * (10 / 100 + 20 / 200 + 10 / 50) / 3),
          ([90.0, 440.0, 45.0], [100.0, 400.0, 50.0], 10.0)]

# the usual wrong formulas, each with its hint (translated when shown): computed on each case
_WRONG_MAPES = [
    (lambda f, t: 100 * ((f - t).abs() / f.abs()).mean(),
     N_("it divides by the forecast; MAPE divides each error by the true value.")),
    (lambda f, t: 100 * ((f - t) / t).mean(),
     N_("an error below the truth cancels one above it: take the absolute value of each error first.")),
    (lambda f, t: ((f - t).abs() / t.abs()).mean(),
     N_("that is a fraction; MAPE is given in percent: multiply by 100.")),
    (lambda f, t: 100 * ((f - t).abs() / t.abs()).sum(), N_("that is the sum over the months; MAPE is their mean.")),
    (lambda f, t: (f - t).pow(2).mean().sqrt(), N_("that is the RMSE, in the series' units; MAPE is in percent of "
                                                 "the truth.")),
    (lambda f, t: (f - t).abs().mean(), N_("that is the mean absolute error (MAE), in the series' units; MAPE "
                                          "divides each error by its true value first.")),
    (lambda f, t: 100 * ((f - t).abs() / ((f.abs() + t.abs()) / 2)).mean(),
     N_("that is the symmetric MAPE (sMAPE), which divides by the mean of forecast and truth; MAPE divides by the "
       "truth alone.")),
    (lambda f, t: 100 * (f - t).abs().sum() / t.abs().sum(),
     N_("that is the weighted MAPE (wMAPE): the summed errors over the summed truth; MAPE averages each month's "
       "percentage.")),
]


def check_09_window_count(answer) -> Feedback:
    """How many (window, target) pairs ``make_windows`` cuts from the 120 training months, window 12, horizon 1."""
    if isinstance(answer, float) and not answer.is_integer() and math.isfinite(answer):
        return say("wrong", _("expected a whole number, got {value!r}: a count of windows has no fraction; write "
                              "it as an int, without decimals.").format(value=answer))
    return check_number(answer, 108, _("the number of windows"), {
        120: _("not every month can start a window: a window needs 12 months and the month after them."),
        109: _("that counts every run of 12 months, but the last run has no month after it to be its target: "
               "120 - 12 - 1 + 1."),
        10: _("that cuts the years side by side; windows slide by one month, so they overlap."),
        12: _("12 is the length of one window; how many start positions leave room for a target?"),
        107: _("one too few: the first window starts at month 0, the last at month 107 (target: month 119)."),
        96: _("that subtracts the window twice; subtract it once, and one more month for the target, then add 1."),
    }, otherwise=_("a window starts at each month that leaves 12 inputs and 1 target inside the 120 months: "
                   "120 - 12 - 1 + 1."))


def check_09_seasonal_naive(answer, history: torch.Tensor, season: int = 12, horizon: int = 24) -> Feedback:
    """The seasonal naive forecast of the ``horizon`` months after ``history`` (1-D), as a tensor ``[horizon]``."""
    if unattempted(answer):
        return prompt(_("a tensor of the {horizon} forecast values").format(horizon=horizon))
    if not isinstance(answer, torch.Tensor):
        return not_a_tensor(answer)
    expected = history[-season:].repeat(math.ceil(horizon / season))[:horizon].double()
    got = answer if answer.is_complex() else answer.double()  # an int or float32 tensor of the right values is right
    future = _airline_future(history, horizon)
    if got.shape == expected.shape and same(got, expected, close=True):
        return say("correct", _("each month gets the value of the same month in the last year of history, "
                                "twice over: {horizon} values.").format(horizon=horizon))
    near_misses = [
        (history[-1:].repeat(horizon), _("that repeats the last value, the naive forecast; the seasonal naive "
                                         "repeats the same month a year earlier.")),
        (history[-2 * season:], _("those are the last two years: the second forecast year must repeat the last "
                                  "year again, the newest one seen, not the year before it.")),
        (history[-season - 1:-1].repeat(2), _("shifted by one month: the forecast of the first month is "
                                              "history[-12], the same month last year.")),
    ]
    for candidate, hint in near_misses:
        if got.shape == candidate.shape and same(got, candidate.double(), close=True):
            return say("wrong", hint)
    if future is not None and got.shape == future.shape and same(got, future, close=True):
        return say("wrong", _("those are the true months you forecast, the test months: a forecast may use only the "
                              "history, the months before them."))
    if tuple(got.shape) == (season,):
        return say("wrong", _("your tensor has {season} values, one year; the horizon is {horizon} months: repeat "
                              "the last year as often as needed.").format(season=season, horizon=horizon))
    if tuple(got.shape) != (horizon,):
        return say("wrong", _("expected a 1-D tensor of {horizon} values, got shape {shape}.").format(
            horizon=horizon, shape=list(got.shape)))
    return say("wrong", _("the shape is right but the values differ: forecast month k with history[-12 + k % 12]."))


def _airline_future(history: torch.Tensor, horizon: int):
    """The ``horizon`` airline months after ``history``, if ``history`` is the airline series' start; else None."""
    from ..series import load_series

    values = load_series("airline").values
    n = len(history)
    if n + horizon > len(values) or not torch.equal(history.double().cpu(), values[:n]):
        return None
    return values[n:n + horizon]


def _as_number(value):
    """A finite float from a number, or a one-value tensor or array; None for anything else."""
    if isinstance(value, torch.Tensor) and value.numel() == 1 and value.device.type != "meta":
        value = value.item()
    elif type(value).__module__ == "numpy" and getattr(value, "size", 0) == 1:
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return None
    try:
        value = float(value)
    except OverflowError:  # an int too large for a float
        return None
    return value if math.isfinite(value) else None


def check_09_mape(answer) -> Feedback:
    """A function ``mape(forecast, truth)`` returning the mean absolute percentage error, in percent."""
    if unattempted(answer):
        return prompt(_("a function mape(forecast, truth)"))
    if not callable(answer) or isinstance(answer, type):
        return say("wrong", _("expected a function mape(forecast, truth) that returns a number, got {got}.").format(
            got=shown(answer)))
    for forecast, truth, expected in _CASES:
        f, t = (torch.tensor(v, dtype=torch.float64) for v in (forecast, truth))
        try:
            raw = answer(f.clone(), t.clone())
        except Exception as error:  # noqa: BLE001 -- any failure of the student's function becomes a hint
            return say("wrong", _("your function raised {kind}: {text}").format(
                kind=type(error).__name__, text=str(error).splitlines()[0][:120] if str(error) else ""))
        if raw is None:  # the body computes the number but has no `return`
            return say("wrong", _("your function returns None: did you forget `return` before the formula?"))
        if unattempted(raw):
            return prompt(_("the body of your function: it still returns ..."))
        value = _as_number(raw)
        if value is None:
            return say("wrong", _("your function should return one finite number, got {got}.").format(
                got=shown(raw)))
        if math.isclose(value, expected, rel_tol=1e-6):
            continue
        case = _("on forecasts {f} of the truth {t} it gives {value:.4g}").format(
            f=[int(v) for v in forecast], t=[int(v) for v in truth], value=value)
        for formula, hint in _WRONG_MAPES:
            if math.isclose(value, formula(f, t).item(), rel_tol=1e-6):
                return say("wrong", _("{case}: {hint}").format(case=case, hint=_(hint)))
        return say("wrong", _("{case}, expected {mape:.4g}: 100 * mean(|forecast - truth| / |truth|).").format(
            case=case, mape=expected))
    return say("correct", _("errors of 10%, 10% and 20% give a MAPE of {a:.2f}%; errors of 10% each, "
                            "{b:.2f}%.").format(a=_CASES[0][2], b=_CASES[1][2]))
