# Source of notebooks/01_tensors_for_sequences.ipynb -- edit here, then run: python tools/build_notebooks.py 01

# %% [markdown]
# # Lesson 01 — Tensors for sequences
#
# **What you will learn**
#
# - to make tensors with `torch.randn`, `torch.randint` and `torch.zeros`, and read their `dtype` and `device`;
# - to make random numbers repeatable with a seed or a `torch.Generator`;
# - the layout an LSTM reads with `batch_first=True`: `[batch, seq_len, features]` — and to index one time step or one sequence;
# - that labels for a classifier are one class index per sequence: shape `[batch]`, dtype `int64`;
# - three things the seed tutorial says wrong about `x` and `y`, and how to see that they are wrong.
#
# **Time:** about 20 minutes. **Prerequisite:** [Lesson 00 — Start here](00_start_here.ipynb).

# %% [markdown] tags=["instructor", "notes"]
# **Speaker notes.** Most students read (64, 5, 10) as the seed's prose does. Ask the room which number is time before showing the S1 cell.

# %%
import torch
from torch import nn

import lstm_lessons
from lstm_lessons import exercises as ex
from lstm_lessons.plots import draw_sequence_batch
threads = lstm_lessons.use_threads()  # compute on 1 CPU thread, which stays fast when the machine is busy (lesson 00)

# %% [markdown]
# ## Making tensors
#
# `torch.randn(*shape)` draws floats from a normal distribution (mean 0, standard deviation 1);
# `torch.randint(low, high, shape)` draws whole numbers from `low` up to, *not including*, `high`;
# `torch.zeros(*shape)` is all zeros. Every tensor has a shape, a `dtype` and a `device`:

# %%
a = torch.randn(2, 3)
b = torch.randint(0, 2, (4,))
c = torch.zeros(2, 3)
for name, t in [("randn", a), ("randint", b), ("zeros", c)]:
    print(f"{name:8s} shape={list(t.shape)}  dtype={t.dtype}  device={t.device}")

# %% [markdown]
# Floats by default are `float32`; `randint` gives `int64` (also called `torch.long`). `randint(0, 2, ...)`
# never produces a 2:

# %%
print(torch.randint(0, 2, (10_000,)).unique())

# %% [markdown]
# A tensor lives on one device. `device=` makes it there directly; `.to(device)` returns a copy on that
# device (or the tensor itself if it is already there).
# Lesson 00's `resolve_device` decides the device once for a lesson:

# %% tags=["nbval-ignore-output"]
device = lstm_lessons.resolve_device("auto")
z = torch.zeros(2, 3, device=device)
print(z.device)

# %% [markdown]
# ## Seeds: the same random numbers every time
#
# Random numbers come from a generator. Setting its seed makes the next draws repeat exactly.
# `torch.manual_seed` seeds the global generator; a `torch.Generator` of your own gives repeatable
# numbers without touching the global one:

# %%
torch.manual_seed(0)
first = torch.randn(3)
torch.manual_seed(0)
again = torch.randn(3)
print("same seed, same numbers:", torch.equal(first, again))

g = torch.Generator().manual_seed(0)
print("a generator seeded 0 draws the same:", torch.equal(torch.randn(3, generator=g), first))

# %% [markdown]
# `lstm_lessons.make_seed_data(seed=...)` makes the seed tutorial's batch this way, so every lesson can
# rebuild exactly the same `x` and `y`:

# %%
x, y = lstm_lessons.make_seed_data(seed=0)
x2, y2 = lstm_lessons.make_seed_data(seed=0)
print(x.shape, y.shape, torch.equal(x, x2) and torch.equal(y, y2))

# %% [markdown]
# ## The layout: `[batch, seq_len, features]`
#
# A sequence is a list of time steps; at each step there is a vector of features. A batch stacks several
# sequences. With `batch_first=True` (as in the seed), `nn.LSTM` reads `x` as
# **[batch, seq_len, input_size]**. The seed's `x = torch.randn(64, 5, 10)` is therefore **64 sequences of
# 5 time steps, each step a vector of 10 features**. Here are the first three, one panel each:

# %% readme_figure="sequence_batch"
fig = draw_sequence_batch(x, step=2)

# %% [markdown]
# Indexing follows the layout. The outlined column in each panel is `x[:, 2, :]`: step 2 of every sequence.

# %%
print("x           ", list(x.shape), " the whole batch")
print("x[0]        ", list(x[0].shape), "      sequence 0: 5 steps of 10 features")
print("x[:, 2, :]  ", list(x[:, 2, :].shape), "     step 2 of all 64 sequences")
print("x[0, 2]     ", list(x[0, 2].shape), "         sequence 0, step 2: one feature vector")

# %% [markdown]
# ### Seed error S1: which dimension is time?
#
# The seed's prose says `torch.randn(64, 5, 10)` gives "64 samples, each with 5 feature dimensions and
# 10 time steps". Its own code comment says `[batch_size, sequence_length, input_size]` — and the code
# agrees with the comment, not with the prose. The proof: the LSTM is built with `input_size=10`, and an
# LSTM checks that the **last** dimension is `input_size`. An LSTM expecting 5 features refuses this `x`:

# %% tags=["raises-exception"]
nn.LSTM(input_size=5, hidden_size=32, batch_first=True)(x)

# %% [markdown]
# With `input_size=10` it runs, and it steps through time **5** times — once per position in dim 1:

# %%
out, _ = nn.LSTM(input_size=10, hidden_size=32, batch_first=True)(x)
print("out:", list(out.shape), "-> one output per time step:", out.shape[1])

# %% [markdown]
# ## Labels: one class index per sequence
#
# The seed's labels are `y = torch.randint(0, 2, (64,))`:

# %%
print("shape:", y.shape, " dims:", y.dim(), " dtype:", y.dtype)
print("first ten:", y[:10].tolist())

# %% [markdown]
# ### Seed error S2: `(64,)` is not "64x1"
#
# The seed says `y` "has shape 64x1". `(64,)` is a 1-D shape; `(64, 1)` is 2-D — a column. They hold the
# same numbers but are different shapes, and PyTorch treats them differently:

# %%
column = y.view(64, 1)
print(y.shape, "vs", column.shape, "-> equal shapes?", y.shape == column.shape)

# %% [markdown]
# `nn.CrossEntropyLoss` takes the 1-D `[64]` and rejects the 2-D `[64, 1]`:

# %%
logits = torch.randn(64, 2)  # what the seed's model returns: [batch, num_classes]
loss_fn = nn.CrossEntropyLoss()
loss = loss_fn(logits, y)
print("y of shape [64] is accepted; the loss is one number:", loss.shape)

# %% tags=["raises-exception"]
loss_fn(logits, column)

# %% [markdown]
# ### Seed error S3: `y` is as long as the batch, not the number of classes
#
# The seed goes on: `y` is "a 1-D tensor as long as the number of classes, each entry 0/1 saying whether
# that class is selected". No: `y` has **one entry per sequence** (64 of them, not 2), and each entry is the
# **index** of that sequence's class. With 2 classes the indices happen to be 0 and 1, which is what makes
# the misreading easy. Four classes make it plain:

# %%
torch.manual_seed(4)
y4 = torch.randint(0, 4, (64,))
print("length:", len(y4), "= batch size;  values:", y4.unique().tolist(), ";  dtype:", y4.dtype)

# %% [markdown]
# The "0/1 flag per class" the seed describes is a *one-hot* (or multi-hot) encoding — a different tensor,
# `[batch, num_classes]`. (`CrossEntropyLoss` also accepts a float `[batch, num_classes]` target, read as
# class *probabilities* — but that is not what the seed builds: its `y` is `[64]`.)

# %%
print(nn.functional.one_hot(y4, num_classes=4).shape)

# %% [markdown]
# And the dtype matters: class indices are `int64` (`torch.long`), as `randint` makes them. The same labels as
# floats are refused:

# %% tags=["raises-exception"]
loss_fn(logits, y.float())

# %% [markdown]
# ## Exercises
#
# **Exercise 1.** Select step 2 of every sequence in `x`.

# %%
answer = ...
ex.check_01_time_step(answer, x)

# %% tags=["solution"]
# Solution: try the exercise above first.
answer = x[:, 2, :]
ex.check_01_time_step(answer, x)

# %% [markdown]
# **Exercise 2.** Make a float batch for `batch_first=True` with **8 sequences of 3 time steps, 12 features per step**.

# %%
batch = ...
ex.check_01_make_batch(batch)

# %% tags=["solution"]
# Solution: try the exercise above first.
batch = torch.randn(8, 3, 12)
ex.check_01_make_batch(batch)

# %% [markdown]
# **Exercise 3.** Make random class-index labels, the kind the seed uses, for a batch of **64 sequences**
# when there are **4 classes**.

# %%
labels = ...
ex.check_01_labels(labels)

# %% tags=["solution"]
# Solution: try the exercise above first.
labels = torch.randint(0, 4, (64,))
ex.check_01_labels(labels)

# %% [markdown]
# ## Summary
#
# - `randn` gives `float32`, `randint(low, high, ...)` gives `int64` in `[low, high)`; a seed (global or a `Generator`) makes them repeat.
# - With `batch_first=True`, `x` is `[batch, seq_len, features]`: `x[i]` is a sequence, `x[:, t, :]` is one step of all sequences.
# - **S1:** `randn(64, 5, 10)` is 64 sequences of **5 steps** with **10 features** — the LSTM's `input_size` is the last dim.
# - **S2:** `(64,)` is 1-D, not 64x1; `CrossEntropyLoss` rejects the 2-D `(64, 1)`.
# - **S3:** `y` holds one **class index** (int64) per sequence; it is as long as the batch, not the number of classes.
#
# **Next:** [Lesson 02 — LSTM outputs and states](02_lstm_outputs_and_states.ipynb)
