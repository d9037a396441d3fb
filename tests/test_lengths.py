"""Sequences of different lengths (lesson 07): ``LSTMClassifier(x, lengths=...)`` equals each sequence
run alone, bad lengths are refused by name, the Japanese Vowels data, and ``train()`` on it."""

import gzip
import subprocess
import sys
from importlib import resources

import numpy as np
import pytest
import torch
from torch.nn.utils.rnn import pad_sequence

from lstm_lessons import LSTMClassifier, load_task, train
from lstm_lessons.evaluation import confusion_matrix, predict
from lstm_lessons.lengths import SequenceDataset, checked_lengths, last_real_step, length_buckets, pad_collate


def _batch(seed: int, batch: int = 6, input_size: int = 5, max_len: int = 9):
    generator = torch.Generator().manual_seed(seed)
    lengths = torch.randint(1, max_len + 1, (batch,), generator=generator)
    sequences = [torch.randn(int(n), input_size, generator=generator) for n in lengths]
    return sequences, lengths


@pytest.mark.parametrize("num_layers", [1, 2, 3])
@pytest.mark.parametrize("bidirectional", [False, True])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_packed_logits_equal_each_sequence_run_alone(num_layers, bidirectional, seed):
    torch.manual_seed(seed)
    model = LSTMClassifier(5, 7, num_layers, 4, bidirectional=bidirectional).eval()
    sequences, lengths = _batch(seed)
    padded = pad_sequence(sequences, batch_first=True)  # [6, longest, 5], in no order of length
    alone = torch.cat([model(s.unsqueeze(0)) for s in sequences])  # [6, 4]
    torch.testing.assert_close(model(padded, lengths=lengths), alone, atol=1e-5, rtol=1e-5)
    torch.testing.assert_close(model(padded, lengths=lengths.tolist()), alone, atol=1e-5, rtol=1e-5)


def test_without_lengths_the_padding_changes_the_logits():
    """What the test above guards against: run through the padding, the short sequences' logits move."""
    torch.manual_seed(0)
    model = LSTMClassifier(5, 7, 1, 4).eval()
    sequences = [torch.randn(9, 5), torch.randn(3, 5)]
    padded = pad_sequence(sequences, batch_first=True)
    alone = model(sequences[1].unsqueeze(0))
    assert not torch.allclose(model(padded)[1], alone[0], atol=1e-3)
    torch.testing.assert_close(model(padded, lengths=[9, 3])[1], alone[0], atol=1e-5, rtol=1e-5)


def test_padding_longer_than_the_longest_sequence_changes_nothing():
    torch.manual_seed(0)
    model = LSTMClassifier(5, 7, 2, 4, bidirectional=True).eval()
    sequences, lengths = _batch(3, max_len=6)
    padded = pad_sequence(sequences, batch_first=True)
    extra = torch.cat([padded, torch.randn(6, 4, 5)], dim=1)  # 4 more steps of garbage after every end
    torch.testing.assert_close(model(extra, lengths=lengths), model(padded, lengths=lengths))


@pytest.mark.parametrize("form", ["int32 tensor", "numpy", "tuple", "descending"])
def test_lengths_in_any_integer_form_just_work(form):
    torch.manual_seed(0)
    model = LSTMClassifier(5, 7, 1, 4).eval()
    sequences, lengths = _batch(0)
    padded = pad_sequence(sequences, batch_first=True)
    expected = model(padded, lengths=lengths)
    given = {"int32 tensor": lengths.int(), "numpy": lengths.numpy(), "tuple": tuple(lengths.tolist()),
             "descending": lengths}[form]
    if form == "descending":  # sorted, as enforce_sorted=True would want: the same logits
        order = torch.argsort(lengths, descending=True)
        torch.testing.assert_close(model(padded[order], lengths=lengths[order]), expected[order])
    else:
        torch.testing.assert_close(model(padded, lengths=given), expected)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a GPU")
def test_on_a_gpu_lengths_on_the_gpu_just_work():
    torch.manual_seed(0)
    model = LSTMClassifier(5, 7, 2, 4, bidirectional=True).eval()
    sequences, lengths = _batch(0)
    padded = pad_sequence(sequences, batch_first=True)
    expected = model(padded, lengths=lengths)
    on_gpu = model.cuda()(padded.cuda(), lengths=lengths.cuda())
    torch.testing.assert_close(on_gpu.cpu(), expected, atol=1e-5, rtol=1e-4)


def test_pack_padded_sequence_itself_refuses_what_the_model_accepts():
    """Why the model converts: torch's own function wants CPU int64 lengths and, by default, sorted ones."""
    from torch.nn.utils.rnn import pack_padded_sequence

    x = torch.randn(2, 4, 3)
    with pytest.raises(RuntimeError, match="sorted"):
        pack_padded_sequence(x, torch.tensor([2, 4]), batch_first=True)
    with pytest.raises(RuntimeError, match="1D CPU int64"):
        pack_padded_sequence(x, torch.tensor([4, 2], device="meta"), batch_first=True)


@pytest.mark.parametrize("lengths, words", [
    ([4, 0], "at least 1"), ([4, -2], "at least 1"), ([4, 5], "longer than x"), ([4], "one length per sequence"),
    ([4, 2, 1], "one length per sequence"), (torch.tensor([[4, 2]]), "one length per sequence"),
    (torch.tensor([4.0, 2.0]), "whole numbers"), ([4.0, 2.0], "whole numbers"), ([4, 2.5], "whole numbers"),
    ("42", "whole numbers"), (4, "whole numbers"), (torch.tensor([True, True]), "whole numbers"),
    ([True, True], "whole numbers"), (np.array([4.0, 2.0]), "whole numbers"), (np.int64(4), "whole numbers"),
    (np.array(4), "whole numbers"), (np.array([[4, 2]]), "whole numbers")])
def test_bad_lengths_get_a_valueerror_naming_lengths(lengths, words):
    model = LSTMClassifier(3, 4, 1, 2)
    with pytest.raises(ValueError, match="lengths") as error:
        model(torch.randn(2, 4, 3), lengths=lengths)
    assert words in str(error.value)


@pytest.mark.parametrize("lengths, words", [
    ([3, 6, 2], "lengths[1] = 6 is longer"), ([6, 9, 3], "lengths[0] = 6 is longer"),
    ([0, -1, 3], "lengths[0] = 0"), ([3, -1, 0], "lengths[1] = -1"),
    (torch.tensor([5, 3, 2], device="meta"), "'meta' device"), ([10**400, 3, 2], "401 digits"),
    ([-(10**30), 3, 2], "31 digits"), ([torch.tensor(5.0), 3, 2], "whole numbers")])
def test_each_bad_length_is_named_with_its_own_value(lengths, words):
    """The message pairs the index of the first bad length with that length (not the max or min of all)."""
    with pytest.raises(ValueError, match="lengths") as error:
        LSTMClassifier(3, 4, 1, 2)(torch.randn(3, 5, 3), lengths=lengths)
    assert words in str(error.value)


def test_lengths_as_a_list_of_0d_tensors_just_work():
    torch.manual_seed(0)
    model = LSTMClassifier(5, 7, 1, 4).eval()
    sequences, lengths = _batch(0)
    padded = pad_sequence(sequences, batch_first=True)
    torch.testing.assert_close(model(padded, lengths=list(lengths)), model(padded, lengths=lengths))


def test_an_empty_batch_with_lengths_is_refused_by_name():
    with pytest.raises(ValueError, match="no sequences"):
        LSTMClassifier(12, 4, 1, 2)(torch.zeros(0, 5, 12), lengths=[])


def test_checked_lengths_gives_what_pack_padded_sequence_wants():
    lengths = checked_lengths(torch.tensor([3, 1, 2], dtype=torch.int16), batch_size=3, max_len=3)
    assert lengths.dtype == torch.int64 and lengths.device.type == "cpu" and lengths.tolist() == [3, 1, 2]


def test_last_real_step_reads_out_at_lengths_minus_one():
    out = torch.arange(2 * 4 * 3.0).view(2, 4, 3)
    assert torch.equal(last_real_step(out, torch.tensor([2, 4])), torch.stack([out[0, 1], out[1, 3]]))


def test_pad_collate_pads_to_the_batch_and_keeps_lengths():
    sequences = [torch.ones(3, 2), torch.ones(5, 2), torch.ones(1, 2)]
    batch, labels = pad_collate(list(zip(sequences, torch.tensor([0, 1, 2]), strict=True)))
    assert batch.padded.shape == (3, 5, 2) and batch.lengths.tolist() == [3, 5, 1] and labels.tolist() == [0, 1, 2]
    assert batch.padded[2, 1:].abs().sum() == 0  # padding is zeros


def test_length_buckets_hold_every_index_once_and_similar_lengths():
    lengths = torch.tensor([5, 1, 9, 3, 7, 2, 8])
    buckets = length_buckets(lengths, 3, shuffle_with=torch.Generator().manual_seed(0))
    assert sorted(torch.cat(buckets).tolist()) == list(range(7))
    assert sorted(lengths[b].max().item() for b in buckets) == [3, 8, 9]


def test_sequence_dataset_refuses_unequal_counts():
    with pytest.raises(ValueError, match="3 sequences but 2 labels"):
        SequenceDataset([torch.ones(2, 1)] * 3, torch.tensor([0, 1]))


@pytest.mark.parametrize("bad, words", [
    (torch.zeros(0, 2), "sequence 2 is empty"), (torch.ones(3), "sequence 2 must be a tensor [length, features]"),
    (torch.ones(3, 5), "sequence 2 has 5 features per step, but sequence 0 has 2"), ([[1.0, 2.0]], "got list")])
def test_sequence_dataset_names_the_bad_sequence(bad, words):
    with pytest.raises(ValueError) as error:
        SequenceDataset([torch.ones(2, 2), torch.ones(4, 2), bad], torch.tensor([0, 1, 0]))
    assert words in str(error.value)


# ---- the data ----

@pytest.fixture(scope="module")
def vowels():
    return load_task("vowels")


def test_vowels_is_the_published_split_at_true_lengths(vowels):
    (x_train, y_train), (x_test, y_test) = vowels.train, vowels.val
    assert len(x_train) == len(y_train) == 270 and len(x_test) == len(y_test) == 370
    assert vowels.input_size == 12 and vowels.num_classes == 9
    assert {s.shape[1] for s in x_train + x_test} == {12}
    lengths = [len(s) for s in x_train + x_test]
    assert min(lengths) == 7 and max(lengths) == 29 and len(set(lengths)) > 15
    assert torch.bincount(y_train).tolist() == [30] * 9
    assert torch.bincount(y_test).tolist() == [31, 35, 88, 44, 29, 24, 40, 50, 29]  # UCI's size_ae.test
    assert all(s.dtype == torch.float32 for s in x_train) and y_train.dtype == torch.int64


def test_vowels_are_standardised_with_the_training_frames_only(vowels):
    frames = torch.cat(vowels.train[0])
    torch.testing.assert_close(frames.mean(0), torch.zeros(12), atol=1e-5, rtol=0)
    torch.testing.assert_close(frames.std(0), torch.ones(12), atol=1e-5, rtol=0)
    assert not torch.allclose(torch.cat(vowels.val[0]).mean(0), torch.zeros(12), atol=1e-3)


def test_the_shipped_file_has_every_frame_of_the_source():
    path = resources.files("lstm_lessons") / "resources" / "japanese_vowels.csv.gz"
    with path.open("rb") as raw, gzip.open(raw, "rt") as lines:
        rows = [line.split(",") for line in lines]
    assert len(rows) == 4274 + 5687 and {len(r) for r in rows} == {14}  # frames of TRAIN.ts + TEST.ts
    assert rows[0][:3] == ["0", "1", "1.860936"]  # the first value of JapaneseVowels_TRAIN.ts


# ---- training ----

def test_training_on_vowels_is_far_above_chance(vowels):
    torch.manual_seed(0)
    model = LSTMClassifier(12, 16, 1, 9)
    history = train(model, vowels.train, val_set=vowels.val, epochs=3, lr=1e-2, batch_size=16, seed=0,
                    device="cpu", progress=False)
    assert history.val_accuracy[-1] > 2 * vowels.chance_accuracy  # chance: 23.8%


def test_training_passes_the_lengths(vowels, monkeypatch):
    """train() pads each batch to its own longest sequence and hands the model the true lengths."""
    seen = []
    model = LSTMClassifier(12, 4, 1, 9)
    forward = model.forward

    def spy(x, state=None, lengths=None):
        seen.append((x.shape[1], lengths.clone()))
        return forward(x, state, lengths)

    monkeypatch.setattr(model, "forward", spy)
    train(model, vowels.train, epochs=1, lr=1e-3, batch_size=32, seed=0, device="cpu", progress=False)
    assert seen and all(x_len == int(lengths.max()) for x_len, lengths in seen)
    assert sum(len(lengths) for _, lengths in seen[1:]) == 270  # seen[0]: the starting loss's batch


def test_an_empty_sequence_in_train_data_is_named_by_its_index_before_training(vowels):
    sequences, speakers = vowels.train
    sequences = list(sequences)
    sequences[200] = torch.zeros(0, 12)
    with pytest.raises(ValueError, match="sequence 200 is empty"):
        train(LSTMClassifier(12, 4, 1, 9), (sequences, speakers), epochs=1, lr=1e-3, batch_size=64,
              device="cpu", progress=False)


def test_a_model_without_lengths_gets_a_typeerror_saying_which_model_to_use(vowels):
    from lstm_lessons.models import SeedLSTM

    with pytest.raises(TypeError, match="SeedLSTM.forward takes no lengths=.*LSTMClassifier"):
        train(SeedLSTM(12, 4, 1, 9), vowels.train, epochs=1, lr=1e-3, batch_size=64, device="cpu", progress=False)


def test_the_command_line_trains_on_vowels(tmp_path):
    result = subprocess.run([sys.executable, "-m", "lstm_lessons", "train", "--task", "vowels", "--epochs", "2",
                             "--hidden-size", "8", "--quiet"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "270 train / 370 validation sequences of up to 26 steps" in result.stdout
    assert "2 epochs" in result.stdout


def test_full_batch_training_pads_the_whole_set_once(vowels):
    torch.manual_seed(0)
    history = train(LSTMClassifier(12, 4, 1, 9), vowels.train, epochs=2, lr=1e-2, device="cpu", progress=False)
    assert history.epochs == 2 and history.train_loss[1] < history.train_loss[0]


# ---- evaluation (lesson 07's confusion matrix) ----

def test_predict_equals_each_sequence_run_alone(vowels):
    from lstm_lessons.evaluation import predict

    torch.manual_seed(0)
    model = LSTMClassifier(12, 8, 2, 9, bidirectional=True)
    sequences = vowels.val[0][:40]
    with torch.no_grad():
        alone = torch.cat([model(s.unsqueeze(0)).argmax(1) for s in sequences])
    assert torch.equal(predict(model, sequences, batch_size=16), alone)


def test_confusion_matrix_counts_true_rows_and_predicted_columns():
    from lstm_lessons.evaluation import confusion_matrix, plot_confusion_matrix

    matrix = confusion_matrix(torch.tensor([0, 0, 1, 2, 2]), torch.tensor([0, 1, 1, 2, 0]), num_classes=3)
    assert matrix.tolist() == [[1, 1, 0], [0, 1, 0], [1, 0, 1]]
    figure = plot_confusion_matrix(matrix, labels=["a", "b", "c"])
    assert [t.get_text() for t in figure.axes[0].get_xticklabels()] == ["a", "b", "c"]


@pytest.mark.parametrize("call, words", [
    (lambda predict, model, seqs: predict(model, []), "sequences is empty"),
    (lambda predict, model, seqs: predict(model, seqs, batch_size=0), "batch_size must be positive")])
def test_predict_refuses_what_it_cannot_run(vowels, call, words):
    from lstm_lessons.evaluation import predict

    with pytest.raises(ValueError, match=words):
        call(predict, LSTMClassifier(12, 4, 1, 9), vowels.val[0][:4])


@pytest.mark.parametrize("y, predicted, words", [
    ([0, 9], [0, 1], "y\\[1\\] = 9 is not a class of 0..8"), ([0, 1], [0, -1], "predicted\\[1\\] = -1"),
    ([0, 1, 2], [0, 1], "shapes \\[3\\] and \\[2\\]")])
def test_confusion_matrix_refuses_classes_outside_num_classes(y, predicted, words):
    from lstm_lessons.evaluation import confusion_matrix

    with pytest.raises(ValueError, match=words):
        confusion_matrix(torch.tensor(y), torch.tensor(predicted), num_classes=9)


def test_predict_names_a_bad_sequence_by_its_index(vowels):
    model = LSTMClassifier(12, 8, 1, 9)
    sequences = list(vowels.val[0][:5])
    sequences[3] = torch.zeros(0, 12)
    with pytest.raises(ValueError, match="sequence 3"):
        predict(model, sequences)


def test_confusion_matrix_refuses_float_labels():
    with pytest.raises(ValueError, match="class indices"):
        confusion_matrix(torch.tensor([0.5, 1.0]), torch.tensor([0, 1]), 9)


def test_train_names_the_set_and_the_sequence(vowels):
    sequences = list(vowels.train[0][:6])
    sequences[2] = [[0.0] * 12] * 4  # a list of lists, not a tensor
    with pytest.raises(ValueError, match=r"train_set: sequence 2 must be a tensor"):
        train(LSTMClassifier(12, 8, 1, 9), (sequences, vowels.train[1][:6]), epochs=1, lr=1e-2, progress=False)
    good = list(vowels.train[0][:6])
    bad_val = list(vowels.val[0][:4])
    bad_val[1] = torch.zeros(0, 12)
    with pytest.raises(ValueError, match=r"val_set: sequence 1 is empty"):
        train(LSTMClassifier(12, 8, 1, 9), (good, vowels.train[1][:6]), val_set=(bad_val, vowels.val[1][:4]),
              epochs=1, lr=1e-2, progress=False)


def test_predict_refuses_nan():
    with pytest.raises(ValueError, match="sequence 1 holds NaN"):
        predict(LSTMClassifier(3, 4, 1, 2), [torch.randn(5, 3), torch.full((2, 3), float("nan"))])
