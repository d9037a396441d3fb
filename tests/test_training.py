"""train(), History, TrainingDiverged, the tasks: behaviour a student relies on."""

import math

import pytest
import torch
from torch import nn
from torch.utils.data import TensorDataset

from lstm_lessons import LSTMClassifier, SeedLSTM, TrainingDiverged, load_task, run_seed_program, train
from lstm_lessons.tasks import order_task


def small_classifier(task, hidden=16, seed=0):
    torch.manual_seed(seed)
    return LSTMClassifier(task.input_size, hidden, 1, task.num_classes)


@pytest.fixture(scope="module")
def order():
    return order_task(seed=0, n_train=600, n_val=200, seq_len=12)


def test_full_batch_train_is_the_seeds_loop():
    torch.manual_seed(0)
    x, y = torch.randn(64, 5, 10), torch.randint(0, 2, (64,))
    history = train(SeedLSTM(10, 32, 2, 2), (x, y), epochs=100, lr=1e-3, progress=False)
    assert history.train_loss == run_seed_program(seed=0, print_every=0)


def test_random_labels_are_memorised_but_not_learned():
    task = load_task("random", seed=0)
    history = train(small_classifier(task, hidden=32), task.train, val_set=task.val, epochs=150, lr=1e-2,
                    progress=False, seed=0)
    assert history.train_accuracy[-1] == 1.0 and history.train_loss[-1] < 0.05
    assert abs(history.val_accuracy[-1] - 0.5) < 0.08  # chance
    assert history.val_loss[-1] > history.val_loss[0]  # worse than at the start


def test_order_task_is_learned_far_above_chance(order):
    history = train(small_classifier(order), order.train, val_set=order.val, epochs=12, lr=1e-2,
                    batch_size=32, progress=False, seed=0)
    assert history.val_accuracy[-1] > 0.9 > order.chance_accuracy + 0.3


def test_order_task_cannot_be_solved_without_order(order):
    x, _ = order.train
    counts = x.sum(dim=1)  # [n, 3]: what a model that ignores order sees
    assert torch.equal(counts, counts[:1].expand_as(counts))  # identical for every sequence, whatever its label


def test_digits_task_is_learned():
    task = load_task("digits", seed=0)
    assert task.train[0].shape[1:] == (8, 8) and len(task.train[1]) + len(task.val[1]) == 1797
    history = train(small_classifier(task, hidden=48), task.train, val_set=task.val, epochs=10, lr=1e-2,
                    batch_size=64, progress=False, seed=0)
    assert history.val_accuracy[-1] > 0.85 > 5 * task.chance_accuracy


def test_same_weights_and_seed_give_the_same_history(order):
    runs = [train(small_classifier(order), order.train, val_set=order.val, epochs=3, lr=1e-2, batch_size=32,
                  progress=False, seed=5) for _ in range(2)]
    assert runs[0].train_loss == runs[1].train_loss and runs[0].val_accuracy == runs[1].val_accuracy
    other = train(small_classifier(order), order.train, epochs=3, lr=1e-2, batch_size=32, progress=False, seed=6)
    assert other.train_loss != runs[0].train_loss  # another shuffling


def test_history_records_every_epoch_and_the_settings(order):
    history = train(small_classifier(order), order.train, val_set=order.val, epochs=4, lr=1e-2, batch_size=50,
                    progress=False, seed=0, clip_grad_norm=1.0)
    assert history.epochs == 4 and len(history.val_loss) == len(history.seconds) == 4
    assert history.settings["lr"] == 1e-2 and history.settings["batch_size"] == 50
    assert history.settings["hidden_size"] == 16 and history.settings["device"] == "cpu"
    assert "4 epochs" in history.summary() and "val acc" in history.summary()
    assert "lr 0.01" in history.label and history.stopped is None


def test_a_validation_set_does_not_change_the_training_run(order):
    runs = [train(small_classifier(order), order.train, val_set=val, epochs=2, lr=1e-2, batch_size=32,
                  progress=False, seed=3) for val in (None, order.val)]
    assert runs[0].train_loss == runs[1].train_loss


def test_continuing_training_is_not_mistaken_for_divergence(order):
    model = small_classifier(order)
    train(model, order.train, epochs=6, lr=1e-2, batch_size=32, progress=False, seed=0)
    more = train(model, order.train, epochs=3, lr=1e-2, batch_size=32, progress=False, seed=1)
    assert more.stopped is None and more.epochs == 3


def test_eval_mode_and_no_grad_while_validating(order):
    seen = []

    class Spy(nn.Module):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, x):
            seen.append((self.training, torch.is_grad_enabled()))
            return self.inner(x)

    train(Spy(small_classifier(order)), order.train, val_set=order.val, epochs=1, lr=1e-2, progress=False)
    # the untrained-loss probe and validation in eval/no_grad; the training pass in train mode with grad
    assert seen == [(False, False), (True, True), (False, False)]


def test_callbacks_get_each_epochs_figures(order):
    records = []
    train(small_classifier(order), order.train, val_set=order.val, epochs=3, lr=1e-2, batch_size=100,
          progress=False, callbacks=[records.append])
    assert [r["epoch"] for r in records] == [1, 2, 3]
    assert set(records[0]) >= {"train_loss", "val_loss", "val_accuracy", "seconds"}


def test_a_blown_up_loss_stops_with_trainingdiverged(order):
    advice = r"grew to .* at epoch \d+ with lr=100: the steps are too large. Try a smaller learning rate, e.g. lr=1"
    with pytest.raises(TrainingDiverged, match=advice) as info:
        train(small_classifier(order), order.train, epochs=20, lr=100, batch_size=32, progress=False, seed=0)
    assert info.value.history.stopped == "diverged"
    assert info.value.history.epochs < 20


def test_a_nan_loss_stops_at_the_first_epoch(order):
    model = small_classifier(order)
    with torch.no_grad():
        model.fc.bias.fill_(math.nan)
    with pytest.raises(TrainingDiverged, match="became nan at epoch 1") as info:
        train(model, order.train, epochs=5, lr=1e-3, progress=False)
    assert info.value.history.epochs == 0


@pytest.mark.parametrize("where", ["tensor", "dataset"])
def test_nan_in_the_data_is_refused_before_training(order, where):
    x, y = order.train[0].clone(), order.train[1]
    x[7, 3, 1] = math.nan
    data = (x, y) if where == "tensor" else TensorDataset(x, y)
    model = small_classifier(order)
    before = [p.clone() for p in model.parameters()]
    with pytest.raises(ValueError, match=r"train_set holds NaN or infinity: sample 7, x\[3, 1\]"):
        train(model, data, epochs=1, lr=1e-2, progress=False)
    assert all(torch.equal(a, b) for a, b in zip(before, model.parameters(), strict=True))


def test_interrupt_keeps_the_model_and_the_history(order, capsys):
    def stop_after_two(record):
        if record["epoch"] == 2:
            raise KeyboardInterrupt

    history = train(small_classifier(order), order.train, epochs=10, lr=1e-2, batch_size=100, progress=False,
                    callbacks=[stop_after_two])
    assert history.stopped == "interrupted" and history.epochs == 2
    out = capsys.readouterr().out
    assert "Training stopped after epoch 2 of 10" in out and "its 2 finished epochs are kept" in out
    assert "press stop again" in out  # a loop of train() calls goes on: one press stops one run


def test_summary_counts_one_epoch_in_the_singular(order):
    history = train(small_classifier(order), order.train, epochs=1, lr=1e-2, progress=False)
    assert history.summary().startswith("1 epoch, train loss")


def test_interrupt_message_says_during_which_epoch():
    from lstm_lessons.training import _interrupted_message

    assert _interrupted_message(0, 1, 5).startswith("Training stopped during epoch 1 of 5")
    assert "no epoch finished; the model is kept" in _interrupted_message(0, 1, 5)
    assert _interrupted_message(1, 2, 5).startswith("Training stopped during epoch 2 of 5")
    assert "its 1 finished epoch are" in _interrupted_message(1, 2, 5)
    assert _interrupted_message(1, 1, 5).startswith("Training stopped after epoch 1 of 5")


@pytest.mark.parametrize("kwargs, words", [
    (dict(epochs=0), "epochs must be positive"), (dict(lr=0), "lr must be a positive number"),
    (dict(lr=-1e-3), "lr must be"), (dict(batch_size=0), "batch_size"), (dict(clip_grad_norm=0), "clip_grad_norm"),
    (dict(device="tpu"), "unknown device"), (dict(seed=-1), "seed"),
    (dict(seed=2**64), r"seed must be a whole number from 0 to 2\*\*64 - 1"), (dict(seed=1.5), "seed"),
    (dict(clip_grad_norm=float("nan")), "clip_grad_norm"), (dict(progress="no"), "progress must be True or False"),
])
def test_impossible_settings_are_refused(order, kwargs, words):
    settings = dict(epochs=1, lr=1e-2, progress=False) | kwargs
    with pytest.raises(ValueError, match=words):
        train(small_classifier(order), order.train, **settings)


def test_odd_types_are_refused_clearly(order):
    with pytest.raises(TypeError, match="clip_grad_norm must be a positive number such as 1.0, or None, got str"):
        train(small_classifier(order), order.train, epochs=1, lr=1e-2, progress=False, clip_grad_norm="1")
    with pytest.raises(TypeError, match="callbacks must be a list of functions"):
        train(small_classifier(order), order.train, epochs=1, lr=1e-2, progress=False, callbacks=3)


def test_callbacks_none_means_none(order):
    history = train(small_classifier(order), order.train, epochs=1, lr=1e-2, progress=False, callbacks=None)
    assert history.epochs == 1


def test_a_loss_that_does_not_fit_the_labels_is_named(order):
    with pytest.raises(ValueError, match=r"loss_fn MSELoss cannot compare .*shape \[600, 2\].*use nn.CrossEntropyLoss"):
        train(small_classifier(order), order.train, epochs=1, lr=1e-2, progress=False, loss_fn=nn.MSELoss())
    x = order.train[0]  # a loss whose labels fit trains: regression on the output's shape
    history = train(small_classifier(order), (x, torch.zeros(len(x), 2)), epochs=2, lr=1e-2, progress=False,
                    loss_fn=nn.MSELoss())
    assert history.epochs == 2 and math.isfinite(history.train_loss[-1]) and not history.train_accuracy


def test_bad_data_is_refused(order):
    x, y = order.train
    with pytest.raises(ValueError, match="x has 600 samples but y has 599"):
        train(small_classifier(order), (x, y[:-1]), epochs=1, lr=1e-2, progress=False)
    with pytest.raises(ValueError, match="pair of tensors, a \\(list of sequences, y\\) pair, or a torch Dataset"):
        train(small_classifier(order), [1, 2, 3], epochs=1, lr=1e-2, progress=False)


def test_progress_bar_in_a_terminal(order, capsys):
    train(small_classifier(order), order.train, epochs=2, lr=1e-2, batch_size=200, progress=True)
    assert "2/2" in capsys.readouterr().err


def test_unknown_task_lists_the_choices():
    with pytest.raises(ValueError, match=r"unknown task 'mnist': choose one of "
                                         r"\['digits', 'order', 'random', 'vowels'\]"):
        load_task("mnist")


def test_tasks_are_reproducible_by_seed():
    a, b, c = load_task("digits", seed=1), load_task("digits", seed=1), load_task("digits", seed=2)
    assert torch.equal(a.train[1], b.train[1]) and not torch.equal(a.train[1], c.train[1])


# --- issue 10: what a student can pass, and every way a run can end ---------------------------------------------

def test_should_stop_ends_training_within_one_batch(order):
    asked = []

    def should_stop():
        asked.append(1)
        return len(asked) > 7  # true while the first epoch's batches run (600 / 32 = 19 batches)

    model = small_classifier(order)
    history = train(model, order.train, val_set=order.val, epochs=5, lr=1e-2, batch_size=32, progress=False,
                    should_stop=should_stop)
    assert history.stopped == "stopped" and history.epochs == 0
    assert len(asked) == 8  # asked before each batch; the 8th answer ended it at once
    assert not model.training  # left in eval mode, as after a finished run


def test_should_stop_is_asked_during_validation_too(order):
    calls = []

    def should_stop():
        calls.append(1)
        return len(calls) > 2 + 1  # probe 1, training 2 (full batches of 300), then validation's first batch

    history = train(small_classifier(order), order.train, val_set=order.val, epochs=3, lr=1e-2, batch_size=300,
                    progress=False, should_stop=should_stop)
    assert history.stopped == "stopped" and history.epochs == 0 and len(calls) == 4


def test_interrupt_in_the_first_evaluation_is_clean(order, capsys):
    model = small_classifier(order)
    model.forward = lambda x: (_ for _ in ()).throw(KeyboardInterrupt)  # Ctrl-C in the very first forward
    history = train(model, order.train, epochs=3, lr=1e-2, progress=False)
    assert history.stopped == "interrupted" and history.epochs == 0
    assert "Training stopped before epoch 1 of 3" in capsys.readouterr().out


@pytest.mark.parametrize("labels, words", [
    ("one_hot", None), ("float_indices", r"y must hold class indices .*got torch.float32 of shape \[100\]"),
    ("out_of_range", r"y holds class 7, outside 0\.\.1 \(the model's 2 outputs\)"),
    ("negative", r"y holds class -3, outside 0\.\.1"),
])
def test_labels_must_be_class_indices_or_probabilities(order, labels, words):
    x, y = order.train
    y = {"one_hot": nn.functional.one_hot(y, 2).float(), "float_indices": y.float(),
         "out_of_range": y.clone().index_fill_(0, torch.tensor([5]), 7),
         "negative": y.clone().index_fill_(0, torch.tensor([5]), -3)}[labels]
    if words is None:  # probabilities (one-hot here): accuracy compares with the most likely class
        history = train(small_classifier(order), (x, y), val_set=order.val, epochs=2, lr=1e-2, batch_size=100,
                        progress=False, seed=0)
        same = train(small_classifier(order), order.train, val_set=order.val, epochs=2, lr=1e-2, batch_size=100,
                     progress=False, seed=0)
        assert history.train_accuracy == same.train_accuracy and 0 <= max(history.train_accuracy) <= 1
        return
    with pytest.raises(ValueError, match=words):
        train(small_classifier(order), (x, y), epochs=1, lr=1e-2, batch_size=100, progress=False)


def test_ignored_labels_count_neither_in_the_loss_nor_the_accuracy(order):
    x, y = order.train
    ignored = y.clone()
    ignored[::2] = -100  # CrossEntropyLoss's ignore_index
    half = (x[1::2], y[1::2])
    runs = [train(small_classifier(order), data, epochs=1, lr=1e-2, progress=False, seed=0)
            for data in ((x, ignored), half)]
    assert runs[0].train_accuracy == pytest.approx(runs[1].train_accuracy)
    assert runs[0].train_loss == pytest.approx(runs[1].train_loss)
    with pytest.raises(ValueError, match="every label of train_set is -100"):
        train(small_classifier(order), (x, torch.full_like(y, -100)), epochs=1, lr=1e-2, progress=False)


@pytest.mark.parametrize("which", ["train_set", "val_set"])
def test_an_empty_set_is_refused(order, which):
    empty = (order.train[0][:0], order.train[1][:0])
    sets = {"train_set": order.train, "val_set": order.val} | {which: empty}
    with pytest.raises(ValueError, match=f"{which} is empty"):
        train(small_classifier(order), sets["train_set"], val_set=sets["val_set"], epochs=1, lr=1e-2,
              progress=False)


def test_a_loss_class_instead_of_an_instance_is_explained(order):
    with pytest.raises(TypeError, match=r"loss_fn=nn.CrossEntropyLoss\(\)"):
        train(small_classifier(order), order.train, epochs=1, lr=1e-2, progress=False,
              loss_fn=nn.CrossEntropyLoss)


def test_callbacks_given_as_a_generator_run_every_epoch(order):
    records = []
    train(small_classifier(order), order.train, epochs=3, lr=1e-2, batch_size=300, progress=False,
          callbacks=(c for c in [records.append]))
    assert [r["epoch"] for r in records] == [1, 2, 3]


@pytest.mark.parametrize("lr", [1e38, 3.4e38, 1e300])
def test_a_huge_learning_rate_is_refused_up_front(order, lr):
    with pytest.raises(ValueError, match=r"lr must be a positive number up to 1e\+06"):
        train(small_classifier(order), order.train, epochs=1, lr=lr, progress=False)


def test_the_largest_allowed_learning_rate_diverges_cleanly(order):
    with pytest.raises(TrainingDiverged):
        train(small_classifier(order), order.train, epochs=3, lr=1e6, batch_size=100, progress=False, seed=0)
