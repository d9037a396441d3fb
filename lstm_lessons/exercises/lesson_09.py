"""Checks for the exercises of lesson 09 (forecasting)."""

from __future__ import annotations

import math
import numbers

import torch

from ..i18n import _
from .feedback import Feedback, check_number, not_a_tensor, prompt, same, say, shown, unattempted

# the hand-made case the MAPE check runs a student's function on: errors of 10%, 10% and 20%
_FORECAST = torch.tensor([110.0, 180.0, 60.0], dtype=torch.float64)
_TRUTH = torch.tensor([100.0, 200.0, 50.0], dtype=torch.float64)
_MAPE = 100 * (10 / 100 + 20 / 200 + 10 / 50) / 3  # 13.33...


def check_09_window_count(answer) -> Feedback:
    """How many (window, target) pairs ``make_windows`` cuts from the 120 training months, window 12, horizon 1."""
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
    if tuple(got.shape) == (season,):
        return say("wrong", _("your tensor has {season} values, one year; the horizon is {horizon} months: repeat "
                              "the last year as often as needed.").format(season=season, horizon=horizon))
    if tuple(got.shape) != (horizon,):
        return say("wrong", _("expected a 1-D tensor of {horizon} values, got shape {shape}.").format(
            horizon=horizon, shape=list(got.shape)))
    return say("wrong", _("the shape is right but the values differ: forecast month k with history[-12 + k % 12]."))


def check_09_mape(answer) -> Feedback:
    """A function ``mape(forecast, truth)`` returning the mean absolute percentage error, in percent."""
    if unattempted(answer):
        return prompt(_("a function mape(forecast, truth)"))
    if not callable(answer) or isinstance(answer, type):
        return say("wrong", _("expected a function mape(forecast, truth) that returns a number, got {got}.").format(
            got=shown(answer)))
    try:
        value = answer(_FORECAST.clone(), _TRUTH.clone())
    except Exception as error:  # noqa: BLE001 -- any failure of the student's function becomes a hint
        return say("wrong", _("your function raised {kind}: {text}").format(
            kind=type(error).__name__, text=str(error).splitlines()[0][:120] if str(error) else ""))
    if unattempted(value):
        return prompt(_("the body of your function: it still returns ..."))
    if isinstance(value, torch.Tensor) and value.numel() == 1 and value.device.type != "meta":
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        return say("wrong", _("your function should return one finite number, got {got}.").format(got=shown(value)))
    wrong = {
        100 * (10 / 110 + 20 / 180 + 10 / 60) / 3: _("it divides by the forecast; MAPE divides each error by the "
                                                     "true value."),
        100 * (10 / 100 - 20 / 200 + 10 / 50) / 3: _("an error below the truth cancels one above it: take the "
                                                     "absolute value of each error first."),
        _MAPE / 100: _("that is a fraction; MAPE is given in percent: multiply by 100."),
        _MAPE * 3: _("that is the sum over the months; MAPE is their mean."),
        math.sqrt((100 + 400 + 100) / 3): _("that is the RMSE, in the series' units; MAPE is in percent of the "
                                            "truth."),
    }
    if math.isclose(value, _MAPE, rel_tol=1e-6):
        return say("correct", _("errors of 10%, 10% and 20% give a MAPE of {mape:.2f}%.").format(mape=_MAPE))
    for other, hint in wrong.items():
        if math.isclose(value, other, rel_tol=1e-6):
            return say("wrong", _("on forecasts [110, 180, 60] of the truth [100, 200, 50] it gives {value:.4g}: "
                                  "{hint}").format(value=value, hint=hint))
    return say("wrong", _("on forecasts [110, 180, 60] of the truth [100, 200, 50] it gives {value:.4g}, expected "
                          "{mape:.4g}: 100 * mean(|forecast - truth| / |truth|).").format(value=value, mape=_MAPE))
