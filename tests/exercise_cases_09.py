"""Lesson 09's cases for tests/test_exercises.py: the extra arguments, right answers written differently from
the lesson's solutions, and typical wrong answers with the words their hint must hold."""

import math

import numpy as np
import torch

HISTORY = torch.arange(1.0, 37.0, dtype=torch.float64) * 10  # 3 "years" of 12 months: 10, 20, ..., 360
LAST_YEAR = HISTORY[-12:]


def _mape_fraction(forecast, truth):
    return ((forecast - truth).abs() / truth.abs()).mean()


ARGS_09 = {"check_09_seasonal_naive": [HISTORY]}

RIGHT_09 = {
    "check_09_window_count": [len(range(0, 120 - 12)), 108.0, np.int64(108), torch.tensor(108)],
    "check_09_seasonal_naive": [LAST_YEAR.repeat(2), torch.stack([HISTORY[-12 + k % 12] for k in range(24)]),
                                LAST_YEAR.float().repeat(2), LAST_YEAR.long().repeat(2),  # the right values in
                                torch.tensor(LAST_YEAR.tolist() * 2)],                 # another dtype are right
    "check_09_mape": [lambda f, t: 100 * _mape_fraction(f, t), lambda f, t: float(100 * _mape_fraction(f, t)),
                      lambda f, t: sum(abs(a - b) / abs(b) for a, b in zip(f.tolist(), t.tolist(), strict=True))
                      * 100 / len(t),
                      lambda f, t: (100 * (1 - f / t).abs()).mean(),
                      lambda f, t: np.asarray(100 * _mape_fraction(f, t).item())],  # a 0-D array is one number
}

WRONG_09 = {
    "check_09_window_count": [(120, "not every month"), (109, "no month after it"), (10, "slide by one month"),
                              (12, "length of one window"), (107, "one too few"), (96, "subtracts the window twice"),
                              (-108, "never negative"), (108.5, "whole number"),
                              (108.0000001, "108.0000001")],  # not shown rounded to "108."
    "check_09_seasonal_naive": [
        (HISTORY[-1:].repeat(24), "naive forecast"), (HISTORY[-24:], "last two years"),
        (HISTORY[-13:-1].repeat(2), "shifted by one month"), (LAST_YEAR, "one year"),
        (LAST_YEAR.repeat(2) + 1, "values differ"), (LAST_YEAR.repeat(2).view(2, 12), "1-D tensor of 24"),
        (LAST_YEAR.tolist() * 2, "expected a tensor"), (LAST_YEAR.numpy(), "torch.from_numpy")],
    "check_09_mape": [
        (lambda f, t: 100 * ((f - t).abs() / f.abs()).mean(), "divides by the forecast"),
        (lambda f, t: 100 * ((f - t) / t).mean(), "absolute value"),
        (_mape_fraction, "multiply by 100"),
        (lambda f, t: 100 * ((f - t).abs() / t).sum(), "the sum"),
        (lambda f, t: (f - t).pow(2).mean().sqrt(), "that is the RMSE"),
        (lambda f, t: 100 * ((f - t).abs() / t), "one finite number"),
        (lambda f, t: math.nan, "one finite number"),
        (lambda f, t: "13.3", "one finite number"),
        (lambda f: 0.0, "raised TypeError"),
        (lambda f, t: f.nonexistent(), "raised AttributeError"),
        (lambda f, t: 50.0, "expected 13.33"),
        (lambda f, t: (f - t).abs().mean(), "mean absolute error"),  # equal to the MAPE in the first case only
        (lambda f, t: 13.333333333, "expected 10"),  # the first case's answer, hard-coded
        (lambda f, t: 10**400, "one finite number"),
        (lambda f, t: 100 * ((f - t).abs() / ((f + t) / 2)).mean(), "symmetric MAPE"),
        (lambda f, t: 100 * (f - t).abs().sum() / t.sum(), "weighted MAPE"),
        (torch.nn.L1Loss, "expected a function"),
        (lambda f, t: None, "forget `return`")],
}
