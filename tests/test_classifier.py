import itertools

import pytest
import torch
from torch import nn

from lstm_lessons import LSTMClassifier, SeedLSTM, count_parameters, lstm_parameter_count
from lstm_lessons.models import training_bytes


@pytest.mark.parametrize("num_layers, bidirectional", list(itertools.product([1, 2, 3], [False, True])))
@pytest.mark.parametrize("batch", [1, 4])
def test_logits_shape_for_every_variant_and_a_batch_of_one(num_layers, bidirectional, batch):
    model = LSTMClassifier(6, 8, num_layers, 3, bidirectional=bidirectional)
    assert model(torch.randn(batch, 5, 6)).shape == (batch, 3)


def test_head_reads_h_n_not_out_when_bidirectional():
    torch.manual_seed(0)
    model = LSTMClassifier(6, 8, 2, 3, bidirectional=True)
    x = torch.randn(4, 5, 6)
    _, (h_n, _) = model.lstm(x)
    expected = model.fc(torch.cat([h_n[-2], h_n[-1]], dim=1))
    torch.testing.assert_close(model(x), expected)
    # every step matters: changing the first step changes the prediction
    changed = x.clone()
    changed[:, 0] += 1
    assert not torch.allclose(model(changed), model(x))


def test_seed_weights_give_the_seeds_logits():
    torch.manual_seed(0)
    seed = SeedLSTM(10, 32, 2, 2)
    model = LSTMClassifier(10, 32, 2, 2)
    model.load_state_dict(seed.state_dict())
    x = torch.randn(64, 5, 10)
    torch.testing.assert_close(model(x), seed(x))


def test_initial_state_is_used():
    torch.manual_seed(0)
    model = LSTMClassifier(6, 8, 2, 3)
    x = torch.randn(4, 5, 6)
    state = (torch.randn(2, 4, 8), torch.randn(2, 4, 8))
    assert not torch.allclose(model(x, state), model(x))
    zeros = (torch.zeros(2, 4, 8), torch.zeros(2, 4, 8))
    torch.testing.assert_close(model(x, zeros), model(x))


def test_one_logit_head_for_binary_classification():
    model = LSTMClassifier(6, 8, 1, 1)
    logit = model(torch.randn(1, 5, 6))
    assert logit.shape == (1, 1)
    assert nn.BCEWithLogitsLoss()(logit.squeeze(1), torch.ones(1)).dim() == 0


@pytest.mark.parametrize("state, words", [
    ((torch.zeros(2, 1, 8), torch.zeros(2, 1, 8)), r"h0 of shape \[2, 4, 8\].*got \[2, 1, 8\]"),
    ((torch.zeros(1, 4, 8), torch.zeros(1, 4, 8)), "another batch size"),
    ((torch.zeros(2, 4, 8), torch.zeros(2, 4, 9)), "c0 of shape"),
    ((torch.zeros(2, 4, 8, dtype=torch.float64),) * 2, "h0 to be torch.float32"),
    (torch.zeros(2, 4, 8), "state = \\(h0, c0\\)"),
])
def test_a_wrong_initial_state_is_a_clear_error(state, words):
    with pytest.raises(ValueError, match=words):
        LSTMClassifier(6, 8, 2, 3)(torch.randn(4, 5, 6), state)


def test_no_time_steps_is_a_clear_error():
    with pytest.raises(ValueError, match="at least one time step"):
        LSTMClassifier(6, 8, 2, 3)(torch.randn(4, 0, 6))


def test_numpy_dropout_is_a_number():
    np = pytest.importorskip("numpy")
    assert LSTMClassifier(6, 8, 2, 3, dropout=np.float32(0.2)).lstm.dropout == pytest.approx(0.2)


def test_dtype_follows_the_model_and_input():
    model = LSTMClassifier(6, 8, 2, 3).double()
    assert model(torch.randn(2, 5, 6, dtype=torch.float64)).dtype == torch.float64


@pytest.mark.parametrize("x, words", [
    (torch.randn(64, 10), r"got \[64, 10\]: did you forget a dimension"),
    (torch.randn(4, 5, 7), r"\(6 features per step\), got \[4, 5, 7\]"),
    (torch.randn(4, 6, 5), "seq_len and features swapped"),
    (torch.randn(2, 3, 4, 6), "4-D"),
    (torch.ones(4, 5, 6, dtype=torch.int64), "holding floats, got dtype torch.int64"),
    (torch.randn(4, 5, 6, dtype=torch.float64), "x is torch.float64 but the model is torch.float32"),
    (torch.randn(4, 5, 6, device="meta"), "x is on meta but the model is on cpu"),
    ([[1.0]], "expected x to be a tensor"),
])
def test_wrong_input_says_what_was_expected_and_what_came(x, words):
    with pytest.raises(ValueError, match=words) as info:
        LSTMClassifier(6, 8, 2, 3)(x)
    assert "[batch, seq_len, 6]" in str(info.value) or "model" in str(info.value)


@pytest.mark.parametrize("kwargs, words", [
    (dict(hidden_size=0), "hidden_size"), (dict(num_classes=0), "num_classes"),
    (dict(dropout=0.5, num_layers=1), "needs num_layers > 1"), (dict(dropout=1.0), "dropout must be"),
    (dict(bidirectional="yes"), "bidirectional"),
])
def test_impossible_hyperparameters(kwargs, words):
    settings = dict(input_size=6, hidden_size=8, num_layers=2, num_classes=3) | kwargs
    with pytest.raises(ValueError, match=words):
        LSTMClassifier(**settings)


@pytest.mark.parametrize("input_size, hidden, layers, bidirectional, bias",
                         list(itertools.product([1, 10], [1, 7, 32], [1, 2, 3], [False, True], [True, False])))
def test_parameter_formula_matches_nn_lstm(input_size, hidden, layers, bidirectional, bias):
    lstm = nn.LSTM(input_size, hidden, layers, bias=bias, bidirectional=bidirectional)
    assert lstm_parameter_count(input_size, hidden, layers, bidirectional, bias) == count_parameters(lstm)


def test_formula_by_hand_for_one_layer():
    assert lstm_parameter_count(10, 32) == 4 * (32 * 10 + 32 * 32 + 2 * 32) == 5632


def test_count_parameters_skips_frozen_ones_unless_asked():
    model = LSTMClassifier(6, 8, 1, 3)
    model.fc.requires_grad_(False)
    assert count_parameters(model) == lstm_parameter_count(6, 8)
    assert count_parameters(model, trainable_only=False) == lstm_parameter_count(6, 8) + 8 * 3 + 3


def test_numpy_integers_are_sizes_like_python_ints():
    np = pytest.importorskip("numpy")
    torch.manual_seed(0)
    model = LSTMClassifier(np.int64(3), np.int32(4), np.int64(2), np.int16(5), bidirectional=True)
    torch.manual_seed(0)
    reference = LSTMClassifier(3, 4, 2, 5, bidirectional=True)
    assert type(model.lstm.input_size) is int and type(model.hidden_size) is int
    x = torch.randn(2, 6, 3)
    torch.testing.assert_close(model(x), reference(x))


@pytest.mark.parametrize("layers, bidirectional", list(itertools.product([1, 3], [False, True])))
def test_training_memory_estimate_counts_every_parameter(layers, bidirectional):
    model = LSTMClassifier(6, 8, layers, 3, bidirectional=bidirectional)
    weights_only = training_bytes(6, 8, layers, 3, bidirectional=bidirectional, batch_size=0, seq_len=5)
    assert weights_only == 7 * 4 * count_parameters(model)  # 7 float32 copies: weights, grads, Adam, temporaries
    more = training_bytes(6, 8, layers, 3, bidirectional=bidirectional, batch_size=64, seq_len=5)
    assert more - weights_only == 12 * 4 * 64 * 5 * layers * (2 if bidirectional else 1) * 8
