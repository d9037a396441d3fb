"""Every exercise check: right answer, wrong answers with their hints, and no answer yet."""


import pytest
import torch
from torch import nn

from lstm_lessons import exercises as ex
from lstm_lessons.tasks import order_task


@pytest.fixture(scope="module")
def batch():
    torch.manual_seed(0)
    return torch.randn(6, 5, 4)


@pytest.fixture(scope="module")
def lstm_run():
    torch.manual_seed(0)
    out, (h_n, _) = nn.LSTM(4, 3, num_layers=2, batch_first=True)(torch.randn(6, 5, 4))
    return out.detach(), h_n.detach()


@pytest.fixture(scope="module")
def bi_run():
    torch.manual_seed(0)
    out, (h_n, _) = nn.LSTM(4, 3, num_layers=2, batch_first=True, bidirectional=True)(torch.randn(6, 5, 4))
    return out.detach(), h_n.detach()


@pytest.fixture(scope="module")
def step():
    torch.manual_seed(0)
    return torch.randn(3, 5), torch.randn(3, 4), nn.LSTMCell(5, 4)


CASES = [  # (check, extra args, right answer, [(wrong answer, words the hint must contain)])
    ("check_00_batch_size", [], 64, [(5, "seq_len"), (10, "input_size"), (3200, "3200"), (7, "first number")]),
    ("check_00_num_values", [], 3200, [(64, "sequences"), (79, "multiply")]),
    ("check_00_model_calls", [], 101, [(100, "above it"), (1, "every epoch"), (102, "one inside the loop")]),
    ("check_03_parameter_count", [], 14080, [(5632, "layer 0 alone"), (11264, "input size is hidden_size"),
                                             (13568, "biases"), (3520, "multiply by 4"), (1, "per layer")]),
    ("check_05_steps_per_epoch", [], 45, [(44, "a step too"), (1438, "one step per sequence"), (1, "full-batch"),
                                          (32, "batch size"), (40, "round up")]),
    ("check_04_classifier_parameters", [], 36482, [(36352, "add the head"), (36418, "both directions"),
                                                   (18306, "bidirectional doubles"), (5, "add lstm_parameter_count"),
                                                   (14146, "unidirectional model")]),
]


@pytest.mark.parametrize("name, args, right, wrongs", CASES)
def test_number_checks(name, args, right, wrongs, capsys):
    check = getattr(ex, name)
    assert check(right, *args).correct
    for wrong, words in wrongs:
        feedback = check(wrong, *args)
        assert feedback.status == "wrong" and words in feedback.message
    assert check("64", *args).status == "wrong"
    assert check(float(right), *args).correct  # 32.0 is a whole number too
    assert "round it" in check(right + 0.25, *args).message
    assert "✓ Correct" in capsys.readouterr().out


@pytest.mark.parametrize("check", [name for name in ex.__all__ if name.startswith("check_")])
def test_unattempted_gets_a_prompt_not_a_traceback(check, batch, lstm_run, bi_run, step, capsys):
    args = {"check_01_time_step": [batch], "check_02_last_step": list(lstm_run),
            "check_02_first_layer_forward": [*bi_run, 2], "check_03_forget_gate": list(step),
            "check_04_binary_loss": [torch.randn(4, 1), torch.ones(4)],
            "check_05_learning_rate": [order_task(n_train=64, n_val=32)]}.get(check, [])
    for blank in (None, ...):
        feedback = getattr(ex, check)(blank, *args)
        assert feedback.status == "unattempted" and "replace `...`" in feedback.message
    assert capsys.readouterr().out.count("Your turn") == 2


def test_time_step(batch):
    assert ex.check_01_time_step(batch[:, 2, :], batch).correct
    assert ex.check_01_time_step(batch[:, 2], batch).correct
    assert "picks a sequence" in ex.check_01_time_step(batch[2], batch).message
    assert "picks a feature" in ex.check_01_time_step(batch[:, :, 2], batch).message
    assert "off by one" in ex.check_01_time_step(batch[:, 1, :], batch).message
    assert "[6, 10]" in ex.check_01_time_step(torch.zeros(6, 10), batch).message
    assert "expected a tensor" in ex.check_01_time_step([1, 2], batch).message
    assert "off by one" in ex.check_01_time_step(batch[:, 3], batch).message
    assert "length 1" in ex.check_01_time_step(batch[:, 2:3], batch).message
    assert "dtype" in ex.check_01_time_step(batch[:, 2].double(), batch).message


def test_answers_that_cannot_be_compared_are_wrong_not_a_crash(batch):
    feedback = ex.check_01_time_step(torch.empty(6, 4, device="meta"), batch)
    assert feedback.status == "wrong"


def test_make_batch():
    assert ex.check_01_make_batch(torch.randn(8, 3, 12)).correct
    assert "swap seq_len and features" in ex.check_01_make_batch(torch.randn(8, 12, 3)).message
    assert "batch_first=False" in ex.check_01_make_batch(torch.randn(3, 8, 12)).message
    assert "dtype" in ex.check_01_make_batch(torch.zeros(8, 3, 12, dtype=torch.int64)).message


def test_labels():
    torch.manual_seed(0)
    assert ex.check_01_labels(torch.randint(0, 4, (64,))).correct
    assert "S2" in ex.check_01_labels(torch.randint(0, 4, (64, 1))).message
    assert "S3" in ex.check_01_labels(torch.randint(0, 2, (4,))).message
    assert "one-hot" in ex.check_01_labels(nn.functional.one_hot(torch.randint(0, 4, (64,)), 4)).message
    assert "int64" in ex.check_01_labels(torch.randint(0, 4, (64,)).float()).message
    assert "[0, 4)" in ex.check_01_labels(torch.full((64,), 4)).message
    assert "randint(0, 2" in ex.check_01_labels(torch.randint(0, 2, (64,))).message
    assert ex.check_01_labels(torch.randint(0, 3, (8,)), batch_size=8, num_classes=3).correct


def test_h_n_shape():
    assert ex.check_02_h_n_shape((6, 4, 16)).correct
    assert ex.check_02_h_n_shape(torch.Size([6, 4, 16])).correct
    assert "batch_first does not apply" in ex.check_02_h_n_shape((4, 6, 16)).message
    assert "two directions" in ex.check_02_h_n_shape((3, 4, 16)).message
    assert "out's shape" in ex.check_02_h_n_shape((4, 7, 32)).message
    assert ex.check_02_h_n_shape("six").status == "wrong"
    assert ex.check_02_h_n_shape((6.9, 4, 16)).status == "wrong"
    assert ex.check_02_h_n_shape(("6", "4", "16")).status == "wrong"


def test_last_step(lstm_run):
    out, h_n = lstm_run
    assert ex.check_02_last_step(out[:, -1], out, h_n).correct
    assert "first step" in ex.check_02_last_step(out[:, 0], out, h_n).message
    assert "first layer" in ex.check_02_last_step(h_n[0], out, h_n).message
    assert "time axis is dim 1" in ex.check_02_last_step(out[-1], out, h_n).message


def test_first_layer_forward(bi_run):
    out, h_n = bi_run
    layers = h_n.view(2, 2, 6, 3)
    check = ex.check_02_first_layer_forward
    assert check(layers[0, 0], out, h_n, 2).correct
    assert check(h_n[0], out, h_n, 2).correct
    assert "backward direction" in check(layers[0, 1], out, h_n, 2).message
    assert "last layer" in check(layers[-1, 0], out, h_n, 2).message
    assert "out holds only the last layer" in check(out[:, -1, :3], out, h_n, 2).message
    assert "every layer" in check(layers[:, 0], out, h_n, 2).message
    assert "both directions of the first layer" in check(layers[0], out, h_n, 2).message
    assert "side by side" in check(torch.cat([h_n[0], h_n[1]], dim=1), out, h_n, 2).message
    stale = check(layers[0, 0], out, h_n[:2], 2)
    assert stale.status == "wrong" and "re-run the cells above" in stale.message


def test_feedback_is_printed_once_and_not_redisplayed(capsys):
    feedback = ex.check_00_batch_size(64)
    assert capsys.readouterr().out == feedback.message + "\n"
    assert feedback._ipython_display_() is None and str(feedback) == feedback.message


def test_forget_gate(step):
    x_t, h, cell = step
    with torch.no_grad():
        pre = x_t @ cell.weight_ih.T + cell.bias_ih + h @ cell.weight_hh.T + cell.bias_hh
        i, f, g, o = pre.chunk(4, dim=1)
        # computed in another order: equal up to rounding, still correct
        assert ex.check_03_forget_gate(torch.sigmoid(h @ cell.weight_hh.T + x_t @ cell.weight_ih.T + cell.bias_hh
                                                     + cell.bias_ih).chunk(4, 1)[1], x_t, h, cell).correct
        assert "input gate" in ex.check_03_forget_gate(torch.sigmoid(i), x_t, h, cell).message
        assert "output gate" in ex.check_03_forget_gate(torch.sigmoid(o), x_t, h, cell).message
        assert "torch.sigmoid" in ex.check_03_forget_gate(f, x_t, h, cell).message
        no_bias = torch.sigmoid((x_t @ cell.weight_ih.T + h @ cell.weight_hh.T).chunk(4, 1)[1])
        assert "biases" in ex.check_03_forget_gate(no_bias, x_t, h, cell).message
        assert "all four gates" in ex.check_03_forget_gate(torch.sigmoid(pre), x_t, h, cell).message
        from_x, from_h = x_t @ cell.weight_ih.T, h @ cell.weight_hh.T
        no_h = torch.sigmoid((from_x + cell.bias_ih + cell.bias_hh).chunk(4, 1)[1])
        assert "h_{t-1} is missing" in ex.check_03_forget_gate(no_h, x_t, h, cell).message
        one_bias = torch.sigmoid((from_x + from_h + cell.bias_ih).chunk(4, 1)[1])
        assert "bias_hh" in ex.check_03_forget_gate(one_bias, x_t, h, cell).message
        assert "tanh is for the candidate" in ex.check_03_forget_gate(torch.tanh(f), x_t, h, cell).message
        assert "dtype" in ex.check_03_forget_gate(torch.sigmoid(f).double(), x_t, h, cell).message
        assert "block 1" in ex.check_03_forget_gate(torch.sigmoid(f) + 0.1, x_t, h, cell).message
    with_grad = torch.sigmoid((x_t @ cell.weight_ih.T + cell.bias_ih + h @ cell.weight_hh.T + cell.bias_hh)
                              .chunk(4, 1)[1])
    assert ex.check_03_forget_gate(with_grad, x_t, h, cell).correct  # a tensor that requires grad is fine


def test_weight_shape():
    assert ex.check_03_weight_shape((128, 64)).correct
    assert ex.check_03_weight_shape(nn.LSTM(10, 32, 2, bidirectional=True).weight_ih_l1.shape).correct
    assert "2 * 32 = 64" in ex.check_03_weight_shape((128, 32)).message
    assert "layer 0's" in ex.check_03_weight_shape((128, 10)).message
    assert "4 * 32 = 128" in ex.check_03_weight_shape((32, 64)).message
    assert ex.check_03_weight_shape("128x64").status == "wrong"


def test_binary_loss():
    torch.manual_seed(0)
    logit, target = torch.randn(1, 1), torch.tensor([1])
    right = nn.BCEWithLogitsLoss()(logit.squeeze(1), target.float())
    assert ex.check_04_binary_loss(right, logit, target).correct
    assert ex.check_04_binary_loss(nn.BCEWithLogitsLoss()(logit, target.float().unsqueeze(1)), logit, target).correct
    assert ex.check_04_binary_loss(right.double(), logit, target).correct  # another dtype: no crash
    assert "drop .item()" in ex.check_04_binary_loss(right.item(), logit, target).message
    assert ex.check_04_binary_loss(torch.tensor(2), logit, target).status == "wrong"
    assert "0-D tensor" in ex.check_04_binary_loss(logit, logit, target).message
    assert ex.check_04_binary_loss(torch.empty((), device="meta"), logit, target).status == "wrong"


def test_squeeze_shape():
    assert ex.check_04_squeeze_shape((5,)).correct
    assert ex.check_04_squeeze_shape(torch.randn(1, 5, 1).squeeze().shape).correct
    assert "batch of one" in ex.check_04_squeeze_shape((1, 5)).message
    assert "batch dimension too" in ex.check_04_squeeze_shape((5, 1)).message
    assert "5 steps stay" in ex.check_04_squeeze_shape(()).message
    assert ex.check_04_squeeze_shape(5).status == "wrong"


def test_numpy_and_tensor_integers_are_whole_numbers():
    np = pytest.importorskip("numpy")
    assert ex.check_03_parameter_count(np.int64(14080)).correct
    assert ex.check_03_parameter_count(torch.tensor(14080)).correct
    assert ex.check_03_weight_shape((np.int64(128), 64)).correct
    assert ex.check_03_parameter_count(torch.tensor(14080.0)).status == "wrong"


def test_loop_order():
    assert ex.check_05_loop_order(["forward", "loss", "zero_grad", "backward", "step"]).correct
    assert ex.check_05_loop_order(["zero_grad", "forward", "loss", "backward", "step"]).correct
    assert ex.check_05_loop_order(("Forward", "loss", "backward", "step", "zero_grad")).correct
    check = ex.check_05_loop_order
    assert "wipes the gradients" in check(["forward", "loss", "backward", "zero_grad", "step"]).message
    assert "backward must compute" in check(["forward", "loss", "zero_grad", "step", "backward"]).message
    assert "forward must come first" in check(["loss", "forward", "zero_grad", "backward", "step"]).message
    assert "missing ['step']" in ex.check_05_loop_order(["forward", "loss", "zero_grad", "backward"]).message
    assert "repeated ['loss']" in check(["forward", "loss", "loss", "backward", "step"]).message
    assert "list of step names" in ex.check_05_loop_order("forward loss").message


@pytest.fixture(scope="module")
def small_order():
    return order_task(seed=0, n_train=400, n_val=200, seq_len=10)


def test_learning_rate_trains_and_judges(small_order):
    assert ex.check_05_learning_rate(3e-2, small_order, epochs=5, target=0.8).correct
    assert "too small" in ex.check_05_learning_rate(1e-6, small_order, epochs=2, target=0.8).message
    assert "too large" in ex.check_05_learning_rate(50.0, small_order, epochs=2).message
    assert "overshoot" in ex.check_05_learning_rate(1.0, order_task(seed=0)).message  # 51% on the lesson's task
    assert "positive, finite number" in ex.check_05_learning_rate(-1, small_order).message
    assert "positive, finite number" in ex.check_05_learning_rate("0.01", small_order).message
    assert "positive, finite number" in ex.check_05_learning_rate(float("inf"), small_order).message
    np = pytest.importorskip("numpy")
    assert ex.check_05_learning_rate(np.float32(3e-2), small_order, epochs=5, target=0.8).correct
    assert ex.check_05_learning_rate(torch.tensor(3e-2), small_order, epochs=5, target=0.8).correct
