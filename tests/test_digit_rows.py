"""draw_digit_rows (lesson 05): the digits as the LSTM reads them, with no warning in the cell."""

import warnings

import matplotlib
import torch

matplotlib.use("Agg")

from lstm_lessons.plots import draw_digit_rows  # noqa: E402


def test_digit_rows_draw_without_warnings_and_show_the_pixels():
    x, y = torch.rand(6, 8, 8, requires_grad=True), torch.arange(6)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warned that a tensor's __array__ takes no copy keyword
        fig = draw_digit_rows(x, y, show=5)
    images = [ax.get_images()[0].get_array() for ax in fig.axes]
    assert len(images) == 5 and all(abs(image - x[i].detach().numpy()).max() == 0 for i, image in enumerate(images))
    assert [ax.get_title() for ax in fig.axes] == [f"label {i}" for i in range(5)]
