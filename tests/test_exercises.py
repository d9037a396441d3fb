"""Every exercise check: right answers written several ways, wrong answers with their hints,
no answer yet, and absurd input -- which gets feedback, never a traceback, never "correct"."""

import math

import numpy as np
import pytest
import torch
from torch import nn
from torch.utils.data import DataLoader

from lstm_lessons import LSTMClassifier
from lstm_lessons import exercises as ex
from lstm_lessons.exercises.lesson_05 import read_learning_rate
from lstm_lessons.lengths import last_real_step
from lstm_lessons.shapes import count_parameters
from lstm_lessons.tasks import order_task


def _data():
    """The tensors the lessons pass to their checks, made small and seeded."""
    torch.manual_seed(0)
    x = torch.randn(6, 5, 4)
    out, (h_n, _) = nn.LSTM(4, 3, num_layers=2, batch_first=True)(x)
    out_d, (h_n_d, _) = nn.LSTM(4, 3, num_layers=2, batch_first=True, bidirectional=True)(x)
    x_t, h, cell = torch.randn(3, 5), torch.randn(3, 4), nn.LSTMCell(5, 4)
    data = {"x": x, "out": out.detach(), "h_n": h_n.detach(), "out_d": out_d.detach(), "h_n_d": h_n_d.detach(),
            "x_t": x_t, "h": h, "cell": cell, "logit": torch.randn(1, 1, requires_grad=True),  # as a model's logit
            "target": torch.tensor([1])}
    out3, (h_n3, _) = nn.LSTM(4, 3, num_layers=3, batch_first=True, bidirectional=True)(x)
    return data | {"out3": out3.detach(), "h_n3": h_n3.detach()} | _lesson_07_data()


def _lesson_07_data():
    """A padded out of sequences of lengths 4, 2, 5 (zeros after each end), and per-step logits and targets."""
    lengths = torch.tensor([4, 2, 5])
    mask = torch.arange(5) < lengths.unsqueeze(1)  # [3, 5]
    out7 = torch.randn(3, 5, 6) * mask.unsqueeze(2)
    logits7, targets7 = torch.randn(3, 5, 4), torch.randint(0, 4, (3, 5))
    bi7 = nn.LSTM(4, 3, batch_first=True, bidirectional=True)
    three7 = [torch.randn(int(n), 4) for n in lengths]
    return {"lengths7": lengths, "mask7": mask, "out7": out7, "logits7": logits7, "targets7": targets7,
            "bi7": bi7, "three7": three7}


D = _data()
ARGS = {  # the extra arguments each check takes in its lesson
    "check_01_time_step": [D["x"]],
    "check_02_backward_final": [D["out3"], D["h_n3"]],
    "check_02_second_layer_forward": [D["out3"], D["h_n3"], 3],
    "check_03_forget_gate": [D["x_t"], D["h"], D["cell"]],
    "check_04_binary_loss": [D["logit"], D["target"]],
    "check_07_both_directions": [D["bi7"], D["three7"]],
    "check_07_sequence_mean": [D["logits7"], D["targets7"], D["lengths7"]],
    "check_08_targets": [torch.tensor([7, 2, 9, 4, 0, 5, 8])],
}
TRAINS = {"check_05_learning_rate", "check_06_diverging_lr", "check_06_smallest_model"}  # seconds per answer
CHECKS = [name for name in ex.__all__ if name.startswith("check_")]


def run(name, answer):
    args = ARGS.get(name, [])
    if name == "check_05_learning_rate":
        args = [order_task(n_train=64, n_val=32)]
    return getattr(ex, name)(answer, *args)


def _gate(pre: torch.Tensor) -> torch.Tensor:
    return torch.sigmoid(pre.chunk(4, dim=1)[1])


def _forget_by_rows():
    x_t, h, cell = D["x_t"], D["h"], D["cell"]
    rows = slice(4, 8)  # the f block's rows of every weight
    with torch.no_grad():
        return torch.sigmoid(nn.functional.linear(x_t, cell.weight_ih[rows], cell.bias_ih[rows])
                             + nn.functional.linear(h, cell.weight_hh[rows], cell.bias_hh[rows]))


def _forget(with_x=True, with_h=True, b_ih=True, b_hh=True, squash=torch.sigmoid, block=1):
    x_t, h, cell = D["x_t"], D["h"], D["cell"]
    with torch.no_grad():
        pre = (x_t @ cell.weight_ih.T if with_x else 0) + (h @ cell.weight_hh.T if with_h else 0)
        pre = pre + (cell.bias_ih if b_ih else 0) + (cell.bias_hh if b_hh else 0)
        return squash(pre.chunk(4, dim=1)[block])


def _bce(logit, target):
    return nn.BCEWithLogitsLoss()(logit, target)


IDS = ARGS["check_08_targets"][0]
x, out, h_n, layers = D["x"], D["out"], D["h_n"], D["h_n_d"].view(2, 2, 6, 3)
out7, lengths7, mask7 = D["out7"], D["lengths7"], D["mask7"]
per_step7 = nn.functional.cross_entropy(D["logits7"].transpose(1, 2), D["targets7"], reduction="none")  # [3, 5]
each7 = (per_step7 * mask7).sum(1) / lengths7  # [3]: each sequence's own mean


def _bi7(packed=True):
    """Exercise 07-2's bidirectional out, [3, 5, 6] (packed, then unpacked; or run padded), and h_n."""
    padded = nn.utils.rnn.pad_sequence(D["three7"], batch_first=True)
    if not packed:
        return D["bi7"](padded)
    packed_x = nn.utils.rnn.pack_padded_sequence(padded, lengths7, batch_first=True, enforce_sorted=False)
    out, state = D["bi7"](packed_x)
    return nn.utils.rnn.pad_packed_sequence(out, batch_first=True)[0], state


bi_out7, (bi_h_n7, _) = _bi7()
bi_padded7 = _bi7(packed=False)[0]
fwd7, bwd7 = bi_out7[torch.arange(3), lengths7 - 1, :3], bi_out7[:, 0, 3:]
out3, h_n3, layers3 = D["out3"], D["h_n3"], D["h_n3"].view(3, 2, 6, 3)

RIGHT = {  # each check: right answers written differently from the lesson's solution
    "check_00_batch_size": [len(torch.randn(64, 5, 10)), torch.tensor(64), 64.0, np.int64(64)],
    "check_00_num_values": [torch.randn(64, 5, 10).numel(), torch.tensor([64, 5, 10]).prod(), np.float64(3200)],
    "check_00_model_calls": [100 + 1, 101.0],
    "check_01_time_step": [x.select(1, 2), x.transpose(0, 1)[2], x[:, 2:3].squeeze(1)],
    "check_01_make_batch": [torch.zeros(8, 3, 12), torch.rand(3, 8, 12).transpose(0, 1)],
    "check_01_labels": [torch.arange(64) % 4, torch.zeros(64, dtype=torch.long),
                        torch.randint(0, 4, (64,), dtype=torch.uint8)],
    "check_02_h_n_shape": [[6, 4, 16], torch.Size([3 * 2, 4, 16]), (6.0, np.int64(4), torch.tensor(16))],
    "check_02_backward_final": [out3[:, 0, 3:], out3.select(1, 0)[:, -3:], out3[:, :1, 3:].squeeze(1)],
    "check_02_second_layer_forward": [h_n3[2], layers3[1][0], h_n3.view(3, 2, 6, 3)[1, 0]],
    "check_03_parameter_count": [count_parameters(nn.LSTM(10, 32, num_layers=2)), 14080.0],
    "check_03_forget_gate": [_forget_by_rows(), _gate(D["h"] @ D["cell"].weight_hh.T + D["cell"].bias_hh
                                                      + D["x_t"] @ D["cell"].weight_ih.T + D["cell"].bias_ih),
                             _forget_by_rows().double()],  # the right values in float64 are right
    "check_03_weight_shape": [[128, 64], nn.LSTM(10, 32, 2, bidirectional=True).weight_ih_l1.shape],
    "check_04_classifier_parameters": [count_parameters(LSTMClassifier(10, 32, 2, 2, bidirectional=True)),
                                       np.int32(36482)],
    "check_04_binary_loss": [lambda logit, target: _bce(logit.view(-1), target.float()),
                             lambda logit, target: _bce(logit, target.float().unsqueeze(1)),
                             lambda logit, target: nn.BCELoss()(torch.sigmoid(logit[:, 0]), target.to(logit.dtype))],
    "check_04_squeeze_shape": [[5], torch.randn(1, 5, 1).squeeze().shape, (5.0,)],
    "check_05_steps_per_epoch": [math.ceil(1438 / 32), len(DataLoader(range(1438), batch_size=32)),
                                 np.ceil(1438 / 32)],
    "check_05_loop_order": [["zero_grad", "forward", "loss", "backward", "step"],
                            ("Forward", "loss", "loss.backward()", "optimizer.step()", "optimizer.zero_grad()"),
                            ["pred = model(x)", "loss = criterion(pred, y)", "optimizer.zero_grad()",
                             "loss.backward()", "optimizer.step()"],  # the tutorial's own lines
                            ["forward pass", "loss", "zero grad", "backward pass", "step"]],
    "check_05_learning_rate": [],  # trains: see test_learning_rate_trains_and_judges
    "check_06_diverging_lr": [],  # trains: see test_diverging_lr
    "check_06_overfitting": ["(b)", " B ", "b)"],
    "check_06_smallest_model": [],  # trains: see test_smallest_model
    "check_07_batch_sizes": [[3, 3, 2, 1, 1], (3.0, 3, np.int64(2), 1, 1), torch.tensor([3, 3, 2, 1, 1]),
                             np.array([3, 3, 2, 1, 1]), torch.tensor([3.0, 3, 2, 1, 1]),
                             nn.utils.rnn.pack_padded_sequence(torch.zeros(3, 5, 1), [5, 3, 2],
                                                               batch_first=True).batch_sizes],
    "check_07_both_directions": [
        torch.cat([fwd7, bwd7], dim=1), torch.cat([bi_h_n7[-2], bi_h_n7[-1]], dim=1),  # from out, from h_n
        torch.cat([last_real_step(bi_out7, lengths7)[:, :3], bi_out7[:, 0, 3:]], 1),
        torch.cat([D["bi7"](s.unsqueeze(0))[1][0].permute(1, 0, 2).reshape(1, 6) for s in D["three7"]]),  # alone
        torch.cat([bi_out7[torch.arange(3), lengths7 - 1], bi_out7[:, 0]], 1)[:, [0, 1, 2, 9, 10, 11]]],
    "check_07_sequence_mean": [each7.mean(),
                               torch.stack([per_step7[i, :n].mean() for i, n in enumerate(lengths7)]).mean(),
                               each7.mean().item(), np.float64(each7.mean().item()), each7.mean().double().view(1),
                               np.array([each7.mean().item()])],
    "check_10_steps_per_epoch": [math.floor(2000 / 96), len(DataLoader(range(2000), batch_size=96, drop_last=True)),
                                 20.0, np.int64(20)],
    "check_10_padding": [math.ceil(1438 / 3) * 3 - 1438, -1438 % 3, 2.0, torch.tensor(2)],
    "check_10_global_batch": [60, 63.0, np.int64(66), torch.tensor(69)],
    "check_08_targets": [IDS[1:].clone(), torch.roll(IDS, -1)[:-1], torch.tensor(IDS.tolist()[1:]),
                         IDS.narrow(0, 1, 6)],
    "check_08_sequence_loss": [lambda logits, t: nn.functional.cross_entropy(logits.reshape(-1, 7), t.reshape(-1)),
                               lambda logits, t: nn.CrossEntropyLoss()(logits.permute(0, 2, 1), t),
                               lambda logits, t: nn.NLLLoss()(torch.log_softmax(logits, -1).transpose(1, 2), t)],
    "check_08_unigram_bits": [-sum(math.log2("tattoo".count(c) / 6) for c in "tattoo") / 6,
                              (3 * 1 + 2 * math.log2(3) + math.log2(6)) / 6, np.float32(1.4591), torch.tensor(1.45915)],
}


def _loss_seed_form(logit, target):  # the tutorial's own form: fails at a batch of one
    return _bce(logit.squeeze(), target.float())


WRONG = {  # each check: wrong answers and the words their hint must hold
    "check_00_batch_size": [(5, "seq_len"), (10, "input_size"), (3200, "3200"), (7, "first number"),
                            (64.5, "whole number")],
    "check_00_num_values": [(64, "sequences"), (79, "multiply"), (50, "one sequence"), (320, "left out a factor"),
                            (640, "5 steps"), ("bogus", "no quotes"), ("3200", "3200 without the quotes")],
    "check_00_model_calls": [(100, "above it"), (1, "every epoch"), (102, "one inside the loop"),
                             (202, "same model call")],
    "check_01_time_step": [(x[2], "picks a sequence"), (x[:, :, 2], "picks a feature"), (x[:, 1], "the third step"),
                           (x[:, 3], "numbers steps from 0"), (x[:, 2:3], "length 1"), (x[:, [2]], "a list ([2])"),
                           (torch.zeros(6, 10), "[6, 10]"), (x[:, 2].double(), "dtype"),
                           (x[:, 2] + 1, "values differ")],
    "check_01_make_batch": [(torch.randn(8, 12, 3), "swap seq_len and features"),
                            (torch.randn(3, 8, 12), "batch_first=False"),
                            (torch.zeros(8, 3, 12, dtype=torch.int64), "dtype"), (torch.randn(8, 3), "2-D"),
                            (torch.randn(8, 36), "has 3 dims"), (torch.randn(1, 8, 3, 12), "4-D")],
    "check_01_labels": [(torch.randint(0, 4, (64, 1)), "S2"), (torch.randint(0, 2, (4,)), "S3"),
                        (nn.functional.one_hot(torch.arange(64) % 4, 4), "one-hot"),
                        (torch.softmax(torch.randn(64, 4), dim=1), "class probabilities"),
                        ((torch.arange(64) % 4).float(), "not floats"),
                        ((torch.arange(64) % 4).int(), "not torch.int32"),
                        (torch.full((64,), 4), "[0, 4)"), (torch.arange(64) % 2, "randint(0, 2"),
                        (torch.arange(64) % 3, "high is excluded")],
    "check_02_h_n_shape": [((4, 6, 16), "batch_first does not apply"), ((3, 4, 16), "two directions"),
                           ((4, 7, 32), "out's shape"), ((6, 4, 32), "hidden_size 16"),
                           ((6.9, 4, 16), "not a size"), (6, "comma makes a tuple")],
    "check_02_backward_final": [
        (out3[:, -1, 3:], "read one step only"), (out3[:, -1, :3], "forward direction's final state"),
        (out3[:, 0, :3], "forward direction at step 0"), (h_n3[0], "out holds the last layer only"),
        (out3[:, 0], "both directions side by side"), (out3[:, 0:1, 3:], "length 1"),
        (h_n3[-1], "not a slice of out"), (h_n3[-1].clone(), "not a slice of out"),
        (h_n3[-1] + 0, "not a slice of out"), (out3[:, 0, 3:].clone(), "or a copy"),
        (torch.empty(6, 3, device="meta"), "no values"), (out3[:, 0, 3:] + 1, "step it reads last")],
    "check_02_second_layer_forward": [
        (layers3[1, 1], "backward direction"), (layers3[0, 0], "layer 0's forward"), (h_n3[1], "view it as"),
        (layers3[2, 1], "layer 2's backward"), (layers3[2, 0], "layer 2's forward"),
        (out3[:, -1, :3], "holds only the last layer"), (out3[:, 0, 3:], "holds only the last layer"),
        (layers3[:, 0], "every layer"), (layers3[1], "both directions of the second layer"),
        (torch.cat([layers3[1, 0], layers3[1, 1]], 1), "side by side"),
        (h_n3.view(3, 6, 2, 3)[1, :, 0], "view's order is wrong"), (layers3[1, 0] + 1, "view h_n as"),
        (torch.empty(6, 3, device="meta"), "no values")],
    "check_03_parameter_count": [(5632, "layer 0 alone"), (11264, "input size is hidden_size"), (13568, "biases"),
                                 (3520, "multiply by 4"), (1, "per layer"), (-14080, "never negative")],
    "check_03_forget_gate": [(_forget(block=0), "input gate"), (_forget(block=3), "output gate"),
                             (_forget(squash=lambda t: t), "torch.sigmoid"),
                             (_forget(b_ih=False, b_hh=False), "biases"),
                             (_forget(with_h=False), "h_{t-1} is missing"), (_forget(b_hh=False), "bias_hh"),
                             (_forget(squash=torch.tanh), "tanh is for the candidate"),
                             (_forget().T, "f_t transposed"), (torch.rand(4, 3), "f_t transposed"),
                             (_forget() + 0.1, "block 1"),
                             (torch.sigmoid(D["x_t"] @ D["cell"].weight_ih.T), "all four gates")],
    "check_03_weight_shape": [((128, 32), "2 * 32 = 64"), ((128, 10), "layer 0's"), ((32, 64), "4 * 32 = 128"),
                              ((64, 128), "rows are gates"), ("128x64", "not a string")],
    "check_04_classifier_parameters": [(36352, "add the head"), (36418, "both directions"),
                                       (18306, "bidirectional doubles"), (5, "add lstm_parameter_count"),
                                       (14146, "unidirectional model"),
                                       (LSTMClassifier(10, 32, 2, 2, bidirectional=True), "count_parameters(model)")],
    "check_04_binary_loss": [
        (_loss_seed_form, "the batch of one too"),
        (lambda logit, target: _bce(logit.squeeze(1), 1 - target.float()), "labels are flipped"),
        (lambda logit, target: _bce(torch.sigmoid(logit.squeeze(1)), target.float()), "applies the sigmoid itself"),
        (lambda logit, target: _bce(logit.squeeze(1), target), "float labels"),
        (lambda logit, target: _bce(logit, target.float()), "squeeze the logit's dim 1"),
        (lambda logit, target: _bce(logit.squeeze(1), target.float()).item(), "drop .item()"),
        (lambda logit, target: nn.BCEWithLogitsLoss(reduction="sum")(logit.squeeze(1), target.float()), "sum over"),
        (lambda logit, target: nn.BCEWithLogitsLoss(reduction="none")(logit.squeeze(1), target.float()), "0-D"),
        (lambda logit, target: _bce(D["logit"].squeeze(1), D["target"].float()), "cells' variables"),
        (lambda logit, target: None, "forget `return`"),
        (lambda logit, target: _bce(logit.squeeze(1), target.float()).detach(), "no gradient"),
        (lambda logit, target: _bce(logit.squeeze(1).detach(), target.float()), "no gradient"),
        (_bce(D["logit"].squeeze(1), D["target"].float()), "the function itself")],
    "check_04_squeeze_shape": [((1, 5), "batch of one"), ((5, 1), "batch dimension too"), ((), "5 steps stay"),
                               (5, "(5,)"), (3, "(3,)"), (1.5, "(n,)"), (float("nan"), "(n,)"), (10**400, "(n,)"),
                               (torch.randn(5), ".shape")],
    "check_05_steps_per_epoch": [(44, "a step too"), (1438, "one step per sequence"), (1, "full-batch"),
                                 (32, "batch size"), (40, "round up"), (1438 / 32, "math.ceil")],
    "check_05_loop_order": [(["forward", "loss", "backward", "zero_grad", "step"], "wipes the gradients"),
                            (["forward", "loss", "zero_grad", "step", "backward"], "backward must compute"),
                            (["loss", "forward", "zero_grad", "backward", "step"], "forward must come first"),
                            (["forward", "loss", "zero_grad", "backward"], "missing ['step']"),
                            (["forward", "loss", "loss", "backward", "step"], "repeated ['loss']"),
                            ("forward loss", "one string per step"), ([1, 2], "list of step names"),
                            (["step", "zero_grad", "forward", "loss", "backward"], "top to bottom"),
                            (["forward", "loss", "zero_grad", "backward", "optimise"], "unknown ['optimise']"),
                            (["pred = model(x)", "los = criterion(pred, y)", "zero_grad", "backward", "step"],
                             "repeated ['forward']")],
    "check_05_learning_rate": [(-1, "positive"), (0, "positive")],
    "check_06_diverging_lr": [(-1, "positive"), ("10", "not a string")],
    "check_06_overfitting": [("a", "dashed accuracy line"), ("(c)", "needs knowledge"),
                             ("both a and c", "exactly one option"), ("stays near chance", "exactly one option"),
                             (2, "as a string")],
    "check_06_smallest_model": [(12, "halving path"), (0, "halving path"), (128, "halving path")],
    "check_07_batch_sizes": [([5, 3, 2], "those are the lengths"), ([3, 3, 3, 3, 3], "counts the padding"),
                             ([1, 1, 2, 3, 3], "wrong order"), ([3, 2, 2, 1, 1], "stops before step 2"),
                             ([3, 3, 2, 1], "add up to"), ([3, 3, 1, 2, 1], "longer than t"),
                             ("3, 3, 2, 1, 1", "list of whole numbers"), ([3, 2.5], "list of whole numbers"),
                             ([10**400], "never more than the 3"), (np.array([3, 3, 3, 3, 3]), "counts the padding")],
    "check_07_both_directions": [
        (bi_out7[torch.arange(3), lengths7 - 1], "backward half at lengths - 1"),
        (bi_out7[:, 0], "forward half at step 0"), (bi_out7[:, -1], "confusion 5"),
        (torch.cat([bwd7, fwd7], dim=1), "wrong order"),
        (torch.cat([bi_padded7[torch.arange(3), lengths7 - 1, :3], bi_padded7[:, 0, 3:]], 1), "pack first"),
        (fwd7, "that is one direction"), (bi_out7, "whole padded out"),
        (torch.cat([fwd7, bwd7], dim=1) + 1, "out[i, 0, hidden:]"), ([1, 2], "expected a tensor"),
        (torch.cat([fwd7, bwd7], dim=1).detach().numpy(), "torch.from_numpy"), (np.float64(0.5), "torch.as_tensor")],
    "check_07_sequence_mean": [(per_step7[mask7].mean(), "masks section's mean"),
                               (per_step7.mean(1).mean(), "padded steps too"),
                               ((per_step7 * mask7).sum(1).div(5).mean(), "divided by max_len"),
                               (each7.sum(), "sum of the sequences' means"), (each7, "now average them"),
                               (per_step7 * mask7, "one number"), (torch.tensor(0.5), "you got 0.5000"),
                               (torch.complex(each7.mean(), torch.tensor(0.0)), "complex"),
                               ("0.5", "expected one number"), (float("nan"), "finite")],
    "check_10_steps_per_epoch": [(21, "round down"), (5, "not the steps"), (83, "one process's share"),
                                 (84, "shared by all 4"), (2000, "one step per sequence"), (96, "global batch size"),
                                 (22, "2000 // 96"), (20.8, "round down"),
                                 (80, "each takes all 20"), (500, "2000 / 4"), (24, "how many steps"),
                                 (20.0000001, "got 20.0000001")],
    "check_10_padding": [(0, "pads with repeats"), (1, "left over"), (480, "each process's share"),
                         (1440, "padded total"), (479, "drop_last=True, which drops"), (5, "subtract 1438"),
                         (-2, "never negative"), (1438, "whole data set")],
    "check_10_global_batch": [(64, "64 / 3 = 21.33"), (70, "multiple of 3"), (72, "from 60 to 70"),
                              (0, "from 60 to 70"), (63.5, "whole number of sequences"), ("66", "without the quotes"),
                              (69.0000001, "got 69.0000001")],
    "check_08_targets": [(IDS[:-1], "input itself"), (torch.roll(IDS, -1), "roll wraps"), (IDS, "one id more"),
                         (IDS[2:], "shifted by two"), (IDS[:-2], "one short"), ([2, 9], "expected a tensor"),
                         (IDS[1:].float(), "dtype"), (IDS[1:] + 1, "ids[t + 1]"), (IDS[1:-1], "short at the end")],
    "check_08_sequence_loss": [
        (lambda logits, t: nn.functional.cross_entropy(logits, t), "dim 1 as the classes"),
        (lambda logits, t: nn.functional.cross_entropy(logits.reshape(-1, 7), t), "flatten the targets too"),
        (lambda logits, t: nn.functional.cross_entropy(logits.reshape(3, 7, 5), t), "memory order"),
        (lambda logits, t: nn.functional.cross_entropy(logits.transpose(1, 2), t, reduction="sum"), "sum over"),
        (lambda logits, t: nn.functional.cross_entropy(logits.softmax(-1).transpose(1, 2), t), "raw logits"),
        (lambda logits, t: nn.functional.cross_entropy(logits[:, -1], t[:, -1]), "last step only"),
        (lambda logits, t: nn.functional.cross_entropy(logits[:, :-1].transpose(1, 2), t[:, 1:]), "already shifted"),
        (lambda logits, t: nn.functional.cross_entropy(logits.transpose(1, 2), t).item(), "drop .item()"),
        (lambda logits, t: nn.functional.cross_entropy(logits.transpose(1, 2).detach(), t), "no gradient"),
        (lambda logits, t: nn.functional.cross_entropy(logits.transpose(1, 2), t, reduction="none"), "0-D"),
        (lambda logits, t: None, "forget `return`"), (torch.tensor(4.2), "not a function"),
        (lambda logits, t: nn.functional.cross_entropy(logits.transpose(1, 2), t) / math.log(2), "in bits"),
        (lambda logits, t: nn.functional.nll_loss(logits.transpose(1, 2), t), "log-probabilities"),
        (nn.CrossEntropyLoss, "the class CrossEntropyLoss itself"),
        (lambda logits, t: nn.functional.cross_entropy(logits.transpose(1, 2), t.float()), "keep them int64")],
    "check_08_unigram_bits": [(1.4591 * math.log(2), "nats"), (1.4591 * math.log10(2), "base 10"),
                              (6 * 1.4591, "total over the 6"), (-1.4591, "never negative"),
                              (math.log2(3), "same probability"), (math.log2(73), "uniform baseline"),
                              (1.7233, "distinct letters"), (1.4749, "adds one"), (6.2, "average that cost"),
                              ("1.46", "without the quotes")],
}
from exercise_cases_09 import ARGS_09, RIGHT_09, WRONG_09  # noqa: E402 -- lesson 09's cases, in their own file

ARGS |= ARGS_09
RIGHT |= RIGHT_09
WRONG |= WRONG_09
ABSURD = ["64", 10**400, -(10**400), float("nan"), float("inf"), torch.randn(3, 2), [1, 2], "bogus", True,
          torch.empty((), device="meta"), object()]


def _id(value) -> str:
    if isinstance(value, str) and value.startswith("check_"):
        return value
    return ex.feedback.shown(value, limit=30) if not callable(value) else getattr(value, "__name__", "function")


def test_every_check_has_cases():
    assert set(RIGHT) == set(WRONG) == set(CHECKS)


@pytest.mark.parametrize("name, answer", [(n, a) for n in CHECKS for a in RIGHT[n]], ids=_id)
def test_right_answers_written_another_way(name, answer):
    assert run(name, answer).correct


@pytest.mark.parametrize("name, answer, words", [(n, a, w) for n in CHECKS for a, w in WRONG[n]], ids=_id)
def test_wrong_answers_get_their_own_hint(name, answer, words):
    feedback = run(name, answer)
    assert feedback.status == "wrong" and words.lower() in feedback.message.lower(), feedback.message


@pytest.mark.parametrize("name, answer", [(n, a) for n in CHECKS for a in ABSURD], ids=_id)
def test_absurd_answers_get_feedback_never_a_traceback(name, answer):
    feedback = run(name, answer)  # also for the checks that train: nothing absurd reaches the training
    assert feedback.status == "wrong" and len(feedback.message) < 400, feedback.message


@pytest.mark.parametrize("name", CHECKS)
def test_unattempted_gets_a_prompt_not_a_traceback(name, capsys):
    for blank in (None, ...):
        feedback = run(name, blank)
        assert feedback.status == "unattempted" and "replace `...`" in feedback.message
    assert capsys.readouterr().out.count("Your turn") == 2


def test_an_unfinished_function_is_unattempted_too():
    def binary_loss(logit, target):
        return ...
    assert run("check_04_binary_loss", binary_loss).status == "unattempted"


@pytest.mark.parametrize("name", ["check_00_batch_size", "check_03_parameter_count", "check_04_classifier_parameters"])
def test_only_lesson_05_says_round_it(name):
    assert "round" not in run(name, 64.5).message
    assert "round it" in run("check_05_steps_per_epoch", 44.9375).message


def test_the_lessons_own_solutions_are_right():
    assert ex.check_04_binary_loss(lambda logit, target: _bce(logit.squeeze(1), target.float()),
                                   D["logit"], D["target"]).correct
    assert ex.check_02_backward_final(out3[:, 0, 3:], out3, h_n3).correct
    assert ex.check_02_second_layer_forward(h_n3.view(3, 2, 6, 3)[1, 0], out3, h_n3, 3).correct
    assert ex.check_06_overfitting("b").correct


@pytest.mark.parametrize("number", [3, 1.5, float("nan"), 10**400, 7.0], ids=["3", "1.5", "nan", "10**400", "7.0"])
def test_a_bare_number_for_a_shape_never_gets_the_exercises_answer(number):
    assert "(5,)" not in ex.check_04_squeeze_shape(number).message


def test_answers_that_cannot_be_compared_are_wrong_not_a_crash():
    assert run("check_01_time_step", torch.empty(6, 4, device="meta")).status == "wrong"
    meta_loss = run("check_04_binary_loss", lambda logit, target: torch.empty((), device="meta"))
    assert meta_loss.status == "wrong" and "meta" in meta_loss.message


def test_second_layer_forward_says_when_h_n_is_stale():
    stale = ex.check_02_second_layer_forward(layers3[1, 0], out3, h_n3[:2], 3)
    assert stale.status == "wrong" and "re-run the cells above" in stale.message


def test_a_hint_after_you_answered_starts_a_sentence_unless_it_starts_with_code():
    assert "you answered 1. The sequences are counted" in run("check_00_batch_size", 1).message
    assert "you answered (1, 5). squeeze() removes" in run("check_04_squeeze_shape", (1, 5)).message
    from lstm_lessons.exercises.feedback import sentence
    assert sentence("out's shape") == "out's shape" and sentence("each gate") == "Each gate"


def test_a_string_that_is_no_number_is_not_told_to_drop_its_quotes():
    assert "without the quotes" not in run("check_00_batch_size", "bogus").message
    assert "64 without the quotes" in run("check_00_batch_size", " 64 ").message


@pytest.mark.parametrize("num_layers", ["3", 3.0, True, 1])
def test_second_layer_forward_refuses_a_num_layers_that_is_not_a_layer_count(num_layers):
    feedback = ex.check_02_second_layer_forward(layers3[1, 0], out3, h_n3, num_layers)
    assert feedback.status == "wrong" and "num_layers, a whole number of at least 2" in feedback.message


def test_second_layer_forward_takes_out_slices_as_right_when_layer_1_is_the_last():
    assert ex.check_02_second_layer_forward(D["out_d"][:, -1, :3], D["out_d"], D["h_n_d"], 2).correct


@pytest.mark.parametrize("answer, words", [
    (torch.tensor([6, 4, 16]), "tensor holding numbers"), (torch.zeros(6, 4, 16), "tensor of shape [6, 4, 16]"),
    (float("nan"), "not even a size"), (10**400, "not even a size"), (2.5, "not even a size")])
def test_h_n_shape_answers_that_are_no_shape_get_a_hint_that_fits(answer, words):
    feedback = ex.check_02_h_n_shape(answer)
    assert feedback.status == "wrong" and words in feedback.message
    assert ".shape`" not in feedback.message and "(5) is just the number 5" not in feedback.message


def test_feedback_is_printed_once_and_not_redisplayed(capsys):
    feedback = ex.check_00_batch_size(64)
    assert capsys.readouterr().out == feedback.message + "\n"
    assert feedback._ipython_display_() is None and str(feedback) == feedback.message


def test_forget_gate_accepts_a_tensor_that_requires_grad():
    assert run("check_03_forget_gate", _gate(D["x_t"] @ D["cell"].weight_ih.T + D["cell"].bias_ih
                                             + D["h"] @ D["cell"].weight_hh.T + D["cell"].bias_hh)).correct


def test_all_zero_labels_are_right_and_say_so():
    feedback = ex.check_01_labels(torch.zeros(64, dtype=torch.long))
    assert feedback.correct and "not random" in feedback.message
    assert ex.check_01_labels(torch.randint(0, 3, (8,)), batch_size=8, num_classes=3).correct


def test_labels_drawn_with_high_as_inclusive_are_wrong():
    """randint(0, 3) for 4 classes never gives 3; a fair draw of 64 labels misses a class with p = 0.75**64."""
    feedback = ex.check_01_labels(torch.randint(0, 3, (64,), generator=torch.Generator().manual_seed(0)))
    assert feedback.status == "wrong" and "randint(0, 4, ...)" in feedback.message
    assert 0.75**64 < 1e-7


def test_uint8_labels_pass_but_the_check_says_int64_is_the_documented_dtype():
    feedback = ex.check_01_labels(torch.randint(0, 4, (64,), dtype=torch.uint8))
    assert feedback.correct and "documented dtype is int64" in feedback.message
    assert "uint8" not in ex.check_01_labels(torch.arange(64) % 4).message
    assert "required to be long" in nn.CrossEntropyLoss.__doc__


@pytest.mark.parametrize("dtype", [torch.float64, torch.float16])
def test_a_batch_of_other_floats_passes_but_names_lstms_float32(dtype):
    feedback = ex.check_01_make_batch(torch.randn(8, 3, 12).to(dtype))
    assert feedback.correct and ".float()" in feedback.message
    with pytest.raises((ValueError, RuntimeError), match="dtype"):  # what the hint warns of
        nn.LSTM(12, 4, batch_first=True)(torch.randn(8, 3, 12).to(dtype))
    assert ".float()" not in ex.check_01_make_batch(torch.randn(8, 3, 12)).message


def test_uint8_labels_work_in_cross_entropy_int32_do_not():
    """What check_01_labels accepts is what the loss accepts."""
    logits = torch.randn(4, 3)
    assert nn.CrossEntropyLoss()(logits, torch.tensor([0, 1, 2, 1], dtype=torch.uint8)).isfinite()
    with pytest.raises(RuntimeError, match="Long or Byte"):
        nn.CrossEntropyLoss()(logits, torch.tensor([0, 1, 2, 1], dtype=torch.int32))


@pytest.fixture(scope="module")
def small_order():
    return order_task(seed=0, n_train=400, n_val=200, seq_len=10)


def test_learning_rate_trains_and_judges(small_order):
    assert ex.check_05_learning_rate(3e-2, small_order, epochs=5, target=0.8).correct
    for same_rate in (np.float32(3e-2), torch.tensor(3e-2), 3e-2):  # read alike: the same training
        assert read_learning_rate(same_rate, "") == pytest.approx(3e-2)
    assert "too small" in ex.check_05_learning_rate(1e-6, small_order, epochs=2, target=0.8).message
    assert "too large" in ex.check_05_learning_rate(50.0, small_order, epochs=2).message
    assert "overshoot" in ex.check_05_learning_rate(1.0, order_task(seed=0)).message  # 51% on the lesson's task


def test_an_interrupted_learning_rate_run_asks_to_run_again(monkeypatch, small_order):
    """The stop button during the check's training: no verdict, and no traceback even before epoch 1 ends."""
    from lstm_lessons import training
    from lstm_lessons.training import History

    for finished in (0, 1):
        def interrupted(*args, finished=finished, **kwargs):
            history = History({"device": "cpu"}, train_loss=[0.69] * finished, val_accuracy=[0.76] * finished)
            history.stopped = "interrupted"
            return history

        monkeypatch.setattr(training, "train", interrupted)
        feedback = ex.check_05_learning_rate(1e-2, small_order)
        assert feedback.status == "unattempted" and "interrupted" in feedback.message
        assert "run the cell again" in feedback.message


@pytest.mark.parametrize("losses, words", [
    ([0.69, 0.68, 0.67], "barely moved"), ([0.69, 0.68, 0.63], "fell but not far enough"),
    ([0.69, 0.40, 0.45], "went up and down")])
def test_learning_rate_hint_follows_the_losses(monkeypatch, small_order, losses, words):
    from lstm_lessons import training
    from lstm_lessons.training import History

    monkeypatch.setattr(training, "train", lambda *a, **k: History({"device": "cpu"}, train_loss=losses,
                                                                   val_accuracy=[0.6, 0.7, 0.8]))
    assert words in ex.check_05_learning_rate(1e-2, small_order).message


def test_a_learning_rate_a_little_small_is_not_called_ten_times_too_small():
    """The review's case: 0.002 and 0.003 reach about 84% on the lesson's task; their loss did fall."""
    feedback = ex.check_05_learning_rate(3e-3, order_task(seed=0))
    assert not feedback.correct and "fell but not far enough" in feedback.message, feedback.message


def test_diverging_lr():
    assert ex.check_06_diverging_lr(100).correct
    assert ex.check_06_diverging_lr(torch.tensor(1e3)).correct
    assert "trained without blowing up" in ex.check_06_diverging_lr(1e-3).message


def test_smallest_model_on_the_halving_path():
    """16 reaches 90% after 10 epochs and 8 does not: the words of exercise 06.3 and its answer agree."""
    feedback = ex.check_06_smallest_model(16.0)
    assert feedback.correct and "LSTM layer has only 1664 parameters (the whole model" in feedback.message
    assert "too small" in ex.check_06_smallest_model(np.int64(8)).message
    assert "Halve it" in ex.check_06_smallest_model(32).message


def test_smallest_model_is_judged_by_running_the_answer_and_its_half(monkeypatch):
    """Where 16 ends at 89% (another machine, another torch), 32 is the answer: nothing is hard-coded."""
    from lstm_lessons.exercises import lesson_06

    accuracies = {64: 0.95, 32: 0.93, 16: 0.89, 8: 0.85}
    monkeypatch.setattr(lesson_06, "_digits_accuracy", lambda hidden, epochs: accuracies[hidden])
    assert ex.check_06_smallest_model(32).correct
    assert "too small" in ex.check_06_smallest_model(16).message
    assert "so does half of it (32: 93%)" in ex.check_06_smallest_model(64).message


@pytest.mark.parametrize("check", ["check_06_diverging_lr", "check_05_learning_rate"])
def test_a_learning_rate_beyond_what_train_accepts_gets_a_hint_not_a_traceback(check):
    arguments = (order_task(seed=0),) if check == "check_05_learning_rate" else ()
    feedback = getattr(ex, check)(1e7, *arguments)
    assert feedback.status == "wrong" and "1e+07" in feedback.message, feedback


@pytest.mark.parametrize("low, high", [(1, 4), (1, 3)])
def test_labels_that_leave_class_0_out_are_told_indices_start_at_0(low, high):
    feedback = ex.check_01_labels(torch.randint(low, high, (64,), generator=torch.Generator().manual_seed(0)))
    assert feedback.status == "wrong" and "no label is 0" in feedback.message


def test_06_1_never_sends_the_student_past_the_slider():
    feedback = ex.check_06_diverging_lr(10**0.25)  # 1.78 trains; 17.8 is off the slider
    assert feedback.status == "wrong" and "up to 10" in feedback.message


def test_full_width_digits_are_told_to_use_ascii_not_to_drop_quotes():
    message = run("check_00_batch_size", "６４").message
    assert "ASCII digits" in message and "without the quotes" not in message


def test_a_meta_batch_has_no_values_to_train_on():
    feedback = ex.check_01_make_batch(torch.empty(8, 3, 12, device="meta"))
    assert feedback.status == "wrong" and "'meta' device" in feedback.message


@pytest.mark.parametrize("steps", [
    ["lstm(x)", "criterion(pred.squeeze(), y)", "optimizer.zero_grad()", "loss.backward()", "optimizer.step()"],
    ["forward", "compute loss", "zero grad", "backprop", "update"]])
def test_05_2_knows_the_tutorials_bare_calls_and_plain_words(steps):
    assert ex.check_05_loop_order(steps).correct


def test_04_1_passing_the_class_is_told_it_is_the_class():
    feedback = ex.check_04_classifier_parameters(LSTMClassifier)
    assert feedback.status == "wrong" and "the class LSTMClassifier" in feedback.message
    assert "()" not in feedback.message.split(";")[0]
