# Source of notebooks/10_distributed.ipynb -- edit here, then run: python tools/build_notebooks.py 10

# %% [markdown]
# # Lesson 10 — Beyond one machine: data-parallel training
#
# **What you will learn**
#
# - what an **all-reduce** does, and why averaging the gradients of equal shares of a batch is one step on the whole batch;
# - to run `python -m lstm_lessons train` on several processes with `torchrun`, unchanged, and to prove it trains to the same weights;
# - how `DistributedSampler` shares out the data — and what it does when the data does not divide evenly;
# - what speed to expect from two CPU cores, from a GPU node and from several machines;
# - the errors a wrong setup gives, and what each asks you to do.
#
# **Time:** about 30 minutes. **Prerequisite:** [Lesson 05 — The training loop](05_the_training_loop.ipynb) (the
# loop, mini-batches, `state_dict`). [Lesson 07 — Sequences of different lengths](07_variable_lengths.ipynb),
# [Lesson 08 — A character-level language model](08_char_language_model.ipynb) and
# [Lesson 09 — Forecasting a real series, honestly](09_forecasting.ipynb) come before this one but are not needed for it.

# %% [markdown] tags=["instructor", "notes"]
# **Speaker notes.** Before the first demo, ask: if two processes each see half a batch, how can they end with the same weights as one process seeing all of it? The all-reduce cell answers it.

# %%
import inspect
import os
import tempfile
import time

import torch
from torch import nn
from torch.utils.data import DistributedSampler

import lstm_lessons
from lstm_lessons import LSTMClassifier
from lstm_lessons import exercises as ex
from lstm_lessons.distributed import World, check_gpus, process_group
from lstm_lessons.distributed_demos import (global_batches, half_batch_gradient, launch, port_in_use, run_here,
                                            run_processes, two_halves_drift)
from lstm_lessons.tasks import load_task
threads = lstm_lessons.use_threads()  # compute on 1 CPU thread, which stays fast when the machine is busy (lesson 00)

# %% [markdown]
# ## Two processes, one gradient: the all-reduce
#
# Data-parallel training runs one copy of the model in each of N processes. Every step, each process takes its own
# share of the batch, computes the gradients of its share, and then all of them **all-reduce** their gradients:
# each process sends its tensor, and each one receives the sum of all of them. Divided by N, that is the average —
# the same in every process, so every optimizer takes the same step. Here is one process's part, as the package
# has it (a few lines of `torch.distributed`):

# %%
print(inspect.getsource(half_batch_gradient))

# %% [markdown]
# `run_processes` starts it in two new processes (with `torch.multiprocessing`, which works from any notebook
# kernel) and collects what each one put in `results`:

# %%
for rank, own, average in run_processes(half_batch_gradient, world_size=2):
    print(f"process {rank}: gradient of its 4 samples {torch.tensor(own).numpy().round(4)}")
    print(f"           after all_reduce and / 2      {torch.tensor(average).numpy().round(4)}")

# %% [markdown]
# Each process saw different samples, so their own gradients differ; after the all-reduce both hold the same
# average. It is exactly the gradient of the whole batch of 8, computed here, in one process:

# %%
torch.manual_seed(0)  # the same weights and batch as in the processes
model, x, y = nn.Linear(3, 1), torch.randn(8, 3), torch.randn(8, 1)
nn.functional.mse_loss(model(x), y).backward()
print("whole batch:", model.weight.grad.numpy().round(4))
print("the average of the two halves equals it:", torch.allclose(torch.tensor(average), model.weight.grad))

# %% [markdown]
# Why: the mean over 8 samples is the mean of the means of two halves of 4 — and a gradient is linear in the loss.
# That needs halves of **equal size**. With shares of 5 and 3, the average of the two means weighs a sample of the
# small share more:

# %%
losses = torch.arange(8.0)  # one number per sample, standing for its loss
print("mean over the batch:         ", losses.mean().item())
print("average of two means, 4 + 4: ", ((losses[:4].mean() + losses[4:].mean()) / 2).item())
print("average of two means, 5 + 3: ", ((losses[:5].mean() + losses[5:].mean()) / 2).item())

# %% [markdown]
# `DistributedDataParallel` (DDP) does this for a whole model: wrapped in it, `loss.backward()` also all-reduces
# every gradient and divides by N. The rest of the loop of lesson 05 stays as it was.
#
# ## Sharing out the data: `DistributedSampler`
#
# Each process must see a different share, and all shares must be equally large. `DistributedSampler` does both.
# Each epoch it makes one order of the whole data set — the same in every process, from `seed + epoch` — and
# process `rank` takes every N-th index, starting at its rank. Ten samples among three processes, not shuffled
# so the pattern shows:

# %%
for drop_last in (False, True):
    shares = [list(DistributedSampler(range(10), num_replicas=3, rank=r, shuffle=False, drop_last=drop_last))
              for r in range(3)]
    print(f"drop_last={drop_last}: {shares}")

# %% [markdown]
# Ten does not divide by three. By default (`drop_last=False`) the sampler **pads**: it repeats samples from the
# start (here 0 and 1) until every process has 4 — so those two count twice in the epoch, and which ones do
# depends on the number of processes. With `drop_last=True` it **drops** the tail instead (here 9): every sample
# counts once, or not at all this epoch.
#
# The training command uses `drop_last=True`, and keeps only full batches (`DataLoader(..., drop_last=True)`):
# `--batch-size` is the **global** batch, and each of N processes takes `batch_size / N` of it. Step k then trains
# on the k-th slice of the epoch's order whatever N is. Which samples each global batch holds, for 10 samples and
# a global batch of 4, with 1 process and with 2:

# %%
print("1 process:  ", global_batches(10, batch_size=4, world_size=1))
print("2 processes:", global_batches(10, batch_size=4, world_size=2))
print("the same batches:", global_batches(10, 4, 1) == global_batches(10, 4, 2))
print("epoch 2, a new order:", global_batches(10, batch_size=4, world_size=2, epoch=2))

# %% [markdown]
# Ten samples make two full batches of 4; the two left over are left out this epoch. The next epoch has a new
# order — `set_epoch(epoch)`, which the training loop calls before every epoch, seeds it — so other samples are
# left out then (possibly the same ones again). Padding would instead have added
# a repeated sample to a batch of 2 processes that 1 process never sees: the runs would differ.
#
# ## The training command on two processes
#
# `torchrun` starts N copies of a program and tells each, in environment variables, its **rank** (0 to N-1), the
# **world size** N and where to meet (`MASTER_ADDR`, `MASTER_PORT`). `python -m lstm_lessons train` reads them:
# it joins the process group (**gloo** on the CPU, **NCCL** on CUDA GPUs), shares out the data, wraps the model in
# DDP, lets rank 0 alone print and write files, and leaves the group at the end. The command itself does not
# change. Run from a cell, here, as a subprocess (so it works in any kernel); `launch` keeps torchrun's own log
# lines aside and shows what rank 0 printed. One process needs no launcher, and no new process either:
# `run_here` runs the same command inside this kernel, where PyTorch is already imported. The digits' 1438
# training sequences make 22 global batches of 64 an epoch, and 30 are left out this epoch:

# %%
folder = tempfile.mkdtemp()
flags = ["--task", "digits", "--hidden-size", "32", "--epochs", "2", "--batch-size", "64", "--seed", "0", "--quiet"]
two = launch(flags + ["--save", "two.pt"], processes=2, cwd=folder)  # run in a folder of its own
one = run_here(flags + ["--save", "one.pt"], cwd=folder)  # 1 process: this kernel

# %% tags=["nbval-ignore-output"]
two.show()
print()
one.show()

# %% [markdown]
# Each run printed its summary once, from rank 0, and the two summaries agree (up to the seconds):

# %%
summaries = [run.summaries for run in (one, two)]  # each summary line without its seconds
print("one summary each:", [len(s) for s in summaries], " the same losses and accuracies:", summaries[0] == summaries[1])

# %% [markdown]
# Now the weights, loaded back safely with `weights_only=True` (lesson 05):

# %%
one_weights = torch.load(os.path.join(folder, "one.pt"), weights_only=True)
two_weights = torch.load(os.path.join(folder, "two.pt"), weights_only=True)
largest = max((one_weights[name] - two_weights[name]).abs().max().item() for name in one_weights)
print("the same tensors, by name:", list(one_weights) == list(two_weights))
print("every weight equal to within 1e-5:", largest < 1e-5)
torch.manual_seed(0)  # as the command does with --seed 0 before it builds the model
start = LSTMClassifier(input_size=8, hidden_size=32, num_layers=1, num_classes=10).state_dict()
print("and training changed them:", not torch.equal(start["fc.weight"], one_weights["fc.weight"]))

# %% [markdown]
# Equal to within 1e-5 after these two epochs — but not identical, and not for ever. Two processes add the same
# numbers in another order (the mean of each half, then the average of the two means), so a few weights differ
# in their last bits after the first step; every later step starts from those weights, and Adam carries the
# difference on and adds its own. Here is that arithmetic in one process: a model trained on whole batches, and a
# copy trained on the average of its two halves' gradients, as DDP gives each of 2 processes — the largest
# difference between their weights after each epoch (the last bits depend on the machine):

# %% tags=["nbval-ignore-output"]
drift = two_halves_drift(load_task("digits", seed=0), hidden_size=32, epochs=10, batch_size=64)
print("  ".join(f"{d:.0e}" for d in drift))
assert drift[1] < 1e-5 and drift[-1] > drift[1]  # below 1e-5 after 2 epochs, further apart after 10

# %% [markdown]
# The gap grows with the number of steps: a long run of 1 and of 2 processes ends close, but the
# gap keeps growing (past 1e-5 after about 15 epochs of the default digits run, as measured when this lesson was
# reviewed). What does not change with N is the batches (the proof above): both runs train on the same data.
#
# And the file loads into a plain model, as any `state_dict` does: DDP's wrapper is not saved with it.

# %%
start_model = LSTMClassifier(input_size=8, hidden_size=32, num_layers=1, num_classes=10)
start_model.load_state_dict(two_weights)

# %% [markdown]
# ## Is it faster?
#
# Measured on this machine (your figures will differ): wall time from start to end, and the seconds the summary
# gives for the training itself.

# %% tags=["nbval-ignore-output"]
print(f"{os.cpu_count()} CPU cores")
for name, run in [("1 process, in this kernel", one), ("2 processes, torchrun    ", two)]:
    print(f"{name}: {run.seconds:5.1f} s in all, {run.training_seconds:4.1f} s of training")

# %% [markdown]
# Here two processes are slower than one in all, and here even in training alone (compare your own numbers),
# for three reasons. Starting torchrun
# and two processes costs seconds that one process in a running kernel does not pay: each imports PyTorch. The
# all-reduce after every step is work that one process never does. And halving a small batch does not halve its
# time: per step, an LSTM runs one small matrix product per time step and per layer, whatever the batch, and at
# these sizes the fixed cost of each operation dominates. Measured here:

# %% tags=["nbval-ignore-output"]
lstm_model = LSTMClassifier(input_size=8, hidden_size=32, num_layers=1, num_classes=10)
batch = torch.randn(64, 8, 8), torch.randint(0, 10, (64,))  # as the digits: 8 rows of 8 pixels
def step_seconds(n, repeats=30):  # the fastest of the repeats: the least disturbed by other programs
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        nn.functional.cross_entropy(lstm_model(batch[0][:n]), batch[1][:n]).backward()
        times.append(time.perf_counter() - start)
    return min(times)
half, whole = step_seconds(32), step_seconds(64)
print(f"forward and backward, batch 32: {half * 1000:.1f} ms; batch 64: {whole * 1000:.1f} ms ({half / whole:.0%})")

# %% [markdown]
# Data parallelism pays when each process has a whole device to itself and its step is long against the
# all-reduce: on a **GPU node**, `torchrun --standalone --nproc_per_node 8 -m lstm_lessons train --device cuda ...`
# gives each process its own GPU (`cuda:LOCAL_RANK`), and NCCL all-reduces over the links between GPUs; the
# longer each step against the all-reduce (a larger model, a larger batch), the closer N GPUs come to N times the
# speed. On **several machines**, the same command runs on each
# machine, without `--standalone`, with `--nnodes 2` (the number of machines) and a meeting point every machine can
# reach, `--rdzv-backend c10d --rdzv-endpoint HOST:29400`; NCCL then all-reduces over the network, whose speed
# decides how far it scales. (Stated, not shown: this machine has neither.)
#
# ## When the setup is wrong
#
# Every process checks its setup before training and stops with a message that says what to do; rank 0 alone
# prints it. A global batch that 2 processes cannot share equally, as the command reports it:

# %%
bad = launch(["--task", "digits", "--batch-size", "63", "--quiet"], processes=2)
bad.show()
print("torchrun's own report follows in a terminal:", "ChildFailedError" in bad.stderr)

# %% [markdown]
# The command's one line says what to try. torchrun, seeing a process fail, adds its own report below it in a
# terminal (`ChildFailedError`: which rank failed, with which exit code) and exits with code 1: the line to read
# is the one that starts `python -m lstm_lessons train: error:`. The checks can also be called alone. With
# `--device cuda`, each process needs a GPU of its own; asked for more processes than GPUs, the command stops
# (here the check alone, for a machine with one GPU):

# %% tags=["raises-exception"]
check_gpus(processes=2, gpus=1)

# %% [markdown]
# A process started by hand, with only part of torchrun's environment:

# %% tags=["raises-exception"]
World.from_environment({"RANK": "0", "WORLD_SIZE": "2"})

# %% [markdown]
# And a process group that cannot start. Some process must listen on `MASTER_PORT` for the others (under
# torchrun its agent; in a group started by hand, rank 0). When another program already has that port —
# another run with the same fixed port, on a shared server — the group cannot form. Here `port_in_use` stands
# for that program, and rank 0 of a group started by hand meets it:

# %% tags=["raises-exception"]
world = World(rank=0, world_size=2, master_addr="127.0.0.1", master_port=29511, launched=True)
with port_in_use(29511), process_group(world, torch.device("cpu")):
    print("never printed")

# %% [markdown]
# ## Exercises
#
# **Exercise 1.** How many optimizer steps does each process take in one epoch over the order task's 2000 training
# sequences, under `torchrun --nproc_per_node 4 ... --batch-size 96`?

# %%
answer = ...
ex.check_10_steps_per_epoch(answer)

# %% tags=["solution"]
# Solution: try the exercise above first.
answer = 2000 // 96  # full global batches only; each process takes 24 of each
ex.check_10_steps_per_epoch(answer)

# %% [markdown]
# **Exercise 2.** With its default `drop_last=False`, how many samples does `DistributedSampler` repeat in one
# epoch over the 1438 digits shared by 3 processes?

# %%
answer = ...
ex.check_10_padding(answer)

# %% tags=["solution"]
# Solution: try the exercise above first.
answer = len(DistributedSampler(range(1438), num_replicas=3, rank=0)) * 3 - 1438  # 480 each, 1440 in all
ex.check_10_padding(answer)

# %% [markdown]
# **Exercise 3.** Give a `--batch-size` between 60 and 70 that 3 processes can share.

# %%
answer = ...
ex.check_10_global_batch(answer)

# %% tags=["solution"]
# Solution: try the exercise above first.
answer = 66
ex.check_10_global_batch(answer)

# %% [markdown]
# ## Summary
#
# - An all-reduce gives every process the sum of everyone's tensor; DDP all-reduces the gradients and divides by N, so with equal shares every step is the step on the whole batch.
# - `torchrun --standalone --nproc_per_node N -m lstm_lessons train ...` runs the training command unchanged: gloo on the CPU, NCCL on GPUs, rank 0 prints and saves, `--save` writes a `state_dict` that `torch.load(..., weights_only=True)` reads.
# - `--batch-size` is the global batch; each process takes `batch_size / N`. `DistributedSampler` pads by repeating samples unless `drop_last=True`; with full batches only, 1 and 2 processes train on the same batches, and to the same weights within 1e-5 after a short run — rounding makes them drift apart slowly the longer they train.
# - On two CPU cores two processes are slower than one (start-up, the all-reduce, half batches that take more than half the time); on a GPU node each process gets its own GPU, and across machines `--nnodes` and `--rdzv-endpoint` make one group.
# - A wrong setup stops with a message: more processes than GPUs, a batch that does not divide, a half-set environment, a group that cannot form.
#
# **Next:** this is the last lesson. To run the course for a whole class on a JupyterHub, see
# [docs/jupyterhub.md](../docs/jupyterhub.md); to look again at the loop that DDP wraps, go back to
# [Lesson 05 — The training loop](05_the_training_loop.ipynb).
