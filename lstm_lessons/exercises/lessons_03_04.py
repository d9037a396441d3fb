"""Checks for the exercises of lessons 03-04."""

from __future__ import annotations

import torch
from torch import nn

from .feedback import Feedback, check_number, check_shape, check_tensor, prompt, say, unattempted

# -- lesson 03 -------------------------------------------------------------------------------


def check_03_parameter_count(answer) -> Feedback:
    """How many parameters has ``nn.LSTM(10, 32, num_layers=2)``? (by the formula, not by counting)"""
    layer0 = 4 * (32 * 10 + 32 * 32 + 2 * 32)
    layer1 = 4 * (32 * 32 + 32 * 32 + 2 * 32)
    return check_number(answer, layer0 + layer1, "the number of parameters", {
        layer0: "that is layer 0 alone; layer 1 has its own weights, with input size 32 (layer 0's output).",
        2 * layer0: "layer 1's input is layer 0's output, so its input size is hidden_size=32, not 10.",
        layer0 + layer1 - 4 * 2 * 32 * 2: "you left out the biases: two of size 4H per layer (bias_ih and bias_hh).",
        layer0 + layer1 - 4 * 32 * 2: "each layer has two bias vectors (bias_ih and bias_hh), both 4H long.",
        (layer0 + layer1) // 4: "each of the four gates has its own weights: multiply by 4.",
    }, otherwise="per layer: 4 * (H*I + H*H + 2*H), with I = 10 for layer 0 and I = H = 32 for layer 1.")


def f_of(total: torch.Tensor) -> torch.Tensor:
    """The forget gate's block (the second of four) of a [batch, 4H] pre-activation."""
    return total.chunk(4, dim=1)[1]


def check_03_forget_gate(answer, x_t: torch.Tensor, h: torch.Tensor, cell: nn.LSTMCell) -> Feedback:
    """Compute the forget gate f_t [batch, H] of one step of ``cell`` from ``x_t`` and ``h``."""
    what = "f_t computed from cell.weight_ih, cell.weight_hh, cell.bias_ih, cell.bias_hh"
    if unattempted(answer):
        return prompt(what)
    with torch.no_grad():
        from_x = x_t @ cell.weight_ih.T
        from_h = h @ cell.weight_hh.T
        pre = from_x + cell.bias_ih + from_h + cell.bias_hh
        i, f, g, o = pre.chunk(4, dim=1)
        expected = torch.sigmoid(f)
        misses = [
            (torch.sigmoid(i), "that is the input gate: the rows are ordered i, f, g, o, so f is the second chunk."),
            (torch.sigmoid(o), "that is the output gate: the order is i, f, g, o."),
            (torch.sigmoid(g), "that is chunk g (the third); f is the second chunk."),
            (f, "the pre-activation is right; now squash it with torch.sigmoid."),
            (torch.tanh(f), "gates use torch.sigmoid (values in 0..1); tanh is for the candidate g."),
            (torch.sigmoid(f_of(from_x + from_h)), "add both biases, cell.bias_ih and cell.bias_hh."),
            (torch.sigmoid(f_of(from_x + from_h + cell.bias_ih)), "add the second bias too: cell.bias_hh."),
            (torch.sigmoid(f_of(from_x + from_h + cell.bias_hh)), "add the first bias too: cell.bias_ih."),
            (torch.sigmoid(f_of(from_x + cell.bias_ih + cell.bias_hh)),
             "h_{t-1} is missing: add h_prev @ cell.weight_hh.T."),
            (torch.sigmoid(f_of(from_h + cell.bias_ih + cell.bias_hh)),
             "x_t is missing: add x_step @ cell.weight_ih.T."),
        ]
    if isinstance(answer, torch.Tensor):
        answer = answer.detach()
    return check_tensor(answer, expected, what, misses, {
        (x_t.shape[0], 4 * h.shape[1]): "that is all four gates at once; take the forget gate's chunk.",
    }, close=True, otherwise="f_t = sigmoid(block 1 of x_t W_ih^T + b_ih + h W_hh^T + b_hh).")


def check_03_weight_shape(answer) -> Feedback:
    """The shape of ``weight_ih_l1`` in ``nn.LSTM(10, 32, num_layers=2, bidirectional=True)``."""
    return check_shape(answer, (128, 64), "weight_ih_l1's shape as a tuple, e.g. (1, 2)", {
        (128, 32): "layer 1's input is layer 0's output, and with two directions that is 2 * 32 = 64 features.",
        (128, 10): "that is layer 0's weight_ih; layer 1 reads layer 0's output instead of x.",
        (32, 64): "the four gates' weights are stacked: 4 * 32 = 128 rows.",
        (64, 128): "PyTorch stores it as [4 * hidden_size, input_size]: rows are gates, columns inputs.",
        (256, 64): "each direction has its own weight_ih_l1 (the backward one is weight_ih_l1_reverse): 4H rows.",
    }, why="[4 * hidden_size, 2 * hidden_size]: four gates, reading both directions of layer 0.",
        otherwise="weight_ih is [4 * hidden_size, its input size].")


# -- lesson 04 -------------------------------------------------------------------------------


def check_04_classifier_parameters(answer) -> Feedback:
    """How many parameters has ``LSTMClassifier(10, 32, 2, 2, bidirectional=True)``?"""
    layer0 = 2 * 4 * (32 * 10 + 32 * 32 + 2 * 32)
    layer1 = 2 * 4 * (32 * 64 + 32 * 32 + 2 * 32)
    head = 64 * 2 + 2
    right = layer0 + layer1 + head
    return check_number(answer, right, "the number of parameters", {
        layer0 + layer1: "that is the LSTM alone; add the head: a Linear(64, 2) has 64 * 2 weights + 2 biases.",
        layer0 + layer1 + 32 * 2 + 2: "the head reads both directions: its input is 2 * 32 = 64 features.",
        (layer0 + 2 * 4 * (32 * 32 + 32 * 32 + 2 * 32)) + head:
            "layer 1 reads both directions of layer 0: its input size is 64, not 32.",
        (layer0 + layer1) // 2 + head: "bidirectional doubles the LSTM's weights: one set per direction.",
        4 * (32 * 10 + 32 * 32 + 64) + 4 * (32 * 32 + 32 * 32 + 64) + 32 * 2 + 2:
            "that is the unidirectional model from the lesson; here each layer has two directions and the "
            "head reads 2 * 32 features.",
    }, otherwise="add lstm_parameter_count(10, 32, 2, bidirectional=True) and the head's 64 * 2 + 2.")


def check_04_binary_loss(answer, logit: torch.Tensor, target: torch.Tensor) -> Feedback:
    """``BCEWithLogitsLoss`` of a one-logit head ``logit`` [N, 1] against 0/1 labels ``target`` [N],
    written so that it works at every batch size, N = 1 included."""
    if unattempted(answer):
        return prompt("the BCEWithLogitsLoss of logit against target")
    if isinstance(answer, (int, float)) and not isinstance(answer, bool):
        return say("wrong", "that is a Python number; give the loss tensor itself (drop .item()).")
    if not isinstance(answer, torch.Tensor) or answer.dim() != 0:
        return say("wrong", f"expected the loss: one number, a 0-D tensor, got {answer!r}.")
    with torch.no_grad():
        right = nn.functional.binary_cross_entropy_with_logits(logit.squeeze(1), target.float())
    try:
        value = answer.detach().to(right.dtype).cpu()
    except (RuntimeError, NotImplementedError):
        return say("wrong", "that tensor has no value to compare (is it on the 'meta' device?).")
    if torch.allclose(value, right.cpu()):
        return say("correct", f"{right.item():.4f}: logit.squeeze(1) is [N] like the labels, at every batch size.")
    return say("wrong", f"you got {value.item():.4f}; squeeze the logit's dim 1 ([N, 1] -> [N]) and give the loss "
               "float labels: target.float().")


def check_04_squeeze_shape(answer) -> Feedback:
    """The shape of ``pred.squeeze()`` when ``pred`` is [1, 5, 1] (one sequence, 5 steps, one output each)."""
    return check_shape(answer, (5,), "the shape as a tuple, e.g. (3,) or (3, 4)", {
        (1, 5): "squeeze() removes every dimension of size 1: the last one and the batch of one.",
        (5, 1): "squeeze() removes every dimension of size 1, the batch dimension too.",
        (1, 5, 1): "squeeze() with no argument removes every dimension of size 1.",
        (): "only dimensions of size 1 go; the 5 steps stay.",
    }, why="both size-1 dims are gone, the batch one included. pred.squeeze(2) would give [1, 5], keeping the batch.",
        otherwise="squeeze() removes every dimension of size 1.")
