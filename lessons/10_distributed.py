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
# loop, mini-batches, `state_dict`). Lessons 07 (sequences of different lengths), 08 (a character-level language
# model) and 09 (forecasting a real series) come before this one but are not needed for it.

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
from lstm_lessons.distributed import World, check_gpus, local_batch_size, process_group
from lstm_lessons.distributed_demos import global_batches, half_batch_gradient, launch, port_in_use, run_processes
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
# Ten samples make two full batches of 4; the two left over wait for a later epoch, where the order is new:
# `set_epoch(epoch)`, which the training loop calls before every epoch, seeds it. Padding would instead have added
# a repeated sample to a batch of 2 processes that 1 process never sees: the runs would differ.
#
# ## The training command on two processes
#
# `torchrun` starts N copies of a program and tells each, in environment variables, its **rank** (0 to N-1), the
# **world size** N and where to meet (`MASTER_ADDR`, `MASTER_PORT`). `python -m lstm_lessons train` reads them:
# it joins the process group (**gloo** on the CPU, **NCCL** on CUDA GPUs), shares out the data, wraps the model in
# DDP, lets rank 0 alone print and write files, and leaves the group at the end. The command itself does not
# change. Run from a cell, here, as a subprocess (so it works in any kernel); `launch` keeps torchrun's own log
# lines aside and shows what rank 0 printed. The digits' 1438 training sequences make 22 global batches of 64 an
# epoch, and 30 wait for a later one:

# %%
folder = tempfile.mkdtemp()
flags = ["--task", "digits", "--hidden-size", "32", "--epochs", "2", "--batch-size", "64", "--seed", "0", "--quiet"]
two = launch(flags + ["--save", "two.pt"], processes=2, cwd=folder)  # run in a folder of its own
one = launch(flags + ["--save", "one.pt"], cwd=folder)

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
# Equal, not identical: the two processes add the same numbers in another order (half-batch means, then their
# average), so the last bits can differ — far below 1e-5. And the file loads into a plain model, as any
# `state_dict` does: DDP's wrapper is not saved with it.

# %%
start_model = LSTMClassifier(input_size=8, hidden_size=32, num_layers=1, num_classes=10)
start_model.load_state_dict(two_weights)
#
# ## Is it faster?
#
# Measured on this machine (your figures will differ): wall time from start to end, and the seconds the summary
# gives for the training itself.

# %% tags=["nbval-ignore-output"]
print(f"{os.cpu_count()} CPU cores")
for name, run in [("1 process  ", one), ("2 processes", two)]:
    print(f"{name}: {run.seconds:5.1f} s in all, {run.training_seconds:4.1f} s of training")

# %% [markdown]
# On two cores, little or nothing is gained, for three reasons. Starting torchrun and two processes costs more
# than starting one: each imports PyTorch. The all-reduce after every step is work that one process never does.
# And halving a small batch does not halve its time: per step, an LSTM runs one small matrix product per time step
# and per layer, whatever the batch, and at these sizes the fixed cost of each operation dominates. Measured here:

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
# Every process checks its setup before training and stops with a message that says what to do. With
# `--device cuda`, each process needs a GPU of its own; asked for more processes than GPUs, each stops (here the
# check alone, for a machine with one GPU):

# %% tags=["raises-exception"]
check_gpus(processes=2, gpus=1)

# %% [markdown]
# A global batch that N processes cannot share equally:

# %% tags=["raises-exception"]
local_batch_size(63, world_size=2, n_train=2000)

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
# - `--batch-size` is the global batch; each process takes `batch_size / N`. `DistributedSampler` pads by repeating samples unless `drop_last=True`; with full batches only, 1 and 2 processes train to the same weights (within 1e-5).
# - On two CPU cores there is little to gain; on a GPU node each process gets its own GPU, and across machines `--nnodes` and `--rdzv-endpoint` make one group.
# - A wrong setup stops with a message: more processes than GPUs, a batch that does not divide, a half-set environment, a group that cannot form.
#
# **Next:** this is the last lesson. To run the course for a whole class on a JupyterHub, see
# [docs/jupyterhub.md](../docs/jupyterhub.md); to look again at the loop that DDP wraps, go back to
# [Lesson 05 — The training loop](05_the_training_loop.ipynb).
