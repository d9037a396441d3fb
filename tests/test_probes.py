import pytest
import torch
from torch import nn

from lstm_lessons.probes import cell_state_gradient_per_step, gate_activations, gradient_per_step, mean_forget_gate


@pytest.fixture
def lstm():
    torch.manual_seed(0)
    return nn.LSTM(3, 6, batch_first=True)


def open_forget_gates(lstm: nn.LSTM, bias: float = 3.0) -> nn.LSTM:
    with torch.no_grad():
        lstm.bias_ih_l0[lstm.hidden_size:2 * lstm.hidden_size].fill_(bias)
    return lstm


def test_gates_reproduce_nn_lstm(lstm):
    sequence = torch.randn(7, 3)
    gates = gate_activations(lstm, sequence)
    out, (h_n, c_n) = lstm(sequence)
    assert set(gates) == set("ifgoch") and all(v.shape == (7, 6) for v in gates.values())
    torch.testing.assert_close(gates["h"], out)
    torch.testing.assert_close(gates["c"][-1], c_n[0])
    assert gates["i"].min() >= 0 and gates["i"].max() <= 1 and gates["g"].min() >= -1


def test_gates_refuse_a_batch(lstm):
    with pytest.raises(ValueError, match=r"one sequence of shape \[seq_len, 3\]"):
        gate_activations(lstm, torch.randn(2, 7, 3))


def test_forget_bias_opens_the_forget_gate(lstm):
    x = torch.randn(4, 10, 3)
    default = mean_forget_gate(lstm, x)
    assert 0.35 < default < 0.65
    assert mean_forget_gate(open_forget_gates(lstm), x) > 0.9


def test_gradient_reaches_further_back_through_an_open_forget_gate():
    torch.manual_seed(0)
    x = torch.randn(8, 60, 3)
    rnn = nn.RNN(3, 6, batch_first=True)
    lstm = nn.LSTM(3, 6, batch_first=True)
    norms_rnn, norms_lstm = gradient_per_step(rnn, x), gradient_per_step(lstm, x)
    norms_open = gradient_per_step(open_forget_gates(nn.LSTM(3, 6, batch_first=True)), x)
    assert norms_rnn.shape == norms_lstm.shape == (60,)
    assert norms_lstm[-1] > 0
    assert norms_open[0] > 1000 * norms_lstm[0]  # 59 steps back: open gates carry the gradient


def test_a_tiny_gradient_is_not_read_as_zero():
    # a plain RNN's gradient 100 steps back is around 1e-29: its float32 squares (1e-58) are 0
    torch.manual_seed(0)
    norms = gradient_per_step(nn.RNN(8, 32, batch_first=True), torch.randn(16, 100, 8))
    assert norms.dtype == torch.float64
    assert (norms > 0).all() and norms[0] < 1e-20


def test_without_recurrent_weights_the_cell_state_is_the_only_path(lstm):
    with torch.no_grad():
        lstm.weight_hh_l0.zero_()  # h_{t-1} then reaches nothing: detaching it changes nothing
    x = torch.randn(4, 12, 3)
    torch.testing.assert_close(cell_state_gradient_per_step(lstm, x), gradient_per_step(lstm, x))


def test_the_cell_state_path_fades_by_the_forget_gate_and_the_recurrent_paths_add():
    torch.manual_seed(0)
    lstm = open_forget_gates(nn.LSTM(8, 32, batch_first=True))
    x = torch.randn(16, 100, 8)
    cell_only, full = cell_state_gradient_per_step(lstm, x), gradient_per_step(lstm, x)
    assert 0.01 < cell_only[49] / cell_only[-1] < 0.95 ** 30  # about f ** 50, f ~ 0.95
    assert full[0] / full[-1] > 10 * cell_only[0] / cell_only[-1]  # 99 steps back


def test_cell_state_probe_refuses_what_it_cannot_cut():
    with pytest.raises(ValueError, match="one-layer, one-direction"):
        cell_state_gradient_per_step(nn.LSTM(3, 6, num_layers=2, batch_first=True), torch.randn(2, 5, 3))
    with pytest.raises(ValueError, match=r"\[batch, seq_len, 3\]"):
        cell_state_gradient_per_step(nn.LSTM(3, 6, batch_first=True), torch.randn(5, 3))
