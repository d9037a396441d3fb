# Source of notebooks/06_playground.ipynb -- edit here, then run: python tools/build_notebooks.py 06

# %% [markdown]
# # Lesson 06 — Playground
#
# **What you will learn**
#
# - to train LSTMs from a panel: choose the task, hidden size, layers, learning rate, epochs, batch size, sequence length, direction and device, and watch the curves live;
# - what too high a learning rate looks like, and how a model that memorises differs from one that learns;
# - how small an LSTM can be and still solve a task;
# - to compare runs side by side, and to make every figure readable on a projector.
#
# **Time:** as long as you like — about 20 minutes for the three experiments. **Prerequisite:**
# [Lesson 05 — The training loop](05_the_training_loop.ipynb).

# %% [markdown] tags=["instructor", "notes"]
# **Speaker notes.** Turn on lecture mode first. Let the room call out learning rates for experiment 1; a run takes a few seconds.
# In the RISE slideshow the arrow keys move a focused slider, not the slide (the panel keeps its key presses from
# reveal.js); click the slide outside the panel to turn slides with them again.

# %%
from lstm_lessons import exercises as ex
from lstm_lessons.playground import Playground, PlaygroundSettings, run_training
from lstm_lessons.plots import lecture_mode
import lstm_lessons
threads = lstm_lessons.use_threads()  # compute on 1 CPU thread, which stays fast when the machine is busy (lesson 00)

playground = Playground(task="order", epochs=8)

# %% [markdown]
# ## The panel
#
# Everything on one panel: choose the settings, press **Train**, compare the runs.

# %% tags=["nbval-ignore-output"]
playground.panel

# %% [markdown]
# ### What each part does
#
# - **Controls** at the top, in three columns, set the run; `seq length` applies to the order task only. **device** lists only what
#   this machine has.
# - **Train** starts a run with the current settings (it is greyed out while a run goes);
#   **Stop** says *stopping...* at once and ends the run before its next batch; **Clear runs** empties the plot.
#   Stop works for runs started by the button. A run started from a cell (`playground.train()`, below) keeps the
#   kernel busy, so Stop stays disabled: Jupyter's ■ stops it, and it ends as *interrupted* (only such runs can
#   be; ■ does not reach a run the button started: use Stop).
# - The **plot** updates while training: loss on the left, accuracy on the right, training solid, validation
#   dashed. Earlier runs stay, each labelled with its settings, so you can compare.
# - Below it, **one line per run**: final validation accuracy, epochs, seconds, device, and how it ended (finished,
#   stopped, interrupted or diverged). Every run stays in `playground.runs`, with the model it trained.
# - **lecture mode** enlarges the fonts and lines of every figure, for a projector.

# %% [markdown]
# When this notebook is run top to bottom, the next cell trains once with the panel's settings, as the Train
# button does, so the panel above shows a real run (from a cell the run keeps the kernel busy until it ends):

# %%
result = playground.train()
print("the run finished:", result.ok, "| epochs:", result.history.epochs)
print("validation accuracy above 90%:", result.history.val_accuracy[-1] > 0.9)

# %% [markdown]
# The same run's curves as a plain figure (this one stays visible wherever the notebook is shown, widgets or not):

# %%
fig = result.history.plot(labels=[result.settings.label()])

# %% [markdown]
# Stopped or finished, every run keeps what it learned: `playground.runs[-1].model` is the trained model (moved to
# the CPU, in `eval()` mode), ready to predict. On the validation set it scores exactly the run's last accuracy:

# %%
import torch
from lstm_lessons.playground import build_task

run = playground.runs[-1]
x_val, y_val = build_task(run.settings).val
with torch.no_grad():
    predicted = run.model(x_val).argmax(dim=1)  # [n_val] class indices
print("predicted:", predicted[:12].tolist())
print("labels:   ", y_val[:12].tolist())
print("same accuracy as the run's last epoch:", (predicted == y_val).sum().item() / len(y_val) == run.history.val_accuracy[-1])

# %% [markdown]
# For a lecture, `lecture_mode()` makes every figure from then on readable at the back of the room (the panel's
# checkbox does the same); `lecture_mode(False)` undoes it.

# %%
lecture_mode()
fig = result.history.plot(labels=["lecture mode"])
lecture_mode(False)

# %% [markdown]
# ## Exercises: three experiments
#
# ### Experiment 1 — make it diverge
#
# Raise the **learning rate** a notch or two at a time from the default `0.01` (keep task `order`) and press Train
# each time. Look for three stages. Up to `0.32` the run still learns, but its first epochs get worse, and
# the curve can wobble (at `0.1` the loss goes up again in epoch 3 before it comes down). From `0.56` it
# learns nothing: the loss stays at or above `0.69` (ln 2, what guessing costs) and validation accuracy sits at
# chance, 50%, epoch after epoch. Higher still, the loss blows up within the first epoch: the run stops with a red
# *Diverged* message before a single point of its curve is drawn. The first two stages in numbers, after the
# default run above (8 epochs each):

# %%
rates = (0.1, 10**-0.5, 10**-0.25)  # the slider's 0.1, 0.32 and 0.56 (it moves in steps of 10**0.25)
runs = {0.01: result} | {lr: run_training(PlaygroundSettings(task="order", lr=lr, epochs=8)) for lr in rates}
for lr, run in runs.items():
    print(f"lr {lr:<4.2g}  train loss by epoch:", " ".join(f"{v:4.2f}" for v in run.history.train_loss))
    print("          val acc by epoch:   ", " ".join(f"{v:4.0%}" for v in run.history.val_accuracy))

# %% [markdown]
# **Exercise 1.** Which learning rate on the slider makes the order task's run diverge? (The check trains it for 3
# epochs.)

# %%
answer = ...
ex.check_06_diverging_lr(answer)

# %% tags=["solution"]
# Solution: try the exercise above first.
answer = 10.0
ex.check_06_diverging_lr(answer)

# %% [markdown]
# Such a run keeps no curve: its loss blew up during the first epoch, so no epoch was finished:

# %%
run = run_training(PlaygroundSettings(task="order", lr=10.0, epochs=8))
print(run.message)
print("epochs finished:", run.history.epochs)

# %% [markdown]
# ### Experiment 2 — make it overfit
#
# Choose task **random** (the tutorial's 64 random sequences with coin-flip labels), 50 epochs, learning rate `1e-2`, and press Train. Look for:
# the training accuracy (solid) climbing to 100% while the validation accuracy (dashed) goes nowhere, and the
# validation loss climbing. Then try a smaller hidden size (16, then 8) and count the epochs it needs before the training accuracy reaches 100%.
#
# **Exercise 2.** While the training accuracy climbs to 100%, the validation accuracy (a) climbs too, (b) stays near
# chance, (c) falls to 0%?

# %%
answer = ...
ex.check_06_overfitting(answer)

# %% tags=["solution"]
# Solution: try the exercise above first.
answer = "b"
ex.check_06_overfitting(answer)

# %% [markdown]
# ### Experiment 3 — the smallest model that still solves the task
#
# Choose task **digits**, 10 epochs, and halve the **hidden size** run after run (64, 32, 16, ...). Look for: the
# validation accuracy holding up, then dropping. The runs stay on the plot, so the point where the curves part is
# easy to see. (On the order task try it too: you may be surprised how few units it needs.)
#
# **Exercise 3.** Halving the hidden size from 64 (64, 32, 16, ...), what is the last size with which the digits
# still reach 90% validation accuracy after 10 epochs? (The check trains it and its half.)

# %%
answer = ...
ex.check_06_smallest_model(answer)

# %% tags=["solution"]
# Solution: try the exercise above first.
answer = 16
ex.check_06_smallest_model(answer)

# %% [markdown]
# The side question of experiment 3: the order task needs very few units. Two are enough:

# %%
run = run_training(PlaygroundSettings(task="order", hidden_size=2, epochs=8))
print(f"hidden size 2, 8 epochs: validation accuracy {run.history.val_accuracy[-1]:.0%}")

# %% [markdown]
# ## Summary
#
# - The panel trains with `lstm_lessons.train()` — the loop of lesson 05 — and draws the curves as it goes; Stop keeps what was learned so far: the run's curve and its trained model, in `playground.runs`.
# - Too large a learning rate first makes the first epochs worse, then stops learning (loss at or above chance level), then blows the loss up; the panel shows *Diverged* and the advice, not a traceback.
# - On random labels, training accuracy reaches 100% while validation accuracy stays at chance: memorising is not learning.
# - Small LSTMs go a long way: two units solve the order task, about 16 reach 90% on the digits.
# - `lecture_mode()` (or the checkbox) makes every figure readable on a projector.
#
# **Next:** [Lesson 07 — Sequences of different lengths](07_variable_lengths.ipynb): padding, packing and the last
# real step, on real recordings of nine speakers.
