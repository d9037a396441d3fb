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
# - to train a speaker classifier on real speech to about 97-98% test accuracy in seconds.
#
# **Time:** about 45 minutes. **Prerequisite:** [Lesson 06 — Playground](06_playground.ipynb).

# %% [markdown] tags=["instructor", "notes"]
# **Speaker notes.** Start from the question "what is `out[:, -1]` for a sequence shorter than the batch's padded length?" and let
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
# changes the state — the gates still see the previous state through `weight_hh`, and add their biases — so for
# the shorter sequences `h_n` is the state after the padding, not after their last frame. Run each sequence alone
# to compare:

# %%
torch.manual_seed(0)
lstm = nn.LSTM(input_size=12, hidden_size=16, batch_first=True)
out, (h_n, c_n) = lstm(x)  # padded: out [4, 26, 16], h_n [1, 4, 16]
alone = torch.cat([lstm(s.unsqueeze(0))[1][0][0] for s in batch])  # each h_n run alone: [4, 16]
for i, n in enumerate(lengths.tolist()):
    print(f"length {n:2d}: padded h_n equals it alone: {torch.allclose(h_n[0, i], alone[i], atol=1e-6)}")

# %% [markdown]
# The biases are not the only culprit: an LSTM built with `bias=False` is thrown off by the padding too.

# %%
no_bias = nn.LSTM(input_size=12, hidden_size=16, batch_first=True, bias=False)
h_n_no_bias = no_bias(x)[1][0][0]  # [4, 16]
print("bias=False, padded h_n equals it alone:",
      [torch.allclose(h_n_no_bias[i], no_bias(s.unsqueeze(0))[1][0][0, 0], atol=1e-6) for i, s in enumerate(batch)])

# %% [markdown]
# Only the longest sequence, which has no padding, is right. The same holds for `out[:, -1]`, the tutorial's
# summary: for every shorter sequence it is a state read after the padding (confusion 5 of the ten in the [instructor guide](../docs/instructors.md)). This
# LSTM runs forward in time only, though, so what it computed *before* the padding is untouched: `out` at each sequence's last
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
for name, given in (("a list", lengths.tolist()), ("an int32 tensor", lengths.int())):  # converted to int64
    again = pack_padded_sequence(x, given, batch_first=True, enforce_sorted=False)
    print(name, "packs the same:", torch.equal(again.data, packed.data))
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
# `out[torch.arange(batch), lengths - 1]`. (`out.gather(1, index)` picks, for every sequence and feature, the step
# that `index` names; `index` is `lengths - 1` repeated over the features with `expand`, which repeats a tensor
# along a dimension of size 1 without copying it.)

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
# `reduction="none"` it gives one loss per step; the mean over the real ones is their sum divided by their count.
# (`expand(-1, 26)` repeats each speaker along the steps without copying: `-1` keeps a dimension as it is.)

# %%
torch.manual_seed(0)
step_logits = nn.Linear(32, 9)(out_bi)  # a guess at every step: [4, 26, 9]
targets = speakers[picked].unsqueeze(1).expand(-1, x.shape[1])  # the speaker, at every step: [4, 26]
per_step = F.cross_entropy(step_logits.transpose(1, 2), targets, reduction="none")  # [4, 26]
masked = (per_step * mask).sum() / mask.sum()
print(f"mean over the real steps: {masked.item():.4f}   over every step: {per_step.mean().item():.4f}")

# %% [markdown]
# `ignore_index` does the same without a mask: put it (-100 by default) as the target of every padded step, and
# the loss leaves those steps out of both the sum and the count. `targets.masked_fill(~mask, -100)` is a copy of
# `targets` with -100 wherever `~mask` (not a real step) is True:

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
# turns so that the machine's load hits them alike — the ratios to padding to the longest. (The packed ways pad
# and pack each batch inside the timed region: a few percent of their time.)

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
# On the CPUs this course was built on, packing took several times *longer* than padding to the longest (in shuffled
# batches x3.3 to x6.6 over runs), although it computes the fewest steps; buckets cut the packed time, by a tenth to more than a
# half depending on the run. Padded buckets, with 37% fewer steps than padding to the longest, were *not*
# reliably faster: from x0.74 to x1.64 over runs on a shared, busy machine. (Read the ratios above; yours will differ.) The reason is in
# what runs: with torch 2.13 (the version this course pins) a padded batch goes to oneDNN's fused LSTM kernel in
# one call, `aten::mkldnn_rnn_layer`; a packed one runs PyTorch's own loop — one matrix product for the inputs of
# all steps, then one per time step (`addmm`, as in lesson 03). (Older versions of torch ran padded batches in
# that step loop too.)

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
# section "What the padded steps do": run padded buckets and read `out` at `lengths - 1`.
#
# ## Who is speaking? Training on Japanese Vowels
#
# `train()` pads each batch to its own longest sequence and passes the lengths: `model(x, lengths=lengths)`.
# The model reads each utterance in both directions (`bidirectional=True`): packed, both directions end on real
# frames, as shown above. `task.val` is the published test set (the dashed "validation" curves below); the
# accuracy of the last epoch is what counts (choosing the best epoch by the test set would flatter it).

# %%
torch.manual_seed(0)
speaker_model = LSTMClassifier(input_size=12, hidden_size=32, num_layers=1, num_classes=9, bidirectional=True)
history = train(speaker_model, task.train, val_set=task.val, epochs=12, lr=3e-3, batch_size=16, seed=0,
                device="cpu", progress=False)
fig = history.plot(labels=["speaker LSTM"], title="Japanese Vowels: who is speaking?")

# %%
print(f"test accuracy above 95%: {history.val_accuracy[-1] > 0.95}   "
      f"(always guessing the most common speaker: {task.chance_accuracy:.1%})")

# %% tags=["nbval-ignore-output"]
print(history.summary())

# %% [markdown]
# Over 30 seeds (0-29), on the machine this course was built on, the last epoch's test accuracy ranged from 96.8%
# to 98.4%, mean 97.7%: 95% holds with room. The published results on this split are 94-99%. Which speakers
# does the model confuse? A **confusion matrix** counts, for each true speaker (row), the speaker predicted
# (column); the diagonal holds the right answers:

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
# python -m lstm_lessons train --task vowels --hidden-size 32 --bidirectional --lr 3e-3 --batch-size 16 --epochs 12
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
# **Exercise 2.** A bidirectional classifier's head reads both directions' final states side by side,
# `[batch, 2 * hidden]`. `bi` is the bidirectional LSTM above (hidden size 16). Run it **packed** on three test
# utterances, `three = test_sequences[:3]`, unpack its output, and read that `[3, 32]` tensor from `out` alone
# (not from `h_n`): the forward direction's final state first, then the backward one's.

# %%
three = test_sequences[:3]
answer = ...
ex.check_07_both_directions(answer, bi, three)

# %% tags=["solution"]
# Solution: try the exercise above first.
three_lengths = torch.tensor([len(s) for s in three])
three_packed = pack_padded_sequence(pad_sequence(three, batch_first=True), three_lengths, batch_first=True,
                                    enforce_sorted=False)
out3, _ = pad_packed_sequence(bi(three_packed)[0], batch_first=True)  # [3, longest, 32]
forward = out3[torch.arange(3), three_lengths - 1, :16]  # the forward direction ends at the last real step
backward = out3[:, 0, 16:]  # the backward direction ends at step 0
answer = torch.cat([forward, backward], dim=1)  # [3, 32]
ex.check_07_both_directions(answer, bi, three)

# %% [markdown]
# **Exercise 3.** The masks section's mean weighs every real step the same, so a long utterance counts more than a
# short one. Weigh the **sequences** the same instead: take each sequence's mean loss over its own real steps, then
# the mean of those 4 numbers. Use `step_logits` `[4, 26, 9]`, `targets` `[4, 26]` and `lengths`; one number.

# %%
answer = ...
ex.check_07_sequence_mean(answer, step_logits, targets, lengths)

# %% tags=["solution"]
# Solution: try the exercise above first.
real = torch.arange(step_logits.shape[1]) < lengths[:, None]  # [4, 26]: True at real steps
losses = F.cross_entropy(step_logits.transpose(1, 2), targets, reduction="none")  # [4, 26]
each = (losses * real).sum(1) / lengths  # [4]: each sequence's own mean
answer = each.mean()
ex.check_07_sequence_mean(answer, step_logits, targets, lengths)

# %% [markdown]
# ## Summary
#
# - `pad_sequence` makes a rectangle of sequences of different lengths; run through the padding, an LSTM's `h_n` — and `out[:, -1]` — are wrong for every shorter sequence (confusion 5).
# - `pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)` runs only the real steps: `h_n` equals each sequence run alone. Lengths go as an int64 tensor on the CPU; `enforce_sorted=False` keeps your order (confusion 6). `pad_packed_sequence` unpacks `out`.
# - The last real step is `out` at `lengths - 1`; packed and one-directional, that is `h_n[-1]`. Bidirectional, and packed: the forward direction ends at `lengths - 1`, the backward one at step 0 (unpacked, the backward direction starts in the padding).
# - A per-step loss averages over the real steps: a mask, or `ignore_index` on the padded targets.
# - Packing is for correctness: on the CPU a packed batch runs step by step, slower than padding to the longest, although it computes fewer steps. Sorting by length into buckets cuts the padding, and the packed batches' time.
# - `LSTMClassifier(x, lengths=...)` and `train()` do all of this: a bidirectional speaker classifier on real speech reaches about 97-98% test accuracy (96.8-98.4% over 30 seeds) in seconds.
#
# **Next:** [Lesson 08 — A character-level language model](08_char_language_model.ipynb): embeddings, a loss at every
# step, and carrying the state across batches.
