"""A time series to forecast, cut into windows, and scaled on its training part only (lesson 09).

``load_series("airline")`` reads the Box & Jenkins airline passengers (``resources/DATA.md``);
``make_windows`` turns a 1-D series into the ``[n, window, 1]`` inputs an LSTM reads and the
``[n, horizon]`` values that follow each window; ``Scaler`` learns a mean and a standard deviation
(of the log, if asked) from the values it is fitted on -- only the training months.
"""

from __future__ import annotations

import csv
import io
import numbers
from dataclasses import dataclass
from importlib import resources

import torch

from .i18n import _

__all__ = ["Series", "SERIES", "load_series", "make_windows", "Scaler"]

SERIES = {"airline": ("airline.csv", "international airline passengers per month, in thousands")}


@dataclass(frozen=True)
class Series:
    """One series: ``values`` float64 ``[n]``, ``months`` the n labels ``"YYYY-MM"`` in order."""

    name: str
    description: str
    months: tuple[str, ...]
    values: torch.Tensor

    def __len__(self) -> int:
        return len(self.values)

    def index(self, month: str) -> int:
        """The position of ``month`` (``"1959-01"``) in the series."""
        if month not in self.months:
            raise ValueError(_("month {month!r} is not in the series, which runs from {first} to {last}; "
                               "write it as YYYY-MM, e.g. {first!r}").format(
                month=month, first=self.months[0], last=self.months[-1]))
        return self.months.index(month)

    def split(self, first_test_month: str) -> tuple[torch.Tensor, torch.Tensor]:
        """``(train, test)``: the values before ``first_test_month`` and from it on, each 1-D."""
        at = self.index(first_test_month)
        if at == 0:
            raise ValueError(_("the test part cannot start at the first month, {month}: nothing would be left "
                               "to train on").format(month=first_test_month))
        return self.values[:at].clone(), self.values[at:].clone()  # copies: editing them leaves the series intact


def load_series(name: str = "airline") -> Series:
    """A series shipped with the package, by name (``"airline"``: 144 months, 1949-01 to 1960-12)."""
    if not isinstance(name, str):
        raise TypeError(_("the name of a series is a string such as 'airline', got {kind} {name!r}").format(
            kind=type(name).__name__, name=name))
    if name not in SERIES:
        raise ValueError(_("no series named {name!r}; choose one of {choices}").format(
            name=name, choices=", ".join(SERIES)))
    filename, description = SERIES[name]
    text = resources.files("lstm_lessons").joinpath("resources", filename).read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))[1:]  # after the header: month, value
    months = tuple(month for month, _value in rows)
    values = torch.tensor([float(value) for _month, value in rows], dtype=torch.float64)
    return Series(name, description, months, values)


def _require_size(name: str, value, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise ValueError(_("{name} must be a whole number of at least {minimum}, got {value!r}").format(
            name=name, minimum=minimum, value=value))
    return int(value)


def _as_series(values, what: str | None = None) -> torch.Tensor:
    """``values`` as a 1-D float tensor with no NaN or infinity, or a ValueError saying what came."""
    what = what or _("the series")
    if not isinstance(values, torch.Tensor):
        try:
            values = torch.as_tensor(values, dtype=torch.float64)
        except (TypeError, ValueError, RuntimeError):
            raise ValueError(_("{what} must be a 1-D tensor of numbers, got {kind}").format(
                what=what, kind=type(values).__name__)) from None
    if values.dim() != 1:
        raise ValueError(_("{what} must be 1-D (one value per month), got shape {shape}: for a batch of windows, "
                           "cut the series first").format(what=what, shape=list(values.shape)))
    if values.is_complex():
        raise ValueError(_("{what} holds complex numbers; a series to forecast is real: pass its real part "
                           "(values.real) if that is what you mean").format(what=what))
    if not values.is_floating_point():
        values = values.double()
    if len(values) == 0:
        raise ValueError(_("{what} is empty: it needs at least one value").format(what=what))
    bad = ~torch.isfinite(values)
    if bad.any():
        raise ValueError(_("{what} holds NaN or infinity at position {at}: fill or drop that value before "
                           "windowing").format(what=what, at=int(bad.nonzero()[0])))
    return values


def make_windows(values, window: int, horizon: int = 1) -> tuple[torch.Tensor, torch.Tensor]:
    """Cut a 1-D series of ``n`` values into inputs and targets, float32, step by step:

    ``x`` ``[n - window - horizon + 1, window, 1]``: every run of ``window`` consecutive values;
    ``y`` ``[n - window - horizon + 1, horizon]``: the ``horizon`` values that follow each run.
    """
    values = _as_series(values)
    window, horizon = _require_size("window", window), _require_size("horizon", horizon)
    if window + horizon > len(values):
        shorter = _("use a smaller horizon") if horizon >= len(values) else _("use a shorter window")
        raise ValueError(_("a window of {window} values and a horizon of {horizon} need at least {need} values, "
                           "the series has {n}: {shorter}").format(
            window=window, horizon=horizon, need=window + horizon, n=len(values), shorter=shorter))
    pieces = values.float().unfold(0, window + horizon, 1)  # [count, window + horizon]
    return pieces[:, :window].unsqueeze(-1), pieces[:, window:]  # [count, window, 1], [count, horizon]


@dataclass
class Scaler:
    """Standardise a series: ``((log(v) if log else v) - mean) / std``, with mean and std learned by ``fit``.

    Fit it on the training values only: the test months must not shape anything the model sees.
    """

    log: bool = False
    mean: float | None = None
    std: float | None = None

    def fit(self, values) -> Scaler:
        """Learn mean and std from ``values`` (1-D); returns the scaler itself."""
        values = self._prepare(_as_series(values, _("the values to fit the scaler on")))
        if len(values) < 2:
            raise ValueError(_("the scaler needs at least two different values to learn a spread, got {n} "
                               "value(s)").format(n=len(values)))
        if values.std() == 0:
            raise ValueError(_("the scaler needs at least two different values to learn a spread, but all {n} "
                               "values are equal ({value:g}): a constant series has no spread to divide by"
                               ).format(n=len(values), value=values[0].item()))
        self.mean, self.std = values.mean().item(), values.std().item()
        return self

    def transform(self, values) -> torch.Tensor:
        """Scaled values, the shape of ``values`` (any shape)."""
        if self.mean is None:
            raise ValueError(_("fit the scaler first: scaler.fit(train_values)"))
        values = torch.as_tensor(values, dtype=torch.float64)
        return (self._prepare(values) - self.mean) / self.std

    def inverse_transform(self, scaled) -> torch.Tensor:
        """Back to the series' own units: the inverse of ``transform``, float64, same shape."""
        if self.mean is None:
            raise ValueError(_("fit the scaler first: scaler.fit(train_values)"))
        values = torch.as_tensor(scaled, dtype=torch.float64) * self.std + self.mean
        return values.exp() if self.log else values

    def _prepare(self, values: torch.Tensor) -> torch.Tensor:
        if not self.log:
            return values
        if (values <= 0).any():
            raise ValueError(_("log=True needs positive values, got {value:g}: a count or a price is positive; "
                               "for other series use log=False").format(value=values[values <= 0][0].item()))
        return values.log()
