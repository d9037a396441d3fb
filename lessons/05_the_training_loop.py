# Source of notebooks/05_the_training_loop.ipynb -- edit here, then run: python tools/build_notebooks.py 05

# %% [markdown]
# # Lesson 05 — The training loop
#
# **What you will learn**
#
# - the five steps of the seed's loop — forward, loss, `zero_grad`, `backward`, `step` — and the line it runs for nothing;
# - why its falling loss proves nothing: on random labels a network memorises, and a validation set shows it;
# - to train on a task an LSTM can really learn — one that needs memory — and on real data, in mini-batches;
# - train and eval modes, `torch.no_grad()`, seeding, gradient clipping, and what too high a learning rate does;
# - to save a trained model and load it back safely.
#
# **Time:** about 40 minutes. **Prerequisite:** [Lesson 04 — The model class](04_the_model_class.ipynb).

# %% [markdown] tags=["instructor", "notes"]
# **Speaker notes.** Ask the room to predict the validation accuracy on random labels before running the cell. Most say 'above chance'.

# %%
import os
import tempfile

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

import lstm_lessons
from lstm_lessons import LSTMClassifier, MeanPoolClassifier, SeedLSTM, TrainingDiverged, load_task, train
from lstm_lessons import exercises as ex
from lstm_lessons.plots import draw_digit_rows, plot_history
threads = lstm_lessons.use_threads()  # compute on 1 CPU thread, which stays fast when the machine is busy (lesson 00)

# %% [markdown]
# ## The seed's loop, step by step
#
# ```python
# for epoch in range(num_epochs):
#     pred = lstm(x)                       # 1. forward: the model's output for the batch
#     loss = criterion(pred.squeeze(), y)  # 2. loss: one number saying how wrong it is
#     optimizer.zero_grad()                # 3. clear the gradients left by the last step
#     loss.backward()                      # 4. backward: d(loss)/d(weight) for every weight
#     optimizer.step()                     # 5. step: move every weight against its gradient
# ```
#
# `lstm_lessons.train()` runs exactly this loop, and adds what the seed leaves out (below). It trains on the
# device `resolve_device("auto")` picks, or the one you pass as `device=`. Trained the seed's
# way — the whole batch at once, Adam, `lr=1e-3`, same data, same starting weights — it gives the seed's losses,
# number for number (here for the first 30 epochs):

# %%
torch.manual_seed(0)  # as the seed's program: data first, then the model's weights
x, y = torch.randn(64, 5, 10), torch.randint(0, 2, (64,))
seed_model = SeedLSTM(input_size=10, hidden_size=32, num_layers=2, output_size=2)
history = train(seed_model, (x, y), epochs=30, lr=1e-3, device="cpu", progress=False)  # where the seed runs
seed_losses = lstm_lessons.run_seed_program(num_epochs=30, seed=0, print_every=0)
print("every epoch's loss equal to the seed's:", history.train_loss == seed_losses)

# %% [markdown]
# ### Seed error S7: a forward pass for nothing
#
# Before its loop the seed runs `pred = lstm(x)` once and never uses the result: the loop computes `pred` again
# first thing. A forward pass changes no weight (and this model draws no random numbers), so the line changes
# nothing — it only costs time, and memory for the graph it records:

# %%
before = {name: p.clone() for name, p in seed_model.state_dict().items()}
pred = seed_model(x)  # the seed's line
print("every weight unchanged by a forward pass:",
      all(torch.equal(before[name], p) for name, p in seed_model.state_dict().items()))
print("it recorded a graph for a backward pass that never comes:", pred.grad_fn is not None)

# %% [markdown]
# (`train()` itself runs one forward pass before training, without recording a graph, to know the starting loss;
# it is the same kind of harmless pass, which is why the losses above can be equal.)
#
# ## Seed error S9: a falling loss is not learning
#
# The seed's labels are coin flips. Train a model of the seed's sizes on its 64 random sequences again (with a
# larger learning rate, `1e-2`, to make it quick) — and this time keep 1000 *fresh* random sequences aside, never
# trained on, to see how it does on data it has not seen (a **validation set**). The training figures are averages
# over each epoch, while the weights change; the validation figures are measured at the end of the epoch.

# %%
task = load_task("random", seed=0)
torch.manual_seed(0)
model = LSTMClassifier(input_size=10, hidden_size=32, num_layers=2, num_classes=2)
random_history = train(model, task.train, val_set=task.val, epochs=50, lr=1e-2, seed=0, progress=False)
fig = plot_history(random_history, labels=["random labels"], title="The seed's task: memorised, not learned")

# %%
print(f"training accuracy at the end: {random_history.train_accuracy[-1]:.0%}")
print("validation accuracy within 8 points of chance (50%):", abs(random_history.val_accuracy[-1] - 0.5) < 0.08)
print("validation loss higher than at the start:", random_history.val_loss[-1] > random_history.val_loss[0])

# %% [markdown]
# The training loss falls towards zero and the training accuracy reaches 100%: the network has **memorised**
# 64 labels. On sequences it has not seen it is no better than a coin, and its validation loss *rises* — it is
# confidently wrong. A falling training loss shows that the optimiser works, not that anything was learned.
#
# ## Seed error S10: no validation, no eval mode, no seed
#
# Besides the validation set, `train()` does two things the seed's loop does not:
#
# - **`model.eval()` and `torch.no_grad()` while evaluating.** `eval()` switches layers that act differently
#   in training — dropout, batch normalisation — to their testing behaviour; `no_grad()` stops PyTorch from recording the
#   computation for a backward pass that will not come, which saves time and memory. With dropout between
#   two LSTM layers, the difference is visible:

# %%
dropout_model = LSTMClassifier(input_size=10, hidden_size=32, num_layers=2, num_classes=2, dropout=0.5)
dropout_model.train()
print("train mode, same input twice, same output:", torch.equal(dropout_model(x), dropout_model(x)))
dropout_model.eval()
with torch.no_grad():
    print("eval mode,  same input twice, same output:", torch.equal(dropout_model(x), dropout_model(x)))
    print("no_grad: the output records no graph:", dropout_model(x).grad_fn is None)

# %% [markdown]
# - **A seed.** Starting weights, shuffling and dropout are random. `train(..., seed=...)` fixes the shuffling
#   and dropout; with the same starting weights, the same seed gives the same run on the same machine (here, one
#   epoch of it):

# %%
order = load_task("order", seed=0)

def run(seed):
    torch.manual_seed(0)  # the same starting weights
    model = LSTMClassifier(order.input_size, 16, 1, order.num_classes)
    return train(model, order.train, epochs=1, lr=1e-2, batch_size=64, seed=seed, progress=False)

first = run(seed=1)
print("same seed, same losses:     ", first.train_loss == run(seed=1).train_loss)
print("another seed, same losses:  ", first.train_loss == run(seed=2).train_loss)

# %% [markdown]
# ## A task that needs memory
#
# In the **order** task every sequence has 20 steps, all blank except one `A` and one `B`. The label says
# whether `A` comes first. Each step is a one-hot vector of 3 features (blank, A, B):

# %%
symbols = order.train[0][:5].argmax(dim=2)  # [5, 20]: 0 blank, 1 A, 2 B
for sequence, label in zip(symbols, order.train[1][:5], strict=True):
    print("".join(".AB"[s] for s in sequence), " label:", label.item(), "(A first)" if label else "(B first)")

# %% [markdown]
# Every sequence holds the same symbols — one A, one B, 18 blanks — so a model that ignores the order sees the
# same thing for every sequence. `MeanPoolClassifier` averages the steps and cannot do better than chance.
# The LSTM has to remember, when it meets the second symbol, which one it saw first.

# %% readme_figure="order_task_curves"
torch.manual_seed(0)
lstm_model = LSTMClassifier(input_size=3, hidden_size=32, num_layers=1, num_classes=2)
lstm_history = train(lstm_model, order.train, val_set=order.val, epochs=4, lr=1e-2, batch_size=64, seed=0,
                     progress=False)
torch.manual_seed(0)
mean_history = train(MeanPoolClassifier(input_size=3, num_classes=2), order.train, val_set=order.val, epochs=4,
                     lr=1e-2, batch_size=64, seed=0, progress=False)
fig = plot_history([lstm_history, mean_history], labels=["LSTM", "mean of the steps"],
                   title="Does A come before B?")

# %%
print(f"LSTM validation accuracy above 95%:         {lstm_history.val_accuracy[-1] > 0.95}")
print(f"mean-of-steps validation accuracy near 50%: {abs(mean_history.val_accuracy[-1] - 0.5) < 0.05}")

# %% [markdown]
# ## Mini-batches with `DataLoader`
#
# The seed trains on its whole batch at once. With more data, each step uses a **mini-batch**: a random subset of
# the training set, drawn anew every epoch. `train(..., batch_size=64)` uses a `DataLoader` for that:

# %%
loader = DataLoader(TensorDataset(*order.train), batch_size=64, shuffle=True)
batch_x, batch_y = next(iter(loader))
print("steps per epoch:", len(loader), "  first batch:", list(batch_x.shape), list(batch_y.shape))
print("last batch:", [len(b) for b, _ in loader][-1], "sequences")

# %% [markdown]
# 2000 sequences make 31 full batches and a last one of 16: code that assumes every batch has 64 sequences —
# say, a hidden state built once for batch size 64 — breaks on it (`Expected hidden[0] size ...`), and a
# `squeeze()` could turn a last batch of one into something else (lesson 04). `LSTMClassifier` handles any
# batch size.
#
# ## Real data: handwritten digits
#
# 1797 handwritten digits from the UCI repository (CC BY 4.0), 8x8 pixels each. The LSTM reads each image
# **row by row**: 8 time steps of 8 features.

# %%
digits = load_task("digits", seed=0)
print("train:", list(digits.train[0].shape), " validation:", list(digits.val[0].shape), " classes:", digits.num_classes)
fig = draw_digit_rows(*digits.train)

# %%
torch.manual_seed(0)
digit_model = LSTMClassifier(input_size=8, hidden_size=64, num_layers=1, num_classes=10)
digit_history = train(digit_model, digits.train, val_set=digits.val, epochs=8, lr=1e-2, batch_size=64, seed=0,
                      progress=False)
fig = plot_history(digit_history, labels=["digits"], title="Handwritten digits, read row by row")

# %%
print("validation accuracy above 90%:", digit_history.val_accuracy[-1] > 0.9, f"(chance: {digits.chance_accuracy:.0%})")

# %% [markdown]
# How long the runs took on this machine (your figures will differ):

# %% tags=["nbval-ignore-output"]
for name, h in [("order", lstm_history), ("digits", digit_history)]:
    print(f"{name:7s} {h.summary()}")

# %% [markdown]
# ## The learning rate
#
# The learning rate scales every step. Too small and training crawls; too large and the steps overshoot:

# %%
histories = []
for lr in (1e-3, 1e-2):
    torch.manual_seed(0)
    model = LSTMClassifier(input_size=3, hidden_size=16, num_layers=1, num_classes=2)
    histories.append(train(model, order.train, epochs=3, lr=lr, batch_size=64, seed=0,
                           progress=False))
fig = plot_history(histories, labels=["lr 0.001", "lr 0.01"], title="Order task: two learning rates")

# %% [markdown]
# Far too large, the loss blows up. `train()` stops with `TrainingDiverged`, which says what happened and
# what to try, and keeps the history of the epochs before:

# %%
torch.manual_seed(0)
model = LSTMClassifier(input_size=3, hidden_size=16, num_layers=1, num_classes=2)
try:
    train(model, order.train, epochs=5, lr=10.0, batch_size=64, seed=0, progress=False)
except TrainingDiverged as error:
    print("TrainingDiverged:", error)
    print("epochs finished before:", error.history.epochs)

# %% [markdown]
# ## Gradient clipping
#
# An LSTM's gradients can occasionally spike. `train(..., clip_grad_norm=1.0)` rescales all gradients together
# whenever their total norm exceeds 1.0: the direction stays, the norm is capped. With plain SGD that caps the
# step; Adam (which `train()` uses) already scales its steps by the gradients' running size, so there clipping
# mainly keeps one spike from distorting those running averages. It does not rescue too large a learning rate.
# What it does to one batch's gradients, with a cap deliberately small enough to act:

# %%
torch.manual_seed(0)
model = LSTMClassifier(input_size=3, hidden_size=16, num_layers=1, num_classes=2)
nn.CrossEntropyLoss()(model(order.train[0][:64]), order.train[1][:64]).backward()
norm_before = nn.utils.clip_grad_norm_(model.parameters(), max_norm=0.01)  # returns the norm before clipping
norm_after = torch.norm(torch.stack([p.grad.norm() for p in model.parameters()]))
print(f"norm before above the cap 0.01: {norm_before.item() > 0.01}   after: {norm_after.item():.4f}")

# %% [markdown]
# ## Saving and loading a trained model
#
# Save the **`state_dict`** — the weights by name — not the whole model object. Load it into a freshly built
# model of the same sizes with `torch.load(..., weights_only=True)` (the default since PyTorch 2.6; say it
# anyway), which reads tensors and plain containers and numbers only, and refuses to run code hidden in a file
# (a pickled object can run anything when loaded):

# %%
digit_model = digit_model.cpu()  # whichever device trained it, compare on the CPU
folder = tempfile.mkdtemp()
path = os.path.join(folder, "digits_lstm.pt")
torch.save(digit_model.state_dict(), path)

restored = LSTMClassifier(input_size=8, hidden_size=64, num_layers=1, num_classes=10)
restored.load_state_dict(torch.load(path, weights_only=True))
restored.eval()
with torch.no_grad():
    print("same predictions after loading:", torch.equal(restored(digits.val[0]), digit_model(digits.val[0])))

# %% [markdown]
# ## A progress bar, and stopping early
#
# `progress=True` (the default) shows a progress bar while training. Jupyter's stop button (■) interrupts a
# run cleanly: `train()` keeps the model and returns the history of the epochs finished so far.

# %% tags=["nbval-ignore-output"]
torch.manual_seed(0)
model = LSTMClassifier(input_size=8, hidden_size=32, num_layers=1, num_classes=10)
history = train(model, digits.train, val_set=digits.val, epochs=3, lr=1e-2, batch_size=64, seed=0)
print(history.summary())

# %% [markdown]
# The same training runs from a terminal, without a notebook:
#
# ```bash
# python -m lstm_lessons train --task digits --epochs 15 --output digits.png
# python -m lstm_lessons train --help
# ```
#
# ## Exercises
#
# **Exercise 1.** How many optimizer steps does one epoch over the digits' 1438 training sequences take with
# `batch_size=32`?

# %%
answer = ...
ex.check_05_steps_per_epoch(answer)

# %% tags=["solution"]
# Solution: try the exercise above first.
answer = 45  # 44 full batches of 32, and a last one of 30
ex.check_05_steps_per_epoch(answer)

# %% [markdown]
# **Exercise 2.** Put the five steps of one training iteration in an order that trains correctly: `"forward"`,
# `"loss"`, `"zero_grad"`, `"backward"`, `"step"`.

# %%
answer = ...
ex.check_05_loop_order(answer)

# %% tags=["solution"]
# Solution: try the exercise above first.
answer = ["forward", "loss", "zero_grad", "backward", "step"]  # the seed's order
ex.check_05_loop_order(answer)

# %% [markdown]
# **Exercise 3.** `lr=10` blew up above. Find a learning rate with which an `LSTMClassifier` (hidden size 16)
# reaches 90% validation accuracy on the order task within 3 epochs. The check trains it (a few seconds).

# %%
answer = ...
ex.check_05_learning_rate(answer, order)

# %% tags=["solution"]
# Solution: try the exercise above first.
answer = 1e-2
ex.check_05_learning_rate(answer, order)

# %% [markdown]
# ## Summary
#
# - One iteration: forward, loss, `zero_grad`, `backward`, `step`. The seed's `pred = lstm(x)` before the loop does nothing (**S7**).
# - On random labels the training loss falls to zero while validation accuracy stays at chance: memorising, not learning (**S9**). Only a validation set tells the two apart.
# - Evaluate in `eval()` mode under `torch.no_grad()`; seed the run to repeat it (**S10**).
# - An LSTM learns what needs memory (the order task, where averaging the steps stays at 50%) and real data (digits, read row by row) in seconds.
# - Mini-batches come from a `DataLoader`; the last batch may be smaller. Too large a learning rate blows the loss up: `TrainingDiverged` says so. `clip_grad_norm` caps the gradients' norm.
# - Save `state_dict()`, load with `torch.load(..., weights_only=True)`.
#
# **Next:** [Lesson 06 — Playground](06_playground.ipynb)
