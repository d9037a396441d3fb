"""Forecasts, the baselines every forecast must beat, and the errors that compare them (lesson 09).

A *forecaster* here is any function ``forecaster(history, horizon)``: ``history`` is a 1-D tensor
of the values seen so far, in the series' own units; it returns a float64 tensor ``[horizon]`` of
the values it expects next. The two naive baselines, Holt-Winters and the LSTM all have this form,
so ``one_step_forecasts`` and the error table treat them alike.
"""

from __future__ import annotations

import functools
import math
import statistics

import torch

from .i18n import _
from .models import LSTMClassifier
from .series import Scaler, _as_series, _require_size, make_windows

__all__ = ["naive", "seasonal_naive", "one_step_forecasts", "HoltWinters", "LSTMForecaster", "seasonal_log_differences",
           "fit_lstm", "median_scores", "rmse", "mape",
           "score", "best", "format_table"]


def naive(history, horizon: int) -> torch.Tensor:
    """The last value, repeated: ``[horizon]``."""
    history, horizon = _as_series(history, _("the history")), _require_size("horizon", horizon)
    return history[-1:].repeat(horizon)


def seasonal_naive(history, horizon: int, season: int = 12) -> torch.Tensor:
    """The same month one season earlier: the last ``season`` values, repeated as often as needed, ``[horizon]``."""
    history, horizon = _as_series(history, _("the history")), _require_size("horizon", horizon)
    season = _require_size("season", season)
    if len(history) < season:
        raise ValueError(_("a seasonal naive forecast needs at least one season ({season} values) of history, "
                           "got {n}").format(season=season, n=len(history)))
    last_season = history[-season:]
    return last_season.repeat(math.ceil(horizon / season))[:horizon]


def one_step_forecasts(forecaster, values, start: int) -> torch.Tensor:
    """Forecast each of ``values[start:]`` one step ahead from the values before it: ``[n - start]``.

    The forecaster sees the true values up to the month before the one it forecasts, never its own
    forecasts -- what a forecaster re-run every month would do.
    """
    values = _as_series(values)
    start = _require_size("start", start)
    if start >= len(values):
        raise ValueError(_("start must be a position inside the series (below {n}), got {start}").format(
            n=len(values), start=start))
    return torch.stack([_first_forecast(forecaster, values[:t]) for t in range(start, len(values))])


def _first_forecast(forecaster, history: torch.Tensor) -> torch.Tensor:
    """``forecaster(history, 1)[0]``, or a TypeError saying what a forecaster must return."""
    out = forecaster(history, 1)
    if not isinstance(out, torch.Tensor) or out.dim() != 1 or len(out) < 1:
        raise TypeError(_("a forecaster must return a 1-D tensor of `horizon` values, such as torch.tensor([5.0]) "
                          "for horizon=1; {name} returned {got}").format(
            name=getattr(forecaster, "__name__", type(forecaster).__name__),
            got=_("a tensor of shape {shape}").format(shape=list(out.shape)) if isinstance(out, torch.Tensor)
            else type(out).__name__))
    return out[0]


def _require_positive(values: torch.Tensor, what: str) -> torch.Tensor:
    if (values <= 0).any():
        raise ValueError(_("{what} must be positive: this model works on the log of the series, and position "
                           "{at} holds {value:g}").format(what=what, at=int((values <= 0).nonzero()[0]),
                                                          value=values[values <= 0][0].item()))
    return values


class HoltWinters:
    """Holt-Winters exponential smoothing on the log of the series (additive trend and season of the log:
    a trend and a season that *multiply* the series), from ``statsmodels``.

    ``HoltWinters(train)`` fits its smoothing weights and starting state on the training values; calling
    it, ``model(history, horizon)``, runs those fixed weights over ``history`` (which must start with
    the training values) and forecasts ``[horizon]`` values.
    """

    def __init__(self, train, season: int = 12):
        from statsmodels.tsa.holtwinters import ExponentialSmoothing

        self.train = _require_positive(_as_series(train, _("the training values")), _("the training values"))
        self.season = _require_size("season", season)
        if len(self.train) < 2 * self.season:
            raise ValueError(_("Holt-Winters needs at least two seasons ({need} values) to learn one, "
                               "got {n}").format(need=2 * self.season, n=len(self.train)))
        fitted = ExponentialSmoothing(self.train.log().numpy(), trend="add", seasonal="add",
                                      seasonal_periods=self.season, initialization_method="estimated").fit()
        self.params = fitted.params

    @property
    def num_parameters(self) -> int:
        """How many numbers it learned: 3 smoothing weights, a starting level, trend and season."""
        return 3 + 2 + self.season

    def __call__(self, history, horizon: int) -> torch.Tensor:
        from statsmodels.tsa.holtwinters import ExponentialSmoothing

        history, horizon = _as_series(history, _("the history")), _require_size("horizon", horizon)
        _require_positive(history, _("the history"))
        n = len(self.train)
        if len(history) < n or not torch.equal(history[:n], self.train):
            raise ValueError(_("the history must start with the {n} training values Holt-Winters was fitted on"
                               ).format(n=n))
        p = self.params
        model = ExponentialSmoothing(history.log().numpy(), trend="add", seasonal="add",
                                     seasonal_periods=self.season, initialization_method="known",
                                     initial_level=p["initial_level"], initial_trend=p["initial_trend"],
                                     initial_seasonal=p["initial_seasons"])
        run = model.fit(smoothing_level=p["smoothing_level"], smoothing_trend=p["smoothing_trend"],
                        smoothing_seasonal=p["smoothing_seasonal"], optimized=False)
        return torch.as_tensor(run.forecast(horizon), dtype=torch.float64).exp()


def seasonal_log_differences(values, season: int = 12) -> torch.Tensor:
    """``log(v[t]) - log(v[t - season])`` for every ``t`` from ``season`` on: ``[n - season]``, float64.

    The change since the same month a year earlier, as a ratio: a series that grows by percentages
    and repeats its season becomes one that stays in the same range -- Box & Jenkins' treatment of
    the airline series.
    """
    values, season = _as_series(values), _require_size("season", season)
    if len(values) <= season:
        raise ValueError(_("a seasonal difference needs more than one season ({season} values), got {n}").format(
            season=season, n=len(values)))
    logs = _require_positive(values, _("the series")).log()
    return logs[season:] - logs[:-season]


class LSTMForecaster(LSTMClassifier):
    """An ``LSTMClassifier`` with one input feature and one output: the next (scaled) value.

    ``forward(x)``: ``x`` ``[batch, window, 1]`` -> ``[batch, 1]``. ``forecast`` turns it into a
    forecaster of the series' own units. With ``season=0`` the inputs are the scaled values
    themselves; with ``season=12`` they are the scaled ``seasonal_log_differences`` (the scaler then
    fitted on those differences, ``log=False``).
    """

    def __init__(self, window: int, hidden_size: int = 32, num_layers: int = 1, season: int = 0):
        super().__init__(input_size=1, hidden_size=hidden_size, num_layers=num_layers, num_classes=1)
        self.window = _require_size("window", window)
        self.season = _require_size("season", season, minimum=0)

    def forecast(self, history, horizon: int, scaler: Scaler) -> torch.Tensor:
        """``[horizon]`` values after ``history``, recursively: each forecast is fed back in as the newest
        input of the next window. ``scaler``: the one fitted on the training values (or their
        seasonal differences)."""
        history, horizon = _as_series(history, _("the history")), _require_size("horizon", horizon)
        if len(history) < self.window + self.season:
            if self.season:
                raise ValueError(_("the model reads windows of {window} seasonal differences, which take {need} "
                                   "values; the history has {n}").format(
                    window=self.window, need=self.window + self.season, n=len(history)))
            raise ValueError(_("the model reads windows of {window} values, the history has {n}").format(
                window=self.window, n=len(history)))
        if not self.season:
            return scaler.inverse_transform(self._run(scaler.transform(history[-self.window:]), horizon))
        differences = self._run(scaler.transform(seasonal_log_differences(history, self.season)[-self.window:]),
                                horizon)
        logs = history[-self.season:].log().tolist()  # the last season, on the log
        for difference in scaler.inverse_transform(differences).tolist():
            logs.append(logs[-self.season] + difference)  # the same month a year earlier, times the change
        return torch.tensor(logs[self.season:], dtype=torch.float64).exp()

    def _run(self, inputs: torch.Tensor, horizon: int) -> torch.Tensor:
        """``horizon`` scaled outputs after the scaled ``inputs`` ``[window]``, each fed back in: ``[horizon]``."""
        inputs, weight = inputs.float(), self.fc.weight
        outputs = []
        self.eval()
        with torch.no_grad():
            for _step in range(horizon):
                x = inputs.view(1, self.window, 1).to(weight.device, weight.dtype)  # [1, window, 1]
                next_value = self(x).view(1).cpu().float()  # [1]
                outputs.append(next_value)
                inputs = torch.cat([inputs[1:], next_value])  # slide: drop the oldest, append the forecast
        return torch.cat(outputs)


def fit_lstm(train_values, seed: int, season: int = 0, window: int = 12, hidden_size: int = 32,
             epochs: int = 200, lr: float = 1e-2):
    """Train an ``LSTMForecaster`` from ``seed`` on the training values, as lesson 09 does; returns a
    forecaster ``f(history, horizon)`` with ``f.model``, ``f.scaler`` and ``f.history`` (of ``train``).

    ``season=0``: windows of the log of the values, scaled; ``season=12``: windows of their
    ``seasonal_log_differences``, scaled. The scaler is fitted on the training values only.
    """
    from torch import nn

    from .training import train

    train_values = _as_series(train_values, _("the training values"))
    season = _require_size("season", season, minimum=0)
    if season:
        inputs = seasonal_log_differences(train_values, season)
        scaler = Scaler().fit(inputs)
    else:
        scaler = Scaler(log=True).fit(train_values)
        inputs = train_values
    x, y = make_windows(scaler.transform(inputs), window)
    torch.manual_seed(seed)
    model = LSTMForecaster(window=window, hidden_size=hidden_size, season=season)
    history = train(model, (x, y), epochs=epochs, lr=lr, loss_fn=nn.MSELoss(), seed=seed, device="cpu",
                    progress=False)
    forecaster = functools.partial(model.forecast, scaler=scaler)
    forecaster.model, forecaster.scaler, forecaster.history = model, scaler, history
    return forecaster


def _pair(forecast, truth) -> tuple[torch.Tensor, torch.Tensor]:
    forecast, truth = _as_series(forecast, _("the forecast")), _as_series(truth, _("the truth"))
    if forecast.shape != truth.shape:
        raise ValueError(_("the forecast has {a} values, the truth {b}: compare the same months").format(
            a=len(forecast), b=len(truth)))
    return forecast.double(), truth.double()


def rmse(forecast, truth) -> float:
    """Root mean squared error, in the series' units: ``sqrt(mean((forecast - truth)**2))``."""
    forecast, truth = _pair(forecast, truth)
    return (forecast - truth).pow(2).mean().sqrt().item()


def mape(forecast, truth) -> float:
    """Mean absolute percentage error: ``100 * mean(|forecast - truth| / |truth|)``, in percent."""
    forecast, truth = _pair(forecast, truth)
    if (truth == 0).any():
        raise ValueError(_("MAPE divides by the true values, and one of them is 0: use RMSE for this series"))
    return (100 * ((forecast - truth).abs() / truth.abs()).mean()).item()


def score(forecasts: dict, truth) -> dict:
    """``{method: {horizon: forecast [n]}}`` -> ``{method: {horizon: {"RMSE": float, "MAPE": float}}}``."""
    return {method: {horizon: {"RMSE": rmse(f, truth), "MAPE": mape(f, truth)} for horizon, f in by_horizon.items()}
            for method, by_horizon in forecasts.items()}


def median_scores(per_seed: list) -> dict:
    """The median of several runs' scores, figure by figure: a list of ``{horizon: {metric: float}}``
    (one row of a ``score`` table per seed) -> one such row."""
    if isinstance(per_seed, dict) or not per_seed:
        raise ValueError(_("expected a non-empty list of score rows, one per seed, got {got!r}").format(
            got=type(per_seed).__name__ if per_seed else per_seed))
    first = per_seed[0]
    return {horizon: {metric: statistics.median(row[horizon][metric] for row in per_seed) for metric in metrics}
            for horizon, metrics in first.items()}


def best(scores: dict, horizon: str, metric: str = "RMSE") -> str:
    """The method with the lowest ``metric`` at ``horizon`` in a ``score`` table."""
    if not scores:
        raise ValueError(_("the score table is empty: score at least one method first"))
    return min(scores, key=lambda method: scores[method][horizon][metric])


def format_table(scores: dict, decimals: int = 1) -> str:
    """The ``score`` table as text: one row per method, RMSE and MAPE for each horizon."""
    if not scores:
        raise ValueError(_("the score table is empty: score at least one method first"))
    horizons = list(next(iter(scores.values())))
    width = max(len(method) for method in scores) + 2
    head = "".join(f"{h + ' RMSE':>20s}{'MAPE':>8s}" for h in horizons)
    lines = [f"{'':{width}s}{head}"]
    for method, by_horizon in scores.items():
        cells = "".join(f"{by_horizon[h]['RMSE']:20.{decimals}f}{by_horizon[h]['MAPE']:7.{decimals}f}%"
                        for h in horizons)
        lines.append(f"{method:{width}s}{cells}")
    return "\n".join(lines)
