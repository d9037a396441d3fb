import itertools

import pytest
import torch
from torch import nn

from lstm_lessons import lstm_shapes, measure_lstm_shapes
from lstm_lessons.shapes import shape_table

BASE = dict(batch_size=3, seq_len=4, input_size=5, hidden_size=6)
CONFIGS = [
    dict(batch_size=b, num_layers=layers, bidirectional=bi, batch_first=bf, proj_size=proj)
    for b, layers, bi, bf, proj in itertools.product([1, 3], [1, 2, 3], [False, True], [False, True], [0, 2])
]


@pytest.mark.parametrize("config", CONFIGS, ids=str)
def test_shapes_match_a_real_lstm(config):
    settings = BASE | config
    lstm = nn.LSTM(settings["input_size"], settings["hidden_size"], settings["num_layers"],
                   batch_first=settings["batch_first"], bidirectional=settings["bidirectional"],
                   proj_size=settings["proj_size"])
    b, t, i = settings["batch_size"], settings["seq_len"], settings["input_size"]
    x = torch.randn((b, t, i) if settings["batch_first"] else (t, b, i))
    out, (h_n, c_n) = lstm(x)
    assert lstm_shapes(**settings) == {"input": x.shape, "output": out.shape, "h_n": h_n.shape, "c_n": c_n.shape}


def test_measure_agrees_with_prediction_for_a_deep_bidirectional_projection():
    settings = BASE | dict(num_layers=3, bidirectional=True, proj_size=2, batch_first=True)
    assert measure_lstm_shapes(**settings) == lstm_shapes(**settings)


def test_batch_first_never_changes_the_states():
    first = lstm_shapes(**BASE, num_layers=2, batch_first=True)
    second = lstm_shapes(**BASE, num_layers=2, batch_first=False)
    assert first["h_n"] == second["h_n"] == torch.Size([2, 3, 6])
    assert first["output"] == torch.Size([3, 4, 6]) and second["output"] == torch.Size([4, 3, 6])


@pytest.mark.parametrize("name", ["batch_size", "seq_len", "input_size", "hidden_size", "num_layers"])
@pytest.mark.parametrize("bad", [0, -2, 2.5, True, "3", None])
def test_sizes_must_be_positive_integers(name, bad):
    with pytest.raises(ValueError, match=name):
        lstm_shapes(**(BASE | {name: bad}))


@pytest.mark.parametrize("name", ["bidirectional", "batch_first"])
@pytest.mark.parametrize("bad", [1, "yes", None])
def test_flags_must_be_bools(name, bad):
    with pytest.raises(ValueError, match=f"{name} must be True or False"):
        lstm_shapes(**BASE, **{name: bad})


@pytest.mark.parametrize("proj_size", [6, 7])
def test_projection_must_be_smaller_than_hidden(proj_size):
    with pytest.raises(ValueError, match="proj_size must be smaller than hidden_size") as info:
        lstm_shapes(**BASE, proj_size=proj_size)
    assert f"proj_size={proj_size}" in str(info.value) and "hidden_size=6" in str(info.value)


def test_negative_projection_is_refused():
    with pytest.raises(ValueError, match="proj_size must be >= 0"):
        lstm_shapes(**BASE, proj_size=-1)


def test_measure_refuses_bad_arguments_before_building_an_lstm():
    with pytest.raises(ValueError, match="hidden_size must be positive"):
        measure_lstm_shapes(**(BASE | {"hidden_size": 0}))


def test_shape_table_has_a_row_per_config_with_the_predicted_shapes():
    table = shape_table([dict(bidirectional=True), dict(proj_size=2, num_layers=3)], **BASE)
    header, bi, proj = table.splitlines()
    assert header.startswith("settings (batch 3, seq_len 4, input 5, hidden 6)")
    assert bi.startswith("bidirectional=True") and "[4, 3, 12]" in bi and bi.count("[2, 3, 6]") == 2
    assert bi.endswith(" True") and proj.endswith(" True")
    assert "[3, 3, 2]" in proj and "[3, 3, 6]" in proj


def test_shape_table_says_false_when_a_real_lstm_disagrees(monkeypatch):
    import lstm_lessons.shapes as shapes

    monkeypatch.setattr(shapes, "measure_lstm_shapes", lambda **settings: {})
    assert shape_table([dict(num_layers=2)], **BASE).splitlines()[1].endswith(" False")
