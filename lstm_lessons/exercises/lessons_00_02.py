"""Checks for the exercises of lessons 00-02."""

from __future__ import annotations

import numbers

import torch

from ..i18n import N_, _
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
    return check_number(answer, 64, _("the number of sequences in x"), {
        5: _("5 is seq_len: the number of time steps in each sequence."),
        10: _("10 is input_size: the number of features at each time step."),
        3200: _("3200 is how many numbers x holds in all (64 * 5 * 10); how many sequences?"),
    }, otherwise=_("the sequences are counted by the first number of the shape (64, 5, 10)."))


def check_00_model_calls(answer) -> Feedback:
    """How many times does the tutorial's program run the model forward?"""
    return check_number(answer, 101, _("the number of forward passes"), {
        100: _("the loop runs 100 times, but look just above it: `pred = lstm(x)` runs once more."),
        1: _("the loop calls `lstm(x)` again in every epoch."),
        202: _("inside `lstm(x)`, `forward` runs `self.lstm` once: that is part of the same model call, not another."),
    }, otherwise=_("count the lines that call `lstm(x)`: one inside the loop (run once per epoch), one above it."))


def check_00_num_values(answer) -> Feedback:
    """How many numbers does ``x`` hold in all?"""
    return check_number(answer, 3200, _("the number of values in x (try x.numel())"), {
        64: _("64 is the number of sequences; each holds 5 steps of 10 numbers."),
        50: _("50 is one sequence (5 * 10); there are 64 of them."),
        79: _("you added the sizes; multiply them instead."),
        320: _("that is 64 * 5: you left out a factor. Each of the 5 steps holds 10 numbers."),
        640: _("that is 64 * 10: you left out a factor. Each sequence has 5 steps."),
    }, otherwise=_("multiply the three sizes of x's shape (64, 5, 10)."))


# -- lesson 01 -------------------------------------------------------------------------------

_ORDINALS = (N_("first"), N_("second"), N_("third"), N_("fourth"), N_("fifth"), N_("sixth"), N_("seventh"),
             N_("eighth"), N_("ninth"), N_("tenth"))


def check_01_time_step(answer, x: torch.Tensor, t: int = 2) -> Feedback:
    """Select time step ``t`` of every sequence of ``x`` [batch, seq_len, features]."""
    nth = _(_ORDINALS[t]) if 0 <= t < len(_ORDINALS) else _("number {number}").format(number=t + 1)
    off_by_one = _("off by one: this course numbers steps from 0, like indices: step {t} is the {nth} step, "
                   "x[:, {t}].").format(t=t, nth=nth)
    return check_tensor(answer, x[:, t, :], _("a tensor holding step {t} of every sequence").format(t=t), [
        (x[t], _("that is sequence {t} (all its steps): the first index picks a sequence.").format(t=t)),
        (x[:, :, t], _("that is feature {t} at every step: the last index picks a feature.").format(t=t)),
        (x[:, t - 1, :], off_by_one),
        (x[:, t + 1, :], off_by_one),
    ], {
        (x.shape[1], x.shape[2]): _("that is one sequence; the first index picks a sequence."),
        (x.shape[0], 1, x.shape[2]): _("a slice ({t}:{step_number}) or a list ([{t}]) as the index keeps a time "
                                       "dimension of length 1; a single integer ({t}) drops it.").format(
                                           t=t, step_number=t + 1),
        (x.shape[0], x.shape[1]): _("that is one feature at every step; the last index picks a feature."),
    })


def check_01_make_batch(answer) -> Feedback:
    """Make a float batch of 8 sequences, 3 time steps each, 12 features per step (batch_first)."""
    what = _("a tensor of 8 sequences of 3 steps with 12 features each, e.g. torch.randn(...)")
    if unattempted(answer):
        return prompt(what)
    if not isinstance(answer, torch.Tensor):
        return not_a_tensor(answer)
    got = list(answer.shape)
    hints = {
        (8, 12, 3): _("did you swap seq_len and features? The order is [batch, seq_len, features]."),
        (3, 8, 12): _("that is the batch_first=False layout [seq_len, batch, features]."),
        (12, 3, 8): _("the order is reversed: [batch, seq_len, features]."),
    }
    if got != [8, 3, 12] and len(got) != 3:
        return say("wrong", _("your tensor is {got}, {n_got}-D, expected [8, 3, 12]: a batch for an LSTM has "
                    "3 dims, [batch, seq_len, features], one number each in torch.randn(...).").format(
                        got=got, n_got=len(got)))
    if got != [8, 3, 12]:
        hint = hints.get(tuple(got), _("the order is [batch, seq_len, features]."))
        return say("wrong", _("your tensor is {got}, expected [8, 3, 12]: {hint}").format(got=got, hint=hint))
    if not answer.is_floating_point():
        return say("wrong", _("the shape is right but the dtype is {dtype}; an LSTM needs floats "
                              "(torch.randn).").format(
            dtype=answer.dtype))
    if answer.is_meta:
        return say("wrong", _("the shape is right, but a tensor on the 'meta' device has no values to train on: "
                   "make it on the CPU (torch.randn(...) with no device)."))
    if answer.dtype != torch.float32:
        return say("correct", _("[8, 3, 12] of {dtype}. But nn.LSTM's weights are float32 and it refuses "
                   "other floats: convert with .float() (torch.randn makes float32).").format(dtype=answer.dtype))
    return say("correct", _("[8, 3, 12]: 8 sequences, 3 steps, 12 features per step."))


def check_01_labels(answer, batch_size: int = 64, num_classes: int = 4) -> Feedback:
    """Make one class-index label per sequence for ``batch_size`` sequences and ``num_classes`` classes."""
    if unattempted(answer):
        return prompt(_("{batch_size} class indices in [0, {num_classes}), e.g. torch.randint(...)").format(
            batch_size=batch_size, num_classes=num_classes))
    if not isinstance(answer, torch.Tensor):
        return not_a_tensor(answer)
    got = list(answer.shape)
    if got == [batch_size, 1]:
        return say("wrong", _("your tensor is {got}: 2-D. For one label per sequence CrossEntropyLoss wants "
                    "1-D [{batch_size}] (tutorial error S2); 2-D labels are for per-step logits [N, C, L].").format(
                        got=got, batch_size=batch_size))
    if got == [num_classes]:
        return say("wrong", _("your tensor is {got}: labels are one index per sequence, "
                    "not one entry per class (tutorial error S3).").format(got=got))
    if got == [batch_size, num_classes]:
        return say("wrong", _("your tensor is {got}: {rows_kind}, one entry per class. This exercise asks "
                    "for class indices: one number per sequence (tutorial error S3).").format(
                        got=got, rows_kind=_rows_kind(answer)))
    if got != [batch_size]:
        return say("wrong", _("your tensor is {got}, expected [{batch_size}]: one label per sequence.").format(
            got=got, batch_size=batch_size))
    if answer.dtype not in (torch.int64, torch.uint8):
        kind = _("floats") if answer.is_floating_point() else str(answer.dtype)
        return say("wrong", _("the shape is right but the dtype is {dtype}; CrossEntropyLoss takes class "
                    "indices as int64 (torch.long, what randint makes), not {kind}.").format(
                        dtype=answer.dtype, kind=kind))
    try:
        low, high = answer.min().item(), answer.max().item()
    except (RuntimeError, NotImplementedError):  # e.g. on the 'meta' device
        return say("wrong", _("that tensor has no values to read (is it on the 'meta' device?)."))
    if low < 0 or high >= num_classes:
        return say("wrong", _("values run from {low} to {high}; class indices lie in [0, {num_classes}).").format(
            low=low, high=high, num_classes=num_classes))
    if num_classes > 2 and batch_size >= 32 and low == 0 and high == 1:
        return say("wrong", _("every label is 0 or 1, but there are {num_classes} classes: did you copy the tutorial's "
                    "randint(0, 2, ...)? The upper end is the number of classes.").format(num_classes=num_classes))
    if num_classes > 2 and batch_size >= 32 and 0 < low < high:  # a fair draw misses class 0: ~1e-8
        return say("wrong", _("no label is 0: class indices start at 0, so randint({low}, ...) leaves class 0 out; "
                    "use randint(0, {num_classes}, ...).").format(low=low, num_classes=num_classes))
    if num_classes > 2 and batch_size >= 32 and low < high == num_classes - 2:  # a fair draw misses it: ~1e-8
        return say("wrong", _("no label is {last_class}: randint's high is excluded, randint(0, {high_plus_one}) never "
                    "gives {high_plus_one}; use randint(0, {num_classes}, ...).").format(
                        last_class=num_classes - 1, high_plus_one=high + 1, num_classes=num_classes))
    same_class = _(" (every one {low}: valid, though not random)").format(low=low) if low == high else ""
    byte = (_(". The loss lets uint8 through on the CPU, but its documented dtype is int64: prefer torch.long")
            if answer.dtype == torch.uint8 else "")
    return say("correct", _("[{batch_size}] {dtype} class indices in "
               "[0, {num_classes}){same_class}{byte}.").format(
                   batch_size=batch_size, dtype=str(answer.dtype).removeprefix('torch.'), num_classes=num_classes,
                   same_class=same_class, byte=byte))


def _rows_kind(answer: torch.Tensor) -> str:
    """What a [batch, num_classes] tensor is: one-hot rows, or probabilities (rows summing to 1), or neither."""
    try:
        zero_one = bool(((answer == 0) | (answer == 1)).all())
        sums_to_one = bool(torch.allclose(answer.double().sum(dim=1), torch.ones(answer.shape[0], dtype=torch.double)))
    except (RuntimeError, NotImplementedError, TypeError):  # e.g. on the 'meta' device
        return _("one row per sequence")
    if zero_one:
        return _("one-hot rows") if sums_to_one else _("0/1 flags (multi-hot rows)")
    return _("class probabilities (a float target, e.g. a softmax)") if sums_to_one else _("one score per class")


# -- lesson 02 -------------------------------------------------------------------------------

def _not_a_shape(answer) -> Feedback | None:
    """Feedback for a tensor, or a number that cannot be a size, where a shape was asked for; else None."""
    example = _("a tuple of whole numbers such as (1, 2, 3)")
    if isinstance(answer, torch.Tensor):
        if answer.dim() == 1 and len(answer) <= 4:
            return say("wrong", _("that is a tensor holding numbers; write a shape as {example}, "
                       "not torch.tensor([...]).").format(example=example))
        return say("wrong", _("that is a tensor of shape {shape}, not a shape: write the shape you "
                   "work out as {example}.").format(shape=list(answer.shape), example=example))
    if isinstance(answer, numbers.Number) and not isinstance(answer, bool):
        value = _whole(answer)
        if value is None or not 0 <= value < 10**9:
            return say("wrong", _("expected a shape, {example}; got one number, {answer}, which is not even "
                       "a size.").format(example=example, answer=shown(answer)))
    return None


def check_02_h_n_shape(answer) -> Feedback:
    """``h_n``'s shape for ``nn.LSTM(10, 16, num_layers=3, bidirectional=True, batch_first=True)``
    on ``x`` of shape [4, 7, 10]."""
    refused = _not_a_shape(answer)
    if refused is not None:
        return refused
    return check_shape(answer, (6, 4, 16), _("h_n's shape as a tuple, e.g. (1, 2, 3)"), {
        (4, 6, 16): _("batch_first does not apply to h_n: its first dim is always layers x directions."),
        (3, 4, 16): _("with bidirectional=True each layer has two directions, each with its own h."),
        (6, 4, 32): _("each direction's h has hidden_size 16; the directions are stacked in the first dim of h_n."),
        (4, 7, 32): _("that is out's shape; h_n holds one step per layer and direction "
                    "(the last step forward, step 0 backward)."),
        (3, 2, 4, 16): _("that is the shape of h_n.view(num_layers, 2, batch, hidden); h_n itself keeps layers and "
                       "directions in one dim: 3 * 2 = 6."),
        (6, 7, 16): _("7 is seq_len: h_n has no time dim, it holds the last step only; its second dim is the batch."),
    }, why=_("(num_layers * 2 directions, batch, hidden_size)."),
        otherwise=_("h_n is [num_layers * num_directions, batch, hidden_size]."))


def _no_values(answer) -> Feedback | None:
    """Feedback for a tensor on the 'meta' device, which has a shape but no values to compare; else None."""
    if isinstance(answer, torch.Tensor) and answer.device.type == "meta":
        return say("wrong", _("that tensor is on the 'meta' device: it has a shape but no values to compare. "
                   "Select from the tensors the lesson made."))
    return None


def check_02_backward_final(answer, out: torch.Tensor, h_n: torch.Tensor) -> Feedback:
    """From ``out`` ([batch, seq_len, 2 * H] of a bidirectional LSTM, batch_first, any number of
    layers), select the tensor equal to ``h_n[-1]``: the last layer's backward final state."""
    what = _("a slice of out (index out; h_n[-1] itself does not count)")
    if unattempted(answer):
        return prompt(what)
    refused = _no_values(answer)
    if refused is not None:
        return refused
    hidden = out.shape[2] // 2
    expected = out[:, 0, hidden:]
    if isinstance(answer, torch.Tensor) and same(answer, expected) and not _shares_memory(answer, out):
        return say("wrong", _("those are h_n[-1]'s values, but not a slice of out (taken from h_n, or a copy): "
                   "find the same tensor in out by indexing it."))
    first_layers = [(h_n[i], _("that is h_n[{i}], a layer below the last: out holds the last layer only.").format(i=i))
                    for i in range(h_n.shape[0] - 2)]
    return check_tensor(answer, expected, what, [
        (out[:, -1, hidden:], _("that is the backward direction at the last step, where it has read one step "
                              "only; it reads step 0 last.")),
        (out[:, -1, :hidden], _("that is the forward direction's final state, h_n[-2]; the backward direction "
                              "is the last H features.")),
        (out[:, 0, :hidden], _("that is the forward direction at step 0; the backward direction is the last H "
                             "features.")),
        *first_layers,
    ], {
        tuple(out.shape[1:]): _("that is one sequence; with batch_first the time axis is dim 1."),
        (out.shape[0], 2 * hidden): _("that holds both directions side by side; take the backward half, the "
                                    "last H features."),
        (out.shape[0], out.shape[1], hidden): _("that is one direction at every step; take one step."),
        (out.shape[0], 1, hidden): _("a slice keeps a time dimension of length 1 (lesson 01); a single index drops "
                                     "it."),
        tuple(h_n.shape): _("that is h_n's shape, every layer's final states; take a slice of out."),
    }, otherwise=_("the backward direction is the last H features of out, and its final state is at the step "
                 "it reads last."))


def _shares_memory(a: torch.Tensor, b: torch.Tensor) -> bool:
    """Whether ``a`` is a view into ``b``'s memory (e.g. ``h_n[-1]`` of ``h_n``); never raises."""
    try:
        return a.untyped_storage().data_ptr() == b.untyped_storage().data_ptr()
    except (RuntimeError, NotImplementedError):
        return False


def _bad_deep_bidirectional(h_n: torch.Tensor, num_layers) -> Feedback | None:
    """Feedback when ``num_layers`` is not a whole number >= 2 or ``h_n`` is not that LSTM's; else None."""
    if isinstance(num_layers, bool) or not isinstance(num_layers, numbers.Integral) or num_layers < 2:
        return say("wrong", _("this check needs num_layers, a whole number of at least 2 (the LSTM's num_layers), "
                   "but got {num_layers}.").format(num_layers=shown(num_layers)))
    if h_n.dim() != 3 or h_n.shape[0] != 2 * num_layers:
        return say("wrong", _("this check needs h_n of a bidirectional LSTM with {num_layers} layers, "
                    "[{rows}, batch, hidden], but got {shape}: re-run the cells above "
                    "that make it, then this one.").format(
                        num_layers=num_layers, rows=2 * num_layers, shape=list(h_n.shape)))
    return None


def _layer_direction_hints(layers: torch.Tensor) -> list[tuple[torch.Tensor, str]]:
    """A hint for every [layer, direction] of ``layers`` [num_layers, 2, batch, hidden] but [1, 0]."""
    hints = [(layers[1, 1], _("that is the second layer's backward direction (direction 1); forward is 0. (Or did "
                            "you view h_n as (2, num_layers, ...)? Layers come first: view(num_layers, 2, batch, "
                            "hidden).)")),
             (layers[0, 1], _("that is h_n[1], the first layer's backward direction: h_n stacks layer 0 forward, "
                            "layer 0 backward, layer 1 forward, ...; view it as (num_layers, 2, batch, hidden)."))]
    for layer in [0, *range(2, len(layers))]:
        for direction, name in ((0, _("forward")), (1, _("backward"))):
            if (layer, direction) != (0, 1):
                hints.append((layers[layer, direction], _("that is layer {layer}'s {name} direction; the second "
                              "layer is layer 1 (counting from 0).").format(layer=layer, name=name)))
    return hints


def check_02_second_layer_forward(answer, out: torch.Tensor, h_n: torch.Tensor, num_layers: int) -> Feedback:
    """For a bidirectional LSTM (batch_first) of ``num_layers`` >= 2, take the *second layer's
    (layer 1) forward direction* final state from ``h_n`` using ``h_n.view(num_layers, 2, batch, hidden)``."""
    what = _("a slice of h_n.view(num_layers, 2, batch, hidden_size)")
    if unattempted(answer):
        return prompt(what)
    refused = _bad_deep_bidirectional(h_n, num_layers) or _no_values(answer)
    if refused is not None:
        return refused
    batch, hidden = h_n.shape[1], h_n.shape[2]
    layers = h_n.view(num_layers, 2, batch, hidden)
    if (isinstance(answer, torch.Tensor) and not same(answer, layers[1, 0]) and _shares_memory(answer, out)
            and num_layers > 2):
        return say("wrong", _("that comes from out, which holds only the last layer (layer {last_layer}); "
                   "the second layer's final states are only in h_n.").format(last_layer=num_layers - 1))
    return check_tensor(answer, layers[1, 0], what, [
        *_layer_direction_hints(layers),
        (h_n.view(num_layers, batch, 2, hidden)[1, :, 0],
         _("the view's order is wrong: h_n's first dim holds layers x directions, and batch comes after it, "
         "so view(num_layers, 2, batch, hidden).")),
        (layers[:, 0], _("that is the forward direction of every layer; take the second layer only (index 1).")),
        (layers[1], _("that is both directions of the second layer; take direction 0 only.")),
        (torch.cat([layers[1, 0], layers[1, 1]], dim=1),
         _("that is both directions side by side; take the forward one only.")),
    ], {
        (2, batch, hidden): _("that holds two states; index both the layer and the direction."),
        (batch, 2 * hidden): _("that holds both directions side by side; take the forward one only."),
        (1, batch, hidden): _("a slice keeps a dimension of length 1 (lesson 01); a single index drops it."),
    }, otherwise=_("these are not the second layer's forward states: view h_n as (num_layers, 2, batch, hidden), "
                 "the order its first dim is stored in, then index [layer, direction]."))
