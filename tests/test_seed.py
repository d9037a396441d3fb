"""SeedLSTM and run_seed_program against the seed's published program, run as published."""

import contextlib
import io
import re
import runpy

import pytest
import torch

from lstm_lessons import SeedLSTM, run_seed_program, seed_program_path, seed_program_source


def run_published_program(seed: int) -> tuple[dict, list[str]]:
    """Execute the published file after torch.manual_seed(seed); return its globals and printed losses."""
    torch.manual_seed(seed)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        namespace = runpy.run_path(str(seed_program_path()))
    return namespace, re.findall(r"Loss: (\d+\.\d{4})", printed.getvalue())


@pytest.fixture(scope="module")
def published():
    return run_published_program(seed=3)


def test_source_is_the_published_program():
    source = seed_program_source()
    assert "class LSTM(nn.Module):" in source
    assert "x = torch.randn(64, 5, 10)" in source and "y = torch.randint(0, 2, (64,))" in source
    assert "loss = criterion(pred.squeeze(), y)" in source


def test_seed_state_dict_loads_into_seedlstm_and_gives_the_same_outputs(published):
    namespace, _ = published
    seed_model, x = namespace["lstm"], namespace["x"]
    ours = SeedLSTM(10, 32, 2, 2)
    ours.load_state_dict(seed_model.state_dict())  # strict: same names and shapes
    assert list(ours.state_dict()) == list(seed_model.state_dict())
    torch.testing.assert_close(ours(x), seed_model(x), rtol=0, atol=0)
    torch.testing.assert_close(ours(x[:1]), seed_model(x[:1]), rtol=0, atol=0)


def test_same_attributes_as_the_seed_class(published):
    namespace, _ = published
    theirs, ours = namespace["LSTM"](10, 32, 2, 2), SeedLSTM(10, 32, 2, 2)
    for name in ("hidden_size", "num_layers"):
        assert getattr(ours, name) == getattr(theirs, name)
    assert repr(ours.lstm) == repr(theirs.lstm) and repr(ours.fc) == repr(theirs.fc)


def test_run_seed_program_reproduces_the_published_losses(published):
    _, printed = published
    losses = run_seed_program(seed=3, print_every=0)
    assert len(losses) == len(printed) == 100
    assert [f"{loss:.4f}" for loss in losses] == printed


def test_run_seed_program_prints_the_seeds_lines(capsys):
    losses = run_seed_program(num_epochs=6, seed=0, print_every=3)
    lines = capsys.readouterr().out.splitlines()
    assert lines == [f"Epoch [3/6], Loss: {losses[2]:.4f}", f"Epoch [6/6], Loss: {losses[5]:.4f}"]


def test_seed_loss_falls_on_random_labels():
    losses = run_seed_program(seed=0, print_every=0)
    assert abs(losses[0] - torch.log(torch.tensor(2.0)).item()) < 0.05
    assert losses[-1] < 0.5 * losses[0]


@pytest.mark.parametrize("kwargs", [dict(num_epochs=0), dict(seed=-1), dict(print_every=-1)])
def test_run_seed_program_refuses_bad_arguments(kwargs):
    with pytest.raises(ValueError):
        run_seed_program(**kwargs)


def test_seedlstm_breaks_in_float64_as_the_lesson_shows():
    model = SeedLSTM(10, 32, 2, 2).double()
    with pytest.raises(RuntimeError, match="dtype"):
        model(torch.randn(2, 5, 10, dtype=torch.float64))
