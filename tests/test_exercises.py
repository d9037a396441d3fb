"""Every exercise check: right answer, wrong answers with their hints, and no answer yet."""

import pytest
import torch
from torch import nn

from lstm_lessons import exercises as ex


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


CASES = [  # (check, extra args, right answer, [(wrong answer, words the hint must contain)])
    ("check_00_batch_size", [], 64, [(5, "seq_len"), (10, "input_size"), (3200, "3200"), (7, "count again")]),
    ("check_00_num_values", [], 3200, [(64, "sequences"), (79, "multiply")]),
    ("check_00_model_calls", [], 101, [(100, "above it"), (1, "every epoch")]),
]


@pytest.mark.parametrize("name, args, right, wrongs", CASES)
def test_number_checks(name, args, right, wrongs, capsys):
    check = getattr(ex, name)
    assert check(right, *args).correct
    for wrong, words in wrongs:
        feedback = check(wrong, *args)
        assert feedback.status == "wrong" and words in feedback.message
    assert check("64", *args).status == "wrong"
    assert "✅" in capsys.readouterr().out


@pytest.mark.parametrize("check", [name for name in ex.__all__ if name.startswith("check_")])
def test_unattempted_gets_a_prompt_not_a_traceback(check, batch, lstm_run, bi_run, capsys):
    args = {"check_01_time_step": [batch], "check_02_last_step": list(lstm_run),
            "check_02_backward_final": [*bi_run, 2]}.get(check, [])
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


def test_make_batch():
    assert ex.check_01_make_batch(torch.randn(8, 3, 12)).correct
    assert "swap seq_len and features" in ex.check_01_make_batch(torch.randn(8, 12, 3)).message
    assert "batch_first=False" in ex.check_01_make_batch(torch.randn(3, 8, 12)).message
    assert "dtype" in ex.check_01_make_batch(torch.zeros(8, 3, 12, dtype=torch.int64)).message


def test_labels():
    assert ex.check_01_labels(torch.randint(0, 4, (8,))).correct
    assert "S2" in ex.check_01_labels(torch.randint(0, 4, (8, 1))).message
    assert "S3" in ex.check_01_labels(torch.randint(0, 2, (4,))).message
    assert "int64" in ex.check_01_labels(torch.randint(0, 4, (8,)).float()).message
    assert "[0, 4)" in ex.check_01_labels(torch.full((8,), 4)).message


def test_h_n_shape():
    assert ex.check_02_h_n_shape((6, 4, 16)).correct
    assert ex.check_02_h_n_shape(torch.Size([6, 4, 16])).correct
    assert "batch_first does not apply" in ex.check_02_h_n_shape((4, 6, 16)).message
    assert "two directions" in ex.check_02_h_n_shape((3, 4, 16)).message
    assert "out's shape" in ex.check_02_h_n_shape((4, 7, 32)).message
    assert ex.check_02_h_n_shape("six").status == "wrong"


def test_last_step(lstm_run):
    out, h_n = lstm_run
    assert ex.check_02_last_step(out[:, -1], out, h_n).correct
    assert "first step" in ex.check_02_last_step(out[:, 0], out, h_n).message
    assert "first layer" in ex.check_02_last_step(h_n[0], out, h_n).message
    assert "time axis is dim 1" in ex.check_02_last_step(out[-1], out, h_n).message


def test_backward_final(bi_run):
    out, h_n = bi_run
    layers = h_n.view(2, 2, 6, 3)
    assert ex.check_02_backward_final(layers[-1, 1], out, h_n, 2).correct
    assert ex.check_02_backward_final(h_n[-1], out, h_n, 2).correct
    assert "forward direction" in ex.check_02_backward_final(layers[-1, 0], out, h_n, 2).message
    assert "first layer" in ex.check_02_backward_final(layers[0, 1], out, h_n, 2).message
    assert "one token" in ex.check_02_backward_final(out[:, -1, 3:], out, h_n, 2).message
    with pytest.raises(ValueError, match="bidirectional LSTM with 2 layers"):
        ex.check_02_backward_final(layers[-1, 1], out, h_n[:2], 2)


def test_feedback_is_printed_once_and_not_redisplayed(capsys):
    feedback = ex.check_00_batch_size(64)
    assert capsys.readouterr().out == feedback.message + "\n"
    assert feedback._ipython_display_() is None and str(feedback) == feedback.message
