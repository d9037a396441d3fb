"""Lesson 09's package code: the series, windows, scaling, baselines, metrics and the forecasters.

Expected values are derived by hand on small made-up series, never copied from an output.
"""

import math
import re
from pathlib import Path

import pytest
import torch
from torch import nn

from lstm_lessons import train
from lstm_lessons.forecasting import (
    HoltWinters,
    LSTMForecaster,
    best,
    fit_lstm,
    format_table,
    mape,
    median_scores,
    naive,
    one_step_forecasts,
    rmse,
    score,
    seasonal_log_differences,
    seasonal_naive,
)
from lstm_lessons.series import Scaler, load_series, make_windows

ROOT = Path(__file__).resolve().parent.parent


# --- the data ---------------------------------------------------------------------------------------

def test_airline_is_144_months_from_1949_to_1960_without_gaps():
    series = load_series("airline")
    assert len(series) == 144 and series.values.dtype == torch.float64
    assert series.months[0] == "1949-01" and series.months[-1] == "1960-12"
    expected = [f"{year}-{month:02d}" for year in range(1949, 1961) for month in range(1, 13)]
    assert list(series.months) == expected
    assert torch.isfinite(series.values).all() and (series.values > 0).all()


def test_airline_values_are_box_and_jenkins_series_g():
    """Published values of Series G: January 1949 is 112, December 1960 is 432, the peak is July 1960's 622."""
    values = load_series("airline").values
    assert values[0] == 112 and values[-1] == 432 and values.max() == 622 and values.argmax() == 138


def test_split_into_1949_1958_and_1959_1960():
    series = load_series("airline")
    train_values, test_values = series.split("1959-01")
    assert len(train_values) == 120 and len(test_values) == 24
    assert torch.equal(torch.cat([train_values, test_values]), series.values)


@pytest.mark.parametrize("month", ["1959", "2020-01", "1949-1"])
def test_split_at_a_month_not_in_the_series_says_which_months_are(month):
    with pytest.raises(ValueError, match="runs from 1949-01 to 1960-12"):
        load_series("airline").split(month)


def test_split_refuses_to_leave_nothing_to_train_on():
    with pytest.raises(ValueError, match="nothing would be left"):
        load_series("airline").split("1949-01")


def test_unknown_series_names_the_ones_there_are():
    with pytest.raises(ValueError, match="airline"):
        load_series("sunspots")


# --- windows ----------------------------------------------------------------------------------------

def test_windows_of_a_hand_made_series():
    x, y = make_windows(torch.arange(6.0), window=3, horizon=2)  # 0..5: starts 0 and 1 leave room for 2 targets
    assert x.shape == (2, 3, 1) and y.shape == (2, 2) and x.dtype == y.dtype == torch.float32
    assert x[:, :, 0].tolist() == [[0, 1, 2], [1, 2, 3]]
    assert y.tolist() == [[3, 4], [4, 5]]


@pytest.mark.parametrize("n, window, horizon", [(120, 12, 1), (144, 24, 3), (5, 4, 1), (10, 1, 9)])
def test_window_count_is_n_minus_window_minus_horizon_plus_one(n, window, horizon):
    x, y = make_windows(torch.randn(n, dtype=torch.float64), window, horizon)
    count = n - window - horizon + 1
    assert x.shape == (count, window, 1) and y.shape == (count, horizon)


def test_windows_accept_a_list_and_keep_every_value_in_order():
    x, y = make_windows([1, 2, 3, 4], window=2)
    assert torch.equal(x[1:, -1, 0], y[:-1, 0]) and y[:, 0].tolist() == [3, 4]  # a target is the next input


@pytest.mark.parametrize("values, window, horizon, words", [
    (torch.arange(10.0), 11, 1, "need at least 12 values, the series has 10"),
    (torch.arange(10.0), 10, 1, "need at least 11"),
    (torch.arange(10.0), 3, 0, "horizon must be a whole number of at least 1"),
    (torch.arange(10.0), 0, 1, "window must be a whole number of at least 1"),
    (torch.arange(10.0), 2.5, 1, "window must be a whole number"),
    (torch.arange(10.0), True, 1, "window must be a whole number"),
    (torch.tensor([1.0, float("nan"), 3.0, 4.0]), 2, 1, "NaN or infinity at position 1"),
    (torch.tensor([1.0, 2.0, float("inf")]), 1, 1, "NaN or infinity at position 2"),
    (torch.zeros(4, 3), 2, 1, "must be 1-D"),
    ("abc", 2, 1, "1-D tensor of numbers"),
])
def test_windows_refuse_bad_input_with_a_clear_error(values, window, horizon, words):
    with pytest.raises(ValueError, match=re.escape(words)):
        make_windows(values, window, horizon)


# --- scaling ----------------------------------------------------------------------------------------

def test_scaler_learns_only_from_what_it_is_fitted_on():
    """No leakage: adding test values changes nothing the scaler learned from the training values."""
    train_values = torch.tensor([1.0, 2.0, 3.0])
    scaler = Scaler().fit(train_values)
    assert scaler.mean == 2.0 and scaler.std == 1.0  # sample std of 1, 2, 3
    scaled = scaler.transform(torch.tensor([1.0, 2.0, 3.0, 100.0]))  # a test value far above the training ones
    assert scaled.tolist() == [-1.0, 0.0, 1.0, 98.0]
    assert (scaler.mean, scaler.std) == (2.0, 1.0)


def test_the_airline_scaler_fitted_on_the_training_months_ignores_the_test_months():
    series = load_series("airline")
    train_values, _ = series.split("1959-01")
    honest = Scaler(log=True).fit(train_values)
    changed = series.values.clone()
    changed[120:] *= 10  # a wildly different future
    assert Scaler(log=True).fit(changed[:120]).mean == honest.mean
    assert Scaler(log=True).fit(series.values).mean != honest.mean  # fitted on everything: it leaks


def test_log_scaler_round_trip_and_log_of_e():
    scaler = Scaler(log=True).fit(torch.tensor([1.0, math.e, math.e**2]))  # logs 0, 1, 2
    assert scaler.mean == pytest.approx(1.0) and scaler.std == pytest.approx(1.0)
    values = torch.tensor([5.0, 50.0, 500.0], dtype=torch.float64)
    assert torch.allclose(scaler.inverse_transform(scaler.transform(values)), values)


@pytest.mark.parametrize("scaler, values, words", [
    (Scaler(log=True), torch.tensor([1.0, 0.0, 2.0]), "positive values"),
    (Scaler(), torch.tensor([3.0, 3.0]), "two different values"),
    (Scaler(), torch.tensor([3.0]), "two different values"),
    (Scaler(), torch.tensor([1.0, float("nan")]), "NaN"),
])
def test_scaler_refuses_what_it_cannot_scale(scaler, values, words):
    with pytest.raises(ValueError, match=words):
        scaler.fit(values)


def test_an_unfitted_scaler_says_fit_it_first():
    with pytest.raises(ValueError, match="fit the scaler first"):
        Scaler().transform(torch.ones(3))


# --- baselines --------------------------------------------------------------------------------------

def test_naive_repeats_the_last_value():
    assert naive(torch.tensor([5.0, 7.0, 9.0]), 3).tolist() == [9.0, 9.0, 9.0]


def test_seasonal_naive_repeats_the_last_season():
    history = torch.tensor([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0])  # season 3: the last season is 5, 6, 7
    assert seasonal_naive(history, 7, season=3).tolist() == [5, 6, 7, 5, 6, 7, 5]
    assert seasonal_naive(history, 2, season=3).tolist() == [5, 6]


def test_seasonal_naive_needs_a_season_of_history():
    with pytest.raises(ValueError, match="at least one season"):
        seasonal_naive(torch.ones(11), 1, season=12)


@pytest.mark.parametrize("forecaster", [naive, seasonal_naive])
def test_baselines_refuse_a_horizon_below_1(forecaster):
    with pytest.raises(ValueError, match="horizon"):
        forecaster(torch.ones(24), 0)


def test_one_step_forecasts_of_naive_are_the_truth_one_step_late():
    values = torch.tensor([3.0, 1.0, 4.0, 1.0, 5.0])
    assert one_step_forecasts(naive, values, start=2).tolist() == [1.0, 4.0, 1.0]


def test_one_step_forecasts_see_only_the_past():
    seen = []

    def spy(history, horizon):
        seen.append(len(history))
        return history[-1:]

    one_step_forecasts(spy, torch.arange(10.0), start=7)
    assert seen == [7, 8, 9]


def test_one_step_forecasts_refuse_a_start_outside_the_series():
    with pytest.raises(ValueError, match="inside the series"):
        one_step_forecasts(naive, torch.arange(5.0), start=5)


# --- metrics ----------------------------------------------------------------------------------------

def test_rmse_and_mape_by_hand():
    forecast, truth = torch.tensor([110.0, 180.0, 60.0]), torch.tensor([100.0, 200.0, 50.0])
    assert rmse(forecast, truth) == pytest.approx(math.sqrt((10**2 + 20**2 + 10**2) / 3))
    assert mape(forecast, truth) == pytest.approx(100 * (0.1 + 0.1 + 0.2) / 3)
    assert rmse(truth, truth) == 0 and mape(truth, truth) == 0


def test_metrics_refuse_forecasts_of_other_months_and_a_zero_truth():
    with pytest.raises(ValueError, match="the forecast has 2 values, the truth 3"):
        rmse(torch.ones(2), torch.ones(3))
    with pytest.raises(ValueError, match="one of them is 0"):
        mape(torch.ones(2), torch.tensor([1.0, 0.0]))


def test_score_best_and_table():
    truth = torch.tensor([10.0, 20.0])
    scores = score({"good": {"h": torch.tensor([10.0, 21.0])}, "bad": {"h": torch.tensor([0.0, 0.0])}}, truth)
    assert scores["bad"]["h"]["MAPE"] == pytest.approx(100.0) and best(scores, "h") == "good"
    table = format_table(scores)
    assert table.splitlines()[1].startswith("good") and "100.0%" in table.splitlines()[2]


# --- Holt-Winters -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def airline():
    series = load_series("airline")
    train_values, test_values = series.split("1959-01")
    return series, train_values, test_values


def test_holt_winters_run_over_the_training_months_is_statsmodels_own_forecast(airline):
    from statsmodels.tsa.holtwinters import ExponentialSmoothing

    _, train_values, _ = airline
    fitted = ExponentialSmoothing(train_values.log().numpy(), trend="add", seasonal="add", seasonal_periods=12,
                                  initialization_method="estimated").fit()
    ours = HoltWinters(train_values)(train_values, 24)
    assert torch.allclose(ours, torch.as_tensor(fitted.forecast(24)).exp(), rtol=1e-9)


def test_holt_winters_one_step_uses_the_new_months(airline):
    series, train_values, _ = airline
    holt_winters = HoltWinters(train_values)
    later = holt_winters(series.values[:130], 1)
    assert not torch.allclose(later, holt_winters(train_values, 11)[-1:])  # it updated on 10 new months
    with pytest.raises(ValueError, match="must start with the 120 training values"):
        holt_winters(series.values[1:130], 1)


def test_holt_winters_beats_the_seasonal_naive_on_the_test_years(airline):
    """What lesson 09 reports: the classical model's 24-month RMSE is below half the seasonal naive's."""
    _, train_values, test_values = airline
    ours = rmse(HoltWinters(train_values)(train_values, 24), test_values)
    assert ours < rmse(seasonal_naive(train_values, 24), test_values) / 2


# --- the LSTM ---------------------------------------------------------------------------------------

def test_lstm_forecaster_shapes_and_recursion():
    torch.manual_seed(0)
    model = LSTMForecaster(window=4, hidden_size=8)
    assert model(torch.randn(5, 4, 1)).shape == (5, 1)
    scaler = Scaler(log=True).fit(torch.tensor([100.0, 120.0, 140.0, 130.0, 150.0]))
    history = torch.tensor([100.0, 120.0, 140.0, 130.0, 150.0], dtype=torch.float64)
    forecast = model.forecast(history, 3, scaler)
    assert forecast.shape == (3,) and forecast.dtype == torch.float64
    second = model.forecast(torch.cat([history, forecast[:1]]), 1, scaler)  # the first forecast fed back in
    assert torch.allclose(forecast[1:2], second)


def test_lstm_forecast_needs_a_full_window():
    model = LSTMForecaster(window=12)
    with pytest.raises(ValueError, match="windows of 12 values, the history has 5"):
        model.forecast(torch.ones(5), 1, Scaler().fit(torch.tensor([0.0, 1.0])))


def test_a_short_training_run_learns_the_seasonal_shape():
    """On a clean seasonal series (no trend), 60 epochs of the lesson's LSTM beat the naive forecast."""
    months = torch.arange(96, dtype=torch.float64)
    values = 100 + 20 * torch.sin(2 * math.pi * months / 12)
    train_values, test_values = values[:84], values[84:]
    scaler = Scaler().fit(train_values)
    x, y = make_windows(scaler.transform(train_values), 12)
    torch.manual_seed(0)
    model = LSTMForecaster(window=12, hidden_size=16)
    history = train(model, (x, y), epochs=60, lr=1e-2, loss_fn=nn.MSELoss(), seed=0, device="cpu", progress=False)
    assert history.train_loss[-1] < history.train_loss[0] / 10
    lstm = one_step_forecasts(lambda seen, horizon: model.forecast(seen, horizon, scaler), values, 84)
    assert rmse(lstm, test_values) < rmse(one_step_forecasts(naive, values, 84), test_values) / 2


# --- the lesson -------------------------------------------------------------------------------------

def test_the_lessons_prose_names_the_winner_its_check_asserts():
    """The bold '**X wins**' in lesson 09's prose and the ``prose_winner`` its next cell asserts are the same."""
    source = (ROOT / "lessons" / "09_forecasting.py").read_text(encoding="utf-8")
    named = re.findall(r"^# \*\*(.+?) wins\*\*", source, flags=re.MULTILINE)
    checked = re.findall(r'^prose_winner = "(.+?)"', source, flags=re.MULTILINE)
    assert len(named) == 1 and checked == named
    again = re.findall(r"\*\*([^*]+?)\*\*\s*\n?#?\s*still wins", source)  # after the seasonal-difference fix
    assert again == named


def test_plot_forecasts_draws_the_truth_and_each_forecast_from_the_start():
    pytest.importorskip("matplotlib")
    import matplotlib.pyplot as plt

    from lstm_lessons.plots import plot_forecasts

    series = load_series("airline")
    fig = plot_forecasts(series.months, series.values, {"naive": one_step_forecasts(naive, series.values, 120)}, 120)
    truth, naive_line = [line for line in fig.axes[0].get_lines() if line.get_label() in ("truth", "naive")]
    assert list(naive_line.get_xdata()) == list(range(120, 144))
    assert list(truth.get_xdata()) == list(range(120 - 36, 144))  # 36 months of context before the test
    assert [tick.get_text() for tick in fig.axes[0].get_xticklabels()][0] == "1956"
    plt.close(fig)


# --- review fixes: bad inputs, seeds, seasonal differences ------------------------------------------

@pytest.mark.parametrize("call, error, words", [
    (lambda: naive(torch.tensor([]), 3), ValueError, "empty"),
    (lambda: rmse([], []), ValueError, "empty"),
    (lambda: mape([], []), ValueError, "empty"),
    (lambda: load_series(["airline"]), TypeError, "a string such as 'airline'"),
    (lambda: naive(torch.tensor([1 + 2j, 3 + 0j]), 1), ValueError, "complex"),
    (lambda: best({}, "one-step"), ValueError, "score table is empty"),
    (lambda: format_table({}), ValueError, "score table is empty"),
    (lambda: make_windows(torch.arange(5.0), 3, horizon=10**400), ValueError, "use a smaller horizon"),
    (lambda: make_windows(torch.arange(5.0), 4, horizon=2), ValueError, "use a shorter window"),
    (lambda: Scaler().fit(torch.ones(5)), ValueError, "all 5 values are equal"),
    (lambda: one_step_forecasts(lambda h, n: 3.0, torch.arange(1.0, 6.0), 2), TypeError, "returned float"),
    (lambda: seasonal_log_differences(torch.tensor([1.0, 2.0, 0.0, 4.0]), 2), ValueError, "position 2 holds 0"),
])
def test_bad_input_gets_a_clear_error(call, error, words):
    with pytest.raises(error, match=re.escape(words)):
        call()


@pytest.mark.parametrize("value", [0.0, -5.0])
def test_holt_winters_refuses_values_it_cannot_take_the_log_of(airline, value):
    _, train_values, _ = airline
    bad = train_values.clone()
    bad[3] = value
    with pytest.raises(ValueError, match="must be positive"):
        HoltWinters(bad)
    with pytest.raises(ValueError, match="must be positive"):
        HoltWinters(train_values)(torch.cat([train_values, torch.tensor([value], dtype=torch.float64)]), 1)


def test_split_returns_copies_that_leave_the_series_intact():
    series = load_series("airline")
    train_values, _ = series.split("1959-01")
    train_values[0] = -1
    assert series.values[0] == 112


def test_seasonal_log_differences_by_hand():
    values = torch.tensor([1.0, 2.0, 4.0, 8.0], dtype=torch.float64) * math.e
    assert torch.allclose(seasonal_log_differences(values, 2), torch.tensor([4.0, 4.0], dtype=torch.float64).log())


def test_seasonal_lstm_forecasts_each_month_from_the_same_month_a_year_earlier():
    """A model whose output is always 0 (scaled) forecasts the scaler's mean change over last year's months."""
    model = LSTMForecaster(window=3, hidden_size=4, season=2)
    for p in model.parameters():
        nn.init.zeros_(p)
    history = torch.tensor([10.0, 20.0, 11.0, 22.0, 12.0, 24.0], dtype=torch.float64)
    scaler = Scaler().fit(torch.tensor([0.0, 0.2]))  # mean 0.1: a growth of e**0.1 a season
    forecast = model.forecast(history, 4, scaler)
    growth = math.exp(0.1)
    expected = torch.tensor([12 * growth, 24 * growth, 12 * growth**2, 24 * growth**2], dtype=torch.float64)
    assert torch.allclose(forecast, expected)
    with pytest.raises(ValueError, match="take 5 values; the history has 4"):
        model.forecast(history[:4], 1, scaler)


def test_median_scores_take_each_figure_s_median_over_seeds():
    rows = [{"h": {"RMSE": r, "MAPE": m}} for r, m in ((1.0, 30.0), (5.0, 10.0), (3.0, 20.0))]
    assert median_scores(rows) == {"h": {"RMSE": 3.0, "MAPE": 20.0}}
    with pytest.raises(ValueError, match="one per seed"):
        median_scores([])


def test_fit_lstm_on_seasonal_differences_beats_the_level_one_step_ahead(airline):
    """What lesson 09 shows, on one seed and 50 epochs: the seasonal-difference inputs cut the one-step error."""
    series, train_values, test_values = airline
    errors = {season: rmse(one_step_forecasts(fit_lstm(train_values, seed=0, season=season, epochs=50),
                                              series.values, 120), test_values) for season in (0, 12)}
    assert errors[12] < errors[0] / 2


def test_the_seasonal_naive_exercise_names_the_test_months(airline):
    from lstm_lessons import exercises as ex

    _, train_values, test_values = airline
    assert "true months you forecast" in str(ex.check_09_seasonal_naive(test_values, train_values))
