"""The character-level language model of lesson 08: data, vocabulary, model, training, sampling."""

import importlib.util
import math
from pathlib import Path

import numpy as np
import pytest
import torch

from lstm_lessons.language_model import (
    PRETRAINED_FILE,
    CharLSTM,
    bits_per_character,
    detach_state,
    generate,
    load_pretrained,
    next_char_probabilities,
    save_model,
    sequence_loss,
    train_epoch,
)
from lstm_lessons.text_data import Vocabulary, load_text, split_text, stream_batches, uniform_bits, unigram_bits

VOCAB = Vocabulary.from_text("abcdefgh ")


def tiny_model(seed=0, num_layers=1):
    torch.manual_seed(seed)
    return CharLSTM(VOCAB, embed_size=4, hidden_size=8, num_layers=num_layers)


@pytest.fixture(scope="module")
def text():
    return load_text()


def test_the_split_covers_the_text_once_and_holds_out_its_last_tenth(text):
    train, validation = split_text(text)
    assert train + validation == text
    assert 0.09 < len(validation) / len(text) < 0.11
    assert train.endswith("\n")  # cut at a line start
    assert "Hamlet" in train and "Exeunt, with a dead march" in validation  # the end of King Lear is held out


def test_the_shipped_text_is_the_four_plays(text):
    assert len(text) == 571_054 and text.isascii()
    for title in ("HAMLET, PRINCE OF DENMARK", "MACBETH", "ROMEO AND JULIET", "THE TRAGEDY OF KING LEAR"):
        assert title in text


@pytest.mark.parametrize("fraction", [0, 1, -0.5, 2])
def test_the_split_refuses_fractions_outside_0_1(fraction):
    with pytest.raises(ValueError, match="between 0 and 1"):
        split_text("some text\nmore text", fraction)


def test_vocabulary_round_trip_and_sorted_ids():
    ids = VOCAB.encode("bad cab")
    assert ids.dtype == torch.long and VOCAB.decode(ids) == "bad cab"
    assert VOCAB.chars == " abcdefgh" and VOCAB.encode("a").item() == 1


@pytest.mark.parametrize("text, words", [("abz", "'z' not in the vocabulary"), ("A!", "'!', 'A' not in")])
def test_unknown_characters_are_named(text, words):
    with pytest.raises(ValueError, match=words):
        VOCAB.encode(text)


def test_vocabulary_refuses_non_strings_and_bad_ids():
    with pytest.raises(TypeError, match="takes a string"):
        VOCAB.encode(["a"])
    with pytest.raises(ValueError, match="from 0 to 8"):
        VOCAB.decode([3, 9])
    with pytest.raises(ValueError, match="distinct characters"):
        Vocabulary("aab")


def test_stream_batches_shift_targets_by_one_and_continue_each_row():
    ids = torch.arange(23)
    chunks = list(stream_batches(ids, batch_size=2, seq_len=4))
    x0, y0 = chunks[0]
    assert x0.tolist() == [[0, 1, 2, 3], [11, 12, 13, 14]] and torch.equal(y0, x0 + 1)
    assert chunks[1][0][:, 0].tolist() == [4, 15]  # row b of chunk 2 goes on where row b of chunk 1 stopped
    assert [x.shape[1] for x, _ in chunks] == [4, 4, 3]


@pytest.mark.parametrize("num_layers", [1, 2])
def test_chunks_with_the_state_carried_equal_one_full_pass(num_layers):
    model = tiny_model(num_layers=num_layers)
    ids = torch.randint(0, len(VOCAB), (3, 20), generator=torch.Generator().manual_seed(1))
    full, (h_full, c_full) = model(ids)
    state, parts = None, []
    for chunk in ids.split(6, dim=1):
        logits, state = model(chunk, state)
        parts.append(logits)
    assert torch.allclose(torch.cat(parts, dim=1), full, atol=1e-6)
    assert torch.allclose(state[0], h_full, atol=1e-6) and torch.allclose(state[1], c_full, atol=1e-6)
    fresh, _ = model(ids[:, 6:12])  # without the state the second chunk differs
    assert not torch.allclose(fresh, full[:, 6:12], atol=1e-3)


def test_forward_shapes_and_clear_errors():
    logits, (h, c) = tiny_model(num_layers=2)(torch.zeros(5, 7, dtype=torch.long))
    assert logits.shape == (5, 7, len(VOCAB)) and h.shape == c.shape == (2, 5, 8)
    with pytest.raises(ValueError, match=r"int64 tensor \[batch, seq_len\]"):
        tiny_model()(torch.zeros(7, dtype=torch.long))
    with pytest.raises(ValueError, match="int64"):
        tiny_model()(torch.zeros(2, 7))


def test_sequence_loss_equals_the_reshaped_loss():
    logits, targets = torch.randn(3, 5, 7), torch.randint(0, 7, (3, 5))
    flat = torch.nn.functional.cross_entropy(logits.reshape(-1, 7), targets.reshape(-1))
    assert torch.allclose(sequence_loss(logits, targets), flat)


def test_carrying_the_state_without_detach_fails_the_second_backward():
    model = tiny_model()
    ids = torch.randint(0, len(VOCAB), (2, 12), generator=torch.Generator().manual_seed(0))
    first, state = model(ids[:, :6])
    first.sum().backward()
    second, _ = model(ids[:, 6:], state)
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        second.sum().backward()
    second, _ = model(ids[:, 6:], detach_state(state))
    second.sum().backward()  # detached: the second backward stops at the chunk's start


def test_same_seed_same_sample_other_seed_other_sample():
    model = tiny_model()
    a = generate(model, "bad", 40, temperature=1.0, seed=3)
    assert a == generate(model, "bad", 40, temperature=1.0, seed=3)
    assert a != generate(model, "bad", 40, temperature=1.0, seed=4)
    assert len(a) == 40 and set(a) <= set(VOCAB.chars)


def _greedy(model, prompt, length):
    text = prompt
    for _ in range(length):
        text += VOCAB.chars[next_char_probabilities(model, text).argmax().item()]
    return text[len(prompt):]


def test_temperature_towards_zero_becomes_argmax():
    model = tiny_model()
    for seed in range(3):
        assert generate(model, "cab", 30, temperature=1e-6, seed=seed) == _greedy(model, "cab", 30)
    peaks = [next_char_probabilities(model, "cab", t).max().item() for t in (2.0, 1.0, 0.1, 0.001)]
    assert peaks == sorted(peaks) and peaks[-1] > 0.999


def test_a_high_temperature_tends_to_uniform():
    probabilities = next_char_probabilities(tiny_model(), "cab", temperature=1e6)
    assert torch.allclose(probabilities, torch.full((len(VOCAB),), 1 / len(VOCAB)), atol=1e-5)


@pytest.mark.parametrize("temperature", [0, -1.0, float("nan"), float("inf"), "1", True, None, 10**400, 1e-320,
                                         1e-40])
def test_bad_temperatures_are_refused(temperature):
    with pytest.raises(ValueError, match="temperature must be a positive number"):
        generate(tiny_model(), "a", 5, temperature=temperature)


@pytest.mark.parametrize("prompt, words", [("", "non-empty string"), (None, "non-empty string"),
                                           ("abz", "'z' not in the vocabulary")])
def test_bad_prompts_are_refused(prompt, words):
    with pytest.raises(ValueError, match=words):
        generate(tiny_model(), prompt, 5, temperature=1.0)


def test_a_temperature_too_small_for_float32_is_refused_not_turned_into_nan():
    with pytest.raises(ValueError, match="overflows float32"):
        next_char_probabilities(tiny_model(), "cab", 1e-40)  # 1 / 1e-40 is inf in float32: nan before


def test_the_smallest_accepted_temperature_still_gives_argmax():
    model = tiny_model()
    probabilities = next_char_probabilities(model, "cab", 3e-38)
    assert torch.isfinite(probabilities).all() and probabilities.max().item() == 1.0
    assert generate(model, "cab", 20, temperature=3e-38, seed=0) == _greedy(model, "cab", 20)


def test_numpy_numbers_are_accepted_as_temperature_length_and_seed():
    model = tiny_model()
    expected = generate(model, "bad", 5, temperature=0.5, seed=3)
    assert generate(model, "bad", np.int64(5), temperature=np.float32(0.5), seed=np.int64(3)) == expected


def test_generate_and_next_char_probabilities_leave_the_model_in_its_mode():
    model = tiny_model()
    model.train()
    generate(model, "a", 3)
    next_char_probabilities(model, "a")
    assert model.training
    model.eval()
    generate(model, "a", 3)
    assert not model.training


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a GPU")
def test_a_model_on_the_gpu_writes_the_same_text_as_on_the_cpu():
    model = tiny_model()
    expected = generate(model, "bad", 30, temperature=0.8, seed=2)
    bits = bits_per_character(model, VOCAB.encode("bad cafe bead " * 5))
    model.cuda()
    assert generate(model, "bad", 30, temperature=0.8, seed=2) == expected
    assert bits_per_character(model, VOCAB.encode("bad cafe bead " * 5)) == pytest.approx(bits, rel=1e-4)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    assert math.isfinite(train_epoch(model, VOCAB.encode("bad cafe bead " * 20), optimizer, batch_size=2, seq_len=8))


def test_bits_per_character_on_too_short_a_text_names_streams():
    with pytest.raises(ValueError, match="too few for 8 streams: use fewer streams"):
        bits_per_character(tiny_model(), VOCAB.encode("bad"), streams=8)


def test_decode_refuses_bools_and_takes_numpy_ints():
    with pytest.raises(ValueError, match="whole numbers"):
        VOCAB.decode([True])
    assert VOCAB.decode([np.int64(1), 2]) == "ab"


def test_the_vocabulary_of_the_whole_text_is_that_of_the_training_part(text):
    train, validation = split_text(text)
    assert Vocabulary.from_text(text) == Vocabulary.from_text(train)  # no character only in the held-out text
    assert sorted(set(train) - set(validation)) == ['"', "/", "1", "2", "3", "X", "Z", "}"]


@pytest.mark.parametrize("seed", [-1, 2.5, "5", None, 2**64])
def test_bad_seeds_are_refused(seed):
    with pytest.raises(ValueError, match="seed must be a whole number"):
        generate(tiny_model(), "a", 5, temperature=1.0, seed=seed)


@pytest.mark.parametrize("length", [-1, 2.5, "5"])
def test_bad_lengths_are_refused(length):
    with pytest.raises(ValueError, match="length must be a whole number"):
        generate(tiny_model(), "a", length, temperature=1.0)


def test_the_largest_seed_is_accepted():
    assert len(generate(tiny_model(), "a", 3, seed=2**64 - 1)) == 3


def test_baselines():
    assert uniform_bits(64) == 6.0
    vocab = Vocabulary("ab")
    assert unigram_bits("aaab", "ab", vocab) == pytest.approx(-(math.log2(4 / 6) + math.log2(2 / 6)) / 2)


def test_an_untrained_model_costs_about_the_uniform_bits_and_training_lowers_held_out_bits(text):
    train, validation = split_text(text)
    vocab = Vocabulary.from_text(text)
    train_ids, val_ids = vocab.encode(train[:60_000]), vocab.encode(validation[:8_000])
    torch.manual_seed(0)
    model = CharLSTM(vocab, embed_size=16, hidden_size=64)
    before = bits_per_character(model, val_ids)
    assert abs(before - uniform_bits(len(vocab))) < 0.2
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    train_epoch(model, train_ids, optimizer, batch_size=16, seq_len=32, max_chunks=60)
    after = bits_per_character(model, val_ids)
    assert after < unigram_bits(train, validation, vocab) < before


def test_bits_per_character_matches_the_mean_loss_of_one_pass():
    model, ids = tiny_model(), torch.randint(0, len(VOCAB), (41,), generator=torch.Generator().manual_seed(2))
    with torch.no_grad():
        logits, _ = model(ids[:-1].unsqueeze(0))
        expected = sequence_loss(logits, ids[1:].unsqueeze(0)).item() / math.log(2)
    assert bits_per_character(model, ids, streams=1, seq_len=7) == pytest.approx(expected, rel=1e-5)


def test_save_and_load_round_trip(tmp_path):
    model = tiny_model(num_layers=2)
    save_model(model, tmp_path / "m.pt")
    loaded = load_pretrained(tmp_path / "m.pt")
    ids = VOCAB.encode("bad cafe").unsqueeze(0)
    assert torch.equal(loaded(ids)[0], model(ids)[0]) and loaded.vocab == VOCAB and not loaded.training


def test_the_shipped_model_loads_with_weights_only_and_beats_the_baselines(text):
    assert PRETRAINED_FILE.stat().st_size < 2_000_000
    saved = torch.load(PRETRAINED_FILE, weights_only=True)
    assert set(saved) == {"config", "state_dict"}
    model = load_pretrained()
    train, validation = split_text(text)
    assert model.vocab == Vocabulary.from_text(text)
    bits = bits_per_character(model, model.vocab.encode(validation[:20_000]))
    assert bits < unigram_bits(train, validation, model.vocab) - 1.5


def _training_tool():
    path = Path(__file__).resolve().parent.parent / "tools" / "train_char_model.py"
    spec = importlib.util.spec_from_file_location("train_char_model", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("argv", [["--epochs", "0"], ["--epochs", "-3"], ["--seq-len", "0"], ["--batch-size", "0"],
                                  ["--lr", "0"], ["--out", "/nonexistent/x.pt"], ["--seed", str(2**64)],
                                  ["--seed", "-1"]])
def test_the_training_tool_refuses_bad_options_before_training(argv, capsys):
    with pytest.raises(SystemExit):
        _training_tool().main(argv)
    assert "expected" in capsys.readouterr().err


def test_the_training_tool_does_not_overwrite_the_shipped_model_by_default():
    assert _training_tool().parse_args([]).out.resolve() != PRETRAINED_FILE


@pytest.mark.parametrize("streams", [0, -1, 2.5, True])
def test_bits_per_character_refuses_odd_streams(streams):
    with pytest.raises(ValueError, match="streams must be"):
        bits_per_character(tiny_model(), torch.tensor([0, 1, 2, 3, 4] * 10), streams=streams)


def test_the_training_tool_refuses_a_folder_it_cannot_write(capsys):
    if not Path("/proc").is_dir():
        pytest.skip("needs /proc, a folder no one can create files in (Linux)")
    with pytest.raises(SystemExit):
        _training_tool().parse_args(["--out", "/proc/x.pt"])
    assert "cannot be written" in capsys.readouterr().err
