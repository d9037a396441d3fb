"""Checks for the exercises of lessons 03-04."""

from __future__ import annotations

import numbers

import torch
from torch import nn

from ..i18n import _
from .feedback import Feedback, check_number, check_shape, check_tensor, prompt, say, shown, unattempted

# -- lesson 03 -------------------------------------------------------------------------------


def check_03_parameter_count(answer) -> Feedback:
    """How many parameters has ``nn.LSTM(10, 32, num_layers=2)``? (by the formula, not by counting)"""
    layer0 = 4 * (32 * 10 + 32 * 32 + 2 * 32)
    layer1 = 4 * (32 * 32 + 32 * 32 + 2 * 32)
    return check_number(answer, layer0 + layer1, _("the number of parameters"), {
        layer0: _("that is layer 0 alone; layer 1 has its own weights, with input size 32 (layer 0's output)."),
        2 * layer0: _("layer 1's input is layer 0's output, so its input size is hidden_size=32, not 10."),
        layer0 + layer1 - 4 * 2 * 32 * 2: _("you left out the biases: two of size 4H per layer (bias_ih and bias_hh)."),
        layer0 + layer1 - 4 * 32 * 2: _("each layer has two bias vectors (bias_ih and bias_hh), both 4H long."),
        (layer0 + layer1) // 4: _("each of the four gates has its own weights: multiply by 4."),
    }, otherwise=_("per layer: 4 * (H*I + H*H + 2*H), with I = 10 for layer 0 and I = H = 32 for layer 1."))


def f_of(total: torch.Tensor) -> torch.Tensor:
    """The forget gate's block (the second of four) of a [batch, 4H] pre-activation."""
    return total.chunk(4, dim=1)[1]


def check_03_forget_gate(answer, x_t: torch.Tensor, h: torch.Tensor, cell: nn.LSTMCell) -> Feedback:
    """Compute the forget gate f_t [batch, H] of one step of ``cell`` from ``x_t`` and ``h``."""
    what = _("f_t computed from cell.weight_ih, cell.weight_hh, cell.bias_ih, cell.bias_hh")
    if unattempted(answer):
        return prompt(what)
    with torch.no_grad():
        from_x = x_t @ cell.weight_ih.T
        from_h = h @ cell.weight_hh.T
        pre = from_x + cell.bias_ih + from_h + cell.bias_hh
        i, f, g, o = pre.chunk(4, dim=1)
        expected = torch.sigmoid(f)
        misses = [
            (torch.sigmoid(i), _("that is the input gate: the rows are ordered i, f, g, o, so f is the second chunk.")),
            (torch.sigmoid(o), _("that is the output gate: the order is i, f, g, o.")),
            (torch.sigmoid(g), _("that is chunk g (the third); f is the second chunk.")),
            (f, _("the pre-activation is right; now squash it with torch.sigmoid.")),
            (torch.tanh(f), _("gates use torch.sigmoid (values in 0..1); tanh is for the candidate g.")),
            (torch.sigmoid(f_of(from_x + from_h)), _("add both biases, cell.bias_ih and cell.bias_hh.")),
            (torch.sigmoid(f_of(from_x + from_h + cell.bias_ih)), _("add the second bias too: cell.bias_hh.")),
            (torch.sigmoid(f_of(from_x + from_h + cell.bias_hh)), _("add the first bias too: cell.bias_ih.")),
            (torch.sigmoid(f_of(from_x + cell.bias_ih + cell.bias_hh)),
             _("h_{t-1} is missing: add h_prev @ cell.weight_hh.T.")),
            (torch.sigmoid(f_of(from_h + cell.bias_ih + cell.bias_hh)),
             _("x_t is missing: add x_step @ cell.weight_ih.T.")),
            *[(state, _("that is the cell's output (h_t or c_t), not its forget gate: compute f_t from the weights."))
              for state in cell(x_t, (h, torch.zeros_like(h)))],
            (expected.T, _("that is f_t transposed, [hidden, batch]: multiply x_step @ cell.weight_ih.T "
                         "(batch first), or take .T of your result.")),
        ]
    if isinstance(answer, torch.Tensor):
        answer = answer.detach()
        if answer.is_floating_point():  # right values in another float dtype (float64, say) are right
            answer = answer.to(expected.dtype)
    return check_tensor(answer, expected, what, misses, {
        (h.shape[1], x_t.shape[0]): _("that is [hidden, batch], f_t transposed: put the batch first, "
                                    "x_step @ cell.weight_ih.T."),
        (x_t.shape[0], 4 * h.shape[1]): _("that is all four gates at once; take the forget gate's chunk."),
        (x_t.shape[0] // 4, 4 * h.shape[1]): _("chunk(4) split dim 0, the batch; the gates lie along dim 1: "
                                             "chunk(4, dim=1)."),
    }, close=True, otherwise=_("f_t = sigmoid(block 1 of x_t W_ih^T + b_ih + h W_hh^T + b_hh)."))


def check_03_weight_shape(answer) -> Feedback:
    """The shape of ``weight_ih_l1`` in ``nn.LSTM(10, 32, num_layers=2, bidirectional=True)``."""
    return check_shape(answer, (128, 64), _("weight_ih_l1's shape as a tuple, e.g. (1, 2)"), {
        (128, 32): _("layer 1's input is layer 0's output, and with two directions that is 2 * 32 = 64 features."),
        (128, 10): _("that is layer 0's weight_ih; layer 1 reads layer 0's output instead of x."),
        (32, 64): _("the four gates' weights are stacked: 4 * 32 = 128 rows."),
        (64, 128): _("PyTorch stores it as [4 * hidden_size, input_size]: rows are gates, columns inputs."),
        (256, 64): _("each direction has its own weight_ih_l1 (the backward one is weight_ih_l1_reverse): 4H rows."),
    }, why=_("[4 * hidden_size, 2 * hidden_size]: four gates, reading both directions of layer 0."),
        otherwise=_("weight_ih is [4 * hidden_size, its input size]."))


# -- lesson 04 -------------------------------------------------------------------------------


def check_04_classifier_parameters(answer) -> Feedback:
    """How many parameters has ``LSTMClassifier(10, 32, 2, 2, bidirectional=True)``?"""
    layer0 = 2 * 4 * (32 * 10 + 32 * 32 + 2 * 32)
    layer1 = 2 * 4 * (32 * 64 + 32 * 32 + 2 * 32)
    head = 64 * 2 + 2
    right = layer0 + layer1 + head
    if isinstance(answer, nn.Module):
        return say("wrong", _("that is the model itself; the answer is a number. Work it out with the formula, "
                   "then check it with count_parameters(model)."))
    if isinstance(answer, type) and issubclass(answer, nn.Module):
        return say("wrong", _("that is the class {answer}; the answer is a number. Work it out with the "
                   "formula, then check it with count_parameters(LSTMClassifier(10, 32, 2, 2, "
                   "bidirectional=True)).").format(
                       answer=answer.__name__))
    return check_number(answer, right, _("the number of parameters"), {
        layer0 + layer1: _("that is the LSTM alone; add the head: a Linear(64, 2) has 64 * 2 weights + 2 biases."),
        layer0 + layer1 + 32 * 2 + 2: _("the head reads both directions: its input is 2 * 32 = 64 features."),
        (layer0 + 2 * 4 * (32 * 32 + 32 * 32 + 2 * 32)) + head:
            _("layer 1 reads both directions of layer 0: its input size is 64, not 32."),
        (layer0 + layer1) // 2 + head: _("bidirectional doubles the LSTM's weights: one set per direction."),
        4 * (32 * 10 + 32 * 32 + 64) + 4 * (32 * 32 + 32 * 32 + 64) + 32 * 2 + 2:
            _("that is the unidirectional model from the lesson; here each layer has two directions and the "
            "head reads 2 * 32 features."),
    }, otherwise=_("add lstm_parameter_count(10, 32, 2, bidirectional=True) and the head's 64 * 2 + 2."))


def check_04_binary_loss(answer, logit: torch.Tensor, target: torch.Tensor) -> Feedback:
    """``answer`` is a function ``binary_loss(logit, target)``: the ``BCEWithLogitsLoss`` of a one-logit
    head's output [N, 1] against 0/1 labels [N]. The check calls it on ``logit``, ``target`` (the
    lesson's batch of one) and on a batch of 4 of its own, so the tutorial's ``logit.squeeze()``, which
    fails at N = 1, reaches the check and gets a hint instead of a traceback."""
    what = _("a function of (logit, target) that returns the loss: `lambda logit, target: ...` or a def")
    if unattempted(answer):
        return prompt(what)
    if isinstance(answer, (torch.Tensor, numbers.Number)):
        return say("wrong", _("that is a loss value for one batch. Give the function itself, binary_loss, not "
                   "binary_loss(logit, target): the check calls it at two batch sizes."))
    if not callable(answer):
        return say("wrong", _("expected a function binary_loss(logit, target), got {type}.").format(
            type=type(answer).__name__))
    generator = torch.Generator().manual_seed(0)
    # logits that require grad, as a model's do: a loss cut off from them (.detach(), no_grad) cannot train
    batches = [(logit.detach().clone().requires_grad_(), target),
               (torch.randn(4, 1, generator=generator).requires_grad_(), torch.tensor([0, 1, 1, 0]))]
    first_loss = None
    for batch_logit, batch_target in batches:
        feedback = _judge_loss(answer, batch_logit, batch_target, first_loss)
        if feedback is not None:
            return feedback
        first_loss = _bce(batch_logit.detach().squeeze(1), batch_target).double()
    return say("correct", _("the right loss at batch sizes 1 and 4: logit and labels have the same shape whatever "
               "N is (logit.squeeze(1) names the dim to drop)."))


def _bce(logit: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    return nn.functional.binary_cross_entropy_with_logits(logit, target.float())


def _judge_loss(binary_loss, logit: torch.Tensor, target: torch.Tensor,
                first_loss: torch.Tensor | None) -> Feedback | None:
    """None if ``binary_loss(logit, target)`` is right for this batch, else the feedback that says why not.

    ``first_loss``: the right loss of the batch of one, when this is the second batch.
    """
    n = logit.shape[0]
    try:
        value = binary_loss(logit.clone(), target.clone())
    except Exception as error:  # noqa: BLE001 -- any error in the student's code becomes a hint
        return say("wrong", _("at batch size {n} it raises {error_type}: "
                   "{error} -- {error_hint}").format(
                       n=n, error_type=type(error).__name__, error=str(error).splitlines()[0] if str(error) else '',
                       error_hint=_error_hint(error, n)))
    if unattempted(value):
        return prompt(what=_("the loss in `return ...`")) if value is Ellipsis else say(
            "wrong", _("your function returns None: did you forget `return`?"))
    if isinstance(value, numbers.Number):
        return say("wrong", _("it returns a Python number; return the loss tensor itself (drop .item())."))
    if not isinstance(value, torch.Tensor) or value.dim() != 0:
        return say("wrong", _("at batch size {n} it returns {value}; the loss is one number, a 0-D tensor "
                   "(keep the default reduction='mean').").format(n=n, value=shown(value)))
    trainable = value.requires_grad
    try:
        value = value.detach().to(torch.float64).cpu()
    except (RuntimeError, NotImplementedError):
        return say("wrong", _("that tensor has no value to compare (is it on the 'meta' device?)."))
    if not trainable:
        return say("wrong", _("at batch size {n} the loss has no gradient, so loss.backward() cannot train the model: "
                   "drop .detach() (or torch.no_grad()) and return the loss as the loss function gives it.").format(
                       n=n))
    with torch.no_grad():
        right, squeezed = _bce(logit.squeeze(1), target).double(), logit.squeeze(1)
        misses = [
            (_bce(squeezed, 1 - target), _("the labels are flipped: a label 1 must pull the logit up. Pass "
                                         "target.float() as it is.")),
            (_bce(torch.sigmoid(squeezed), target), _("BCEWithLogitsLoss applies the sigmoid itself: pass the raw "
                                                    "logit, not torch.sigmoid(logit) (that squashes it twice).")),
            (_bce(squeezed, target) * n, _("that is the sum over the batch; the loss averages it (reduction='mean').")),
            (torch.zeros(()), _("a loss of exactly 0: CrossEntropyLoss over a single logit is always 0 (softmax of "
                              "one class is 1). A one-logit head goes to BCEWithLogitsLoss.")),
        ]
        if 0 <= squeezed.min() and squeezed.max() <= 1:
            misses.append((nn.functional.binary_cross_entropy(squeezed, target.float()),
                           _("BCELoss wants probabilities; a raw logit goes to BCEWithLogitsLoss.")))
    if torch.allclose(value, right):
        return None
    if first_loss is not None and torch.allclose(value, first_loss):
        return say("wrong", _("at batch size {n} it returns the loss of the batch of one: use the function's "
                   "arguments, logit and target, not the cells' variables.").format(n=n))
    for miss, hint in misses:
        if torch.allclose(value, miss.double()):
            return say("wrong", _("at batch size {n} you get {value:.4f}, expected {right:.4f}: {hint}").format(
                n=n, value=value.item(), right=right.item(), hint=hint))
    return say("wrong", _("at batch size {n} you get {value:.4f}, expected {right:.4f}: use the "
               "function's arguments, squeeze the logit's dim 1 ([N, 1] -> [N]) and give the loss float "
               "labels.").format(
                   n=n, value=value.item(), right=right.item()))


def _error_hint(error: Exception, n: int) -> str:
    text = str(error)
    if "must be the same as input size" in text and n == 1 and "torch.Size([])" in text:
        return (_("squeeze() removed every size-1 dim, the batch of one too: [1, 1] -> []. Squeeze the named dim: "
                "logit.squeeze(1)."))
    if "must be the same as input size" in text:
        return _("the logit is [N, 1], the labels [N]: squeeze the logit's dim 1, logit.squeeze(1).")
    if "Float can't be cast" in text or "Long" in text:
        return _("BCEWithLogitsLoss wants float labels: target.float().")
    if "out of bounds" in text:
        return _("CrossEntropyLoss wants one logit per class; a one-logit head goes to BCEWithLogitsLoss.")
    if "should be between 0 and 1" in text:
        return _("BCELoss wants probabilities; a raw logit goes to BCEWithLogitsLoss.")
    if isinstance(error, TypeError) and "positional argument" in text:
        return _("the function takes two arguments: def binary_loss(logit, target).")
    return _("print the shapes and dtypes of what you pass to the loss.")


def check_04_squeeze_shape(answer) -> Feedback:
    """The shape of ``pred.squeeze()`` when ``pred`` is [1, 5, 1] (one sequence, 5 steps, one output each)."""
    return check_shape(answer, (5,), _("the shape as a tuple, e.g. (3,) or (3, 4)"), {
        (1, 5): _("squeeze() removes every dimension of size 1: the last one and the batch of one."),
        (5, 1): _("squeeze() removes every dimension of size 1, the batch dimension too."),
        (1, 5, 1): _("squeeze() with no argument removes every dimension of size 1."),
        (): _("only dimensions of size 1 go; the 5 steps stay."),
    }, why=_("both size-1 dims are gone, the batch one included. pred.squeeze(2) would give [1, 5], keeping "
             "the batch."),
        otherwise=_("squeeze() removes every dimension of size 1."))
