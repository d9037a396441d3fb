# Source of notebooks/03_inside_the_lstm_cell.ipynb -- edit here, then run: python tools/build_notebooks.py 03

# %% [markdown]
# # Lesson 03 — Inside the LSTM cell
#
# **What you will learn**
#
# - the LSTM's equations — the gates i, f, g, o, the cell state c and the hidden state h — with a diagram;
# - how PyTorch stores the weights (`weight_ih_l0` is `[4H, I]`, gates in the order i, f, g, o) and how many parameters that makes;
# - that an LSTM written from plain tensor operations gives **the same outputs and gradients** as `nn.LSTM`;
# - what the gates do over time, and how far back gradients reach — along the cell state and through the recurrent paths (vanishing and exploding gradients);
# - why the library's LSTM is faster than the one written out step by step, and what `torch.profiler` shows it runs.
#
# **Time:** about 35 minutes. **Prerequisite:** [Lesson 02 — LSTM outputs and states](02_lstm_outputs_and_states.ipynb).

# %% [markdown] tags=["instructor", "notes"]
# **Speaker notes.** If time is short, skip the speed section; the equality of ScratchLSTM and nn.LSTM (outputs and gradients) is the point to make.

# %%
import inspect

import torch
from torch import nn

import lstm_lessons
from lstm_lessons import ScratchLSTM, count_parameters, lstm_cell, lstm_parameter_count
from lstm_lessons import exercises as ex
from lstm_lessons.plots import draw_lstm_cell, plot_gate_activations, plot_gradient_per_step
from lstm_lessons.probes import gate_activations, gradient_per_step, mean_forget_gate
threads = lstm_lessons.use_threads()  # compute on 1 CPU thread, which stays fast when the machine is busy (lesson 00)

torch.manual_seed(0)  # the same random weights on every run
x, y = lstm_lessons.make_seed_data(seed=0)  # the tutorial's batch: [64, 5, 10]

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
# Here is the package's cell, `lstm_cell`. After a check of its biases, its first lines compute all four gates'
# pre-activations at once, as one `[batch, 4H]` tensor: `input_gates` gives the input's part, $W_{i\cdot} x_t + b_{i\cdot} + b_{h\cdot}$;
# `torch.addmm(a, h, W.T)` is `a + h @ W.T` in one operation, adding $W_{h\cdot} h_{t-1}$; `chunk(4, dim=1)`
# cuts the result into the four gates' blocks. (With `weight_ih=None`, `x_t` is taken as the input's part already
# computed — the speed section below says why.) Then each line is one of the equations:

# %%
print(inspect.getsource(lstm_cell))
a, h_demo, w_demo = torch.randn(3, 8), torch.randn(3, 2), torch.randn(8, 2)
print("addmm(a, h, W.T) equals a + h @ W.T:", torch.allclose(torch.addmm(a, h_demo, w_demo.T), a + h_demo @ w_demo.T))

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
# Code that ports weights between libraries must know each one's layout. What their own documents and sources say
# (neither library is installed here, so this is cited, not run):
#
# - **Keras** uses the same order — i, f, c, o, its c being our g — but stores the kernel transposed,
#   `[input_size, 4H]`, and has **one** bias `[4H]` where PyTorch has two
#   ([Keras's `LSTMCell` source](https://github.com/keras-team/keras/blob/master/keras/src/layers/rnn/lstm.py) splits
#   `kernel` and `bias` into `i, f, c, o`).
# - **ONNX**'s `LSTM` operator uses another order, **i, o, f, c**: `W` is `[num_directions, 4H, input_size]`, `R`
#   `[num_directions, 4H, H]`, and both biases sit in one `B` of `[num_directions, 8H]`
#   ([ONNX operator documentation](https://onnx.ai/onnx/operators/onnx__LSTM.html)).
#
# With torch alone we can check what these differences mean. PyTorch's two biases only ever appear as a sum,
# so Keras's single bias is `bias_ih + bias_hh`; and weights in ONNX's order, read in PyTorch's, compute
# something else — until the blocks are put back:

# %%
def reorder(w, order):  # the four [H, ...] blocks of w, taken in the given order
    return torch.cat([w.chunk(4)[k] for k in order])

w_ih, w_hh, b_ih, b_hh = weights
h_one_bias, _ = lstm_cell(x_t, h0, c0, w_ih, w_hh, b_ih + b_hh, torch.zeros(128))  # Keras: one bias
onnx = [reorder(w, (0, 3, 1, 2)) for w in weights]  # PyTorch's i, f, g, o -> ONNX's i, o, f, c
h_misread, _ = lstm_cell(x_t, h0, c0, *onnx)
h_back, _ = lstm_cell(x_t, h0, c0, *[reorder(w, (0, 2, 3, 1)) for w in onnx])  # i, o, f, c -> i, f, g, o
print("Keras's kernel shape:", list(w_ih.T.shape), "  one bias gives the same h:", torch.allclose(h_one_bias, h1, atol=1e-6))
print("ONNX order read as PyTorch's:", torch.allclose(h_misread, h_n[0], atol=1e-6),
      "  put back:", torch.allclose(h_back, h_n[0], atol=1e-6))

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
# ### `proj_size`: a smaller h
#
# Lesson 02's tables showed `proj_size` shrinking `out` and `h_n`. Here is what it does: the cell computes its
# usual $o_t \odot \tanh(c_t)$ of size H, then multiplies it by one more weight, `weight_hr_l0` of shape
# `[proj_size, H]`: $h_t = W_{hr}(o_t \odot \tanh(c_t))$, of size `proj_size`. That smaller $h_t$ is what `out` and
# `h_n` hold and what the next step reads, so `weight_hh_l0` becomes `[4H, proj_size]`; $c_t$ — and `c_n` — keep H.
# Per layer and direction the count becomes $4(HI + HP + 2H) + PH$, with P = `proj_size`. (On the CPU, torch notes
# that oneDNN has no kernel for projections and uses its own; the code cell below silences that note.)

# %%
import warnings

proj = nn.LSTM(input_size=10, hidden_size=32, proj_size=8, batch_first=True)
print({name: list(p.shape) for name, p in proj.named_parameters()})
with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="LSTM with projections is not supported")
    out_p, (h_n_p, c_n_p) = proj(x)
    _, (h_1p, c_1p) = proj(x_t.unsqueeze(1))  # one step, [64, 1, 10]
print("out", list(out_p.shape), " h_n", list(h_n_p.shape), " c_n", list(c_n_p.shape))
h_big, c_big = lstm_cell(x_t, torch.zeros(64, 8), torch.zeros(64, 32), *[getattr(proj, f"{n}_l0") for n in
                         ("weight_ih", "weight_hh", "bias_ih", "bias_hh")])  # o * tanh(c): [64, 32]
print("h_1 == W_hr (o * tanh c):", torch.allclose(h_big @ proj.weight_hr_l0.T, h_1p[0], atol=1e-6),
      "  c_1 equal:", torch.allclose(c_big, c_1p[0], atol=1e-6))
print("parameters:", count_parameters(proj), "=", 4 * (32 * 10 + 32 * 8 + 2 * 32) + 8 * 32)

# %% [markdown]
# `ScratchLSTM`, below, leaves `proj_size` out.

# %% [markdown]
# ## An LSTM from scratch, equal to `nn.LSTM`
#
# `ScratchLSTM` runs the cell's equations over every time step, layer and direction, with `nn.LSTM`'s conventions and
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
# And the backward pass. `loss.backward()` makes **autograd**, PyTorch's automatic differentiation, compute the
# gradient of the number `loss` with respect to every parameter: during the forward pass it recorded each operation,
# and it now runs them backwards. Each gradient lands in the parameter's `.grad`, a tensor of the parameter's
# shape (lesson 05 trains with them). The same loss through both models gives the same gradient for every one of
# the 16 parameters:

# %%
(out_torch.square().sum() + h_n_torch.sum()).backward()
(out_scratch.square().sum() + h_n_scratch.sum()).backward()
for name, p in scratch.named_parameters():
    torch.testing.assert_close(p.grad, torch_lstm.get_parameter(name).grad, rtol=1e-5, atol=1e-5)
print(f"all {len(list(scratch.parameters()))} gradients equal; each .grad has its parameter's shape:",
      all(p.grad.shape == p.shape for p in scratch.parameters()))

# %% [markdown]
# The course's tests repeat this for 1-3 layers, one-directional and bidirectional, `batch_first` on and off, with and without
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

# %%
largest = max(p.abs().max().item() for p in gate_lstm.parameters())
print(f"largest |weight or bias|: {largest:.3f} <= 1/sqrt(16) = 0.25: {largest <= 0.25}")
print(f"forget gate's mean over the 30 steps and 16 units: {gates['f'].mean():.1f}")

# %% [markdown]
# ## How far back gradients reach
#
# For a network to learn from an early input, the gradient of the loss must reach back to that step. It travels
# back one step at a time, and every step multiplies it by that step's derivative. When those factors are below 1 the gradient shrinks
# geometrically and early steps get almost nothing — a **vanishing gradient**; when they are above 1 it grows
# geometrically — an **exploding gradient** (lesson 05 clips gradients against that).
#
# In an LSTM the gradient has two kinds of path back. One runs along the cell state: $c_t = f_t \odot c_{t-1} +
# \dots$ multiplies it by $f_t$ at each step. The others run through $h_{t-1}$, which feeds all four gates of the
# next step. `gradient_per_step` measures how much the last output depends on each of 100 input steps, through
# every path; `cell_state_gradient_per_step` does the same with every $h_{t-1}$ detached, so only the cell-state
# path is left:

# %%
from lstm_lessons.probes import cell_state_gradient_per_step

torch.manual_seed(0)
long_x = torch.randn(16, 100, 8)
rnn = nn.RNN(8, 32, batch_first=True)
lstm_default = nn.LSTM(8, 32, batch_first=True)
lstm_open = nn.LSTM(8, 32, batch_first=True)
with torch.no_grad():
    lstm_open.bias_ih_l0[32:64].fill_(3.0)  # rows 32-63 are the forget gate's: sigmoid(3) = 0.95
f_default, f_open = mean_forget_gate(lstm_default, long_x[:4]), mean_forget_gate(lstm_open, long_x[:4])

# %%
norms = {
    "plain RNN": gradient_per_step(rnn, long_x),
    f"LSTM, default init (mean f = {f_default:.2f})": gradient_per_step(lstm_default, long_x),
    f"LSTM, forget bias 3 (mean f = {f_open:.2f})": gradient_per_step(lstm_open, long_x),
    "LSTM, forget bias 3, cell-state path only": cell_state_gradient_per_step(lstm_open, long_x),
}
fig = plot_gradient_per_step(norms)

# %% [markdown]
# How much gradient is left 50 and 99 steps back, relative to the last step? (The exact figures vary a little
# between machines; the checks below do not.)

# %% tags=["nbval-ignore-output"]
for label, values in norms.items():
    print(f"{label:42s} 50 back: {values[49] / values[-1]:.1e}   99 back: {values[0] / values[-1]:.1e}")

# %%
rnn_n, default_n, open_n, cell_n = norms.values()
print("plain RNN < LSTM default < LSTM forget bias 3, 50 steps back:",
      bool(rnn_n[49] / rnn_n[-1] < default_n[49] / default_n[-1] < open_n[49] / open_n[-1]))
print(f"cell-state path alone, 50 back: below f ** 50 = {f_open ** 50:.2f}:", (cell_n[49] / cell_n[-1] < f_open ** 50).item())
print("all paths, forget bias 3: more left 99 steps back than at the last step:", (open_n[0] > open_n[-1]).item())
print("plain RNN, 99 steps back: below the plot's floor of 1e-25:", (rnn_n[0] < 1e-25).item())

# %% [markdown]
# Read the four curves:
#
# - The **plain RNN**'s gradient vanishes fastest: by 99 steps back it is below $10^{-25}$, the plot's floor
#   (the last check above): it has left the plot. (It is not 0: `gradient_per_step` takes the norm in float64, because the norm squares every entry and in
#   float32 any square below about $10^{-45}$ underflows to exactly 0 — see the cell below.)
# - The **LSTM at its default initialisation**, $f \approx 0.5$, keeps more, but still fades by a constant factor
#   at every step: it vanishes too, only more slowly.
# - The **cell-state path alone**, forget gate open ($f \approx 0.95$), fades by about $f$ per step: 50 steps back,
#   $f^{50} \approx 0.07$, and the path measures a little less (about 0.05 in the table). An open forget gate makes
#   this path long — but on its own it would still fade.
# - **All paths**, forget gate open: the recurrent paths through $h_{t-1}$ add what the cell-state path loses, and
#   here the gradient even grows going back, about 5x over 99 steps — mildly exploding. How much it grows or shrinks
#   depends on the (here untrained, random) weights; what the open forget gate changes is that the factors per step
#   sit near 1 instead of well below it.
#
# That is why some libraries start the forget-gate bias above 0: Keras adds 1 to it by default
# ([`unit_forget_bias=True`](https://keras.io/api/layers/recurrent_layers/lstm/)); PyTorch does not, as the default
# curve shows. The underflow, in two numbers:

# %%
tiny = torch.tensor([1e-23, 1e-23])  # float32
print("norm in float32:", tiny.norm().item(), "   norm in float64:", tiny.double().norm().item())

# %% [markdown]
# ## Why `nn.LSTM` is faster
#
# The same forward and backward pass, three ways: `nn.LSTM`; `nn.LSTM` with oneDNN switched off (oneDNN is
# explained below); and `ScratchLSTM`. `time_in_turns` (from `lstm_lessons.timing`, which
# `benchmarks/scratch_vs_fused.py` uses too) runs them in turns, one pass each per round, and gives each one's
# median time and its median ratio to the first in the same round — so other work on the machine slows all three
# alike. Your numbers will differ; the ratios are what matters:

# %% tags=["nbval-ignore-output"]
from lstm_lessons.timing import LSTM_OPS, lstm_pass, op_counts, time_in_turns

bench_x = torch.randn(64, 50, 10)  # batch 64, 50 steps
fused = nn.LSTM(10, 64, num_layers=2, batch_first=True)
readable = ScratchLSTM(10, 64, num_layers=2, batch_first=True)
timed = time_in_turns({"nn.LSTM": lstm_pass(fused, bench_x),
                       "nn.LSTM, oneDNN off": lstm_pass(fused, bench_x, onednn=False),
                       "ScratchLSTM": lstm_pass(readable, bench_x)}, repeat=10)
for label, (seconds, ratio) in timed.items():
    print(f"{label:20s} {1000 * seconds:6.1f} ms   ({ratio:.1f}x)")

# %% [markdown]
# `torch.profiler` shows what each runs. `op_counts` runs a computation once under it and counts the calls of a few
# operators — `aten::mkldnn_rnn_layer` is the LSTM of oneDNN, a library of CPU kernels (formerly MKL-DNN, hence the
# name); the others are single tensor operations (`sigmoid` and `tanh` count their in-place forms, `sigmoid_` and
# `tanh_`, too). One layer over the 50 steps of `bench_x`, then the two layers timed above:

# %%
one_layer, one_layer_64 = nn.LSTM(10, 64, batch_first=True), nn.LSTM(10, 64, batch_first=True, dtype=torch.float64)
runs = [("float32", lambda: one_layer(bench_x), True), ("float32, oneDNN off", lambda: one_layer(bench_x), False),
        ("float64", lambda: one_layer_64(bench_x.double()), True), ("2 layers", lambda: fused(bench_x), True),
        ("2 layers, oneDNN off", lambda: fused(bench_x), False), ("ScratchLSTM", lambda: readable(bench_x), True)]
print(f"{'':21s}" + "".join(f"{name.removeprefix('aten::'):>17s}" for name in LSTM_OPS))
with torch.no_grad():
    counts = {label: op_counts(compute, onednn=onednn) for label, compute, onednn in runs}
for label, row in counts.items():
    print(f"{label:21s}" + "".join(f"{n:17d}" for n in row.values()))
scratch_row, loop_row = counts["ScratchLSTM"], counts["2 layers, oneDNN off"]
print("ScratchLSTM against PyTorch's loop, the only different counts:",
      {name: (scratch_row[name], loop_row[name]) for name in LSTM_OPS if scratch_row[name] != loop_row[name]})

# %% [markdown]
# - **On the CPU in float32**, `nn.LSTM` makes one call to oneDNN per layer, for the whole sequence: the step loop,
#   the matrix products and the gate arithmetic all run inside it.
# - **In float64, or with oneDNN switched off** (`torch.backends.mkldnn.flags(enabled=False)`), PyTorch runs its own
#   loop. First one `mm` for the inputs of all 50 steps: $W_{i\cdot} x_t$ does not depend on $h$, so one large
#   matrix product serves every step. Only $W_{h\cdot} h_{t-1}$ has to wait for the previous step: per step one
#   `addmm`, then the gates' element-wise operations — three `sigmoid`, two `tanh`, three `mul`, ...
# - **`ScratchLSTM`** runs the same operators: it borrows the one-product trick (`input_gates`, called once
#   per layer and direction — hence `weight_ih=None` in `lstm_cell`). Only layer 1's input product differs:
#   PyTorch runs it as an `addmm` (product and bias in one operation), `ScratchLSTM` as an `mm` and then
#   additions. What is left between the two is where the loop runs: `ScratchLSTM` starts its dozen or so operations
#   per step from Python, PyTorch's loop starts the same ones from C++.
# - **On a GPU**, `nn.LSTM` calls NVIDIA's cuDNN (the profiler shows `aten::_cudnn_rnn`), which runs the whole
#   sequence, every layer, in one call. That is stated, not shown: the machine that built this notebook has no GPU.
#
# Both loops also make autograd record every operation, one node each for the backward pass to run back through;
# oneDNN records one per layer, with a whole-layer kernel for the backward pass too. `autograd_nodes` counts them
# (each count also holds one node per parameter, where `.grad` is filled: 8 for two layers, and for `nn.LSTM` a
# transpose: 2 + 8 + 1 = 11):

# %%
from lstm_lessons.timing import autograd_nodes

for label, onednn, model in [("nn.LSTM", True, fused), ("nn.LSTM, oneDNN off", False, fused),
                             ("ScratchLSTM", True, readable)]:
    print(f"{label:20s} {autograd_nodes(model, bench_x, onednn=onednn):5d} autograd nodes")

# %% [markdown]
# So in the timing above, "oneDNN off" to `ScratchLSTM` is the cost of starting each operation from Python, and
# `nn.LSTM` to "oneDNN off" is what oneDNN's whole-layer kernels save: on the machine that built this notebook,
# the larger part. (The gap between "oneDNN off" and `ScratchLSTM` is small: on a busy machine it can vanish or
# even flip, and the ratio column, a median of per-round ratios, can then disagree with the milliseconds.)
# `benchmarks/scratch_vs_fused.py` measures
# `ScratchLSTM` against `nn.LSTM` on one thread and on all of them; the README lists the figures. `lstm_cell`
# stays one equation a line because it is meant to be read.
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
# - Keras keeps PyTorch's gate order (kernel transposed, one bias); ONNX uses i, o, f, c. `proj_size` adds `weight_hr` `[P, H]`: $h_t = W_{hr}(o \odot \tanh c_t)$.
# - A gradient that shrinks every step back vanishes, one that grows explodes. The cell-state path alone fades by about $f$ per step; with the forget gate open, the factors per step sit near 1 (in this lesson's untrained model the whole gradient even grows a little going back; how much depends on the weights). PyTorch's default $f$ is about 0.5.
# - `nn.LSTM` is faster: its step loop runs in compiled code, and on the CPU in float32 oneDNN runs a whole layer in one call (cuDNN on a GPU). `ScratchLSTM` already computes the input's part of every step's gates in one matrix product per layer and direction.
#
# **Next:** [Lesson 04 — The model class](04_the_model_class.ipynb)
