"""draw_sequence_batch (lesson 01): the outlined step, clear errors for a step or count it cannot draw."""

import warnings

import matplotlib
import pytest
import torch

matplotlib.use("Agg")
from matplotlib.patches import Rectangle  # noqa: E402

from lstm_lessons.plots import draw_sequence_batch  # noqa: E402

X = torch.randn(4, 5, 3, generator=torch.Generator().manual_seed(0))


def test_outlines_the_step_in_every_panel_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warned when handed a tensor instead of an array
        fig = draw_sequence_batch(X, step=2, show=3)
    panels = [ax for ax in fig.axes if ax.images]
    assert len(panels) == 3
    for ax in panels:
        (outline,) = [p for p in ax.patches if isinstance(p, Rectangle)]
        assert outline.get_x() == 1.5 and outline.get_width() == 1  # the column of step 2


@pytest.mark.parametrize("step", [-1, 5, 10, 2.0, True])
def test_a_step_outside_the_sequence_is_refused(step):
    with pytest.raises(ValueError, match=r"step must be .* from 0 to 4"):
        draw_sequence_batch(X, step=step)


@pytest.mark.parametrize("show", [0, -1, 1.5])
def test_showing_no_sequence_is_refused(show):
    with pytest.raises(ValueError, match="show must be .* at least 1"):
        draw_sequence_batch(X, show=show)


def test_show_larger_than_the_batch_draws_the_whole_batch():
    assert len([ax for ax in draw_sequence_batch(X, show=10).axes if ax.images]) == 4
