# Source of notebooks/04_the_model_class.ipynb -- edit here, then run: python tools/build_notebooks.py 04

# %% [markdown]
# # Lesson 04 — The model class
#
# **What you will learn**
#
# - to read the seed's model class line by line, and what each line costs or risks;
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
x, y = lstm_lessons.make_seed_data(seed=0)  # x: [64, 5, 10], y: [64]

# %% [markdown]
# ## The seed's class, line by line
#
# `SeedLSTM` is the seed's class exactly, under another name (why, below):

# %%
print(inspect.getsource(SeedLSTM.__init__))
print(inspect.getsource(SeedLSTM.forward))

# %% [markdown]
# - `self.hidden_size`, `self.num_layers` are stored only to build `h0` and `c0` by hand.
# - `nn.LSTM(..., batch_first=True)` reads `x` as `[batch, seq_len, input_size]` (lesson 01).
# - `nn.Linear(hidden_size, output_size)` turns one hidden state into one score per class.
# - `h0`, `c0` as zeros, `.to(x.device)`: the default already is zeros — this costs an extra CPU allocation and
#   copy on a GPU and breaks in `float64` (seed error S6, shown in lesson 02).
# - `out, _ = self.lstm(...)` throws away `(h_n, c_n)`, the very state a classifier needs.
# - `self.fc(out[:, -1, :])` reads the last layer's last step — equal to `h_n[-1]` for this unidirectional LSTM
#   (lesson 02), wrong the moment the LSTM is bidirectional (below).
#
# ## Seed error S11: a class named `LSTM`
#
# The seed names its class `LSTM` — the name of PyTorch's layer, which many programs import as
# `from torch.nn import LSTM`. Defining the class replaces that name, and the next `LSTM(10, 32)` meant as a
# layer calls the seed's class instead:

# %% tags=["raises-exception"]
from torch.nn import LSTM

layer = LSTM(10, 32)  # PyTorch's layer: fine


class LSTM(SeedLSTM):  # what the seed's `class LSTM(nn.Module)` does to the name
    pass


layer = LSTM(10, 32)  # now the seed's class, which wants four arguments

# %%
from torch.nn import LSTM  # give the name back to PyTorch's layer for the rest of the lesson

print(LSTM(10, 32))

# %% [markdown]
# So the course calls the seed's class `SeedLSTM`, and the recommended one by what it does: `LSTMClassifier`.
#
# ## The recommended class: `LSTMClassifier`

# %%
print(inspect.getsource(LSTMClassifier.forward))

# %% [markdown]
# It keeps the seed's attribute names (`lstm`, `fc`), so the seed's trained weights load into it — and give the
# same predictions, with less code and no hand-made state. (With `num_classes=1` the head gives one logit, for
# `BCEWithLogitsLoss`.)

# %%
seed_model = SeedLSTM(input_size=10, hidden_size=32, num_layers=2, output_size=2)
model = LSTMClassifier(input_size=10, hidden_size=32, num_layers=2, num_classes=2)
model.load_state_dict(seed_model.state_dict())
print("same logits:", torch.allclose(model(x), seed_model(x)))

# %% [markdown]
# The seed's class breaks in `float64` — its hand-made `h0` stays `float32` (seed error S6):

# %% tags=["raises-exception"]
copy.deepcopy(seed_model).double()(x.double())

# %% [markdown]
# `LSTMClassifier` works in `float64`, because `nn.LSTM` makes its zero states in the input's dtype:

# %%
print(copy.deepcopy(model).double()(x.double()).dtype)

# %% [markdown]
# (`copy.deepcopy` keeps `model` itself in `float32`: `.double()` and `.to()` change a module in place.)

# %% [markdown]
# ## Clear errors for wrong input
#
# A wrong input is stopped at the door with a message that says what was expected, what came, and what to try.
# A 2-D input — one time step of every sequence, with the time dimension gone:

# %% tags=["raises-exception"]
model(x[:, 0])

# %% [markdown]
# Steps and features swapped:

# %% tags=["raises-exception"]
model(x.transpose(1, 2))

# %% [markdown]
# The input's dtype must match the model's — said plainly, instead of PyTorch's message from deep inside:

# %% tags=["raises-exception"]
model(x.double())

# %% [markdown]
# A batch of one is an ordinary batch: `[1, seq_len, input_size]` gives `[1, num_classes]`.

# %%
print(model(x[:1]).shape)

# %% [markdown]
# ## Seed error S8: `pred.squeeze()`
#
# The seed's loss is `criterion(pred.squeeze(), y)`. `squeeze()` removes **every** dimension of size 1. On the
# seed's `[64, 2]` it does nothing:

# %%
pred = model(x)
print(pred.shape, "->", pred.squeeze().shape)

# %% [markdown]
# At batch size 1 — say, the last batch of an epoch — it removes the batch dimension: `[1, 2]` becomes `[2]`.
# `CrossEntropyLoss` happens to read `[2]` as one unbatched sample, so the seed survives by luck:

# %%
one = model(x[:1])
print(one.shape, "->", one.squeeze().shape)
print("same loss:", torch.allclose(nn.CrossEntropyLoss()(one.squeeze(), y[:1]), nn.CrossEntropyLoss()(one, y[:1])))

# %% [markdown]
# Luck runs out with one output unit — a binary classifier with `BCEWithLogitsLoss`. `[64, 1]` squeezes to `[64]`,
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
# The rule: **squeeze a named dimension** (`pred.squeeze(1)`), which removes exactly the one you mean — or give
# the loss what it expects without squeezing, as `LSTMClassifier` does with `[batch, num_classes]` logits.
#
# ## Bidirectional: `out[:, -1]` is a bug
#
# Make the seed's design bidirectional — fix its `h0` (two entries per layer now) and its `fc` (`2H` inputs) so it
# runs at all — and its `out[:, -1]` is still a bad summary, silently: in a one-layer LSTM its backward half has
# read only the last step (lesson 02); in a deeper one, only the last step of the layer below.
# `LSTMClassifier` reads `h_n` instead. With one layer, change every step except the last and compare:

# %%
bi = LSTMClassifier(input_size=10, hidden_size=32, num_layers=1, num_classes=2, bidirectional=True)
x_changed = x.clone()
x_changed[:, :-1] = torch.randn(64, 4, 10)

def backward_half_of_out_last(x):  # what the seed's head would read, backward direction
    out, _ = bi.lstm(x)
    return out[:, -1, 32:]

def backward_half_of_h_n(x):  # what LSTMClassifier's head reads, backward direction
    _, (h_n, _) = bi.lstm(x)
    return h_n[-1]

print("out[:, -1] backward half unchanged:", torch.allclose(backward_half_of_out_last(x), backward_half_of_out_last(x_changed)))
print("h_n[-1] unchanged:                 ", torch.allclose(backward_half_of_h_n(x), backward_half_of_h_n(x_changed)))

# %% [markdown]
# `out[:, -1]`'s backward half ignores every changed step; `h_n[-1]`, the backward direction after reading the
# whole sequence, sees them. The head the class uses is exactly `cat(h_n[-2], h_n[-1])`:

# %%
_, (h_n, _) = bi.lstm(x)
print("logits == fc(cat(h_n[-2], h_n[-1])):", torch.allclose(bi(x), bi.fc(torch.cat([h_n[-2], h_n[-1]], dim=1))))

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
# `nn.LSTM` makes follow the input. (This machine may have no GPU — then the device is the CPU.)

# %% tags=["nbval-ignore-output"]
device = lstm_lessons.resolve_device("auto")
model = model.to(device)
logits = model(x.to(device))
print(device, logits.device, list(logits.shape))

# %% [markdown]
# Forgetting to move one of them is an error that says which is where. (A copy goes to the `meta` device, which
# stands in for "another device than x's" on any machine; `model` itself stays put.)

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
# Compute `BCEWithLogitsLoss` so that it works at this batch size — and at every other.

# %%
logit = binary(x[:1])  # [1, 1]
loss = ...
ex.check_04_binary_loss(loss, logit, y[:1])

# %% tags=["solution"]
# Solution: try the exercise above first.
loss = nn.BCEWithLogitsLoss()(logit.squeeze(1), y[:1].float())  # squeeze the named dim: [1, 1] -> [1]
ex.check_04_binary_loss(loss, logit, y[:1])

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
# - The seed's class builds zero states the default already gives, in `float32` whatever the input (**S6**); it throws away `h_n` and reads `out[:, -1]`.
# - Naming it `LSTM` shadows PyTorch's layer (**S11**); the course says `SeedLSTM`, and recommends `LSTMClassifier`.
# - `squeeze()` removes every size-1 dimension — the batch, at batch size 1; not squeezing a `[N, 1]` regression output broadcasts the loss. Squeeze a named dim (**S8**).
# - `LSTMClassifier` reads `h_n[-1]`, or `cat(h_n[-2], h_n[-1])` when bidirectional; it refuses wrong input with a message that says what to try.
# - Parameters: the LSTM's $4(HI + HH + 2H)$ per layer and direction, plus the head's `H * C + C`.
#
# **Next:** [Lesson 05 — The training loop](05_the_training_loop.ipynb)
