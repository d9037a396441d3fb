# Source of notebooks/01_tensors_for_sequences.ipynb -- edit here, then run: python tools/build_notebooks.py 01

# %% [markdown]
# # Lesson 01 — Tensors for sequences
#
# **What you will learn**
#
# - to make tensors with `torch.randn`, `torch.randint` and `torch.zeros`, and read their `dtype` and `device`;
# - to make random numbers repeatable with a seed or a `torch.Generator`;
# - the layout an LSTM reads with `batch_first=True`: `[batch, seq_len, features]` — and to index one time step or one sequence;
# - that labels for a classifier are one class index per sequence: shape `[batch]`, dtype `int64` (`torch.long`);
# - three things the tutorial says wrong about `x` and `y`, and how to see that they are wrong.
#
# **Time:** about 20 minutes. **Prerequisite:** [Lesson 00 — Start here](00_start_here.ipynb).

# %% [markdown] tags=["instructor", "notes"]
# **Speaker notes.** Most students read (64, 5, 10) as the tutorial's prose does. At the S1 heading, read the
# tutorial's sentence aloud and ask the room what is wrong with it before showing the cells.

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
# Floats by default are `float32`; `randint` gives `int64` (also called `torch.long`). Many draws show the
# rest: `randn`'s numbers have mean 0 and standard deviation 1, and `randint(0, 2, ...)` never produces a 2.
# (`.item()` turns a one-number tensor into a Python number; `.unique()` lists the distinct values, sorted.)

# %%
draws = torch.randn(100_000, generator=torch.Generator().manual_seed(0))  # seeded: see the next section
print("randn: mean within 0.01 of 0:", abs(draws.mean().item()) < 0.01)
print("randn: std within 0.01 of 1: ", abs(draws.std().item() - 1) < 0.01)
print("randint(0, 2) values:", torch.randint(0, 2, (10_000,)).unique().tolist())

# %% [markdown]
# A tensor lives on one device. `device=` makes it there directly; `.to(device)` returns a copy on that
# device, or the tensor itself if it is already there (lesson 02 shows both).
# Lesson 00's `resolve_device` decides the device once for a lesson:

# %% tags=["nbval-ignore-output"]
device = lstm_lessons.resolve_device("auto")
z = torch.zeros(2, 3, device=device)
print(z.device)

# %% [markdown]
# ## Seeds: the same random numbers every time
#
# Random numbers come from a generator. Setting its *seed* (a whole number you choose) makes the next draws
# repeat exactly. `torch.manual_seed` seeds the global generator; a `torch.Generator` of your own gives
# repeatable numbers without touching the global one. `torch.equal(a, b)` checks it: `True` when `a` and `b`
# have the same shape and every element of `a` equals (`==`) the one of `b`. `torch.get_rng_state()` returns
# the global generator's state as a tensor, so comparing it before and after shows whether anything drew from it.

# %%
torch.manual_seed(0)
first = torch.randn(3)
torch.manual_seed(0)
again = torch.randn(3)
print("same seed, same numbers:", torch.equal(first, again))

g = torch.Generator().manual_seed(0)
global_state = torch.get_rng_state()
print("a generator seeded 0 draws the same:", torch.equal(torch.randn(3, generator=g), first))
print("and the global generator did not move:", torch.equal(torch.get_rng_state(), global_state))

# %% [markdown]
# `lstm_lessons.make_seed_data(seed=...)` makes the tutorial's batch this way, from the random seed you give,
# so every lesson can rebuild exactly the same `x` and `y`:

# %%
x, y = lstm_lessons.make_seed_data(seed=0)
x2, y2 = lstm_lessons.make_seed_data(seed=0)
print(x.shape, y.shape, torch.equal(x, x2) and torch.equal(y, y2))

# %% [markdown]
# ## The layout: `[batch, seq_len, features]`
#
# A sequence is a list of time steps; at each step there is a vector of features. A batch stacks several
# sequences. With `batch_first=True` (as in the tutorial), `nn.LSTM` reads `x` as
# **[batch, seq_len, input_size]**. The tutorial's `x = torch.randn(64, 5, 10)` is therefore **64 sequences of
# 5 time steps, each step a vector of 10 features**. Here are the first three, one panel each:

# %% readme_figure="sequence_batch"
fig = draw_sequence_batch(x, step=2)

# %% [markdown]
# Indexing follows the layout. The outlined columns, one per panel, together are `x[:, 2, :]`: step 2 of every sequence.

# %%
print("x           ", list(x.shape), " the whole batch")
print("x[0]        ", list(x[0].shape), "      sequence 0: 5 steps of 10 features")
print("x[:, 2, :]  ", list(x[:, 2, :].shape), "     step 2 of all 64 sequences")
print("x[0, 2]     ", list(x[0, 2].shape), "         sequence 0, step 2: one feature vector")

# %% [markdown]
# ### Tutorial error S1: which dimension is time?
#
# The tutorial's prose says `torch.randn(64, 5, 10)` gives "64 samples, each with 5 feature dimensions and
# 10 time steps" (「它包含 64 个样本,每个样本具有 5 个特征维度和 10 个时间步」). Its own code comment says
# `[batch_size, sequence_length, input_size]` — and the code agrees with the comment, not with the prose.
# The proof: the LSTM is built with `input_size=10`, and an LSTM checks that the **last** dimension is
# `input_size`. An LSTM expecting 5 features refuses this `x` (`hidden_size=32` is the size of the LSTM's
# own output at each step, whatever `x` is; lesson 02 is about it):

# %% tags=["raises-exception"]
nn.LSTM(input_size=5, hidden_size=32, batch_first=True)(x)

# %% [markdown]
# With `input_size=10` it runs, and it steps through time **5** times — once per position in dim 1.
# An LSTM returns two things, the outputs and its final states; `out, _ =` keeps the outputs and drops the
# states (lesson 02 opens both):

# %%
out, _ = nn.LSTM(input_size=10, hidden_size=32, batch_first=True)(x)
print("out:", list(out.shape), "-> one output per time step:", out.shape[1])

# %% [markdown]
# ## Labels: one class index per sequence
#
# The tutorial's labels are `y = torch.randint(0, 2, (64,))`:

# %%
print("shape:", y.shape, " dims:", y.dim(), " dtype:", y.dtype)
print("first ten:", y[:10].tolist())

# %% [markdown]
# ### Tutorial error S2: `(64,)` is not "64x1"
#
# The tutorial says `y` "has shape 64x1, that is, a 1-D tensor of 64 elements"
# (「size=(64,) 表示生成的张量 y 的形状为 64x1,即一个包含 64 个元素的一维张量」). The two halves of the
# sentence disagree: "a 1-D tensor of 64 elements" is right, but 64x1 is 2-D. `(64,)` is a 1-D shape;
# `(64, 1)` is 2-D — a column. They hold the same numbers but are different shapes, and PyTorch treats them
# differently. `y.view(64, 1)` gives the same 64 numbers in the shape `(64, 1)`:

# %%
column = y.view(64, 1)
print(y.shape, "vs", column.shape, "-> equal shapes?", y.shape == column.shape)

# %% [markdown]
# The loss shows the difference. A classifier returns *logits*: one raw score per class, any real number,
# higher meaning more likely (a softmax would turn them into probabilities; `nn.CrossEntropyLoss` does that
# itself, so it takes the logits). The tutorial's model returns logits of shape `[batch, num_classes]` =
# `[64, 2]`. With those, `nn.CrossEntropyLoss` takes the 1-D `[64]` and rejects the 2-D `[64, 1]`:

# %%
logits = torch.randn(64, 2)  # stands in for the tutorial's model output: [batch, num_classes]
loss_fn = nn.CrossEntropyLoss()
loss = loss_fn(logits, y)
print("y of shape [64] is accepted; the loss is one number:", loss.shape)

# %% tags=["raises-exception"]
loss_fn(logits, column)

# %% [markdown]
# A 2-D target is not always wrong: it is what the loss wants when there is a label **per time step**
# (a language model, say, predicts the next character at every step). Then the logits are
# `[batch, num_classes, seq_len]` — classes in dim 1 — and the target is `[batch, seq_len]`, one class index
# per sequence and step:

# %%
step_logits = torch.randn(64, 2, 5)  # [batch, num_classes, seq_len]
step_labels = torch.randint(0, 2, (64, 5))  # [batch, seq_len]
step_loss = loss_fn(step_logits, step_labels)
print("logits", list(step_logits.shape), "+ labels", list(step_labels.shape), "-> loss", step_loss.shape)

# %% [markdown]
# ### Tutorial error S3: `y` is as long as the batch, not the number of classes
#
# The tutorial goes on: `y` is "a 1-D tensor as long as the number of classes, each entry 0/1 saying whether
# that class is selected" (「生成一个长度为标签类别数的一维张量,其每个元素的取值为 0 或 1,表示对应类别是否被选中」).
# No: `y` has **one entry per sequence** (64 of them, not 2), and each entry is the
# **index** of that sequence's class. With 2 classes the indices happen to be 0 and 1, which is what makes
# the misreading easy. Four classes make it plain:

# %%
torch.manual_seed(4)
y4 = torch.randint(0, 4, (64,))
print("length:", len(y4), "= batch size;  values:", y4.unique().tolist(), ";  dtype:", y4.dtype)

# %% [markdown]
# The "0/1 flag per class" the tutorial describes is a *one-hot* (or multi-hot) encoding — a different tensor,
# `[batch, num_classes]`:

# %%
print(nn.functional.one_hot(y4, num_classes=4).shape)

# %% [markdown]
# `CrossEntropyLoss` also accepts a float `[batch, num_classes]` target, read as class *probabilities*; a
# one-hot row puts probability 1 on one class, so (with the default settings) it gives the same loss as the
# class indices. But that is
# not what the tutorial builds: its `y` is `[64]`.

# %%
one_hot = nn.functional.one_hot(y, num_classes=2).float()
print("one-hot", list(one_hot.shape), f"{loss_fn(logits, one_hot).item():.4f}")
print("indices", list(y.shape), f"{loss_fn(logits, y).item():.4f}")

# %% [markdown]
# And the dtype matters. Class indices must be `int64` (`torch.long`, what `randint` makes): that is the
# dtype `CrossEntropyLoss`'s documentation requires ("The target data type is required to be long when using
# class indices"). This torch's CPU loss also lets `uint8` through (`torch.uint8`, called "Byte" in its
# messages) and gives the same loss:

# %%
print("int64:", f"{loss_fn(logits, y).item():.4f}", "  uint8:", f"{loss_fn(logits, y.to(torch.uint8)).item():.4f}")

# %% [markdown]
# Do not rely on it: `uint8` holds only 0 to 255, so it cannot hold the loss's `ignore_index=-100` (the label
# that says "skip this one") nor class 300 of a large vocabulary. Converted, they silently become other numbers:

# %%
print(torch.tensor([-100, 300]).to(torch.uint8).tolist())

# %% [markdown]
# Any other dtype is refused, even another integer type such as `int32`, with an error that names the two
# it lets through:

# %% tags=["raises-exception"]
loss_fn(logits, y.to(torch.int32))

# %% [markdown]
# Floats of shape `[64]` are refused with the same message (a float target must be `[batch, num_classes]`
# probabilities, as above):

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
# **Exercise 3.** Make random class-index labels, the kind the tutorial uses, for a batch of **64 sequences**
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
# - **S2:** `(64,)` is 1-D, not 64x1; with `[64, 2]` logits `CrossEntropyLoss` rejects the 2-D `(64, 1)`.
#   A 2-D *integer* target is for per-step labels, with `[batch, num_classes, seq_len]` logits; a float target
#   with the logits' shape is read as class probabilities.
# - **S3:** `y` holds one **class index** per sequence, `int64` (`torch.long`; `uint8` slips through but is not
#   the documented dtype; `int32` and floats are refused); it is as long as the batch, not the number of classes.
#
# **Next:** [Lesson 02 — LSTM outputs and states](02_lstm_outputs_and_states.ipynb)
