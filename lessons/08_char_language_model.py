# Source of notebooks/08_char_language_model.ipynb -- edit here, then run: python tools/build_notebooks.py 08

# %% [markdown]
# # Lesson 08 — A character-level language model
#
# **What you will learn**
#
# - to turn text into integer ids and back, and what an embedding makes of a `[batch, seq_len]` id tensor;
# - the per-step loss: targets shifted by one, and why `CrossEntropyLoss` wants the logits as `(N, C, L)` (confusion 9);
# - truncated back-propagation through time: the state carried from chunk to chunk, and why it needs `detach()` (confusion 10);
# - to measure a language model in bits per character against two baselines;
# - to sample text with a temperature, and to play with a model that has read four of Shakespeare's tragedies.
#
# **Time:** about 40 minutes. **Prerequisite:** [Lesson 05 — The training loop](05_the_training_loop.ipynb)
# (the loop, validation, saving and loading); [lesson 07 — Sequences of different lengths](07_variable_lengths.ipynb)
# helps but is not needed: here every sequence has the same length.

# %% [markdown] tags=["instructor", "notes"]
# **Speaker notes.** Before the temperature section, ask the room what the model will write at temperature 0.01.
# Most expect the best text; it is one text, the same for every seed.

# %%
import torch
from torch import nn

import lstm_lessons
from lstm_lessons import exercises as ex
from lstm_lessons.language_model import (CharLSTM, bits_per_character, detach_state, generate, load_pretrained,
                                         next_char_probabilities, sequence_loss, temperature_softmax, train_epoch)
from lstm_lessons.text_data import Vocabulary, load_text, split_text, stream_batches, unigram_bits, uniform_bits
threads = lstm_lessons.use_threads()  # compute on 1 CPU thread, which stays fast when the machine is busy (lesson 00)

# %% [markdown]
# ## The text
#
# The package ships four of Shakespeare's tragedies — *Hamlet*, *Macbeth*, *Romeo and Juliet* and *King Lear* — as
# one string (public domain; `lstm_lessons/resources/DATA.md` says where it comes from). The last tenth is held out
# for validation: the model never trains on the end of *King Lear*. A speech starts with the speaker's name and a
# full stop on a line of its own: `Fran.` and `Ber.` below. The names are short, `Ham.` for Hamlet, and written
# `Juliet.`, `Lear.`; only *Macbeth* writes them in capitals, `FIRST WITCH.`.

# %%
text = load_text()
train_text, val_text = split_text(text)
print(f"{len(text):,} characters: {len(train_text):,} to train on, {len(val_text):,} held out")
print("cut once, nothing left out:", train_text + val_text == text)
print("the held-out part ends the text:", repr(val_text[-28:]))
print(text[1200:1420])
print({name: text.count(name) for name in ("Ham.\n", "Juliet.\n", "Lear.\n", "FIRST WITCH.\n", "JULIET.\n")})

# %% [markdown]
# ## Characters to ids and back
#
# A language model predicts one token after another; here a token is one character. The vocabulary lists the
# distinct characters, sorted, and a character's id is its position in that list.

# %%
vocab = Vocabulary.from_text(text)
print(len(vocab), "characters:", repr(vocab.chars))
ids = vocab.encode("To be, or not to be")
print(ids)
print(repr(vocab.decode(ids)))

# %% [markdown]
# A character the vocabulary lacks has no id: `encode` says which, instead of guessing.

# %% tags=["raises-exception"]
vocab.encode("Thou art café")

# %% [markdown]
# ## A batch of ids, and the embedding
#
# For training, the id sequence of the text is cut into `batch_size` parallel **streams**, each walked
# `seq_len` steps at a time (below: 32 streams, chunks of 64 characters). A chunk `x` is an int64 tensor
# `[batch, seq_len]`, one id per character. Its target `y` is the same text one character later.

# %%
train_ids, val_ids = vocab.encode(train_text), vocab.encode(val_text)
chunks = stream_batches(train_ids, batch_size=32, seq_len=64)
x, y = next(chunks)
print("x:", x.dtype, list(x.shape), "  y:", y.dtype, list(y.shape))
print("x[0]:", repr(vocab.decode(x[0, :30])))
print("y[0]:", repr(vocab.decode(y[0, :30])))
print("y is x shifted by one:", torch.equal(y[:, :-1], x[:, 1:]))

# %% [markdown]
# An id is a name, not a quantity: character 40 is not "twice" character 20. So ids are not fed to the LSTM as
# numbers. `nn.Embedding(73, 16)` holds one learned vector of 16 numbers per character and looks up a row per id:
# `[batch, seq_len]` ids become `[batch, seq_len, embed]` features — the layout `batch_first=True` expects
# (lesson 01).

# %%
torch.manual_seed(0)
embedding = nn.Embedding(len(vocab), 16)
features = embedding(x)
print("embedding(x):", list(features.shape))
print("row of id x[0, 0] == its features:", torch.equal(embedding.weight[x[0, 0]], features[0, 0]))

# %% [markdown]
# `CharLSTM` (in `lstm_lessons/language_model.py`) is embedding → LSTM → linear. Its `forward(ids, state)`
# returns a score (**logit**) for each of the 73 characters at every step, and the state after the last step:

# %%
torch.manual_seed(0)
model = CharLSTM(vocab, embed_size=16, hidden_size=64)
logits, (h_n, c_n) = model(x)
print("logits:", list(logits.shape), "  h_n:", list(h_n.shape), "  c_n:", list(c_n.shape))

# %% [markdown]
# ## The loss at every step: `(N, C, L)`
#
# Every step has a target, so the loss is the mean cross-entropy over all `32 × 64` steps. `cross_entropy` reads
# **dim 1 as the classes**: for per-step outputs it wants the logits as `(N, C, L)` = `[batch, vocab, seq_len]`
# and the targets as `[batch, seq_len]`. Two ways to give it that — transpose, or flatten both — give the same
# loss:

# %%
loss_transposed = nn.functional.cross_entropy(logits.transpose(1, 2), y)  # [32, 73, 64] vs [32, 64]
loss_flat = nn.functional.cross_entropy(logits.reshape(-1, len(vocab)), y.reshape(-1))  # [2048, 73] vs [2048]
print(f"{loss_transposed.item():.6f} {loss_flat.item():.6f}", torch.allclose(loss_transposed, loss_flat))

# %% [markdown]
# Passed as they come, `[32, 64, 73]`, the logits are read as 64 classes at 73 positions, and the targets'
# shape `[32, 64]` no longer fits:

# %% tags=["raises-exception"]
nn.functional.cross_entropy(logits, y)

# %% [markdown]
# That error is the lucky case. When `seq_len` equals the vocabulary size, the untransposed call fits the shapes
# and runs without a word — mixing steps and characters into a wrong loss. With chunks of 73 steps:

# %%
x73, y73 = next(stream_batches(train_ids, batch_size=4, seq_len=73))
logits73, _ = model(x73)
print("logits:", list(logits73.shape), "  targets:", list(y73.shape))
silent, right = nn.functional.cross_entropy(logits73, y73), sequence_loss(logits73, y73)
print(f"untransposed: {silent.item():.4f}, no error   transposed: {right.item():.4f}")

# %% [markdown]
# (`sequence_loss` in the package is the transposed call.) An untrained model's loss is about `ln 73 = 4.29`: it
# spreads its guesses almost evenly.

# %%
print(f"loss {sequence_loss(logits, y).item():.2f}, ln(73) = {torch.log(torch.tensor(73.0)).item():.2f}")

# %% [markdown]
# ## Truncated back-propagation through time
#
# The training text is about 514,000 characters long. Rather than back-propagating through all of it at once, we train
# chunk by chunk. Row `b` of each chunk continues row `b` of the chunk
# before, so the state at the end of one chunk is the right state to start the next:

# %%
x2, y2 = next(chunks)
print("chunk 1 row 0 ends: ", repr(vocab.decode(x[0, -20:])))
print("chunk 2 row 0 starts:", repr(vocab.decode(x2[0, :20])))
print("row 0 goes on:", train_ids[64].item() == x2[0, 0].item() and torch.equal(train_ids[:64], x[0]))

# %% [markdown]
# Carrying the state loses nothing: running the 128 steps in two chunks, passing the state on, gives the same
# outputs as one pass over all 128 (lesson 02 proved it for `nn.LSTM`; here for the whole model). Without the
# state, the second chunk starts from zeros and its outputs differ:

# %%
full, _ = model(torch.cat([x, x2], dim=1))  # [32, 128, 73] in one pass
first, state = model(x)
second, _ = model(x2, state)
print("chunks with the state == one pass:", torch.allclose(torch.cat([first, second], dim=1), full, atol=1e-6))
second_fresh, _ = model(x2)  # state=None: zeros
print("second chunk without the state == one pass:", torch.allclose(second_fresh, full[:, 64:], atol=1e-6))

# %% [markdown]
# But the state carried over still hangs on the graph of the chunk that made it. The first `backward()` frees
# that graph; the second chunk's `backward()` then tries to go back through it, and fails (confusion 10):

# %% tags=["raises-exception"]
optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
state = None
for x_chunk, y_chunk in [(x, y), (x2, y2)]:
    logits, state = model(x_chunk, state)
    loss = sequence_loss(logits, y_chunk)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

# %% [markdown]
# `detach()` keeps the state's values and cuts its link to the graph: the next chunk starts from where the text
# was, and its gradients stop at the chunk's first step. That is **truncated** back-propagation through time,
# 64 steps back at most.

# %%
state = None
for x_chunk, y_chunk in [(x, y), (x2, y2)]:
    logits, state = model(x_chunk, state)
    loss = sequence_loss(logits, y_chunk)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    state = detach_state(state)  # (h.detach(), c.detach())
print("two chunks trained; the state needs no gradient:", not state[0].requires_grad)

# %% [markdown]
# ## Training for a few seconds
#
# `train_epoch` is that loop (plus gradient clipping, lesson 05). A short demonstration: three epochs over the first
# 61,440 characters of *Hamlet* (30 chunks of 32 × 64), a sample after each. The text gets better — short words
# such as `the` and `and`, names before line breaks — from nothing but predicting the next character:

# %%
torch.manual_seed(0)
quick = CharLSTM(vocab, embed_size=16, hidden_size=64)
optimizer = torch.optim.Adam(quick.parameters(), lr=1e-2)
for epoch in range(1, 4):
    train_bits = train_epoch(quick, train_ids[:61_441], optimizer, batch_size=32, seq_len=64)
    print(f"--- after epoch {epoch} (training loss {train_bits:.2f} bits/char):")
    print(generate(quick, "Ham.\n", 120, temperature=0.8, seed=0))

# %% [markdown]
# ## Bits per character, against two baselines
#
# A model's loss on held-out text, in **bits per character**, is the cross-entropy with `log2` instead of `ln`:
# how many yes/no questions, on average, the next character still costs. Two baselines, computed here:
#
# - **uniform**: every one of the 73 characters equally likely: `log2(73)` bits;
# - **unigram**: each character by its frequency in the training text (a space is likelier than a `Q`),
#   ignoring what came before.
#
# A model that reads the context must beat both. The few seconds above already do; the model shipped with the
# package — one layer of 256 units, trained for 20 full epochs in about 5-10 minutes by
# `tools/train_char_model.py` — does far better. `bits_per_character` reads the text as 8 parallel streams
# (faster than one); each starts from a zero state, with no context for its first characters, which costs a
# little: more streams, a slightly higher figure.

# %%
shipped = load_pretrained()  # torch.load(..., weights_only=True) inside, in eval() mode
print(shipped.lstm)
scores = {"uniform": uniform_bits(len(vocab)), "unigram": unigram_bits(train_text, val_text, vocab),
          "LSTM, 3 short epochs": bits_per_character(quick, val_ids),
          "LSTM shipped (20 epochs)": bits_per_character(shipped, val_ids)}  # streams=8
for name, bits in scores.items():
    print(f"{name:>25}: {bits:.2f} bits/char on the held-out text")
print("the shipped model beats both baselines by over 2 bits:", scores["LSTM shipped (20 epochs)"] + 2 < scores["unigram"])
print(f"with 64 streams: {bits_per_character(shipped, val_ids, streams=64):.2f} bits/char")
lear_trained = train_ids[-len(val_ids):]  # as much of King Lear, just before the held-out part: seen in training
print(f"the shipped model on the King Lear it trained on: {bits_per_character(shipped, lear_trained):.2f} bits/char")

# %% [markdown]
# On the part of *King Lear* it trained on, the shipped model does better than on the held-out end of the same
# play: it has begun to memorise (lesson 05). Only the held-out figure says how well it predicts Shakespeare it
# has not read.

# %% [markdown]
# ## Sampling with a temperature
#
# To write, the model reads a prompt, turns the last step's logits into probabilities, draws the next character,
# feeds it back in with the state, and repeats. The **temperature** divides the logits before the softmax:
# below 1 it sharpens the distribution, above 1 it flattens it. As the temperature goes to 0, the likeliest next
# character becomes certain; as it grows, the choice spreads. The **entropy** of the probabilities,
# `-sum p log2 p` (`torch.special.entr` computes `-p ln p`), measures the spread in bits: 0 when one character
# is certain, `log2(73) = 6.19` when all 73 are equally likely:

# %%
import math

prompt = "To be, or not to b"
for temperature in (4.0, 2.0, 1.0, 0.5, 0.1, 0.01):
    p = next_char_probabilities(shipped, prompt, temperature)
    entropy = torch.special.entr(p).sum().item() / math.log(2)  # -sum p log2 p
    print(f"T={temperature:<4}: likeliest {vocab.chars[p.argmax()]!r} with p = {p.max().item():.3f}, "
          f"entropy {entropy:.2f} bits")

# %% [markdown]
# One step of writing, by hand: the probabilities at a temperature, one draw with a seeded generator, and the
# drawn character fed back in with the state. `generate` repeats exactly this (`temperature_softmax` is
# `softmax(logits / T)`, written so that a tiny `T` gives no `nan`):

# %%
generator = torch.Generator().manual_seed(0)
logits, state = shipped(vocab.encode(prompt).unsqueeze(0))  # read the prompt: logits [1, 18, 73]
by_hand = ""
for _step in range(3):
    p = temperature_softmax(logits[0, -1].double(), 0.8)  # [73], sums to 1
    next_id = torch.multinomial(p, 1, generator=generator)  # [1]: one draw
    by_hand += vocab.chars[next_id.item()]
    logits, state = shipped(next_id.view(1, 1), state)  # the new character, the state carried
print(repr(by_hand), by_hand == generate(shipped, prompt, 3, temperature=0.8, seed=0))

# %% [markdown]
# So at a temperature near 0 sampling is **argmax**: whatever the seed, the text is the one that always picks the
# likeliest character, the same text every time:

# %%
@torch.no_grad()
def argmax_text(model, prompt, length):  # always the likeliest next character
    logits, state = model(model.vocab.encode(prompt).unsqueeze(0))
    chosen = []
    for _step in range(length):
        next_id = logits[0, -1].argmax().view(1, 1)  # [1, 1]: one sequence, one step
        chosen.append(next_id.item())
        logits, state = model(next_id, state)
    return model.vocab.decode(chosen)

cold = [generate(shipped, "MACBETH.\n", 150, temperature=0.001, seed=seed) for seed in (0, 1, 2)]
print("T=0.001, the same for every seed, and == argmax:",
      cold[0] == cold[1] == cold[2] == argmax_text(shipped, "MACBETH.\n", 150))
print(cold[0])

# %% [markdown]
# Warmer, the text varies more, and then, too hot, the model invents words. The count of each sample's words that
# occur somewhere in the plays shows it. The same seed always gives the same text:

# %%
import re

play_words = set(re.findall(r"[A-Za-z']+", text))
for temperature in (0.5, 1.0, 1.6):
    sample = generate(shipped, "Romeo.\nBut soft, ", 200, temperature=temperature, seed=1)
    words = re.findall(r"[A-Za-z']+", sample)
    print(f"--- temperature {temperature}: {sum(w in play_words for w in words)} of its {len(words)} words are in the plays")
    print(sample)
print("same seed, same text:", generate(shipped, "Romeo.\nBut soft, ", 200, temperature=1.6, seed=1) == sample)

# %% [markdown]
# `generate` refuses what it cannot sample from, with a reason: a temperature of 0 or less (or so small that
# `1 / T` overflows float32), an empty prompt, characters outside the vocabulary.

# %%
for prompt, temperature in [("Ham.\n", 0), ("Ham.\n", 1e-40), ("", 1.0), ("Ophélie.\n", 1.0)]:
    try:
        generate(shipped, prompt, 100, temperature=temperature, seed=0)
    except ValueError as error:
        print(f"prompt {prompt!r}, temperature {temperature}: ValueError: {error}")

# %% [markdown]
# ## Your turn: make it write
#
# Type a prompt, pick a temperature and a seed, press **Write**. The model starts with no context, so a bare name
# (`Juliet.` and a new line) often reads to it as the end of a speech, and another speaker follows; give it a line
# of speech before the name, as the prompt below does, or the first words after it (`Romeo.`, a new line, then
# `But soft, `). The
# same settings always write the same text: change the seed for another.

# %% tags=["nbval-ignore-output"]
from lstm_lessons.writer_widget import text_writer

text_writer(shipped, prompt="Nurse.\nYour mother.\n\nJuliet.\n", temperature=0.8, length=300)

# %% [markdown]
# ## Exercises
#
# **Exercise 1.** `ids` holds the ids of a line of *Macbeth*. The model reads `ids[:-1]` as its inputs. Write its
# targets: one per input, the character that follows it.

# %%
ids = vocab.encode("Fair is foul, and foul is fair")
inputs = ids[:-1]
targets = ...
ex.check_08_targets(targets, ids)

# %% tags=["solution"]
# Solution: try the exercise above first.
targets = ids[1:]
ex.check_08_targets(targets, ids)

# %% [markdown]
# **Exercise 2.** Write a function `loss(logits, targets)` for logits `[batch, seq_len, vocab]` and targets
# `[batch, seq_len]` that returns the mean cross-entropy over every step — without `sequence_loss`. The check
# calls it on a batch of its own.

# %%
loss = ...  # a function of (logits, targets), e.g. lambda logits, targets: ...; or a def
ex.check_08_sequence_loss(loss)

# %% tags=["solution"]
# Solution: try the exercise above first.
def loss(logits, targets):
    return nn.functional.cross_entropy(logits.transpose(1, 2), targets)  # (N, C, L) against (N, L)

ex.check_08_sequence_loss(loss)

# %% [markdown]
# **Exercise 3.** A unigram model built from the word `"tattoo"` gives each letter its frequency in that word:
# `t` 3/6, `o` 2/6, `a` 1/6. How many bits per character does it cost on that same word? Each character costs
# `-log2` of its probability; average over the six.

# %%
text3 = "tattoo"
answer = ...
ex.check_08_unigram_bits(answer, text3)

# %% tags=["solution"]
# Solution: try the exercise above first.
answer = -sum(math.log2(text3.count(c) / len(text3)) for c in text3) / len(text3)
ex.check_08_unigram_bits(answer, text3)

# %% [markdown]
# ## Summary
#
# - Text becomes int64 ids `[batch, seq_len]` through a vocabulary; `nn.Embedding` turns them into
#   `[batch, seq_len, embed]` features. Unknown characters are refused, not guessed.
# - The target is the input shifted by one character. `cross_entropy` wants per-step logits as `(N, C, L)`:
#   `logits.transpose(1, 2)`, or flatten logits and targets; passed as `[N, L, C]` it fails (confusion 9) —
#   or, when `seq_len` equals the vocabulary size, runs and returns a wrong loss.
# - Trained chunk by chunk, a model carries its state across chunks — equal to one full pass — and must
#   `detach()` it, or the next `backward()` fails with "Trying to backward through the graph a second time"
#   (confusion 10). That is truncated back-propagation through time.
# - Bits per character on held-out text: uniform 6.19, unigram 4.72; a small LSTM beats both within seconds,
#   the shipped one by far.
# - Temperature near 0 is argmax (one text, whatever the seed); higher is more varied, then invents words; the
#   same seed gives the same text. `text_writer` lets you try it.
#
# **Next:** [lesson 09 — Forecasting a real series](09_forecasting.ipynb); then
# [lesson 10 — Beyond one machine](10_distributed.ipynb), training on several processes. To see how hidden
# size and learning rate change a run, go back to the [Lesson 06 playground](06_playground.ipynb).
