# Source of notebooks/04_the_model_class.ipynb -- edit here, then run: python tools/build_notebooks.py 04

# %% [markdown]
# # Lesson 04 — The model class
#
# **What you will learn**
#
# - to read the tutorial's model class line by line, and what each line costs or risks;
# - why its name, `LSTM`, is a trap, and what `squeeze()` does to a batch of one;
# - the class the course recommends, `LSTMClassifier`: default states, a head that reads `h_n` the right way (also when bidirectional), clear errors for wrong input;
# - to count a model's parameters, and to move it to the device you chose.
#
# **Time:** about 30 minutes. **Prerequisite:** [Lesson 03 — Inside the LSTM cell](03_inside_the_lstm_cell.ipynb).

# %% [markdown] tags=["instructor", "notes"]
# **Speaker notes.** Run the LSTM-name-trap cell live: the TypeError surprises everyone. Then ask the room what squeeze() does to [1, 2].

# %%
import copy
import inspect
import warnings

import torch
from torch import nn

import lstm_lessons
from lstm_lessons import LSTMClassifier, SeedLSTM, count_parameters, lstm_parameter_count
from lstm_lessons import exercises as ex
threads = lstm_lessons.use_threads()  # compute on 1 CPU thread, which stays fast when the machine is busy (lesson 00)

torch.manual_seed(0)  # the same random weights on every run
x, y = lstm_lessons.make_seed_data(seed=0)  # the tutorial's batch: x [64, 5, 10], y [64]

# %% [markdown]
# ## The tutorial's class, line by line
#
# `SeedLSTM` is the tutorial's class under another name (why, below): the same lines, with `super().__init__()`
# for `super(LSTM, self).__init__()`, the three Chinese comments in `forward` replaced by English shape comments,
# and a docstring and type hints added:

# %%
print(inspect.getsource(SeedLSTM.__init__))
print(inspect.getsource(SeedLSTM.forward))

# %% [markdown]
# - `self.hidden_size`, `self.num_layers` are stored only to build `h0` and `c0` by hand.
# - `nn.LSTM(..., batch_first=True)` reads `x` as `[batch, seq_len, input_size]` (lesson 01).
# - `nn.Linear(hidden_size, output_size)` turns one hidden state into one score per class.
# - `h0`, `c0` as zeros, `.to(x.device)` — the tutorial: 「在forward函数中,首先初始化了LSTM网络的隐藏状态为全0向量,并且将其移动到与输入数据相同的设备上」
#   ("in forward, it first initialises the LSTM's hidden state to all-zero vectors and moves it to the input's
#   device"). Zeros are already the default when no state is passed. The hand-made ones are built in PyTorch's default
#   dtype on the default device (`float32` on the CPU, unless changed) whatever `x` is, then copied to `x`'s device, and they break in `float64` (tutorial error S6, below
#   and in lesson 02).
# - `out, _ = self.lstm(...)` discards `(h_n, c_n)` — the tutorial: 「第二个返回值是一个元组,包含了最后一个时间步的隐藏状态和细胞状态,但我们用“_”丢弃了它。」
#   ("the second return value is a tuple holding the hidden and cell state of the last time step, but we discard
#   it with `_`"). In this one-directional LSTM nothing is lost: `out[:, -1]` **is** `h_n[-1]` (the cell below).
#   It matters when the LSTM is bidirectional (below), and for a batch of sequences of different lengths run
#   packed (`pack_padded_sequence`): then `h_n` holds each sequence's last real step, while `out[:, -1]`, once
#   unpacked, is padding for every shorter sequence (the second cell below; [lesson 07](07_variable_lengths.ipynb) covers variable
#   lengths). `pack_padded_sequence` takes a padded batch and each sequence's real length, so the LSTM runs only
#   the real steps; `pad_packed_sequence` turns its output back into a padded `[batch, seq_len, hidden]` tensor.
# - `self.fc(out[:, -1, :])` reads the last layer's last step.

# %%
out, (h_n, c_n) = SeedLSTM(input_size=10, hidden_size=32, num_layers=2, output_size=2).lstm(x)
print("out[:, -1] == h_n[-1]:", torch.equal(out[:, -1], h_n[-1]))

# %% [markdown]
# Two sequences of different lengths, packed — the second has 3 real steps and 2 of padding:

# %%
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

packed = pack_padded_sequence(x[:2], lengths=torch.tensor([5, 3]), batch_first=True)
out_packed, (h_n, c_n) = nn.LSTM(10, 32, batch_first=True)(packed)
out, _ = pad_packed_sequence(out_packed, batch_first=True)  # [2, 5, 32]
print("sequence 1: out[1, -1] is padding (all zeros):", bool((out[1, -1] == 0).all()),
      "  h_n[-1, 1] == its last real step out[1, 2]:", torch.equal(h_n[-1, 1], out[1, 2]))

# %% [markdown]
# ## Tutorial error S11: a class named `LSTM`
#
# The tutorial names its class `LSTM` — 「# 定义一个LSTM模型」 ("define an LSTM model"), then `class LSTM(nn.Module):` —
# the name of PyTorch's layer, which a program may have imported as `from torch.nn import LSTM`. Defining the
# class replaces that name, and the next `LSTM(10, 32)` meant as a layer calls the tutorial's class instead:

# %% tags=["raises-exception"]
from torch.nn import LSTM

layer = LSTM(10, 32)  # PyTorch's layer: fine


class LSTM(SeedLSTM):  # what the tutorial's `class LSTM(nn.Module)` does to the name
    pass


layer = LSTM(10, 32)  # now the tutorial's class, which wants four arguments

# %%
from torch.nn import LSTM  # give the name back to PyTorch's layer for the rest of the lesson

print(LSTM(10, 32))

# %% [markdown]
# So the course calls the tutorial's class `SeedLSTM`, and the recommended one by what it does: `LSTMClassifier`.
#
# ## The recommended class: `LSTMClassifier`

# %%
print(inspect.getsource(LSTMClassifier.forward))

# %% [markdown]
# It keeps the tutorial's attribute names (`lstm`, `fc`), so the tutorial model's trained weights load into it — and give the
# same predictions, with less code and no hand-made state. (With `num_classes=1` the head gives one logit, for
# `BCEWithLogitsLoss`.)

# %%
seed_model = SeedLSTM(input_size=10, hidden_size=32, num_layers=2, output_size=2)
model = LSTMClassifier(input_size=10, hidden_size=32, num_layers=2, num_classes=2)
model.load_state_dict(seed_model.state_dict())
print("same logits:", torch.allclose(model(x), seed_model(x)))

# %% [markdown]
# The tutorial's class breaks in `float64` — its hand-made `h0` stays `float32` (tutorial error S6). (`copy.deepcopy`
# keeps `seed_model` itself in `float32`: `.double()` and `.to()` change a module in place and return it.)

# %% tags=["raises-exception"]
copy.deepcopy(seed_model).double()(x.double())

# %% [markdown]
# The message names `mat1 and mat2`, not `h0`. The link: at every step `nn.LSTM` multiplies the state by the
# recurrent weight, $b_{hh} + h_{t-1} W_{hh}^\top$ — a matrix product (`addmm`) whose two matrices must have one
# dtype. `h0` is `float32`, `weight_hh_l0` is now `float64`. The same product by hand gives the same message, and a
# `float64` `h0` with the `float64` model works:

# %%
seed_64 = copy.deepcopy(seed_model).double()
h0 = torch.zeros(2, 64, 32)  # float32, as the tutorial builds it
try:
    torch.addmm(seed_64.lstm.bias_hh_l0, h0[0], seed_64.lstm.weight_hh_l0.T)  # b_hh + h0 @ W_hh^T
except RuntimeError as error:
    print("RuntimeError:", error)
h0_64 = h0.double()
out, _ = seed_64.lstm(x.double(), (h0_64, h0_64))
print("with a float64 h0:", out.dtype, list(out.shape))

# %% [markdown]
# `LSTMClassifier` works in `float64`, because `nn.LSTM` makes its zero states in the input's dtype:

# %%
print(copy.deepcopy(model).double()(x.double()).dtype)
print("model itself:", model.fc.weight.dtype)

# %% [markdown]
# ## Clear errors for wrong input
#
# `LSTMClassifier` checks its input before the LSTM runs, and a wrong one gets a message that says what was
# expected, what came, and what to try. A 2-D input — one time step of every sequence, with the time dimension gone:

# %% tags=["raises-exception"]
model(x[:, 0])

# %% [markdown]
# Why check: `nn.LSTM` itself reads a 2-D input as **one unbatched sequence** — here 64 steps of 10 features — and
# runs without complaint, returning `out` `[64, 32]` and `h_n` `[num_layers, 32]`:

# %%
out, (h_n, c_n) = model.lstm(x[:, 0])
print(list(out.shape), list(h_n.shape))

# %% [markdown]
# Steps and features swapped:

# %% tags=["raises-exception"]
model(x.transpose(1, 2))

# %% [markdown]
# The input's dtype must match the model's. `nn.LSTM` checks the input's dtype itself, in plain words too; it does
# not check a state you pass (S6 above):

# %%
try:
    model.lstm(x.double())
except ValueError as error:
    print("nn.LSTM says:", error)

# %% [markdown]
# The class checks first, in the words of its other messages:

# %% tags=["raises-exception"]
model(x.double())

# %% [markdown]
# What no check can catch: an input of the right rank and feature size in the wrong layout. Time-major
# `[seq_len, batch, input_size]` — `x.transpose(0, 1)` — looks like 5 sequences of 64 steps, and runs silently:

# %%
print(model(x.transpose(0, 1)).shape)  # 5 "sequences", not 64

# %% [markdown]
# A batch of one is an ordinary batch: `[1, seq_len, input_size]` gives `[1, num_classes]`.

# %%
print(model(x[:1]).shape)

# %% [markdown]
# ## Tutorial error S8: `pred.squeeze()`
#
# The tutorial computes its loss as 「# 前向传播计算损失函数值」 ("forward pass: compute the loss value") followed by
# `loss = criterion(pred.squeeze(), y)`. `squeeze()` removes **every** dimension of size 1. On the tutorial's
# `[64, 2]` it does nothing:

# %%
pred = model(x)
print(pred.shape, "->", pred.squeeze().shape)

# %% [markdown]
# At batch size 1 — say, the last batch of an epoch — it removes the batch dimension: `[1, 2]` becomes `[2]`.
# `CrossEntropyLoss` then reads `[2]` as one unbatched sample. Its documented target for that is a 0-D class
# index, but `y[:1]` is `[1]`; torch 2.13 accepts it anyway, so the tutorial's line survives by luck, twice:

# %%
one = model(x[:1])
print(one.shape, "->", one.squeeze().shape)
print("target:", y[:1].shape)
print("same loss:", torch.allclose(nn.CrossEntropyLoss()(one.squeeze(), y[:1]), nn.CrossEntropyLoss()(one, y[:1])))

# %% [markdown]
# A binary classifier can instead give one logit per sequence and use `BCEWithLogitsLoss`, which applies the
# sigmoid itself and compares the probability with a 0.0/1.0 target — the same number as `BCELoss` on the sigmoid.
# Its rule: the target is float (class indices are refused), and has exactly the logit's shape (below).

# %%
logits, targets = torch.tensor([0.0, 2.0, -1.0]), torch.tensor([0.0, 1.0, 1.0])  # both [3], targets float
print(nn.BCEWithLogitsLoss()(logits, targets), nn.BCELoss()(torch.sigmoid(logits), targets))
try:
    nn.BCEWithLogitsLoss()(logits, targets.long())  # 0/1 class indices, as CrossEntropyLoss takes them
except RuntimeError as error:
    print("long targets:", error)

# %% [markdown]
# Luck runs out with that one output unit. `[64, 1]` squeezes to `[64]`,
# fine; `[1, 1]` squeezes to a 0-D scalar, and the loss refuses it:

# %% tags=["raises-exception"]
binary = LSTMClassifier(input_size=10, hidden_size=32, num_layers=2, num_classes=1)  # one logit per sequence
logit = binary(x[:1])  # [1, 1]
nn.BCEWithLogitsLoss()(logit.squeeze(), y[:1].float())

# %% [markdown]
# And **not** squeezing can be just as wrong. A regression head outputs `[N, 1]`; the targets are `[N]`. `MSELoss`
# then broadcasts the two to `[N, N]` — every prediction against every target — and returns a wrong number,
# with only a warning:

# %%
torch.manual_seed(1)
prediction, target = torch.randn(64, 1), torch.randn(64)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    wrong = nn.MSELoss()(prediction, target)
right = nn.MSELoss()(prediction.squeeze(1), target)
print("warning:", caught[0].message)
print(f"broadcast loss {wrong:.3f} vs right loss {right:.3f}")

# %% [markdown]
# The rule: **squeeze a named dimension** (`pred.squeeze(1)`), which removes exactly the one you mean if it has
# size 1 (otherwise nothing happens, silently: the cell below) — or give
# the loss what it expects without squeezing, as `LSTMClassifier` does with `[batch, num_classes]` logits.

# %%
print(torch.zeros(4, 2).squeeze(1).shape)  # dim 1 has size 2: nothing removed, no error

# %% [markdown]
# ## Bidirectional: `out[:, -1]` is a bug
#
# Make the tutorial's design bidirectional — fix its `h0` (two entries per layer now) and its `fc` (`2H` inputs) so it
# runs at all — and its `out[:, -1]` is still a bad summary, silently: in a one-layer LSTM its backward half has
# read only the last step (lesson 02); in a deeper one, it has read only the layer below's output at the last step
# (earlier steps reach it through the lower layer's forward direction alone, where `h_n[-1]` has read every step).
# `LSTMClassifier` reads `h_n` instead. With one layer, change every step except the last and compare:

# %%
bi = LSTMClassifier(input_size=10, hidden_size=32, num_layers=1, num_classes=2, bidirectional=True)
x_changed = x.clone()
x_changed[:, :-1] = torch.randn(64, 4, 10)

def backward_half_of_out_last(x):  # what the tutorial's head would read, backward direction
    out, _ = bi.lstm(x)
    return out[:, -1, 32:]

def backward_half_of_h_n(x):  # what LSTMClassifier's head reads, backward direction
    _, (h_n, _) = bi.lstm(x)
    return h_n[-1]

print("out[:, -1] backward half unchanged:", torch.allclose(backward_half_of_out_last(x), backward_half_of_out_last(x_changed)))
print("h_n[-1] unchanged:                 ", torch.allclose(backward_half_of_h_n(x), backward_half_of_h_n(x_changed)))

# %% [markdown]
# `out[:, -1]`'s backward half ignores every changed step; `h_n[-1]`, the backward direction after reading the
# whole sequence, sees them. The head the class uses reads exactly `cat(h_n[-2], h_n[-1])`:

# %%
_, (h_n, _) = bi.lstm(x)
print("logits == fc(cat(h_n[-2], h_n[-1])):", torch.equal(bi(x), bi.fc(torch.cat([h_n[-2], h_n[-1]], dim=1))))

# %% [markdown]
# ## Counting parameters
#
# The LSTM's parameters (lesson 03's formula) plus the head's: a `Linear(H, C)` has `H * C` weights and `C` biases.

# %%
lstm_part = lstm_parameter_count(10, 32, num_layers=2)
head_part = 32 * 2 + 2
print(f"formula: {lstm_part} + {head_part} = {lstm_part + head_part}")
print(f"counted: {count_parameters(model)}")

# %% [markdown]
# ## On the device you chose
#
# The model and its input must be on the same device. Decide it once (lesson 00), then move both; the states
# `nn.LSTM` makes follow the input (lesson 02). (This machine may have no GPU — then the device is the CPU.)

# %% tags=["nbval-ignore-output"]
device = lstm_lessons.resolve_device("auto")
model = model.to(device)
logits = model(x.to(device))
print(device, logits.device, list(logits.shape))

# %% [markdown]
# Forgetting to move one of them is an error that says which is where. (A copy goes to the `meta` device — tensors
# with a shape and a dtype but no data, available on every machine — which stands in for "another device than
# x's"; `model` itself stays put.) The check raises before the LSTM runs:

# %% tags=["raises-exception"]
copy.deepcopy(model).to("meta")(x)

# %% [markdown]
# ## Exercises
#
# **Exercise 1.** How many parameters has `LSTMClassifier(10, 32, 2, 2, bidirectional=True)`?

# %%
answer = ...
ex.check_04_classifier_parameters(answer)

# %% tags=["solution"]
# Solution: try the exercise above first.
answer = lstm_parameter_count(10, 32, 2, bidirectional=True) + (2 * 32) * 2 + 2  # LSTM + head on 2H features
ex.check_04_classifier_parameters(answer)

# %% [markdown]
# **Exercise 2.** `logit` is the one-logit head's output for a batch of one, `[1, 1]`, and `y[:1]` its 0/1 label.
# Write a function `binary_loss(logit, target)` that returns the `BCEWithLogitsLoss` of a logit `[N, 1]` against
# labels `[N]`, for a batch of any size, one included. The check calls it on this batch and on a batch of 4.

# %%
logit = binary(x[:1])  # [1, 1]
binary_loss = ...  # a function of (logit [N, 1], target [N] of 0/1), e.g. lambda logit, target: ...
ex.check_04_binary_loss(binary_loss, logit, y[:1])

# %% tags=["solution"]
# Solution: try the exercise above first.
def binary_loss(logit, target):
    return nn.BCEWithLogitsLoss()(logit.squeeze(1), target.float())  # squeeze the named dim: [N, 1] -> [N]

ex.check_04_binary_loss(binary_loss, logit, y[:1])

# %% [markdown]
# **Exercise 3.** A model that predicts one number per time step gives `pred` of shape `[1, 5, 1]` for one
# sequence of 5 steps. What is the shape of `pred.squeeze()`? Answer with a tuple.

# %%
answer = ...
ex.check_04_squeeze_shape(answer)

# %% tags=["solution"]
# Solution: try the exercise above first.
answer = (5,)  # every size-1 dim goes: the feature dim and the batch of one
ex.check_04_squeeze_shape(answer)

# %% [markdown]
# ## Summary
#
# - The tutorial's class builds zero states the default already gives, in `float32` whatever the input (**S6**: a `float64` model then fails in the state's product with `weight_hh`); it discards `h_n` and reads `out[:, -1]` — the same thing in its one-directional LSTM, not in a bidirectional one.
# - Naming it `LSTM` shadows PyTorch's layer (**S11**); the course says `SeedLSTM`, and recommends `LSTMClassifier`.
# - `squeeze()` removes every size-1 dimension — the batch, at batch size 1; not squeezing a `[N, 1]` regression output broadcasts the loss. Squeeze a named dim (**S8**).
# - `LSTMClassifier` reads `h_n[-1]`, or `cat(h_n[-2], h_n[-1])` when bidirectional; it refuses wrong input with a message that says what to try.
# - Parameters: the LSTM's $4(HI + HH + 2H)$ per layer and direction, where $I$ is that layer's input: `input_size`, then $H$ ($2H$ bidirectional); plus the head's $D \cdot H \cdot C + C$ ($D$ = 2 directions or 1).
#
# **Next:** [Lesson 05 — The training loop](05_the_training_loop.ipynb)
