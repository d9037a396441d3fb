# Source of notebooks/07_variable_lengths.ipynb -- edit here, then run: python tools/build_notebooks.py 07

# %% [markdown]
# # Lesson 07 — Sequences of different lengths
#
# **What you will learn**
#
# - to pad a batch with `pad_sequence`, and what the padded steps do to `out` and `h_n`;
# - to pack it with `pack_padded_sequence` — lengths on the CPU, `enforce_sorted=False` — so that `h_n` equals each sequence run alone;
# - to read each sequence's last real step from `out`, and where the two directions of a bidirectional LSTM end;
# - to keep padding out of a per-step loss with a mask or `ignore_index`, and what sorting by length saves;
# - to train a speaker classifier on real speech to over 95% test accuracy in seconds.
#
# **Time:** about 45 minutes. **Prerequisite:** [Lesson 06 — Playground](06_playground.ipynb).

# %% [markdown] tags=["instructor", "notes"]
# **Speaker notes.** Start from the question "what is `out[:, -1]` for a sequence shorter than the batch?" and let
# the room answer before the padding cell. The two confusions to fix for good: padded steps change `h_n` (and
# `out[:, -1]` is padding), and `pack_padded_sequence` wants CPU int64 lengths, sorted unless `enforce_sorted=False`.

# %%
import torch
from torch import nn
from torch.nn import functional as F
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence, pad_sequence

import lstm_lessons
from lstm_lessons import LSTMClassifier, load_task, train
from lstm_lessons import exercises as ex
from lstm_lessons.evaluation import confusion_matrix, plot_confusion_matrix, predict
from lstm_lessons.lengths import last_real_step, length_buckets
from lstm_lessons.timing import op_counts, time_in_turns
threads = lstm_lessons.use_threads()  # compute on 1 CPU thread, which stays fast when the machine is busy (lesson 00)

# %% [markdown]
# ## Real sequences differ in length
#
# **Japanese Vowels** (Kudo, Toyama & Shimbo, 1999; UCI Machine Learning Repository, CC BY 4.0): nine men each
# said the vowels /ae/ many times. Every utterance was cut into frames 6.4 ms apart, and each frame described by
# 12 numbers (LPC cepstrum coefficients, a summary of the sound's spectrum). The task: **who is speaking?** The
# published split has 270 utterances to train on (30 per speaker) and 370 to test on. `load_task("vowels")` keeps
# every utterance at its own length — a list of tensors, not one tensor:

# %%
task = load_task("vowels")
sequences, speakers = task.train  # a list of 270 tensors [length, 12]; speakers [270], classes 0..8
test_sequences, test_speakers = task.val  # the published test set: 370 more
print(len(sequences), "training sequences;", len(test_sequences), "test sequences")
print("training sequences per speaker:", torch.bincount(speakers).tolist())
print("the first three:", [list(s.shape) for s in sequences[:3]])
lengths_all = torch.tensor([len(s) for s in sequences + test_sequences])
print("lengths from", lengths_all.min().item(), "to", lengths_all.max().item(), "frames")

# %% [markdown]
# Each coefficient is standardised with the mean and standard deviation of the *training* frames (the test set
# is not looked at), so over the training frames every feature has mean 0 and standard deviation 1:

# %%
frames = torch.cat(sequences)  # every training frame: [4274, 12]
print("training frames:", list(frames.shape))
print("means all 0 (to 5 decimals):", torch.allclose(frames.mean(0), torch.zeros(12), atol=1e-5))
print("standard deviations all 1:  ", torch.allclose(frames.std(0), torch.ones(12), atol=1e-5))

# %% [markdown]
# A tensor must be a rectangle: one batch `[batch, seq_len, 12]` needs one `seq_len` for all. `pad_sequence`
# makes it by **padding**: every sequence is filled up with zeros to the longest one's length. Four utterances:

# %%
picked = [13, 1, 68, 9]  # four utterances of different lengths
batch = [sequences[i] for i in picked]
lengths = torch.tensor([len(s) for s in batch])
x = pad_sequence(batch, batch_first=True)  # [4, longest, 12]
print("lengths:", lengths.tolist(), "  padded batch:", list(x.shape))
print("after each end, only zeros:", all((x[i, n:] == 0).all().item() for i, n in enumerate(lengths)))

# %% [markdown]
# ## What the padded steps do
#
# An LSTM does not know which steps are padding: it runs all 26 steps of every sequence. A zero input still
# changes the state (the gates have biases), so for the shorter sequences `h_n` is the state after the padding,
# not after their last frame. Run each sequence alone to compare:

# %%
torch.manual_seed(0)
lstm = nn.LSTM(input_size=12, hidden_size=16, batch_first=True)
out, (h_n, c_n) = lstm(x)  # padded: out [4, 26, 16], h_n [1, 4, 16]
alone = torch.cat([lstm(s.unsqueeze(0))[1][0][0] for s in batch])  # each h_n run alone: [4, 16]
for i, n in enumerate(lengths.tolist()):
    print(f"length {n:2d}: padded h_n equals it alone: {torch.allclose(h_n[0, i], alone[i], atol=1e-6)}")

# %% [markdown]
# Only the longest sequence, which has no padding, is right. The same holds for `out[:, -1]`, the tutorial's
# summary: for every shorter sequence it is a state read after the padding (confusion 5). One direction runs
# forward in time, though, so what it computed *before* the padding is untouched: `out` at each sequence's last
# real step, `lengths - 1`, is right even here:

# %%
last_step = out[torch.arange(4), lengths - 1]  # sequence i at step lengths[i] - 1: [4, 16]
print("out[:, -1] equals each alone:          ", torch.allclose(out[:, -1], alone, atol=1e-6))
print("out at lengths - 1 equals each alone:  ", torch.allclose(last_step, alone, atol=1e-6))

# %% [markdown]
# ## Packing: run only the real steps
#
# `pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)` turns the padded batch and its
# lengths into a `PackedSequence`: the real steps only, time step by time step. Its `data` holds them
# all, `[total real steps, 12]`; its `batch_sizes` says how many sequences are still running at each step:

# %%
packed = pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
print("data:", list(packed.data.shape), " real steps:", lengths.sum().item(), " padded steps:", x.shape[0] * x.shape[1])
print("batch_sizes:", packed.batch_sizes.tolist())

# %% [markdown]
# `nn.LSTM` takes a `PackedSequence` as it takes a tensor. Now `h_n` holds each sequence's state after its own
# last frame — equal to running it alone:

# %%
out_packed, (h_n, c_n) = lstm(packed)
print("packed h_n equals each sequence run alone:", torch.allclose(h_n[0], alone, atol=1e-6))

# %% [markdown]
# The output is packed too. `pad_packed_sequence` turns it back into a padded `[batch, longest, hidden]` tensor,
# with zeros after each end, and gives the lengths back:

# %%
out, out_lengths = pad_packed_sequence(out_packed, batch_first=True)  # out [4, 26, 16]
print("out:", list(out.shape), " lengths back:", out_lengths.tolist())
print("zeros after each end:", all((out[i, n:] == 0).all().item() for i, n in enumerate(lengths)))
print("out[:, -1] is padding for", (out[:, -1].abs().sum(1) == 0).sum().item(), "of the 4 sequences")

# %% [markdown]
# ### `enforce_sorted`, and lengths on the CPU (confusion 6)
#
# By default `pack_padded_sequence` expects the batch sorted by length, longest first (`enforce_sorted=True`),
# and refuses our batch:

# %%
try:
    pack_padded_sequence(x, lengths, batch_first=True)
except RuntimeError as error:
    print("RuntimeError:", str(error).split("\n")[0][:110], "...")

# %% [markdown]
# `enforce_sorted=False` sorts the batch inside, remembers the order (`sorted_indices`), and `nn.LSTM` puts
# `h_n` back in *your* order — which is why the equality above held without sorting anything:

# %%
print("lengths:       ", lengths.tolist())
print("sorted_indices:", packed.sorted_indices.tolist(), "-> lengths", lengths[packed.sorted_indices].tolist())

# %% [markdown]
# The lengths must reach the packing as an int64 tensor **on the CPU**, even when `x` is on a GPU. The packed
# layout — how many sequences run at each step, `batch_sizes` — is worked out from their values before anything
# runs, and it stays on the CPU; lengths on a GPU would have to be copied back first, so PyTorch asks you to make
# that copy. A list, or another integer dtype, it converts itself; lengths on another device it refuses. Here the
# `meta` device, which every PyTorch has, stands in for a GPU (and the batch is sorted first, so that the device
# is the only thing wrong):

# %%
for given in (lengths.tolist(), lengths.int()):  # a list, an int32 tensor: converted to int64 on the CPU
    again = pack_padded_sequence(x, given, batch_first=True, enforce_sorted=False)
    print(type(given).__name__, "packs the same:", torch.equal(again.data, packed.data))
print("batch_sizes live on:", packed.batch_sizes.device)
order = packed.sorted_indices  # longest first
try:
    pack_padded_sequence(x[order], lengths[order].to("meta"), batch_first=True)
except RuntimeError as error:
    print("RuntimeError:", str(error).split("\n")[0])

# %% [markdown]
# The fix is `lengths.cpu()`. `LSTMClassifier(...)(x, lengths=...)` does all of it for you: it checks the
# lengths, moves them to the CPU as int64, packs with `enforce_sorted=False`, and reads `h_n`. Lengths may come
# as a list, in any order; its logits equal those of each sequence run alone:

# %%
torch.manual_seed(0)
model = LSTMClassifier(input_size=12, hidden_size=16, num_layers=2, num_classes=9, bidirectional=True).eval()
with torch.no_grad():
    logits = model(x, lengths=lengths.tolist())  # [4, 9]
    each_alone = torch.cat([model(s.unsqueeze(0)) for s in batch])
print("logits equal each sequence run alone:", torch.allclose(logits, each_alone, atol=1e-5))

# %% [markdown]
# Lengths that cannot be right get a `ValueError` that names them: zero, longer than `x`, not one per sequence,
# or not whole numbers:

# %%
for bad in ([14, 0, 7, 15], [14, 27, 7, 15], [14, 26, 7], [14.0, 26.0, 7.0, 15.0]):
    try:
        model(x, lengths=bad)
    except ValueError as error:
        print("ValueError:", error)

# %% [markdown]
# ## The last real step, and the two directions
#
# With a packed one-directional LSTM, `h_n[-1]` *is* `out` at each sequence's last real step.
# `last_real_step(out, lengths)` from `lstm_lessons.lengths` reads it with `gather`, the same as
# `out[torch.arange(batch), lengths - 1]`:

# %%
print("out at lengths - 1 == h_n[-1]:", torch.equal(last_real_step(out, lengths), h_n[-1]))
print("the same by indexing:        ", torch.equal(out[torch.arange(4), lengths - 1], h_n[-1]))

# %% [markdown]
# A bidirectional LSTM runs a second direction backwards in time. Packed, it starts at each sequence's own last
# frame and ends at frame 0. So its final state is at step **0** of `out`'s second half, and the forward
# direction's at `lengths - 1` of the first half (lesson 02's rule, with each sequence's own end):

# %%
torch.manual_seed(0)
bi = nn.LSTM(input_size=12, hidden_size=16, batch_first=True, bidirectional=True)
out_bi, (h_n_bi, _) = bi(packed)
out_bi, _ = pad_packed_sequence(out_bi, batch_first=True)  # [4, 26, 32]: forward | backward
print("forward's final state  == out[i, lengths - 1, :16]:", torch.equal(last_real_step(out_bi, lengths)[:, :16], h_n_bi[-2]))
print("backward's final state == out[:, 0, 16:]:          ", torch.equal(out_bi[:, 0, 16:], h_n_bi[-1]))

# %% [markdown]
# Unpacked, the backward direction starts in the padding and has read zeros before it reaches the real frames:
# gathering at `lengths - 1` no longer saves the day. Only the longest sequence's backward state is right:

# %%
out_pad, (h_n_pad, _) = bi(x)  # the padded batch, not packed
print("backward state unpacked equals packed:", [torch.allclose(h_n_pad[-1, i], h_n_bi[-1, i], atol=1e-6)
                                                 for i in range(4)], " lengths:", lengths.tolist())

# %% [markdown]
# ## Masks: a per-step loss that ignores the padding
#
# Some models make a prediction at **every** step — a language model guesses the next character at each one
# (lesson 08). Here, say, a guess of the speaker at every frame: logits `[batch, seq_len, classes]`, one target
# per step. A **mask** says which steps are real:

# %%
mask = torch.arange(x.shape[1]) < lengths.unsqueeze(1)  # [4, 26]: True at real steps
print(mask[:, :12].int())
print("real steps:", mask.sum().item())

# %% [markdown]
# `CrossEntropyLoss` wants the classes in dimension 1: `(N, C, L)` for per-step logits, so transpose. With
# `reduction="none"` it gives one loss per step; the mean over the real ones is their sum divided by their count:

# %%
torch.manual_seed(0)
step_logits = nn.Linear(32, 9)(out_bi)  # a guess at every step: [4, 26, 9]
targets = speakers[picked].unsqueeze(1).expand(-1, x.shape[1])  # the speaker, at every step: [4, 26]
per_step = F.cross_entropy(step_logits.transpose(1, 2), targets, reduction="none")  # [4, 26]
masked = (per_step * mask).sum() / mask.sum()
print(f"mean over the real steps: {masked.item():.4f}   over every step: {per_step.mean().item():.4f}")

# %% [markdown]
# `ignore_index` does the same without a mask: put it (-100 by default) as the target of every padded step, and
# the loss leaves those steps out of both the sum and the count:

# %%
ignored = targets.masked_fill(~mask, -100)  # -100 at every padded step
print("ignore_index gives the masked mean:",
      torch.allclose(F.cross_entropy(step_logits.transpose(1, 2), ignored), masked))

# %% [markdown]
# ## Sorting by length: how much time does packing save?
#
# Padding costs work: padded to the longest training sequence (26 frames), 270 sequences are 7020 steps, of which
# only 4274 are real. **Buckets** — batches of sequences of similar lengths, made by sorting by length
# (`length_buckets`) — need little padding even without packing. Steps computed per epoch, batches of 16:

# %% [markdown] tags=["instructor", "notes"]
# **Speaker notes.** The surprise of this section: on the CPU, packing does less work but takes longer. Packing
# is for correctness (h_n); sorting by length shortens the packed loops. On a GPU, cuDNN runs packed batches in its
# fused kernel.

# %%
train_lengths = torch.tensor([len(s) for s in sequences])
shuffled = list(torch.randperm(270, generator=torch.Generator().manual_seed(0)).split(16))
buckets = length_buckets(train_lengths, 16)
print("padded to the longest of all:   ", 270 * train_lengths.max().item())
print("padded to each shuffled batch's:", sum(len(b) * train_lengths[b].max().item() for b in shuffled))
print("padded to each bucket's longest:", sum(len(b) * train_lengths[b].max().item() for b in buckets))
print("packed (the real steps):        ", train_lengths.sum().item())

# %% [markdown]
# Less work is not always less time. Timed — one forward and backward pass over the training set, the ways taking
# turns so that the machine's load hits them alike — the ratios to padding to the longest:

# %%
def epoch(batches, pack):
    def run():
        for b in batches:
            xb = pad_sequence([sequences[i] for i in b], batch_first=True)
            xb = pack_padded_sequence(xb, train_lengths[b], batch_first=True, enforce_sorted=False) if pack else xb
            lstm(xb)[1][0].sum().backward()
    return run

full = pad_sequence(sequences, batch_first=True)  # [270, 26, 12]
ways = {"padded to the longest": lambda: [lstm(full[b])[1][0].sum().backward() for b in shuffled],
        "packed, shuffled batches": epoch(shuffled, pack=True), "packed, buckets": epoch(buckets, pack=True),
        "padded, buckets": epoch(buckets, pack=False)}

# %% tags=["nbval-ignore-output"]
times = time_in_turns(ways, repeat=5, warmup=1)
for way, (seconds, ratio) in times.items():
    print(f"{way:25s} {seconds * 1000:6.1f} ms   x{ratio:.2f}")

# %% [markdown]
# On the CPUs this course was built on, packing took several times *longer* than padding to the longest, and
# buckets cut the packed time about in half (read the ratios above; yours will differ) — although packing
# computes the fewest steps. The reason is in what runs: a padded batch goes to oneDNN's fused
# LSTM kernel in one call; a packed one runs PyTorch's own loop — one matrix product for the inputs of all steps,
# then one per time step (`addmm`, as in lesson 03):

# %%
xb = pad_sequence([sequences[i] for i in shuffled[0]], batch_first=True)
print("padded:", op_counts(lambda: lstm(xb), names=["aten::mkldnn_rnn_layer", "aten::addmm"]))
packed_b = pack_padded_sequence(xb, train_lengths[shuffled[0]], batch_first=True, enforce_sorted=False)
print("packed:", op_counts(lambda: lstm(packed_b), names=["aten::mkldnn_rnn_layer", "aten::addmm"]),
      " steps in this batch:", xb.shape[1])

# %% [markdown]
# So on the CPU: pack for **correctness** — `h_n`, and the backward direction, need it — and sort by length for
# **speed**: buckets shorten the packed batches' loops. (On a GPU, cuDNN runs packed batches in its own fused kernel;
# stated, not shown: this lesson runs on the CPU.) For one-directional classifiers there is also the way of the
# first section: run padded buckets and read `out` at `lengths - 1`.
#
# ## Who is speaking? Training on Japanese Vowels
#
# `train()` pads each batch to its own longest sequence and passes the lengths: `model(x, lengths=lengths)`.
# `task.val` is the published test set (the dashed "validation" curves below); the accuracy of the last epoch
# is what counts (choosing the best epoch by the test set would flatter it).

# %%
torch.manual_seed(0)
speaker_model = LSTMClassifier(input_size=12, hidden_size=32, num_layers=1, num_classes=9)
history = train(speaker_model, task.train, val_set=task.val, epochs=12, lr=3e-3, batch_size=16, seed=0,
                device="cpu", progress=False)
fig = history.plot(labels=["speaker LSTM"], title="Japanese Vowels: who is speaking?")

# %%
print(f"test accuracy above 95%: {history.val_accuracy[-1] > 0.95}   (chance: {task.chance_accuracy:.1%})")

# %% tags=["nbval-ignore-output"]
print(history.summary())

# %% [markdown]
# The published results on this split are 94-99%. Which speakers does the model confuse? A **confusion matrix**
# counts, for each true speaker (row), the speaker predicted (column); the diagonal holds the right answers:

# %% readme_figure="vowels_confusion"
predicted = predict(speaker_model, test_sequences)  # [370], padded batches with their lengths
matrix = confusion_matrix(test_speakers, predicted, num_classes=9)
fig = plot_confusion_matrix(matrix, labels=[str(i + 1) for i in range(9)], title="Test set: true vs predicted speaker")
print("right answers on the diagonal:", matrix.trace().item(), "of", matrix.sum().item())
print("the same accuracy as train() measured:", matrix.trace().item() / matrix.sum().item() == history.val_accuracy[-1])

# %% [markdown]
# The same training from a terminal:
#
# ```bash
# python -m lstm_lessons train --task vowels --hidden-size 32 --lr 3e-3 --batch-size 16 --epochs 12
# ```
#
# ## Exercises
#
# **Exercise 1.** Three sequences of lengths 5, 3 and 2 are packed. What is `packed.batch_sizes`? (Write a list.)

# %%
answer = ...
ex.check_07_batch_sizes(answer)

# %% tags=["solution"]
# Solution: try the exercise above first.
answer = [3, 3, 2, 1, 1]  # how many sequences are longer than t, for t = 0..4
ex.check_07_batch_sizes(answer)

# %% [markdown]
# **Exercise 2.** `out` is the padded output of the packed one-directional LSTM above, `[4, 26, 16]`, and
# `lengths` its lengths. Read each sequence's output at its last real step, a `[4, 16]` tensor, by indexing
# (without `last_real_step`).

# %%
answer = ...
ex.check_07_last_real_step(answer, out, lengths)

# %% tags=["solution"]
# Solution: try the exercise above first.
answer = out[torch.arange(len(lengths)), lengths - 1]
ex.check_07_last_real_step(answer, out, lengths)

# %% [markdown]
# **Exercise 3.** `step_logits` `[4, 26, 9]` and `targets` `[4, 26]` are the per-step guesses and speakers of the
# masks section. Compute the mean cross-entropy over the **real** steps only, one number, without `ignore_index`
# (build the mask from `lengths` yourself).

# %%
answer = ...
ex.check_07_masked_loss(answer, step_logits, targets, lengths)

# %% tags=["solution"]
# Solution: try the exercise above first.
real = torch.arange(step_logits.shape[1]) < lengths[:, None]  # [4, 26]
losses = F.cross_entropy(step_logits.transpose(1, 2), targets, reduction="none")  # [4, 26]
answer = losses[real].mean()  # only the real steps
ex.check_07_masked_loss(answer, step_logits, targets, lengths)

# %% [markdown]
# ## Summary
#
# - `pad_sequence` makes a rectangle of sequences of different lengths; run through the padding, an LSTM's `h_n` — and `out[:, -1]` — are wrong for every shorter sequence (confusion 5).
# - `pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)` runs only the real steps: `h_n` equals each sequence run alone. Lengths go as an int64 tensor on the CPU; `enforce_sorted=False` keeps your order (confusion 6). `pad_packed_sequence` unpacks `out`.
# - The last real step is `out` at `lengths - 1`; packed and one-directional, that is `h_n[-1]`. Bidirectional: the forward direction ends at `lengths - 1`, the backward one at step 0 — right only when packed.
# - A per-step loss averages over the real steps: a mask, or `ignore_index` on the padded targets.
# - Packing is for correctness: on the CPU a packed batch runs step by step, slower than padding to the longest, although it computes fewer steps. Sorting by length into buckets cuts the padding, and the packed batches' time.
# - `LSTMClassifier(x, lengths=...)` and `train()` do all of this: a speaker classifier on real speech passes 95% test accuracy in seconds.
#
# **Next:** Lesson 08 — A character-level language model (in preparation): embeddings, a loss at every step, and
# carrying the state across batches.
