import pytest
import torch
from torch import nn

from lstm_lessons.probes import gate_activations, gradient_per_step, mean_forget_gate


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
