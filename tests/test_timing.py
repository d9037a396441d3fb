import copy

import pytest
import torch
from torch import nn

from lstm_lessons import ScratchLSTM
from lstm_lessons.timing import (
    LSTM_OPS,
    autograd_nodes,
    lstm_pass,
    op_counts,
    time_call,
    time_in_turns,
)


def test_time_call_returns_the_result_and_the_median():
    calls = []
    result, seconds = time_call(lambda: calls.append(1) or len(calls), repeat=5, warmup=2)
    assert len(calls) == 7 and result == 7 and 0 <= seconds < 1


def test_time_call_refuses_no_repeats():
    with pytest.raises(ValueError, match="repeat >= 1"):
        time_call(lambda: None, repeat=0)


@pytest.mark.parametrize("model", [nn.LSTM(3, 4, batch_first=True), ScratchLSTM(3, 4, batch_first=True)],
                         ids=["nn.LSTM", "ScratchLSTM"])
def test_lstm_pass_runs_forward_and_backward(model):
    seconds = time_call(lstm_pass(model, torch.randn(2, 5, 3)), repeat=2, warmup=1)[1]
    assert seconds > 0
    assert all(p.grad is not None and p.grad.abs().sum() > 0 for p in model.parameters())


def test_op_counts_see_onednn_in_float32_and_a_step_loop_in_float64():
    lstm = nn.LSTM(3, 4, batch_first=True)
    x = torch.randn(2, 7, 3)
    with torch.no_grad():
        fused = op_counts(lambda: lstm(x))
        stepped = op_counts(lambda: lstm(x), onednn=False)
        in_float64 = op_counts(lambda: copy.deepcopy(lstm).double()(x.double()))
    assert list(fused) == list(LSTM_OPS)
    if torch.backends.mkldnn.is_available():
        assert fused["aten::mkldnn_rnn_layer"] == 1 and fused["aten::addmm"] == 0
    for counts in (stepped, in_float64):
        assert counts["aten::mkldnn_rnn_layer"] == 0
        assert counts["aten::mm"] == 1  # the inputs of all 7 steps in one product
        assert counts["aten::addmm"] == 7 and counts["aten::sigmoid"] == 3 * 7  # per step: h product, i f o
        assert counts["aten::tanh"] == 2 * 7  # per step: g (in place, tanh_) and tanh(c)


def test_op_counts_leave_no_profiler_lines_on_stderr(capfd):
    # torch's profiler logs "profiler_start"/"profiler_stop" to file descriptor 2: in a notebook, stray stderr
    op_counts(lambda: nn.LSTM(3, 4)(torch.randn(5, 1, 3)))
    assert capfd.readouterr().err == ""


def test_op_counts_find_scratch_lstm_running_pytorchs_loop_from_python():
    x = torch.randn(2, 7, 3)
    lstm, scratch = nn.LSTM(3, 4, batch_first=True), ScratchLSTM(3, 4, batch_first=True)
    with torch.no_grad():
        assert op_counts(lambda: scratch(x)) == op_counts(lambda: lstm(x), onednn=False)


def test_time_in_turns_alternates_and_gives_ratios_to_the_first():
    calls = []
    timed = time_in_turns({"a": lambda: calls.append("a"), "b": lambda: calls.append("b")}, repeat=3, warmup=1)
    assert calls == ["a", "b"] * 4
    assert list(timed) == ["a", "b"] and timed["a"][1] == 1.0 and timed["b"][0] > 0
    with pytest.raises(ValueError, match="repeat >= 1"):
        time_in_turns({"a": lambda: None}, repeat=0)


def test_lstm_pass_with_onednn_off_runs_pytorchs_loop_and_restores_the_flag():
    lstm = nn.LSTM(3, 4, batch_first=True)
    counts = op_counts(lstm_pass(lstm, torch.randn(2, 7, 3), onednn=False))
    assert counts["aten::mkldnn_rnn_layer"] == 0 and counts["aten::addmm"] >= 7
    assert torch.backends.mkldnn.enabled
    assert all(p.grad is not None for p in lstm.parameters())


def test_autograd_nodes_one_per_operation_without_onednn():
    x, lstm = torch.randn(2, 7, 3), nn.LSTM(3, 4, batch_first=True)
    stepped = autograd_nodes(lstm, x, onednn=False)
    assert stepped > 7 * 9  # at least addmm, 3 sigmoid, 2 tanh, 3 mul per step
    assert autograd_nodes(ScratchLSTM(3, 4, batch_first=True), x) > 7 * 9
    if torch.backends.mkldnn.is_available():
        assert autograd_nodes(lstm, x) < 10
