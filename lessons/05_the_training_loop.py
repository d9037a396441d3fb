# Source of notebooks/05_the_training_loop.ipynb -- edit here, then run: python tools/build_notebooks.py 05

# %% [markdown]
# # Lesson 05 — The training loop
#
# **What you will learn**
#
# - the five steps of the tutorial's loop — forward, loss, `zero_grad`, `backward`, `step` — and the same loop in mini-batches, typed out;
# - why the tutorial's falling loss proves nothing: on random labels a network memorises, and a validation set shows it;
# - to train on a task an LSTM can really learn — one that needs memory — and on real data, in mini-batches;
# - train and eval modes, `torch.no_grad()`, seeding, gradient clipping, and what too high a learning rate does;
# - to save a trained model and load it back safely.
#
# **Time:** about 40 minutes. **Prerequisite:** [Lesson 04 — The model class](04_the_model_class.ipynb).

# %% [markdown] tags=["instructor", "notes"]
# **Speaker notes.** Ask the room to predict the validation accuracy on random labels before running the random-labels cell (S9). Most say 'above chance'.

# %%
import os
import pickle
import re
import tempfile

import torch
from torch import nn
from torch.optim.optimizer import register_optimizer_step_pre_hook
from torch.utils.data import DataLoader, TensorDataset

import lstm_lessons
from lstm_lessons import LSTMClassifier, MeanPoolClassifier, SeedLSTM, TrainingDiverged, load_task, train
from lstm_lessons import exercises as ex
from lstm_lessons.plots import draw_digit_rows, plot_history
from lstm_lessons.tasks import random_labels_task
threads = lstm_lessons.use_threads()  # compute on 1 CPU thread, which stays fast when the machine is busy (lesson 00)

# %% [markdown]
# ## The tutorial's loop, step by step
#
# ```python
# for epoch in range(num_epochs):
#     pred = lstm(x)                       # 1. forward: the model's output for the batch
#     loss = criterion(pred.squeeze(), y)  # 2. loss: one number saying how wrong it is
#     optimizer.zero_grad()                # 3. clear the gradients left by the last step
#     loss.backward()                      # 4. backward: d(loss)/d(weight) for every weight
#     optimizer.step()                     # 5. step: change every weight, using its gradient
# ```
#
# The tutorial's own comments say 「前向传播计算损失函数值」 ("the forward pass computes the loss") and
# 「反向传播更新模型参数」 ("back-propagation updates the model's parameters").
#
# What `step` does depends on the optimiser. Plain gradient descent (`torch.optim.SGD`) moves every weight
# *against* its gradient: `w -= lr * w.grad`. The tutorial uses **Adam**, which moves each weight by a running
# average of its past gradients (its **momentum**: each step keeps part of the direction of the steps before)
# divided by the root of a running average of their squares. So a weight can keep going the way it went after its gradient has turned round — moving *with* its gradient, uphill, for a step or two:

# %%
w = nn.Parameter(torch.tensor([1.0]))
adam = torch.optim.Adam([w], lr=0.1)
for gradient in [1.0] * 4 + [-1.0] * 3:  # the slope points one way for 4 steps, then turns round
    before = w.item()
    w.grad = torch.tensor([gradient])
    adam.step()
    print(f"gradient {gradient:+.0f}  step {w.item() - before:+.3f}",
          "(against the gradient)" if (w.item() - before) * gradient < 0 else "(WITH the gradient)")

# %% [markdown]
# ## The same loop in mini-batches, with a validation set
#
# The tutorial feeds its whole batch at every step. The usual loop — the one to type when you start a project —
# feeds **mini-batches** from a `DataLoader` and measures the model after every epoch on a **validation set**
# it never trains on. A `TensorDataset` pairs each sequence with its label; a `DataLoader` over it hands out
# batches of `batch_size` pairs, and with `shuffle=True` in a new order every epoch (shown in "Mini-batches with
# `DataLoader`" below). Here on data like the tutorial's: 64 random sequences of 5 steps with coin-flip labels,
# and 1000 more to validate on. First the pieces:

# %%
task = load_task("random", seed=0)  # train: 64 sequences [64, 5, 10]; val: 1000 more
torch.manual_seed(0)
model = LSTMClassifier(input_size=10, hidden_size=32, num_layers=2, num_classes=2)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
loss_fn = nn.CrossEntropyLoss()
shuffling = lstm_lessons.shuffling_generator()  # not needed to train: only so that train() can repeat it below
train_loader = DataLoader(TensorDataset(*task.train), batch_size=32, shuffle=True, generator=shuffling)
val_loader = DataLoader(TensorDataset(*task.val), batch_size=32)

# %% [markdown]
# Then the loop: per epoch, training steps over the shuffled batches, then an evaluation in `eval()` mode under
# `torch.no_grad()` (why both, see S10 below). Each loss is averaged over the epoch's sequences:

# %%
train_losses, val_losses = [], []
for epoch in range(1, 5):
    model.train()
    total = 0.0
    for batch_x, batch_y in train_loader:
        loss = loss_fn(model(batch_x), batch_y)  # forward, loss
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total += loss.item() * len(batch_y)
    train_losses.append(total / len(train_loader.dataset))
    model.eval()
    with torch.no_grad():
        val_losses.append(sum(loss_fn(model(vx), vy).item() * len(vy) for vx, vy in val_loader) / len(task.val[1]))
    print(f"epoch {epoch}: train loss {train_losses[-1]:.3f}, val loss {val_losses[-1]:.3f}")

# %% [markdown]
# `lstm_lessons.train()` runs exactly this loop, and adds what a course needs around it: a progress bar,
# accuracy, gradient clipping, a clear stop when the loss blows up. Its shuffling uses a generator of its own,
# seeded by one number drawn from PyTorch's global random stream: `shuffling_generator()` above, which a project
# of your own can leave out. Given the same starting weights and the same state of the global stream, it gives the
# same history, number for number:

# %%
torch.manual_seed(0)
same_start = LSTMClassifier(input_size=10, hidden_size=32, num_layers=2, num_classes=2)
history = train(same_start, task.train, val_set=task.val, epochs=4, lr=1e-2, batch_size=32, device="cpu",
                progress=False)  # the loop above ran on the CPU
print("training losses equal:  ", history.train_loss == train_losses)
print("validation losses equal:", history.val_loss == val_losses)
assert history.train_loss == train_losses and history.val_loss == val_losses

# %% [markdown]
# `train()` trains on the device `resolve_device("auto")` picks, or the one you pass as `device=`. This lesson
# passes `device="cpu"` every time: its small models train fast there, and its equalities are number for number,
# which holds only when both run on the same kind of device (a GPU adds in other orders, see S10 below). Trained the
# tutorial's way — the whole batch at once, Adam, `lr=1e-3`, same data, same starting weights — it gives the
# tutorial's losses, number for number (here for the first 30 epochs):

# %%
torch.manual_seed(0)  # as the tutorial's program: data first, then the model's weights
x, y = torch.randn(64, 5, 10), torch.randint(0, 2, (64,))
tutorial_model = SeedLSTM(input_size=10, hidden_size=32, num_layers=2, output_size=2)
history = train(tutorial_model, (x, y), epochs=30, lr=1e-3, device="cpu", progress=False)  # where the tutorial runs
tutorial_losses = lstm_lessons.run_seed_program(num_epochs=30, seed=0, print_every=0)
print("every epoch's loss equal to the tutorial's:", history.train_loss == tutorial_losses)

# %% [markdown]
# ### Tutorial error S7: a forward pass for nothing
#
# Before its loop the tutorial runs `pred = lstm(x)` once, 「将输入x传入模型计算预测输出」 ("pass the input x
# to the model to compute the predicted output"), and never uses the result: the loop computes `pred` again
# first thing. A forward pass changes no weight, and this model draws no random numbers, so the line changes
# nothing — it only costs time, and memory for the graph it records:

# %%
before = {name: p.clone() for name, p in tutorial_model.state_dict().items()}
random_state = torch.get_rng_state()
pred = tutorial_model(x)  # the tutorial's line
print("every weight unchanged by a forward pass:",
      all(torch.equal(before[name], p) for name, p in tutorial_model.state_dict().items()))
print("no random number drawn:", torch.equal(random_state, torch.get_rng_state()))
print("it recorded a graph for a backward pass that never comes:", pred.grad_fn is not None)

# %% [markdown]
# (`train()` itself runs one forward pass before training, without recording a graph, to know the starting loss.
# Both passes are harmless in the same way, which is why the losses above can be equal.)
#
# ## Tutorial error S9: a falling loss is not learning
#
# The tutorial prints the falling loss and says its code shows how to 「搭建并训练一个基于LSTM的序列模型」
# ("build and train an LSTM-based sequence model"). But its labels are coin flips. Train a model of its sizes on
# the 64 random sequences of the loop above for 50 epochs (with a larger learning rate, `1e-2`, to make it quick),
# and watch 10,000 *fresh* random sequences of a **validation set**, never trained on (so many that luck alone
# moves its accuracy by about half a point: √(0.5 · 0.5 / 10,000) = 0.5%). The training figures
# are averages over each epoch, while the weights change; the validation figures are measured at the end of the
# epoch.

# %%
fresh = random_labels_task(seed=0, n_val=10_000)  # the same 64 training sequences, 10,000 to validate on
torch.manual_seed(0)
model = LSTMClassifier(input_size=10, hidden_size=32, num_layers=2, num_classes=2)
random_history = train(model, fresh.train, val_set=fresh.val, epochs=50, lr=1e-2, seed=0, device="cpu",
                       progress=False)
fig = plot_history(random_history, labels=["random labels"], title="The tutorial's task: memorised, not learned")

# %%
print(f"training accuracy at the end: {random_history.train_accuracy[-1]:.0%}")
print(f"chance: always guessing the commonest label gets {fresh.chance_accuracy:.1%} of the validation set")
print("validation accuracy within 2 points of chance:",
      abs(random_history.val_accuracy[-1] - fresh.chance_accuracy) < 0.02)
print("validation loss higher than at the start:", random_history.val_loss[-1] > random_history.val_loss[0])

# %% [markdown]
# The training loss falls towards zero and the training accuracy reaches 100%: the network has **memorised**
# 64 labels. On sequences it has not seen it is no better than a coin, and its validation loss *rises* — it is
# confidently wrong. A falling training loss shows that the optimiser works, not that anything was learned.
#
# ## Tutorial error S10: no validation, no eval mode, no seed
#
# The tutorial says nothing of these; its program has none of them. Besides the validation set, the loop above
# and `train()` do two things the tutorial's loop does not:
#
# - **`model.eval()` and `torch.no_grad()` while evaluating.** `eval()` switches layers that act differently
#   in training — dropout, batch normalisation — to their testing behaviour; `no_grad()` stops PyTorch from
#   recording the computation, which only a backward pass needs. With dropout between two LSTM layers, the
#   difference is visible:

# %%
dropout_model = LSTMClassifier(input_size=10, hidden_size=32, num_layers=2, num_classes=2, dropout=0.5)
dropout_model.train()
print("train mode, same input twice, same output:", torch.equal(dropout_model(x), dropout_model(x)))
dropout_model.eval()
with torch.no_grad():
    print("eval mode,  same input twice, same output:", torch.equal(dropout_model(x), dropout_model(x)))
    print("no_grad: the output records no graph:", dropout_model(x).grad_fn is None)

# %% [markdown]
# - **A seed.** Starting weights, shuffling and dropout are random. `train(..., seed=...)` seeds PyTorch's global
#   random stream before it draws its shuffling generator, which fixes the shuffling and dropout; with the same
#   starting weights, the same seed gives the same run on the same machine:

# %%
def run(seed):
    torch.manual_seed(0)  # the same starting weights
    model = LSTMClassifier(input_size=10, hidden_size=32, num_layers=2, num_classes=2)
    return train(model, task.train, epochs=3, lr=1e-2, batch_size=16, seed=seed, device="cpu", progress=False)

first = run(seed=1)
print("same seed, same losses:     ", first.train_loss == run(seed=1).train_loss)
print("another seed, same losses:  ", first.train_loss == run(seed=2).train_loss)

# %% [markdown]
# On a GPU a seed is not always enough: some GPU kernels add numbers in an order that changes from run to run.
# `torch.use_deterministic_algorithms(True)` makes PyTorch pick deterministic kernels, or raise a `RuntimeError`
# where it has none. (Stated, not shown: this lesson runs on the CPU.) Older PyTorch versions also asked for the
# environment variable `CUBLAS_WORKSPACE_CONFIG` to be set before CUDA starts; this version's documentation of
# `torch.use_deterministic_algorithms` no longer does:

# %%
documentation = torch.use_deterministic_algorithms.__doc__
print("CUBLAS_WORKSPACE_CONFIG in its documentation:", "CUBLAS_WORKSPACE_CONFIG" in documentation)

# %% [markdown]
# ## A task that needs memory
#
# In the **order** task every sequence has 20 steps, all blank except one `A` and one `B`. The label says
# whether `A` comes first. Each step is a one-hot vector of 3 features (blank, A, B):

# %%
order = load_task("order", seed=0)
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
                     device="cpu", progress=False)
torch.manual_seed(0)
mean_history = train(MeanPoolClassifier(input_size=3, num_classes=2), order.train, val_set=order.val, epochs=4,
                     lr=1e-2, batch_size=64, seed=0, device="cpu", progress=False)
fig = plot_history([lstm_history, mean_history], labels=["LSTM", "mean of the steps"],
                   title="Does A come before B?")

# %%
print(f"LSTM validation accuracy above 95%:         {lstm_history.val_accuracy[-1] > 0.95}")
print(f"mean-of-steps validation accuracy near 50%: {abs(mean_history.val_accuracy[-1] - 0.5) < 0.05}")

# %% [markdown]
# ## Mini-batches with `DataLoader`
#
# A `DataLoader` with `shuffle=True` does not draw each mini-batch at random: every epoch it shuffles the whole
# training set once — a new order each epoch — and cuts that order into batches, so each sequence is used exactly
# once per epoch. Numbering the order task's 2000 training sequences shows it:

# %%
numbers = DataLoader(torch.arange(2000), batch_size=64, shuffle=True)  # yields sequence numbers, not sequences
epoch_1, epoch_2 = torch.cat(list(numbers)), torch.cat(list(numbers))
print("every sequence exactly once in an epoch:", torch.equal(epoch_1.sort().values, torch.arange(2000)))
print("a new order the next epoch:             ", not torch.equal(epoch_1, epoch_2))
loader = DataLoader(TensorDataset(*order.train), batch_size=64, shuffle=True)
batch_x, batch_y = next(iter(loader))
print("steps per epoch:", len(loader), "  first batch:", list(batch_x.shape), list(batch_y.shape))
print("last batch:", [len(b) for b, _ in loader][-1], "sequences")

# %% [markdown]
# 2000 sequences make 31 full batches and a last one of 16: code that assumes every batch has 64 sequences —
# say, a hidden state built once for batch size 64 — breaks on it (`Expected hidden[0] size ...`, lesson 02), and a
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
                      device="cpu", progress=False)
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
# The learning rate sets how large every step is. Too small and training crawls:

# %%
histories = []
for lr in (1e-3, 1e-2):
    torch.manual_seed(0)
    model = LSTMClassifier(input_size=3, hidden_size=16, num_layers=1, num_classes=2)
    histories.append(train(model, order.train, epochs=3, lr=lr, batch_size=64, seed=0,
                           device="cpu", progress=False))
fig = plot_history(histories, labels=["lr 0.001", "lr 0.01"], title="Order task: two learning rates")

# %% [markdown]
# Far too large, the steps overshoot and the loss blows up. `train()` stops with `TrainingDiverged`, which says what happened and
# what to try, and keeps the history of the epochs before:

# %%
torch.manual_seed(0)
model = LSTMClassifier(input_size=3, hidden_size=16, num_layers=1, num_classes=2)
try:
    train(model, order.train, epochs=5, lr=10.0, batch_size=64, seed=0, device="cpu", progress=False)
except TrainingDiverged as error:
    print("TrainingDiverged:", error)
    print("epochs finished before:", error.history.epochs)

# %% [markdown]
# ## Gradient clipping
#
# An LSTM's gradients can spike: on some steps the total gradient norm is many times its usual size. To
# see it, record the norm before every optimizer step — PyTorch calls a hook registered with
# `register_optimizer_step_pre_hook` before each step of any optimiser, `train()`'s included, with the optimiser
# and the arguments of that `step()` call (`args`, `kwargs`; unused here):

# %%
norms = []
def record_norm(optimizer, args, kwargs):  # called before every optimizer.step()
    grads = [p.grad for group in optimizer.param_groups for p in group["params"]]
    norms.append(torch.stack([g.norm() for g in grads]).norm().item())  # the norm of all gradients together

hook = register_optimizer_step_pre_hook(record_norm)
torch.manual_seed(0)
model = LSTMClassifier(input_size=10, hidden_size=32, num_layers=2, num_classes=2)
train(model, task.train, epochs=20, lr=1e-2, batch_size=16, seed=0, device="cpu", progress=False)  # random labels
hook.remove()
norms = torch.tensor(norms)
print(f"{len(norms)} steps; the largest gradient norm is {norms.max() / norms.median():.0f} times the median")

# %% [markdown]
# `train(..., clip_grad_norm=1.0)` rescales all gradients together whenever their total norm exceeds 1.0: the
# direction stays, the norm is capped. What it does to one batch's gradients, with a cap deliberately small
# enough to act:

# %%
torch.manual_seed(0)
model = LSTMClassifier(input_size=3, hidden_size=16, num_layers=1, num_classes=2)
nn.CrossEntropyLoss()(model(order.train[0][:64]), order.train[1][:64]).backward()
before = [p.grad.clone() for p in model.parameters()]
norm_before = nn.utils.clip_grad_norm_(model.parameters(), max_norm=0.01)  # returns the norm before clipping
norm_after = torch.stack([p.grad.norm() for p in model.parameters()]).norm()
print(f"norm before above the cap 0.01: {norm_before.item() > 0.01}   after: {norm_after.item():.4f}")
factor = norm_after / norm_before  # one number for all the gradients
scaled = [torch.allclose(p.grad, g * factor) for p, g in zip(model.parameters(), before, strict=True)]
print("every gradient scaled by that one factor (same direction):", all(scaled))

# %% [markdown]
# With plain SGD the step is `lr` times the gradient, so capping the gradient caps the step. Adam divides by the
# running size of the gradients: its very first step is `lr` long whatever the gradient's size, so scaling a
# gradient down, as clipping does, need not shrink Adam's step:

# %%
for size in (1.0, 1000.0):  # the same direction, a thousand times larger
    w = nn.Parameter(torch.zeros(1))
    adam = torch.optim.Adam([w], lr=0.1)
    w.grad = torch.tensor([size])
    adam.step()
    print(f"gradient {size:6g}: Adam's first step {w.item():+.3f}")

# %% [markdown]
# So clipping does not rescue too large a learning rate. At `lr=10`, on the random labels, without and with it:

# %%
for clip in (None, 1.0):
    torch.manual_seed(0)
    model = LSTMClassifier(input_size=10, hidden_size=32, num_layers=2, num_classes=2)
    try:
        train(model, task.train, epochs=5, lr=10.0, batch_size=16, seed=0, clip_grad_norm=clip, device="cpu",
              progress=False)
    except TrainingDiverged as error:
        print(f"clip_grad_norm={clip}: TrainingDiverged,", str(error).split(":")[0])

# %% [markdown]
# ## Saving and loading a trained model
#
# Save the **`state_dict`** — the weights by name — not the whole model object. Load it into a freshly built
# model of the same sizes with `torch.load(..., weights_only=True)` (the default since PyTorch 2.6; say it
# anyway), which reads only tensors, plain containers, numbers, strings, dtypes and the few classes on its
# allow-list (`torch.serialization.add_safe_globals` adds to it), and refuses anything else: a file that
# holds a pickled Python object can run any code when it is loaded.

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
# A file holding an object of any class of your own is refused; the error names the class (which is not on the
# allow-list) and recalls the 2.6 change:

# %%
class Anything:  # to rebuild it, pickle would import and call code named in the file
    pass

torch.save(Anything(), os.path.join(folder, "object.pt"))
try:
    torch.load(os.path.join(folder, "object.pt"), weights_only=True)
except pickle.UnpicklingError as error:
    text = str(error)
    print(text.split(".")[0] + ".")
    for sentence in re.findall(r"(?:In PyTorch 2\.6|Unsupported global)[^\n]*?\.(?= |$)", text):  # [] if reworded
        print(sentence)

# %% [markdown]
# ## A progress bar, and stopping early
#
# `progress=True` (the default) shows a progress bar while training:

# %% tags=["nbval-ignore-output"]
torch.manual_seed(0)
model = LSTMClassifier(input_size=8, hidden_size=32, num_layers=1, num_classes=10)
history = train(model, digits.train, val_set=digits.val, epochs=3, lr=1e-2, batch_size=64, seed=0, device="cpu")
print(history.summary())

# %% [markdown]
# Jupyter's stop button (■) raises `KeyboardInterrupt` in the running code. `train()` catches it: it keeps the
# model as trained so far and returns the history of the epochs finished. So in a cell that calls `train()`
# several times, in a loop, ■ stops the current run only and the cell goes on with the next: press ■ again.
# A callback can raise `KeyboardInterrupt` too — here after the first epoch, as if you had pressed stop then:

# %%
def stop_now(record):  # train() calls each callback with the figures of every finished epoch
    raise KeyboardInterrupt

torch.manual_seed(0)
model = LSTMClassifier(input_size=10, hidden_size=32, num_layers=2, num_classes=2)
history = train(model, task.train, epochs=5, lr=1e-2, batch_size=16, seed=0, device="cpu", progress=False, callbacks=[stop_now])
print("epochs in the history:", history.epochs, "  stopped:", history.stopped)

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
# `"loss"`, `"zero_grad"`, `"backward"`, `"step"`. The list is one pass of the loop body, read top to bottom;
# more than one order is right.

# %%
answer = ...
ex.check_05_loop_order(answer)

# %% tags=["solution"]
# Solution: try the exercise above first.
answer = ["forward", "loss", "zero_grad", "backward", "step"]  # the tutorial's order
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
# - One iteration: forward, loss, `zero_grad`, `backward`, `step`; with Adam, `step` can move a weight with its gradient. The tutorial's `pred = lstm(x)` before the loop does nothing (**S7**).
# - The loop to type: mini-batches from a `DataLoader` (one shuffled order per epoch), then an evaluation in `eval()` mode under `no_grad()`; `train()` gives the same history.
# - On random labels the training loss falls to zero while validation accuracy stays at chance: memorising, not learning (**S9**). Only a validation set tells the two apart.
# - Evaluate in `eval()` mode under `torch.no_grad()`; seed the run to repeat it on the same machine — on a GPU, also `torch.use_deterministic_algorithms(True)` (**S10**).
# - An LSTM learns what needs memory (the order task, where averaging the steps stays at 50%) and real data (digits, read row by row) in seconds.
# - The last batch may be smaller. Too large a learning rate blows the loss up: `TrainingDiverged` says so. `clip_grad_norm` caps the gradients' norm when they spike, and does not rescue too large a learning rate.
# - Save `state_dict()`, load with `torch.load(..., weights_only=True)`.
#
# **Next:** [Lesson 06 — Playground](06_playground.ipynb)
