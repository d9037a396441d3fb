# Source of notebooks/02_lstm_outputs_and_states.ipynb -- edit here, then run: python tools/build_notebooks.py 02

# %% [markdown]
# # Lesson 02 — LSTM outputs and states
#
# **What you will learn**
#
# - what `out, (h_n, c_n) = lstm(x)` returns, and every shape for `batch_first` on and off, several layers, `bidirectional` and `proj_size`;
# - that `out` is the **last layer** at **every step**, while `h_n` is **every layer's final** state (for a one-directional LSTM: at the last step) — and when `out[:, -1] == h_n[-1]` holds (unpadded input, one direction);
# - that `batch_first` does not apply to `h_n` and `c_n`;
# - how to read `h_n` of a deep, bidirectional LSTM, and why `out[:, -1]` is the wrong summary there;
# - that zero initial states are the default, that state can be carried from one chunk of a sequence to the next, and what "Expected hidden[0] size" means.
#
# **Time:** about 30 minutes. **Prerequisite:** [Lesson 01 — Tensors for sequences](01_tensors_for_sequences.ipynb).

# %% [markdown] tags=["instructor", "notes"]
# **Speaker notes.** Draw the layers x time grid on the board before the picture; ask where out and h_n live. The bidirectional cells are where most students get lost: slow down.

# %%
import torch
from torch import nn

import lstm_lessons
from lstm_lessons import exercises as ex
from lstm_lessons.plots import draw_lstm_states
from lstm_lessons.shapes import shape_table
from lstm_lessons.widgets import shape_explorer
threads = lstm_lessons.use_threads()  # compute on 1 CPU thread, which stays fast when the machine is busy (lesson 00)

torch.manual_seed(0)  # makes the LSTMs' random initial weights below the same on every run
x, y = lstm_lessons.make_seed_data(seed=0)  # x: [64, 5, 10], as in the seed

# %% [markdown]
# ## One call, three tensors
#
# The tutorial's LSTM: 10 input features, hidden size 32, 2 layers, `batch_first=True`.

# %%
lstm = nn.LSTM(input_size=10, hidden_size=32, num_layers=2, batch_first=True)
out, (h_n, c_n) = lstm(x)
print("x   ", list(x.shape), "  [batch, seq_len, input_size]")
print("out ", list(out.shape), "  [batch, seq_len, hidden_size]")
print("h_n ", list(h_n.shape), "  [num_layers, batch, hidden_size]")
print("c_n ", list(c_n.shape), "  [num_layers, batch, hidden_size]")

# %% [markdown]
# ## What `out` and `h_n` hold (tutorial error S5)
#
# (This lesson takes tutorial error S5 before S4: S4 is about the layout of `h_n`, so first we see what `h_n`
# holds.)
#
# The tutorial says `out` "contains the hidden states of all time steps" (「其包含了所有时间步上的隐状态」).
# Half true: it holds the hidden state of **the last layer only**, at every time step. `h_n` holds the hidden
# state of **every layer**, at the **last** step (for a one-directional LSTM like this one; bidirectional
# comes below). They meet in one place:

# %% readme_figure="out_vs_h_n"
fig = draw_lstm_states(num_layers=2, seq_len=5)

# %% [markdown]
# Two ways to compare tensors run through this lesson (lesson 00 met both): `torch.equal(a, b)` — same
# shape and exactly the same numbers — and `torch.allclose(a, b)` — equal up to float rounding. Its exact
# rule, for every pair of values: `|a - b| <= atol + rtol * |b|`, with defaults `rtol=1e-05` (a relative
# difference) and `atol=1e-08` (an absolute one). Far from zero `rtol` decides; near zero `atol` does, and
# it is strict there: 0 and 1e-7 are not "close".

# %%
print("1 vs 1 + 1e-6:", torch.allclose(torch.tensor(1.0), torch.tensor(1.0 + 1e-6)), "  (within rtol * 1)")
print("0 vs 1e-7:    ", torch.allclose(torch.tensor(0.0), torch.tensor(1e-7)), " (1e-7 > atol + rtol * 1e-7)")
print("0 vs 1e-7, atol=1e-6:", torch.allclose(torch.tensor(0.0), torch.tensor(1e-7), atol=1e-6))

# %% [markdown]
# We use `allclose` whenever two different computations should agree, since floats computed in a different
# order can differ in the last bits. The purple cell, checked — and here both numbers come from one
# computation, so they are even equal bit for bit:

# %%
print("out[:, -1] == h_n[-1]:", torch.allclose(out[:, -1], h_n[-1]))
print("even bit for bit:     ", torch.equal(out[:, -1], h_n[-1]))

# %% [markdown]
# `h_n[0]` — the first layer's final state — appears nowhere in `out`:

# %%
print("h_n[0] equals out at some step:", any(torch.allclose(out[:, t], h_n[0]) for t in range(5)))

# %% [markdown]
# What is it, then? A model's `state_dict()` is a dict, by name, of the tensors that make up its state: its
# parameters (the weights training changes) and its *buffers* (other tensors some modules keep, which the
# optimizer does not update: they are not learned by gradients). An LSTM has no buffers, so its `state_dict()` holds exactly its parameters:

# %%
print("nn.LSTM buffers:", list(lstm.buffers()))
print("nn.LSTM: state_dict == parameters:", list(lstm.state_dict()) == [name for name, _ in lstm.named_parameters()])

# %% [markdown]
# `nn.LSTM` names its parameters by layer: `_l0` for layer 0, `_l1` for layer 1 (lesson 03 opens them up):

# %%
for name, tensor in lstm.state_dict().items():
    print(f"{name:14s} {list(tensor.shape)}")

# %% [markdown]
# Build a one-layer LSTM from the first layer's parameters (the names ending in `_l0`) and run it: its last
# output is `h_n[0]`. `load_state_dict(d)` copies the tensors of the dict `d` into the model's parameters of the
# same names (here `weight_ih_l0` and the rest of layer 0, the names a one-layer LSTM has).

# %%
first_layer = nn.LSTM(input_size=10, hidden_size=32, batch_first=True)
first_layer.load_state_dict({k: v for k, v in lstm.state_dict().items() if k.endswith("_l0")})
out_layer0, _ = first_layer(x)
print("first layer's last output == h_n[0]:", torch.allclose(out_layer0[:, -1], h_n[0]))

# %% [markdown]
# And `c_n`, the cell state, is never part of `out`: it is the LSTM's internal memory (lesson 03 opens the
# cell). It has the same shape as `h_n` here, but other values:

# %%
print("same shape as h_n:", c_n.shape == h_n.shape, "  same values:", torch.allclose(c_n, h_n))

# %% [markdown]
# ## `batch_first` does not apply to `h_n` (tutorial error S4)
#
# `batch_first=True` changes the layout of `x` and `out` only. The tutorial's prose also says that with
# `batch_first=True` "the second dimension is time steps and feature dimensions"
# (「第二个维度是时间步长和特征维度」): the second is time,
# the third is features (lesson 01). For a batch, `h_n` and `c_n` are `[num_layers * num_directions, batch, hidden]`
# **whatever `batch_first` says** — a common surprise (PyTorch issue #19675). The initial states `h0`, `c0`
# you may pass in use the same layout, which is why the tutorial builds `h0` as `[num_layers, batch, hidden]` even
# though its model is `batch_first`. The same weights with `batch_first=False`, fed the same data transposed
# to `[seq_len, batch, features]` (`x.transpose(0, 1)` swaps dims 0 and 1; it copies nothing):

# %%
time_first = nn.LSTM(input_size=10, hidden_size=32, num_layers=2, batch_first=False)
time_first.load_state_dict(lstm.state_dict())
out_tf, (h_n_tf, c_n_tf) = time_first(x.transpose(0, 1))  # x as [5, 64, 10]
print("out:", list(out.shape), "vs", list(out_tf.shape), "-> same numbers, transposed:",
      torch.allclose(out_tf.transpose(0, 1), out))
print("h_n:", list(h_n.shape), "vs", list(h_n_tf.shape), "-> same layout, equal:", torch.allclose(h_n_tf, h_n))

# %% [markdown]
# ## Every shape, predicted and checked
#
# `lstm_lessons.lstm_shapes` computes all four shapes from the settings, without running anything.
# `measure_lstm_shapes` reads them off a real `nn.LSTM`. `shape_table` prints both for a list of settings; each
# row's settings are added to the keyword arguments every row shares (`batch_size=4, seq_len=7, ...` below); for a
# range of settings they agree:

# %%
configs = [
    dict(batch_first=True),
    dict(batch_first=False),
    dict(num_layers=3),
    dict(bidirectional=True),
    dict(num_layers=2, bidirectional=True, batch_first=True),
    dict(proj_size=8),
    dict(num_layers=3, bidirectional=True, proj_size=8, batch_first=True),
]
print(shape_table(configs, batch_size=4, seq_len=7, input_size=10, hidden_size=16))

# %% [markdown]
# Read the rows: `proj_size=8` shrinks `out` and `h_n` to 8 features, but `c_n` keeps `hidden_size` (16).
# That is what `proj_size` does: at every step the LSTM multiplies its `hidden_size`-wide h by one more learned
# matrix, `weight_hr_l0` (one per layer and direction), of shape `[proj_size, hidden_size]`, and outputs that
# smaller h and feeds it back, so the recurrent weights `weight_hh_l0` read 8 features, not 16; the cell state
# is not projected (lesson 03 opens the cell):

# %%
projected = nn.LSTM(input_size=10, hidden_size=16, proj_size=8)
print("weight_hr_l0:", list(projected.weight_hr_l0.shape), "  weight_hh_l0:", list(projected.weight_hh_l0.shape))

# %% [markdown]
# `bidirectional=True` doubles `out`'s last dimension (both directions side by side) and doubles `h_n`'s
# first dimension (one entry per layer *and* direction).
#
# Some settings make no LSTM, and `nn.LSTM` refuses them: `proj_size has to be smaller than hidden_size`:

# %% tags=["raises-exception"]
nn.LSTM(input_size=10, hidden_size=16, proj_size=16)

# %% [markdown]
# `nn.LSTM` does not check everything, though. When it builds its weights it only asks whether `bidirectional`
# counts as true, and Python counts any non-empty string as true: `bidirectional="no"` builds the backward
# direction's weights (the names ending in `_reverse`), and only the first forward call fails, with an
# unreadable `TypeError` from deep inside:

# %%
odd = nn.LSTM(10, 16, bidirectional="no")
print([name for name, _ in odd.named_parameters() if name.endswith("_reverse")])
try:
    odd(torch.zeros(7, 4, 10))
except TypeError as error:
    print("forward:", type(error).__name__, "-", str(error).splitlines()[0][:50])

# %% [markdown]
# `lstm_shapes` refuses at least the settings `nn.LSTM` refuses (and `bidirectional="no"` too), and says which
# values it got:

# %%
try:
    lstm_lessons.lstm_shapes(batch_size=4, seq_len=7, input_size=10, hidden_size=16, bidirectional="no")
except ValueError as error:
    print("ValueError:", error)

# %% tags=["raises-exception"]
lstm_lessons.lstm_shapes(batch_size=4, seq_len=7, input_size=10, hidden_size=16, proj_size=16)

# %% [markdown]
# ## Bidirectional: `out[:, -1]` is not the summary
#
# A bidirectional LSTM runs a second LSTM from the last step back to the first. `out[:, t]` puts the
# forward direction's h at step t (first `H` features) beside the backward direction's h at step t
# (last `H`). At the last step the backward direction has only just started: it has seen **one step**.
# Its final state — having read the whole sequence — is at step **0**.

# %%
H = 32
bi = nn.LSTM(input_size=10, hidden_size=H, batch_first=True, bidirectional=True)
out_bi, (h_n_bi, _) = bi(x)
print("out:", list(out_bi.shape), " h_n:", list(h_n_bi.shape))
print("forward final  h_n[-2] == out[:, -1, :H]:", torch.allclose(h_n_bi[-2], out_bi[:, -1, :H]))
print("backward final h_n[-1] == out[:, 0, H:]: ", torch.allclose(h_n_bi[-1], out_bi[:, 0, H:]))
print("h_n[-1] == out[:, -1, H:]:               ", torch.allclose(h_n_bi[-1], out_bi[:, -1, H:]))

# %% [markdown]
# "Seen one step" is checkable: change every step except the last, and the backward half of
# `out[:, -1]` does not move, while the forward half does. (`x.clone()` makes a copy with its own memory, so
# writing into it leaves `x` as it was.)

# %%
x_changed = x.clone()
x_changed[:, :-1] = torch.randn(64, 4, 10)
out_changed, _ = bi(x_changed)
print("backward half at the last step unchanged:", torch.allclose(out_changed[:, -1, H:], out_bi[:, -1, H:]))
print("forward half at the last step unchanged: ", torch.allclose(out_changed[:, -1, :H], out_bi[:, -1, :H]))

# %% [markdown]
# So the summary of a bidirectional LSTM — each direction after reading the whole sequence — is
# `torch.cat([h_n[-2], h_n[-1]], dim=1)` (`torch.cat` joins tensors along an existing dim: two `[64, 32]` along
# dim 1 give `[64, 64]`), which is *not* `out[:, -1]`:

# %%
summary = torch.cat([h_n_bi[-2], h_n_bi[-1]], dim=1)
print("summary:", list(summary.shape))
print("== forward at the last step + backward at the first:",
      torch.allclose(summary, torch.cat([out_bi[:, -1, :H], out_bi[:, 0, H:]], dim=1)))
print("== out[:, -1]:", torch.allclose(summary, out_bi[:, -1]))

# %% [markdown]
# ## Reading `h_n` of a deep bidirectional LSTM
#
# `h_n` stacks layers and directions in one dimension, layer by layer: layer 0 forward, layer 0 backward,
# layer 1 forward, layer 1 backward. The last layer's two entries can be read off `out`; the first layer's
# come from a one-layer bidirectional LSTM built from the parameters of layer 0 (`_l0` and `_l0_reverse`):

# %%
deep_bi = nn.LSTM(input_size=10, hidden_size=H, num_layers=2, batch_first=True, bidirectional=True)
out_d, (h_n_d, _) = deep_bi(x)
first_bi = nn.LSTM(input_size=10, hidden_size=H, batch_first=True, bidirectional=True)
first_bi.load_state_dict({k: v for k, v in deep_bi.state_dict().items() if "_l0" in k})
_, (h_n_first, _) = first_bi(x)
print("h_n[0], h_n[1] = layer 0 forward, backward:", torch.allclose(h_n_d[:2], h_n_first))
print("h_n[2] = layer 1 forward (last step):      ", torch.allclose(h_n_d[2], out_d[:, -1, :H]))
print("h_n[3] = layer 1 backward (first step):    ", torch.allclose(h_n_d[3], out_d[:, 0, H:]))

# %% [markdown]
# So `h_n.view(num_layers, num_directions, batch, hidden)` separates them: `[layer, direction]`, with
# direction 0 forward and 1 backward.

# %%
layers = h_n_d.view(2, 2, 64, H)  # [num_layers, num_directions, batch, hidden]
print("h_n:", list(h_n_d.shape), "-> view:", list(layers.shape))
print("layers[1, 1] is the last layer's backward final state:", torch.allclose(layers[1, 1], out_d[:, 0, H:]))
print("layers[0, 1] is the first layer's backward final state:", torch.allclose(layers[0, 1], h_n_first[1]))

# %% [markdown]
# ## Initial states: zeros are the default (tutorial error S6)
#
# The tutorial builds `h0` and `c0` by hand as zeros and moves them with `.to(x.device)`: "first the LSTM's
# hidden states are initialised as all-zero vectors and moved to the same device as the input"
# (「首先初始化了LSTM网络的隐藏状态为全0向量,并且将其移动到与输入数据相同的设备上」). Passing nothing
# gives the same result — zeros are what `nn.LSTM` uses when no state is given:

# %%
h0 = torch.zeros(2, 64, 32)
c0 = torch.zeros(2, 64, 32)
out_given, _ = lstm(x, (h0, c0))
out_default, _ = lstm(x)
print("hand-made zeros == default:", torch.equal(out_given, out_default))

# %% [markdown]
# So the hand-made zeros are extra code that has to be kept right. `torch.zeros(...)` makes its tensor on the
# CPU; on a GPU, `.to(x.device)` then makes a *second* tensor there and copies the zeros across, every forward
# pass, where the default makes its zeros on the input's device directly.
#
# These lessons run on the CPU, but every machine also has the `meta` device: a tensor there has a shape, a
# dtype and a device but no values (it prints `...` where the numbers would be). That is enough to show, without
# a GPU, what happens when tensors sit on two devices. First, `.to()` to another device returns a new tensor:

# %%
t = torch.zeros(3)
print("made on:", t.device, "  on meta:", t.to("meta"))
print(".to(same device) is the same tensor:   ", t.to("cpu") is t)
print(".to(another device) is the same tensor:", t.to("meta") is t)

# %% [markdown]
# An LSTM whose weights and input are on another device (`meta` here, a GPU in real life) refuses states
# left on the CPU — the mistake the tutorial's `.to(x.device)` guards against:

# %% tags=["raises-exception"]
lstm_meta = nn.LSTM(input_size=10, hidden_size=32, num_layers=2, batch_first=True).to("meta")
x_meta = x.to("meta")
lstm_meta(x_meta, (h0, c0))  # h0, c0 from above: on the CPU

# %% [markdown]
# With no state given there is nothing to move: `nn.LSTM` makes its zeros itself, on the input's device and in its
# dtype. Its own Python code says so; `inspect.getsource` prints a function's source, and here is the call in
# `nn.LSTM.forward` that makes `h0` when none is given:

# %%
import inspect

source = inspect.getsource(nn.LSTM.forward)
start = source.index("h_zeros = torch.zeros(")
print("\n".join(line.strip() for line in source[start:source.index(")", start) + 1].splitlines()))

# %% [markdown]
# And the hand-made version ignores the dtype: the zeros get PyTorch's default dtype (`float32`), whatever the
# model's. Switch the tutorial's model to `float64` and it breaks — the error comes from a matrix product inside
# the LSTM, where the `float32` `h0` meets the `float64` weights. On the CPU, with this torch, it reads
# "mat1 and mat2 must have the same dtype"; other devices and versions word it differently (lesson 04 takes
# this error apart):

# %% tags=["raises-exception"]
tutorial_model = lstm_lessons.SeedLSTM(input_size=10, hidden_size=32, num_layers=2, output_size=2).double()
tutorial_model(x.double())

# %% [markdown]
# Without the tutorial's `h0`, the same model runs: `nn.LSTM` with no state given makes its zeros in the input's dtype, and works in `float64`:

# %%
lstm64 = nn.LSTM(input_size=10, hidden_size=32, num_layers=2, batch_first=True).double()
out64, (h_n64, _) = lstm64(x.double())
print(out64.dtype, h_n64.dtype)

# %% [markdown]
# ## Carrying state from one chunk to the next
#
# `h_n, c_n` are exactly what the LSTM needs to continue. Run the first 3 steps, pass the state on, run the
# last 2: the result equals running all 5 steps at once.

# %%
out_a, state = lstm(x[:, :3])
out_b, (h_n_b, c_n_b) = lstm(x[:, 3:], state)
print("outputs equal:", torch.allclose(torch.cat([out_a, out_b], dim=1), out))
print("final states equal:", torch.allclose(h_n_b, h_n) and torch.allclose(c_n_b, c_n))

# %% [markdown]
# ## "Expected hidden[0] size ...": a state for another batch size
#
# A state belongs to one batch: its dim 1 is the batch size. Pass a state made for 64 sequences with a batch of
# another size, and the LSTM refuses. This is what happens when states are made once for the usual batch size
# (an `init_hidden(64)` called once, say) and the last batch of a dataset is smaller — here, 40 sequences:

# %% tags=["raises-exception"]
last_batch = x[:40]
lstm(last_batch, (h0, c0))  # h0, c0: [2, 64, 32], made for batches of 64

# %% [markdown]
# The fix is to make states from the batch in hand — or, simplest, to pass none and let the default zeros
# take the batch's size. (When the state is carried on from a previous chunk, as in the section above, passing
# none would reset it: slice the carried state to the batch instead, `(h[:, :40], c[:, :40])`, the first 40
# sequences' states in dim 1.)

# %%
h0_40 = torch.zeros(2, last_batch.size(0), 32)  # [num_layers, batch, hidden] for this batch
out_40, (h_n_40, _) = lstm(last_batch, (h0_40, torch.zeros_like(h0_40)))
out_40_default, _ = lstm(last_batch)
print("h_n:", list(h_n_40.shape), "  same as the default zeros:", torch.equal(out_40, out_40_default))
out_b_40, _ = lstm(last_batch[:, 3:], (state[0][:, :40], state[1][:, :40]))  # state carried from x[:, :3]
print("carried state, sliced to 40:", torch.allclose(out_b_40, out_b[:40]))

# %% [markdown]
# ## Shape explorer
#
# Move the sliders: the table shows the four shapes from `lstm_shapes` and ticks each one that a real
# `nn.LSTM` with the same settings confirms. Try `proj_size` at or above `hidden_size` to see what is refused.

# %%
shape_explorer(num_layers=2, bidirectional=True)

# %% [markdown]
# ## Exercises
#
# **Exercise 1.** `nn.LSTM(10, 16, num_layers=3, bidirectional=True, batch_first=True)` runs on an `x` of
# shape `[4, 7, 10]`. What is the shape of `h_n`? Answer with a tuple — without running it.

# %%
answer = ...
ex.check_02_h_n_shape(answer)

# %% tags=["solution"]
# Solution: try the exercise above first.
answer = (6, 4, 16)  # [num_layers * num_directions, batch, hidden]; batch_first does not apply
ex.check_02_h_n_shape(answer)

# %% [markdown]
# Exercises 2 and 3 use a deeper LSTM than any above: 3 layers, bidirectional.

# %%
deep3 = nn.LSTM(input_size=10, hidden_size=H, num_layers=3, batch_first=True, bidirectional=True)
out3, (h_n3, _) = deep3(x)
print("out3:", list(out3.shape), "  h_n3:", list(h_n3.shape))

# %% [markdown]
# **Exercise 2.** `h_n3[-1]` is the last layer's backward direction, after reading the whole sequence. Select the
# same tensor from **`out3`** (an answer taken from `h_n3`, or a copy, does not count).

# %%
answer = ...
ex.check_02_backward_final(answer, out3, h_n3)

# %% tags=["solution"]
# Solution: try the exercise above first.
answer = out3[:, 0, H:]  # the backward half (last H features) at step 0, the step it reads last
ex.check_02_backward_final(answer, out3, h_n3)

# %% [markdown]
# **Exercise 3.** From `h_n3`, using `h_n3.view(...)`, take the **second layer's** (layer 1) **forward direction**
# final state — one that `out3` does not hold.

# %%
answer = ...
ex.check_02_second_layer_forward(answer, out3, h_n3, num_layers=3)

# %% tags=["solution"]
# Solution: try the exercise above first.
answer = h_n3.view(3, 2, 64, H)[1, 0]  # [layer 1, direction 0 (forward)]
ex.check_02_second_layer_forward(answer, out3, h_n3, num_layers=3)

# %% [markdown]
# ## Summary
#
# - `out, (h_n, c_n) = lstm(x)`: `out` is the **last layer's** h at **every step**; `h_n` is **every layer's** (and direction's) **final** h — after the last step going forward, after step 0 going backward; `c_n` likewise for the cell state (**S5**).
# - `out[:, -1] == h_n[-1]` for a unidirectional LSTM on unpadded input (padded and packed batches: lesson 04); with `bidirectional=True` the backward final state is `out[:, 0, H:] == h_n[-1]`, and `out[:, -1]` is the wrong summary.
# - `batch_first` changes `x` and `out`, never `h_n`/`c_n`: `[num_layers * num_directions, batch, hidden]` (**S4**); `h_n.view(num_layers, num_directions, batch, hidden)` splits it.
# - `proj_size` shrinks `out` and `h_n` (through `weight_hr`), not `c_n`. `lstm_shapes` predicts every shape.
# - `torch.allclose` uses `rtol=1e-05` and `atol=1e-08`: near zero the tiny `atol` decides.
# - Zero initial states are the default, made on the input's device and in its dtype; the tutorial's hand-made ones must be moved by hand and break in `float64` (**S6**). Passing `(h_n, c_n)` on continues a sequence: two chunks give what one run gives.
# - A state is made for one batch size: reuse it on a smaller last batch and you get "Expected hidden[0] size"; make states from the batch, or pass none (a carried state: slice it, `h[:, :40]`).
#
# **Next:** [Lesson 03 — Inside the LSTM cell](03_inside_the_lstm_cell.ipynb): the gate equations, written out
# and proved equal to `nn.LSTM`.
