"""Checks for the exercises of lessons 00-02."""

from __future__ import annotations

import numbers

import torch

from .feedback import (
    Feedback,
    _whole,
    check_number,
    check_shape,
    check_tensor,
    not_a_tensor,
    prompt,
    same,
    say,
    shown,
    unattempted,
)

# -- lesson 00 -------------------------------------------------------------------------------

def check_00_batch_size(answer) -> Feedback:
    """How many sequences (samples) does the tutorial's ``x = torch.randn(64, 5, 10)`` hold?"""
    return check_number(answer, 64, "the number of sequences in x", {
        5: "5 is seq_len: the number of time steps in each sequence.",
        10: "10 is input_size: the number of features at each time step.",
        3200: "3200 is how many numbers x holds in all (64 * 5 * 10); how many sequences?",
    }, otherwise="the sequences are counted by the first number of the shape (64, 5, 10).")


def check_00_model_calls(answer) -> Feedback:
    """How many times does the tutorial's program run the model forward?"""
    return check_number(answer, 101, "the number of forward passes", {
        100: "the loop runs 100 times, but look just above it: `pred = lstm(x)` runs once more.",
        1: "the loop calls `lstm(x)` again in every epoch.",
        202: "inside `lstm(x)`, `forward` runs `self.lstm` once: that is part of the same model call, not another.",
    }, otherwise="count the lines that call `lstm(x)`: one inside the loop (run once per epoch), one above it.")


def check_00_num_values(answer) -> Feedback:
    """How many numbers does ``x`` hold in all?"""
    return check_number(answer, 3200, "the number of values in x (try x.numel())", {
        64: "64 is the number of sequences; each holds 5 steps of 10 numbers.",
        50: "50 is one sequence (5 * 10); there are 64 of them.",
        79: "you added the sizes; multiply them instead.",
        320: "that is 64 * 5: you left out a factor. Each of the 5 steps holds 10 numbers.",
        640: "that is 64 * 10: you left out a factor. Each sequence has 5 steps.",
    }, otherwise="multiply the three sizes of x's shape (64, 5, 10).")


# -- lesson 01 -------------------------------------------------------------------------------

_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")


def check_01_time_step(answer, x: torch.Tensor, t: int = 2) -> Feedback:
    """Select time step ``t`` of every sequence of ``x`` [batch, seq_len, features]."""
    nth = _ORDINALS[t] if 0 <= t < len(_ORDINALS) else f"number {t + 1}"
    off_by_one = f"off by one: this course numbers steps from 0, like indices: step {t} is the {nth} step, x[:, {t}]."
    return check_tensor(answer, x[:, t, :], f"a tensor holding step {t} of every sequence", [
        (x[t], f"that is sequence {t} (all its steps): the first index picks a sequence."),
        (x[:, :, t], f"that is feature {t} at every step: the last index picks a feature."),
        (x[:, t - 1, :], off_by_one),
        (x[:, t + 1, :], off_by_one),
    ], {
        (x.shape[1], x.shape[2]): "that is one sequence; the first index picks a sequence.",
        (x.shape[0], 1, x.shape[2]): f"a slice ({t}:{t + 1}) or a list ([{t}]) as the index keeps a time dimension "
                                     f"of length 1; a single integer ({t}) drops it.",
        (x.shape[0], x.shape[1]): "that is one feature at every step; the last index picks a feature.",
    })


def check_01_make_batch(answer) -> Feedback:
    """Make a float batch of 8 sequences, 3 time steps each, 12 features per step (batch_first)."""
    what = "a tensor of 8 sequences of 3 steps with 12 features each, e.g. torch.randn(...)"
    if unattempted(answer):
        return prompt(what)
    if not isinstance(answer, torch.Tensor):
        return not_a_tensor(answer)
    got = list(answer.shape)
    hints = {
        (8, 12, 3): "did you swap seq_len and features? The order is [batch, seq_len, features].",
        (3, 8, 12): "that is the batch_first=False layout [seq_len, batch, features].",
        (12, 3, 8): "the order is reversed: [batch, seq_len, features].",
    }
    if got != [8, 3, 12] and len(got) != 3:
        return say("wrong", f"your tensor is {got}, {len(got)}-D, expected [8, 3, 12]: a batch for an LSTM has "
                    "3 dims, [batch, seq_len, features], one number each in torch.randn(...).")
    if got != [8, 3, 12]:
        hint = hints.get(tuple(got), "the order is [batch, seq_len, features].")
        return say("wrong", f"your tensor is {got}, expected [8, 3, 12]: {hint}")
    if not answer.is_floating_point():
        return say("wrong", f"the shape is right but the dtype is {answer.dtype}; an LSTM needs floats (torch.randn).")
    if answer.is_meta:
        return say("wrong", "the shape is right, but a tensor on the 'meta' device has no values to train on: "
                   "make it on the CPU (torch.randn(...) with no device).")
    if answer.dtype != torch.float32:
        return say("correct", f"[8, 3, 12] of {answer.dtype}. But nn.LSTM's weights are float32 and it refuses "
                   "other floats: convert with .float() (torch.randn makes float32).")
    return say("correct", "[8, 3, 12]: 8 sequences, 3 steps, 12 features per step.")


def check_01_labels(answer, batch_size: int = 64, num_classes: int = 4) -> Feedback:
    """Make one class-index label per sequence for ``batch_size`` sequences and ``num_classes`` classes."""
    if unattempted(answer):
        return prompt(f"{batch_size} class indices in [0, {num_classes}), e.g. torch.randint(...)")
    if not isinstance(answer, torch.Tensor):
        return not_a_tensor(answer)
    got = list(answer.shape)
    if got == [batch_size, 1]:
        return say("wrong", f"your tensor is {got}: 2-D. For one label per sequence CrossEntropyLoss wants "
                    f"1-D [{batch_size}] (tutorial error S2); 2-D labels are for per-step logits [N, C, L].")
    if got == [num_classes]:
        return say("wrong", f"your tensor is {got}: labels are one index per sequence, "
                    "not one entry per class (tutorial error S3).")
    if got == [batch_size, num_classes]:
        return say("wrong", f"your tensor is {got}: {_rows_kind(answer)}, one entry per class. This exercise asks "
                    "for class indices: one number per sequence (tutorial error S3).")
    if got != [batch_size]:
        return say("wrong", f"your tensor is {got}, expected [{batch_size}]: one label per sequence.")
    if answer.dtype not in (torch.int64, torch.uint8):
        kind = "floats" if answer.is_floating_point() else str(answer.dtype)
        return say("wrong", f"the shape is right but the dtype is {answer.dtype}; CrossEntropyLoss takes class "
                    f"indices as int64 (torch.long, what randint makes), not {kind}.")
    try:
        low, high = answer.min().item(), answer.max().item()
    except (RuntimeError, NotImplementedError):  # e.g. on the 'meta' device
        return say("wrong", "that tensor has no values to read (is it on the 'meta' device?).")
    if low < 0 or high >= num_classes:
        return say("wrong", f"values run from {low} to {high}; class indices lie in [0, {num_classes}).")
    if num_classes > 2 and batch_size >= 32 and low == 0 and high == 1:
        return say("wrong", f"every label is 0 or 1, but there are {num_classes} classes: did you copy the tutorial's "
                    f"randint(0, 2, ...)? The upper end is the number of classes.")
    if num_classes > 2 and batch_size >= 32 and 0 < low < high:  # a fair draw misses class 0: ~1e-8
        return say("wrong", f"no label is 0: class indices start at 0, so randint({low}, ...) leaves class 0 out; "
                    f"use randint(0, {num_classes}, ...).")
    if num_classes > 2 and batch_size >= 32 and low < high == num_classes - 2:  # a fair draw misses it: ~1e-8
        return say("wrong", f"no label is {num_classes - 1}: randint's high is excluded, randint(0, {high + 1}) never "
                    f"gives {high + 1}; use randint(0, {num_classes}, ...).")
    same_class = f" (every one {low}: valid, though not random)" if low == high else ""
    byte = (". The loss lets uint8 through on the CPU, but its documented dtype is int64: prefer torch.long"
            if answer.dtype == torch.uint8 else "")
    return say("correct", f"[{batch_size}] {str(answer.dtype).removeprefix('torch.')} class indices in "
               f"[0, {num_classes}){same_class}{byte}.")


def _rows_kind(answer: torch.Tensor) -> str:
    """What a [batch, num_classes] tensor is: one-hot rows, or probabilities (rows summing to 1), or neither."""
    try:
        zero_one = bool(((answer == 0) | (answer == 1)).all())
        sums_to_one = bool(torch.allclose(answer.double().sum(dim=1), torch.ones(answer.shape[0], dtype=torch.double)))
    except (RuntimeError, NotImplementedError, TypeError):  # e.g. on the 'meta' device
        return "one row per sequence"
    if zero_one:
        return "one-hot rows" if sums_to_one else "0/1 flags (multi-hot rows)"
    return "class probabilities (a float target, e.g. a softmax)" if sums_to_one else "one score per class"


# -- lesson 02 -------------------------------------------------------------------------------

def _not_a_shape(answer) -> Feedback | None:
    """Feedback for a tensor, or a number that cannot be a size, where a shape was asked for; else None."""
    example = "a tuple of whole numbers such as (1, 2, 3)"
    if isinstance(answer, torch.Tensor):
        if answer.dim() == 1 and len(answer) <= 4:
            return say("wrong", f"that is a tensor holding numbers; write a shape as {example}, "
                       "not torch.tensor([...]).")
        return say("wrong", f"that is a tensor of shape {list(answer.shape)}, not a shape: write the shape you "
                   f"work out as {example}.")
    if isinstance(answer, numbers.Number) and not isinstance(answer, bool):
        value = _whole(answer)
        if value is None or not 0 <= value < 10**9:
            return say("wrong", f"expected a shape, {example}; got one number, {shown(answer)}, which is not even "
                       "a size.")
    return None


def check_02_h_n_shape(answer) -> Feedback:
    """``h_n``'s shape for ``nn.LSTM(10, 16, num_layers=3, bidirectional=True, batch_first=True)``
    on ``x`` of shape [4, 7, 10]."""
    refused = _not_a_shape(answer)
    if refused is not None:
        return refused
    return check_shape(answer, (6, 4, 16), "h_n's shape as a tuple, e.g. (1, 2, 3)", {
        (4, 6, 16): "batch_first does not apply to h_n: its first dim is always layers x directions.",
        (3, 4, 16): "with bidirectional=True each layer has two directions, each with its own h.",
        (6, 4, 32): "each direction's h has hidden_size 16; the directions are stacked in the first dim of h_n.",
        (4, 7, 32): "that is out's shape; h_n holds one step per layer and direction "
                    "(the last step forward, step 0 backward).",
        (3, 2, 4, 16): "that is the shape of h_n.view(num_layers, 2, batch, hidden); h_n itself keeps layers and "
                       "directions in one dim: 3 * 2 = 6.",
        (6, 7, 16): "7 is seq_len: h_n has no time dim, it holds the last step only; its second dim is the batch.",
    }, why="(num_layers * 2 directions, batch, hidden_size).",
        otherwise="h_n is [num_layers * num_directions, batch, hidden_size].")


def _no_values(answer) -> Feedback | None:
    """Feedback for a tensor on the 'meta' device, which has a shape but no values to compare; else None."""
    if isinstance(answer, torch.Tensor) and answer.device.type == "meta":
        return say("wrong", "that tensor is on the 'meta' device: it has a shape but no values to compare. "
                   "Select from the tensors the lesson made.")
    return None


def check_02_backward_final(answer, out: torch.Tensor, h_n: torch.Tensor) -> Feedback:
    """From ``out`` ([batch, seq_len, 2 * H] of a bidirectional LSTM, batch_first, any number of
    layers), select the tensor equal to ``h_n[-1]``: the last layer's backward final state."""
    what = "a slice of out (index out; h_n[-1] itself does not count)"
    if unattempted(answer):
        return prompt(what)
    refused = _no_values(answer)
    if refused is not None:
        return refused
    hidden = out.shape[2] // 2
    expected = out[:, 0, hidden:]
    if isinstance(answer, torch.Tensor) and same(answer, expected) and not _shares_memory(answer, out):
        return say("wrong", "those are h_n[-1]'s values, but not a slice of out (taken from h_n, or a copy): "
                   "find the same tensor in out by indexing it.")
    first_layers = [(h_n[i], f"that is h_n[{i}], a layer below the last: out holds the last layer only.")
                    for i in range(h_n.shape[0] - 2)]
    return check_tensor(answer, expected, what, [
        (out[:, -1, hidden:], "that is the backward direction at the last step, where it has read one step "
                              "only; it reads step 0 last."),
        (out[:, -1, :hidden], "that is the forward direction's final state, h_n[-2]; the backward direction "
                              "is the last H features."),
        (out[:, 0, :hidden], "that is the forward direction at step 0; the backward direction is the last H "
                             "features."),
        *first_layers,
    ], {
        tuple(out.shape[1:]): "that is one sequence; with batch_first the time axis is dim 1.",
        (out.shape[0], 2 * hidden): "that holds both directions side by side; take the backward half, the "
                                    "last H features.",
        (out.shape[0], out.shape[1], hidden): "that is one direction at every step; take one step.",
        (out.shape[0], 1, hidden): "a slice keeps a time dimension of length 1 (lesson 01); a single index drops it.",
        tuple(h_n.shape): "that is h_n's shape, every layer's final states; take a slice of out.",
    }, otherwise="the backward direction is the last H features of out, and its final state is at the step "
                 "it reads last.")


def _shares_memory(a: torch.Tensor, b: torch.Tensor) -> bool:
    """Whether ``a`` is a view into ``b``'s memory (e.g. ``h_n[-1]`` of ``h_n``); never raises."""
    try:
        return a.untyped_storage().data_ptr() == b.untyped_storage().data_ptr()
    except (RuntimeError, NotImplementedError):
        return False


def _bad_deep_bidirectional(h_n: torch.Tensor, num_layers) -> Feedback | None:
    """Feedback when ``num_layers`` is not a whole number >= 2 or ``h_n`` is not that LSTM's; else None."""
    if isinstance(num_layers, bool) or not isinstance(num_layers, numbers.Integral) or num_layers < 2:
        return say("wrong", f"this check needs num_layers, a whole number of at least 2 (the LSTM's num_layers), "
                   f"but got {shown(num_layers)}.")
    if h_n.dim() != 3 or h_n.shape[0] != 2 * num_layers:
        return say("wrong", f"this check needs h_n of a bidirectional LSTM with {num_layers} layers, "
                    f"[{2 * num_layers}, batch, hidden], but got {list(h_n.shape)}: re-run the cells above "
                    "that make it, then this one.")
    return None


def _layer_direction_hints(layers: torch.Tensor) -> list[tuple[torch.Tensor, str]]:
    """A hint for every [layer, direction] of ``layers`` [num_layers, 2, batch, hidden] but [1, 0]."""
    hints = [(layers[1, 1], "that is the second layer's backward direction (direction 1); forward is 0. (Or did "
                            "you view h_n as (2, num_layers, ...)? Layers come first: view(num_layers, 2, batch, "
                            "hidden).)"),
             (layers[0, 1], "that is h_n[1], the first layer's backward direction: h_n stacks layer 0 forward, "
                            "layer 0 backward, layer 1 forward, ...; view it as (num_layers, 2, batch, hidden).")]
    for layer in [0, *range(2, len(layers))]:
        for direction, name in ((0, "forward"), (1, "backward")):
            if (layer, direction) != (0, 1):
                hints.append((layers[layer, direction], f"that is layer {layer}'s {name} direction; the second "
                              "layer is layer 1 (counting from 0)."))
    return hints


def check_02_second_layer_forward(answer, out: torch.Tensor, h_n: torch.Tensor, num_layers: int) -> Feedback:
    """For a bidirectional LSTM (batch_first) of ``num_layers`` >= 2, take the *second layer's
    (layer 1) forward direction* final state from ``h_n`` using ``h_n.view(num_layers, 2, batch, hidden)``."""
    what = "a slice of h_n.view(num_layers, 2, batch, hidden_size)"
    if unattempted(answer):
        return prompt(what)
    refused = _bad_deep_bidirectional(h_n, num_layers) or _no_values(answer)
    if refused is not None:
        return refused
    batch, hidden = h_n.shape[1], h_n.shape[2]
    layers = h_n.view(num_layers, 2, batch, hidden)
    if (isinstance(answer, torch.Tensor) and not same(answer, layers[1, 0]) and _shares_memory(answer, out)
            and num_layers > 2):
        return say("wrong", f"that comes from out, which holds only the last layer (layer {num_layers - 1}); "
                   "the second layer's final states are only in h_n.")
    return check_tensor(answer, layers[1, 0], what, [
        *_layer_direction_hints(layers),
        (h_n.view(num_layers, batch, 2, hidden)[1, :, 0],
         "the view's order is wrong: h_n's first dim holds layers x directions, and batch comes after it, "
         "so view(num_layers, 2, batch, hidden)."),
        (layers[:, 0], "that is the forward direction of every layer; take the second layer only (index 1)."),
        (layers[1], "that is both directions of the second layer; take direction 0 only."),
        (torch.cat([layers[1, 0], layers[1, 1]], dim=1),
         "that is both directions side by side; take the forward one only."),
    ], {
        (2, batch, hidden): "that holds two states; index both the layer and the direction.",
        (batch, 2 * hidden): "that holds both directions side by side; take the forward one only.",
        (1, batch, hidden): "a slice keeps a dimension of length 1 (lesson 01); a single index drops it.",
    }, otherwise="these are not the second layer's forward states: view h_n as (num_layers, 2, batch, hidden), "
                 "the order its first dim is stored in, then index [layer, direction].")
