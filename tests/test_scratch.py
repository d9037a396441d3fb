"""ScratchLSTM against nn.LSTM: outputs, states and every parameter's gradient (micrograd's test, for an LSTM)."""

import itertools

import pytest
import torch
from torch import nn

from lstm_lessons import ScratchLSTM, ScratchLSTMCell, lstm_cell
from lstm_lessons.scratch import input_gates

TOLERANCE = {torch.float32: dict(rtol=1e-5, atol=1e-5), torch.float64: dict(rtol=1e-10, atol=1e-10)}
VARIANTS = list(itertools.product([1, 2, 3], [False, True], [False, True], [True, False]))


def pair(num_layers, bidirectional, batch_first, bias, dtype, seed=0):
    """An nn.LSTM and a ScratchLSTM holding the same weights."""
    torch.manual_seed(seed)
    ref = nn.LSTM(5, 4, num_layers, bias=bias, batch_first=batch_first, bidirectional=bidirectional).to(dtype)
    scratch = ScratchLSTM(5, 4, num_layers, bias=bias, batch_first=batch_first, bidirectional=bidirectional)
    scratch.load_state_dict(ref.state_dict())
    return ref, scratch.to(dtype)


def run_both(ref, scratch, x, state=None):
    """Forward and backward through both models; return what each produced and its gradients."""
    results = []
    for model in (ref, scratch):
        model.zero_grad()
        inputs = x.clone().requires_grad_(True)
        given = None if state is None else tuple(s.clone().requires_grad_(True) for s in state)
        out, (h_n, c_n) = model(inputs, given)
        (out.square().sum() + h_n.sin().sum() + c_n.cos().sum()).backward()  # touches every output
        grads = {name: p.grad for name, p in model.named_parameters()}
        state_grads = [] if given is None else [s.grad for s in given]
        results.append((out, h_n, c_n, inputs.grad, grads, state_grads))
    return results


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64], ids=["float32", "float64"])
@pytest.mark.parametrize("num_layers, bidirectional, batch_first, bias", VARIANTS,
                         ids=lambda v: str(v))
def test_matches_nn_lstm_forward_and_backward(num_layers, bidirectional, batch_first, bias, dtype):
    ref, scratch = pair(num_layers, bidirectional, batch_first, bias, dtype)
    x = torch.randn((3, 6, 5) if batch_first else (6, 3, 5), dtype=dtype)
    (o1, h1, c1, gx1, g1, _), (o2, h2, c2, gx2, g2, _) = run_both(ref, scratch, x)
    tol = TOLERANCE[dtype]
    for a, b in [(o1, o2), (h1, h2), (c1, c2), (gx1, gx2)]:
        torch.testing.assert_close(b, a, **tol)
    assert g1.keys() == g2.keys()
    for name in g1:
        torch.testing.assert_close(g2[name], g1[name], **tol, msg=name)


@pytest.mark.parametrize("bidirectional", [False, True])
def test_given_initial_state_and_its_gradient(bidirectional):
    ref, scratch = pair(2, bidirectional, True, True, torch.float64)
    d = 2 if bidirectional else 1
    x = torch.randn(3, 6, 5, dtype=torch.float64)
    state = (torch.randn(2 * d, 3, 4, dtype=torch.float64), torch.randn(2 * d, 3, 4, dtype=torch.float64))
    first, second = run_both(ref, scratch, x, state)
    for a, b in zip(first[:4], second[:4], strict=True):
        torch.testing.assert_close(b, a, **TOLERANCE[torch.float64])
    for a, b in zip(first[5], second[5], strict=True):
        torch.testing.assert_close(b, a, **TOLERANCE[torch.float64])


@pytest.mark.parametrize("bidirectional", [False, True])
def test_unbatched_input(bidirectional):
    ref, scratch = pair(2, bidirectional, False, True, torch.float64)
    x = torch.randn(6, 5, dtype=torch.float64)
    out1, (h1, c1) = ref(x)
    out2, (h2, c2) = scratch(x)
    assert out2.shape == out1.shape and h2.shape == h1.shape
    for a, b in [(out1, out2), (h1, h2), (c1, c2)]:
        torch.testing.assert_close(b, a)
    state = (torch.randn_like(h1), torch.randn_like(c1))
    torch.testing.assert_close(scratch(x, state)[0], ref(x, state)[0])


def test_state_dict_loads_the_other_way_round():
    torch.manual_seed(1)
    scratch = ScratchLSTM(5, 4, 2, bidirectional=True).double()
    ref = nn.LSTM(5, 4, 2, bidirectional=True).double()
    ref.load_state_dict(scratch.state_dict())
    x = torch.randn(6, 3, 5, dtype=torch.float64)
    torch.testing.assert_close(ref(x)[0], scratch(x)[0])


def test_same_parameter_names_and_shapes_as_nn_lstm():
    ref = nn.LSTM(5, 4, 3, bidirectional=True)
    scratch = ScratchLSTM(5, 4, 3, bidirectional=True)
    assert {k: v.shape for k, v in scratch.state_dict().items()} == {k: v.shape for k, v in ref.state_dict().items()}


def test_initialisation_is_in_pytorchs_range():
    scratch = ScratchLSTM(5, 16)
    bound = 1 / 16 ** 0.5
    assert all(p.abs().max() <= bound for p in scratch.parameters())
    assert scratch.weight_ih_l0.std() > bound / 4  # not all zeros


def test_cell_matches_nn_lstmcell_and_the_gate_order():
    torch.manual_seed(2)
    ref = nn.LSTMCell(5, 4).double()
    cell = ScratchLSTMCell(5, 4).double()
    cell.load_state_dict(ref.state_dict())
    x, h, c = (torch.randn(3, n, dtype=torch.float64) for n in (5, 4, 4))
    for a, b in zip(ref(x, (h, c)), cell(x, (h, c)), strict=True):
        torch.testing.assert_close(b, a)
    torch.testing.assert_close(cell(x)[0], ref(x)[0])
    # swapping two gates' rows (g and o) changes the result: the order i, f, g, o matters
    swapped = [ref.weight_ih, ref.weight_hh, ref.bias_ih, ref.bias_hh]
    swapped = [torch.cat([w.chunk(4)[i] for i in (0, 1, 3, 2)]) for w in swapped]
    assert not torch.allclose(lstm_cell(x, h, c, *swapped)[0], ref(x, (h, c))[0])


@pytest.mark.parametrize("shape, words", [((5,), "expected x of shape"), ((2, 3, 4, 5), "expected x of shape"),
                                          ((6, 3, 7), "input_size=5")])
def test_wrong_input_is_a_clear_error(shape, words):
    with pytest.raises(ValueError, match=words):
        ScratchLSTM(5, 4)(torch.randn(*shape))


@pytest.mark.parametrize("kwargs", [dict(hidden_size=0), dict(num_layers=0), dict(bidirectional=1), dict(bias="no")])
def test_bad_hyperparameters_are_refused(kwargs):
    with pytest.raises(ValueError):
        ScratchLSTM(**({"input_size": 5, "hidden_size": 4} | kwargs))


@pytest.mark.parametrize("state, words", [
    ((torch.zeros(2, 1, 4), torch.zeros(2, 1, 4)), r"h0 of shape \[2, 3, 4\].*got \[2, 1, 4\]"),
    ((torch.zeros(1, 3, 4), torch.zeros(1, 3, 4)), "another batch size or model"),
    ((torch.zeros(2, 4), torch.zeros(2, 4)), "h0 of shape"),
    ((torch.zeros(2, 3, 4), torch.zeros(2, 3, 4, dtype=torch.float64)), "c0 to be torch.float32"),
    (torch.zeros(2, 3, 4), "state = \\(h0, c0\\)"),
])
def test_a_wrong_state_is_refused_as_nn_lstm_refuses_it(state, words):
    with pytest.raises(ValueError, match=words):
        ScratchLSTM(5, 4, num_layers=2)(torch.randn(6, 3, 5), state)


def test_unbatched_input_with_a_batched_state_is_refused():
    with pytest.raises(ValueError, match=r"h0 of shape \[1, 4\]"):
        ScratchLSTM(5, 4)(torch.randn(6, 5), (torch.zeros(1, 3, 4), torch.zeros(1, 3, 4)))


def test_no_time_steps_is_refused():
    with pytest.raises(ValueError, match="at least one time step"):
        ScratchLSTM(5, 4, batch_first=True)(torch.randn(3, 0, 5))


def test_cell_takes_unbatched_input_like_nn_lstmcell():
    torch.manual_seed(3)
    ref, cell = nn.LSTMCell(5, 4), ScratchLSTMCell(5, 4)
    cell.load_state_dict(ref.state_dict())
    x = torch.randn(5)
    h, c = cell(x)
    assert h.shape == c.shape == (4,)
    torch.testing.assert_close(h, ref(x)[0])
    with pytest.raises(ValueError, match=r"expected x_t of shape \[batch, 5\]"):
        cell(torch.randn(3, 6))


@pytest.mark.parametrize("model", [ScratchLSTM(5, 4), ScratchLSTMCell(5, 4)], ids=["ScratchLSTM", "ScratchLSTMCell"])
def test_an_input_of_another_dtype_says_how_to_convert(model):
    x = torch.randn(6, 3, 5) if isinstance(model, ScratchLSTM) else torch.randn(3, 5)
    with pytest.raises(ValueError, match=r"to be torch.float32 like the model's weights, got torch.float64.*\.to\("):
        model(x.double())
    with pytest.raises(ValueError, match="got torch.int64"):
        model(x.long())


@pytest.mark.parametrize("model", [ScratchLSTM(5, 4), ScratchLSTMCell(5, 4)], ids=["ScratchLSTM", "ScratchLSTMCell"])
def test_an_input_on_another_device_says_how_to_move_it(model):
    x = torch.randn(6, 3, 5, device="meta") if isinstance(model, ScratchLSTM) else torch.randn(3, 5, device="meta")
    with pytest.raises(ValueError, match=r"on cpu like the model's weights, got meta: move"):
        model(x)


def test_a_list_of_sequences_says_to_stack_or_pad():
    with pytest.raises(TypeError, match="got list: stack equal-length sequences with torch.stack, pad"):
        ScratchLSTM(5, 4)([torch.randn(6, 5), torch.randn(6, 5)])
    with pytest.raises(TypeError, match="expected x_t to be a tensor"):
        ScratchLSTMCell(5, 4)([[0.0] * 5])


def test_a_packed_sequence_is_refused_with_what_to_use_instead():
    packed = nn.utils.rnn.pack_sequence([torch.randn(6, 5), torch.randn(4, 5)])
    assert nn.LSTM(5, 4)(packed)[0].data.shape == (10, 4)  # nn.LSTM takes it
    with pytest.raises(TypeError, match="got a PackedSequence.*pad_packed_sequence, or use nn.LSTM"):
        ScratchLSTM(5, 4)(packed)


@pytest.mark.parametrize("x_shape, state_shape, words", [
    ((5,), (3, 4), r"expected h of shape \[4\] .*got \[3, 4\]$"),  # unbatched x_t, batched state: the shapes passed
    ((3, 5), (4,), r"expected h of shape \[3, 4\] .*got \[4\]$"),
    ((3, 5), (2, 4), r"expected h of shape \[3, 4\] \(\[batch, hidden_size\]"),
])
def test_the_cell_reports_the_state_shapes_that_were_passed(x_shape, state_shape, words):
    with pytest.raises(ValueError, match=words) as error:
        ScratchLSTMCell(5, 4)(torch.randn(*x_shape), (torch.zeros(state_shape), torch.zeros(state_shape)))
    assert "num_layers" not in str(error.value)  # a cell has no layers


def test_the_cell_refuses_a_state_that_is_not_a_pair():
    with pytest.raises(ValueError, match=r"expected state = \(h, c\), two tensors of shape \[3, 4\], got Tensor"):
        ScratchLSTMCell(5, 4)(torch.randn(3, 5), torch.zeros(2, 3, 4))
    with pytest.raises(ValueError, match=r"expected c to be torch.float32"):
        ScratchLSTMCell(5, 4)(torch.randn(3, 5), (torch.zeros(3, 4), torch.zeros(3, 4, dtype=torch.float64)))


def test_input_gates_for_all_steps_equal_the_cells_own():
    torch.manual_seed(4)
    ref = nn.LSTMCell(5, 4).double()
    x, h, c = torch.randn(6, 3, 5, dtype=torch.float64), torch.randn(3, 4, dtype=torch.float64), torch.zeros(3, 4)
    weights = [ref.weight_ih, ref.weight_hh, ref.bias_ih, ref.bias_hh]
    all_steps = input_gates(x, ref.weight_ih, ref.bias_ih, ref.bias_hh)  # [6, 3, 16]: one product
    for t in range(6):
        step = lstm_cell(all_steps[t], h, c.double(), weight_ih=None, weight_hh=ref.weight_hh)
        torch.testing.assert_close(step, lstm_cell(x[t], h, c.double(), *weights))
        torch.testing.assert_close(step, ref(x[t], (h, c.double())))


def test_lstm_cell_refuses_biases_it_would_not_use():
    w_ih, w_hh, b = torch.randn(16, 5), torch.randn(16, 4), torch.randn(16)
    x_t, h, c = torch.randn(3, 5), torch.zeros(3, 4), torch.zeros(3, 4)
    with pytest.raises(TypeError, match="no biases with weight_ih=None.*input_gates"):
        lstm_cell(input_gates(x_t, w_ih), h, c, None, w_hh, b, b)


@pytest.mark.parametrize("biases, words", [((None, "b"), "bias_hh without bias_ih"),
                                           (("b", None), "bias_ih without bias_hh")])
def test_lstm_cell_and_input_gates_refuse_a_single_bias(biases, words):
    w_ih, w_hh, b = torch.randn(16, 5), torch.randn(16, 4), torch.randn(16)
    bias_ih, bias_hh = (b if given == "b" else None for given in biases)
    x_t, h, c = torch.randn(3, 5), torch.zeros(3, 4), torch.zeros(3, 4)
    with pytest.raises(TypeError, match=f"both biases or neither, got {words}"):
        lstm_cell(x_t, h, c, w_ih, w_hh, bias_ih, bias_hh)
    with pytest.raises(TypeError, match=f"both biases or neither, got {words}"):
        input_gates(x_t, w_ih, bias_ih, bias_hh)
