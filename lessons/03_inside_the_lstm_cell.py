# Source of notebooks/03_inside_the_lstm_cell.ipynb -- edit here, then run: python tools/build_notebooks.py 03

# %% [markdown]
# # Lesson 03 — Inside the LSTM cell
#
# **What you will learn**
#
# - the LSTM's equations — the gates i, f, g, o, the cell state c and the hidden state h — with a diagram;
# - how PyTorch stores the weights (`weight_ih_l0` is `[4H, I]`, gates in the order i, f, g, o) and how many parameters that makes;
# - that an LSTM written from plain tensor operations gives **the same outputs and gradients** as `nn.LSTM`;
# - what the gates do over time, and why the cell state lets gradients reach far back (when the forget gate is open);
# - why the library's LSTM is faster than the one written out step by step.
#
# **Time:** about 35 minutes. **Prerequisite:** [Lesson 02 — LSTM outputs and states](02_lstm_outputs_and_states.ipynb).

# %% [markdown] tags=["instructor", "notes"]
# **Speaker notes.** If time is short, skip the speed section; the equality of ScratchLSTM and nn.LSTM (outputs and gradients) is the point to make.

# %%
import inspect
import time

import torch
from torch import nn

import lstm_lessons
from lstm_lessons import ScratchLSTM, count_parameters, lstm_cell, lstm_parameter_count
from lstm_lessons import exercises as ex
from lstm_lessons.plots import draw_lstm_cell, plot_gate_activations, plot_gradient_per_step
from lstm_lessons.probes import gate_activations, gradient_per_step, mean_forget_gate
threads = lstm_lessons.use_threads()  # compute on 1 CPU thread, which stays fast when the machine is busy (lesson 00)

torch.manual_seed(0)  # the same random weights on every run
x, y = lstm_lessons.make_seed_data(seed=0)  # the seed's batch: [64, 5, 10]

# %% [markdown]
# ## The equations
#
# At every time step t the cell reads the input $x_t$ and the previous hidden state $h_{t-1}$, and computes four
# vectors of size H (`hidden_size`), each from its own weights:
#
# $$\begin{aligned}
# i_t &= \sigma(W_{ii} x_t + b_{ii} + W_{hi} h_{t-1} + b_{hi}) && \text{input gate: how much new to write}\\
# f_t &= \sigma(W_{if} x_t + b_{if} + W_{hf} h_{t-1} + b_{hf}) && \text{forget gate: how much old to keep}\\
# g_t &= \tanh(W_{ig} x_t + b_{ig} + W_{hg} h_{t-1} + b_{hg}) && \text{candidate: what to write}\\
# o_t &= \sigma(W_{io} x_t + b_{io} + W_{ho} h_{t-1} + b_{ho}) && \text{output gate: how much to show}\\
# c_t &= f_t \odot c_{t-1} + i_t \odot g_t && \text{cell state}\\
# h_t &= o_t \odot \tanh(c_t) && \text{hidden state}
# \end{aligned}$$
#
# $\sigma$ squashes to (0, 1), so the gates act as dials; $\odot$ multiplies element by element.

# %% readme_figure="lstm_cell"
fig = draw_lstm_cell()

# %% [markdown]
# Here is the package's cell, `lstm_cell` — each line one of those equations:

# %%
print(inspect.getsource(lstm_cell))

# %% [markdown]
# ## How PyTorch stores the weights
#
# `nn.LSTM` stacks the four gates' weights into one matrix per kind: `weight_ih_l0` holds $W_{ii}, W_{if}, W_{ig},
# W_{io}$ one under the other, so it is `[4H, input_size]`; `weight_hh_l0` is `[4H, H]`; each bias is `[4H]`.

# %%
lstm = nn.LSTM(input_size=10, hidden_size=32)
for name, p in lstm.named_parameters():
    print(f"{name:14s} {list(p.shape)}")

# %% [markdown]
# The order of the four blocks is **i, f, g, o**. One step computed by `lstm_cell` with `nn.LSTM`'s own weights
# equals `nn.LSTM`'s step:

# %%
x_t = x[:, 0]  # step 0 of every sequence: [64, 10]
h0 = c0 = torch.zeros(64, 32)
weights = [lstm.weight_ih_l0, lstm.weight_hh_l0, lstm.bias_ih_l0, lstm.bias_hh_l0]
h1, c1 = lstm_cell(x_t, h0, c0, *weights)
out, (h_n, c_n) = lstm(x_t.unsqueeze(0))  # a sequence of one step, [1, 64, 10]
print("h equal:", torch.allclose(h1, h_n[0], atol=1e-6), "  c equal:", torch.allclose(c1, c_n[0], atol=1e-6))

# %% [markdown]
# The order is PyTorch's convention (Keras and ONNX use other orders), and code that reads or ports the weights
# must follow it: read the blocks in another order — swap g and o — and the result is different:

# %%
swapped = [torch.cat([w.chunk(4)[k] for k in (0, 1, 3, 2)]) for w in weights]  # i, f, o, g
h_swapped, _ = lstm_cell(x_t, h0, c0, *swapped)
print("equal with the order i, f, o, g:", torch.allclose(h_swapped, h_n[0], atol=1e-6))

# %% [markdown]
# ## Counting parameters
#
# Per layer and direction: four gates, each with an input weight `[H, I]`, a recurrent weight `[H, H]` and two
# biases `[H]` — that is $4(HI + HH + 2H)$. Above layer 0, `I` is the layer below's output: `H`, or `2H` if
# bidirectional. `lstm_parameter_count` applies the formula; `count_parameters` adds up the real tensors:

# %%
print(f"{'settings':48s} {'formula':>8s} {'counted':>8s}")
for settings in [dict(input_size=10, hidden_size=32), dict(input_size=10, hidden_size=32, num_layers=2),
                 dict(input_size=10, hidden_size=32, num_layers=2, bidirectional=True),
                 dict(input_size=1, hidden_size=128, num_layers=3)]:
    formula = lstm_parameter_count(**settings)
    counted = count_parameters(nn.LSTM(**settings))
    shown = ", ".join(f"{k}={v}" for k, v in settings.items())
    print(f"{shown:48s} {formula:8d} {counted:8d}  {'equal' if formula == counted else 'DIFFERENT'}")

# %% [markdown]
# ## An LSTM from scratch, equal to `nn.LSTM`
#
# `ScratchLSTM` runs `lstm_cell` over every time step, layer and direction, with `nn.LSTM`'s conventions and
# parameter names — so one can load the other's weights. Take a 2-layer bidirectional `nn.LSTM`, load its
# weights into a `ScratchLSTM`, and compare everything:

# %%
torch_lstm = nn.LSTM(10, 32, num_layers=2, batch_first=True, bidirectional=True)
scratch = ScratchLSTM(10, 32, num_layers=2, batch_first=True, bidirectional=True)
scratch.load_state_dict(torch_lstm.state_dict())

out_torch, (h_n_torch, c_n_torch) = torch_lstm(x)
out_scratch, (h_n_scratch, c_n_scratch) = scratch(x)
for name, a, b in [("out", out_scratch, out_torch), ("h_n", h_n_scratch, h_n_torch), ("c_n", c_n_scratch, c_n_torch)]:
    torch.testing.assert_close(a, b, rtol=1e-5, atol=1e-5)  # raises if they differ
    print(f"{name}: {list(a.shape)} equal")

# %% [markdown]
# And the backward pass: the same loss through both gives the same gradient for every one of the 16 parameters.

# %%
(out_torch.square().sum() + h_n_torch.sum()).backward()
(out_scratch.square().sum() + h_n_scratch.sum()).backward()
for name, p in scratch.named_parameters():
    torch.testing.assert_close(p.grad, torch_lstm.get_parameter(name).grad, rtol=1e-5, atol=1e-5)
print(f"all {len(list(scratch.parameters()))} gradients equal")

# %% [markdown]
# The course's tests repeat this for 1-3 layers, both directions, `batch_first` on and off, with and without
# biases, unbatched input and a given initial state — within 1e-5 in float32 and 1e-10 in float64.
#
# ## The gates at work
#
# `gate_activations` runs layer 0 over one sequence and records every gate. Here, for a sequence of 30 steps
# that jumps from 0 to 3 halfway, all 16 hidden units of an (untrained) LSTM:

# %%
gate_lstm = nn.LSTM(input_size=1, hidden_size=16)
sequence = torch.cat([torch.zeros(15, 1), torch.full((15, 1), 3.0)])  # [30, 1]: 0 for 15 steps, then 3
gates = gate_activations(gate_lstm, sequence)
fig = plot_gate_activations(gates)

# %% [markdown]
# Every gate responds to the jump at step 15 — the largest change of each gate happens there:

# %%
for name in "ifgo":
    change = (gates[name][1:] - gates[name][:-1]).abs().amax(dim=1)  # [29]: largest change into step t+1
    print(f"gate {name}: largest change at step {change.argmax().item() + 1}")

# %% [markdown]
# Note the forget gate's mean, about 0.5: PyTorch draws every weight and bias from
# $U(-1/\sqrt{H}, 1/\sqrt{H})$ — here ±0.25 — so the pre-activations start near 0, and $\sigma(0) = 0.5$: an
# untrained LSTM forgets about half its cell state at every step. That matters for the next picture.
#
# ## Why the cell state carries gradients
#
# Training needs the gradient of the loss with respect to early inputs. In a plain RNN it is a product of one
# factor per step and fades fast. In an LSTM, $c_t = f_t \odot c_{t-1} + \dots$, so the direct path along the cell
# state multiplies the gradient by $f_t$ at each step: it fades slowly when the forget gate is open (near 1) and
# fast when it is not. (Other paths, through the gates, add to it.) `gradient_per_step` measures how much the last
# output depends on each of 100 input steps:

# %%
torch.manual_seed(0)
long_x = torch.randn(16, 100, 8)
rnn = nn.RNN(8, 32, batch_first=True)
lstm_default = nn.LSTM(8, 32, batch_first=True)
lstm_open = nn.LSTM(8, 32, batch_first=True)
with torch.no_grad():
    lstm_open.bias_ih_l0[32:64].fill_(3.0)  # rows 32-63 are the forget gate's: sigmoid(3) = 0.95
norms = {
    "plain RNN": gradient_per_step(rnn, long_x),
    f"LSTM, default init (mean f = {mean_forget_gate(lstm_default, long_x[:4]):.2f})": gradient_per_step(lstm_default, long_x),
    f"LSTM, forget bias 3 (mean f = {mean_forget_gate(lstm_open, long_x[:4]):.2f})": gradient_per_step(lstm_open, long_x),
}
fig = plot_gradient_per_step(norms)

# %% [markdown]
# Fifty steps back, how much gradient is left, relative to the last step? (The exact figures vary a little
# between machines; their order does not.)

# %% tags=["nbval-ignore-output"]
left = {label: (values[49] / values[-1]).item() for label, values in norms.items()}
for label, fraction in left.items():
    print(f"{label:42s} 50 steps back: {fraction:.1e}")

# %%
rnn_left, default_left, open_left = left.values()
print("plain RNN < LSTM default < LSTM with an open forget gate:", rnn_left < default_left < open_left)
print("with the gate open, more than 10% is left:", open_left > 0.1)

# %% [markdown]
# The plain RNN's gradient vanishes fastest. The LSTM at its default initialisation keeps more, but with
# $f \approx 0.5$ it still fades by a constant factor at every step (about 0.6 here). With the forget gate open
# it does not fade at all — in this untrained network it even grows a little going back, as every step adds to
# the cell state that the gates read. The cell state is a path along which the gradient can flow. That is why
# many LSTM implementations initialise the forget-gate bias to 1 or more, and why *trained* LSTMs, which learn
# to keep their forget gates open where memory matters, can connect events far apart.
#
# ## Why `nn.LSTM` is faster
#
# The same forward and backward pass, timed (your numbers will differ; the ratio is what matters):

# %% tags=["nbval-ignore-output"]
def seconds_per_pass(model, x, repeats=5):
    """The fastest of a few forward + backward passes (the least disturbed by other work)."""
    times = []
    for _ in range(repeats + 1):  # the first run warms up
        start = time.perf_counter()
        model(x)[0].sum().backward()
        times.append(time.perf_counter() - start)
    return min(times[1:])

bench_x = torch.randn(64, 50, 10)  # batch 64, 50 steps
fused = nn.LSTM(10, 64, num_layers=2, batch_first=True)
readable = ScratchLSTM(10, 64, num_layers=2, batch_first=True)
t_fused, t_readable = seconds_per_pass(fused, bench_x), seconds_per_pass(readable, bench_x)
print(f"nn.LSTM     {1000 * t_fused:6.1f} ms")
print(f"ScratchLSTM {1000 * t_readable:6.1f} ms   ({t_readable / t_fused:.1f}x)")

# %% [markdown]
# Where the gap comes from:
#
# - **One matrix product for all input steps.** $W_{i\cdot} x_t$ does not depend on $h$, so the library computes it
#   for every step at once — one large matrix product instead of `seq_len` small ones. Only $W_{h\cdot} h_{t-1}$ has
#   to wait for the previous step.
# - **Fused kernels.** The library runs the gate arithmetic (four activations, the products and the sum) as one
#   compiled kernel per step; `lstm_cell` launches about a dozen separate operations, each with Python overhead,
#   and autograd records each one for the backward pass.
#
# The first point, checked — the same numbers, computed both ways:

# %% tags=["nbval-ignore-output"]
w = fused.weight_ih_l0.detach()  # [256, 10]
xs = bench_x.transpose(0, 1)  # [50, 64, 10]: time first

def fastest(compute, repeats=20):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = compute()
        times.append(time.perf_counter() - start)
    return result, min(times)

per_step, t_loop = fastest(lambda: torch.stack([xs[t] @ w.T for t in range(50)]))  # 50 products [64, 10] x [10, 256]
all_at_once, t_once = fastest(lambda: xs @ w.T)  # one product for all 50 steps
print(f"50 small products {1e3 * t_loop:.2f} ms, one large product {1e3 * t_once:.2f} ms "
      f"({t_loop / t_once:.1f}x)")

# %%
print("same numbers:", torch.allclose(per_step, all_at_once, atol=1e-6))

# %% [markdown]
# `benchmarks/scratch_vs_fused.py` measures the whole gap on one thread and on all of them; the README lists
# the figures. `ScratchLSTM` stays written step by step because it is meant to be read.
#
# ## Exercises
#
# **Exercise 1.** How many parameters has `nn.LSTM(10, 32, num_layers=2)`? Use the formula — then check
# yourself with `count_parameters`.

# %%
answer = ...
ex.check_03_parameter_count(answer)

# %% tags=["solution"]
# Solution: try the exercise above first.
answer = 4 * (32 * 10 + 32 * 32 + 2 * 32) + 4 * (32 * 32 + 32 * 32 + 2 * 32)  # layer 0 + layer 1 (input 32)
ex.check_03_parameter_count(answer)

# %% [markdown]
# **Exercise 2.** `nn.LSTMCell` is one step of `nn.LSTM`: the same four-block weights, named without the layer
# suffix (`weight_ih`, `weight_hh`, `bias_ih`, `bias_hh`). Compute the **forget gate** $f_t$ of one step of this
# cell by hand, from its weights.

# %%
cell = nn.LSTMCell(10, 32)
x_step, h_prev = x[:, 0], torch.randn(64, 32)
f_t = ...
ex.check_03_forget_gate(f_t, x_step, h_prev, cell)

# %% tags=["solution"]
# Solution: try the exercise above first.
pre_activations = x_step @ cell.weight_ih.T + cell.bias_ih + h_prev @ cell.weight_hh.T + cell.bias_hh  # [64, 128]
f_t = torch.sigmoid(pre_activations.chunk(4, dim=1)[1])  # order i, f, g, o: f is the second block
ex.check_03_forget_gate(f_t, x_step, h_prev, cell)

# %% [markdown]
# **Exercise 3.** What is the shape of `weight_ih_l1` in `nn.LSTM(10, 32, num_layers=2, bidirectional=True)`?
# Answer with a tuple, without running it.

# %%
answer = ...
ex.check_03_weight_shape(answer)

# %% tags=["solution"]
# Solution: try the exercise above first.
answer = (4 * 32, 2 * 32)  # four gates' rows; layer 1 reads both directions of layer 0
ex.check_03_weight_shape(answer)

# %% [markdown]
# ## Summary
#
# - An LSTM step computes four gates from $x_t$ and $h_{t-1}$; $c_t = f \odot c_{t-1} + i \odot g$ and $h_t = o \odot \tanh(c_t)$.
# - PyTorch stacks the gates' weights in the order **i, f, g, o**: `weight_ih_l{k}` is `[4H, I]`, `weight_hh_l{k}` `[4H, H]`.
# - Parameters per layer and direction: $4(HI + HH + 2H)$, with `I` the layer's input size.
# - `ScratchLSTM`, plain tensor operations, equals `nn.LSTM` in outputs, states and gradients.
# - Gradients flow back along the cell state as far as the forget gate stays open; at PyTorch's default initialisation it is about 0.5.
# - `nn.LSTM` is faster: one matrix product for all input steps and fused per-step kernels.
#
# **Next:** [Lesson 04 — The model class](04_the_model_class.ipynb)
