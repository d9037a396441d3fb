# Source of notebooks/00_start_here.ipynb -- edit here, then run: python tools/build_notebooks.py 00

# %% [markdown]
# # Lesson 00 — Start here
#
# **What you will learn**
#
# - what this course is, and how its notebooks and its Python package `lstm_lessons` fit together;
# - how to check your environment: versions, and which devices (CPU, GPU) this machine has;
# - what the *original program* is — the 44-line LSTM program, from a short Chinese tutorial, that the whole course takes apart — and what it does when it runs;
# - when two tensors computed on the CPU are exactly equal, and when they can only be equal up to float rounding.
#
# **Time:** about 10 minutes. **Prerequisites:** Python, and having seen a PyTorch tensor once. No lesson before this one.

# %% [markdown]
# ## How the course works
#
# Each lesson is a notebook in `notebooks/`. The code a lesson relies on — data, models, checks for your
# exercises — lives in the package `lstm_lessons` beside it, so every lesson imports the same, tested code.
#
# Every claim a lesson makes is shown by a cell you can run: a shape is printed, an equality is checked,
# a pitfall raises its real error. The course's tests re-run every notebook and compare every output that
# does not depend on the machine (versions, devices, timings and float noise are the exceptions, and are marked),
# so what you read here is what the code really does.
#
# | lesson | topic |
# |---|---|
# | 00 | start here (this one) |
# | 01 | tensors for sequences: `[batch, seq_len, features]` |
# | 02 | what `nn.LSTM` returns: `out`, `h_n`, `c_n` |
# | 03 | inside the LSTM cell: the gates, written out and proved equal to `nn.LSTM` |
# | 04 | the model class: the tutorial's class taken apart, and the one to use instead |
# | 05 | the training loop: why the tutorial's falling loss means nothing, and training that learns |
# | 06 | playground: train LSTMs from a panel of widgets and watch the curves live |
# | 07 | sequences of different lengths: padding, packing, masks, the last real step |
# | 09 | forecasting a real time series, against the baselines a forecaster would use |
# | 10 | beyond one machine: data-parallel training with `torchrun`, proved equal to one process |

# %% [markdown] tags=["instructor", "notes"]
# **Speaker notes.** Ask who has copied an LSTM example from the web before. Promise: by lesson 05 they will know why the tutorial's falling loss proves nothing.

# %%
import torch
import lstm_lessons
from lstm_lessons import exercises as ex
threads = lstm_lessons.use_threads()  # compute on 1 CPU thread, which stays fast when the machine is busy (below)

# %% [markdown]
# ## Environment check
#
# The versions you have (yours may print other numbers — that is fine as long as the cell runs):

# %% tags=["nbval-ignore-output"]
import sys
print("Python      ", sys.version.split()[0])
print("PyTorch     ", torch.__version__)
print("lstm_lessons", lstm_lessons.__version__)

# %% [markdown]
# **CPU threads.** PyTorch normally splits each large operation (tens of thousands of numbers or more) over one
# thread per CPU core, and every such operation waits for all of its threads. Here is the count PyTorch chose on
# this machine, kept by `lstm_lessons` before the first cell changed it (yours may differ):

# %% tags=["nbval-ignore-output"]
import os
print("CPU cores the system reports:     ", os.cpu_count())
print("threads PyTorch chose by default:", lstm_lessons.threads.TORCH_DEFAULT_THREADS)

# %% [markdown]
# The course's models are small, so extra threads gain little on them; but when other programs keep the cores
# busy (a second notebook, a video call, a shared server), a thread the system has paused holds up the others at
# every operation. On a 2-core machine with two other busy programs, the tutorial's program below took 21 s with
# one thread and 196 s with two (measured once; `benchmarks/lessons_under_load.py` measures whole lessons).
# So the first cell of every lesson calls `lstm_lessons.use_threads()`, which sets one thread and returns the
# count. For a bigger model on a machine you have to yourself, call `lstm_lessons.use_threads(4)` (at most
# `os.cpu_count()`), or set the environment variable `LSTM_LESSONS_THREADS=4` before starting Jupyter (a
# count above the machine's CPUs is lowered to it):

# %%
print("CPU threads PyTorch computes with now:", torch.get_num_threads())

# %% [markdown]
# Which devices can this machine compute on? `available_devices()` lists them, best first, and
# `resolve_device("auto")` picks the best: a CUDA GPU, then Apple's `mps`, then the CPU. A lesson decides
# its device in this one place and passes it on; nothing in the course calls `.cuda()`.

# %% tags=["nbval-ignore-output"]
print("this machine has:", lstm_lessons.available_devices())
device = lstm_lessons.resolve_device("auto")
print("the lessons will use:", device)

# %% [markdown]
# Whatever the machine, the CPU is always there. Lessons that train (05 and later) compute on the device
# you choose this way (lesson 04 shows how); lessons 01-03 work with small tensors on the CPU.

# %%
lstm_lessons.resolve_device("cpu")

# %% [markdown]
# Asking for a device this machine does not have is an error that tells you what it *does* have
# (no machine has 100 GPUs, so `"cuda:99"` always fails):

# %% tags=["raises-exception", "nbval-ignore-output"]
lstm_lessons.resolve_device("cuda:99")

# %% [markdown]
# A name PyTorch does not know gets examples of names it does, and a guess when the name is close to one:

# %% tags=["raises-exception", "nbval-ignore-output"]
lstm_lessons.resolve_device("gpu")

# %% [markdown]
# ## Exactly equal, or equal up to rounding
#
# The lessons prove claims by comparing tensors, in two ways. `torch.equal(a, b)` is `True` when `a` and `b`
# have the same shape and equal values everywhere (a NaN is never equal, not even to itself; the dtype is not
# compared). `torch.allclose(a, b)` is `True` when, after broadcasting, every pair of values differs by no more
# than a small tolerance (lesson 02 gives its exact rule); it does not check that the shapes are the same:

# %%
nan = torch.tensor([float("nan")])
print("equal, int 1 and float 1.0:       ", torch.equal(torch.tensor([1]), torch.tensor([1.0])))
print("equal, NaN and the same NaN:      ", torch.equal(nan, nan))
print("allclose, shape [3] and shape [1]:", torch.allclose(torch.ones(3), torch.ones(1)))

# %% [markdown]
# Which one a lesson uses follows from how the two tensors were computed. On the CPU, the same operations,
# run by the same code in the same order on the same inputs, with the same number of threads, give equal
# results: `torch.equal`. The same
# *mathematics* computed another way — a from-scratch LSTM cell against `nn.LSTM` (lesson 03), or simply
# a sum added up in another order — rounds differently, because float addition is not associative:
# `allclose`. Here is `a + b + c` added up in two orders, for 1000 triples of numbers:

# %%
torch.manual_seed(0)
a, b, c = torch.rand(3, 1000)  # three rows of 1000 random numbers in [0, 1)
left, right = (a + b) + c, a + (b + c)
print("same order again, bit for bit:", torch.equal((a + b) + c, left))
print("other order, bit for bit:     ", torch.equal(left, right), f"({(left != right).sum().item()} of 1000 differ)")
print("other order, up to rounding:  ", torch.allclose(left, right))

# %% [markdown]
# The thread count is part of "the same order": two threads sum the two halves of a vector separately and
# then add the two results, which rounds differently from one thread summing the whole vector:

# %%
torch.manual_seed(0)
v = torch.rand(10_000_000)  # ten million random numbers
sums = {}
for n in (1, 2):
    torch.set_num_threads(n)
    sums[n] = v.sum()
torch.set_num_threads(1)
again = v.sum()
lstm_lessons.use_threads()  # back to the lesson's count
print("1 thread, then again:    bit for bit:", torch.equal(sums[1], again))
print("1 thread vs 2 threads:   bit for bit:", torch.equal(sums[1], sums[2]), " up to rounding:",
      torch.allclose(sums[1], sums[2]))

# %% [markdown]
# ## The original program: what this course grows out of
#
# The course starts from a short tutorial, published in Chinese, "Pytorch 的 LSTM 模型的示例教程"
# ("An example tutorial of PyTorch's LSTM model"). Here is its whole program, kept line for line
# (the first three comment lines and the English in parentheses are ours):

# %%
print(lstm_lessons.seed_program_source())

# %% [markdown]
# In words: a class `LSTM` wraps `nn.LSTM` and a linear layer (`nn.Linear`: each output is a weighted sum of
# the inputs plus a bias); its `forward` method is what `lstm(x)` runs. A random batch `x` of 64 sequences and
# random labels `y` (0 or 1) are made up. The model is trained for 100 epochs (an epoch is one pass over the
# training data, here the one batch) with Adam (an optimiser: the rule that nudges the weights to lower the
# loss), and the loss is printed: `nn.CrossEntropyLoss`, which is small when the model gives the right label a
# high probability and large when it does not.
#
# The tutorial's prose around this code gets several things wrong — which dimension is time, what shape
# `y` has, what `out` holds — and never asks what the falling loss means. By the end of the course you will understand
# every line of this program, and know what is wrong with it.

# %% [markdown]
# ## Run it once
#
# `run_seed_program` runs exactly these steps, through `SeedLSTM` — the tutorial's class under a name that
# cannot be confused with `nn.LSTM`. It prints the tutorial's loss line every 10 epochs and returns every epoch's loss.
# (`seed=0` is a *random seed*: it makes the random `x`, `y` and starting weights the same on every run;
# lesson 01 explains seeds. The exact losses still differ a little between machines, so the course's tests
# do not compare them.)

# %% tags=["nbval-ignore-output"]
losses = lstm_lessons.run_seed_program(num_epochs=100, seed=0, print_every=10)

# %% [markdown]
# The loss starts near $\ln 2 \approx 0.693$ — the cross-entropy of a 50/50 guess between two classes is
# $-\ln \frac{1}{2} = \ln 2$ — and with `seed=0` falls far below it:

# %%
print(f"epochs run: {len(losses)}")
print(f"first loss near ln 2: {abs(losses[0] - 0.693) < 0.05}")
print(f"last loss below 0.1:  {losses[-1] < 0.1}")

# %% [markdown]
# How far it falls depends on the random seed. With `seed=3` (other random `x`, `y` and starting weights) the
# last loss stays above 0.1:

# %%
losses_3 = lstm_lessons.run_seed_program(num_epochs=100, seed=3, print_every=0)
print(f"seed=3, last loss below 0.1: {losses_3[-1] < 0.1}")

# %% [markdown]
# So the model "trains". But look back at how `y` was made: `torch.randint(0, 2, (64,))` — the labels
# are coin flips, unrelated to `x`. What did the network learn, then? Lesson 05 answers that;
# first we need to know exactly what `x`, `y` and the LSTM's outputs are (lessons 01 and 02).

# %% [markdown]
# ## Exercises
#
# Each exercise has a cell for your answer and a check. Replace `...` with your answer and run the
# cell; a wrong answer gets a hint. The solution is in the collapsed cell below each exercise
# (click the `···` bar to open it) — try first.
#
# Here is the tutorial's batch to experiment with (`make_seed_data` makes it from a random seed, as lesson 01 explains):

# %%
x, y = lstm_lessons.make_seed_data(seed=0)
print(x.shape)

# %% [markdown]
# **Exercise 1.** The tutorial's batch is `x = torch.randn(64, 5, 10)`. How many sequences does it hold?

# %%
answer = ...
ex.check_00_batch_size(answer)

# %% tags=["solution"]
# Solution: try the exercise above first.
answer = 64  # the first dimension: 64 sequences (the batch)
ex.check_00_batch_size(answer)

# %% [markdown]
# **Exercise 2.** How many numbers does that `x` hold in all? (Work it out, then confirm with `x.numel()`.)

# %%
answer = ...
ex.check_00_num_values(answer)

# %% tags=["solution"]
# Solution: try the exercise above first.
answer = 64 * 5 * 10
ex.check_00_num_values(answer)

# %% [markdown]
# **Exercise 3.** Read the original program above. How many times does it run the model forward
# (`lstm(x)`) in total?

# %%
answer = ...
ex.check_00_model_calls(answer)

# %% tags=["solution"]
# Solution: try the exercise above first.
answer = 101  # once before the loop (thrown away), then once per epoch
ex.check_00_model_calls(answer)

# %% [markdown]
# ## Summary
#
# - The lessons are notebooks; their code is the package `lstm_lessons`, and tests re-run every lesson.
# - `resolve_device("auto")` picks the best device this machine has, and names what it has when you ask for one it lacks.
# - `torch.equal` is exact equality, for the same computation repeated with the same number of threads; `torch.allclose` allows float rounding, for the same mathematics computed another way.
# - The tutorial's program trains an LSTM classifier on a random batch; with `seed=0` its loss falls from about 0.69 to below 0.1 (with `seed=3` it ends above 0.1).
#   Whether that means anything is a question for lesson 05.
#
# **Next:** [Lesson 01 — Tensors for sequences](01_tensors_for_sequences.ipynb)
