"""Interactive widgets for the lessons (needs ``ipywidgets``; imported only by notebooks).

Every callback is thin: the logic sits in plain functions (``shape_report_html``) that tests call
directly.
"""

from __future__ import annotations

import html

import ipywidgets as widgets

from .shapes import lstm_shapes, measure_lstm_shapes

__all__ = ["shape_report_html", "shape_explorer"]

_EXPLANATIONS = {
    "input": "x you pass in",
    "output": "out: the last layer's h at every step",
    "h_n": "every layer's (and direction's) final h: after the last step forward, after step 0 backward",
    "c_n": "every layer's (and direction's) final cell state, likewise",
}


def shape_report_html(**settings) -> str:
    """An HTML table of ``lstm_shapes(**settings)``, each row confirmed by a real ``nn.LSTM``.

    An invalid combination (say ``proj_size >= hidden_size``) gives a short explanation in
    place of the table; it never raises.
    """
    try:
        predicted = lstm_shapes(**settings)
    except ValueError as error:
        return f"<p style='color:#b00020'><b>Not a valid LSTM:</b> {html.escape(str(error))}</p>"
    measured = measure_lstm_shapes(**settings)
    rows = "".join(
        f"<tr><td><code>{name}</code></td><td><code>{list(shape)}</code></td>"
        f"<td>{'✓' if measured[name] == shape else '✗ ' + str(list(measured[name]))}</td>"
        f"<td>{_EXPLANATIONS[name]}</td></tr>"
        for name, shape in predicted.items()
    )
    return (
        "<table><tr><th>tensor</th><th>shape (lstm_shapes)</th><th>real nn.LSTM</th>"
        f"<th>what it holds</th></tr>{rows}</table>"
    )


def shape_explorer(**initial) -> widgets.VBox:
    """Sliders and checkboxes for every ``nn.LSTM`` size, and the live shape table below them.

    ``initial`` overrides any starting value, e.g. ``shape_explorer(num_layers=2)``.
    """
    style = {"description_width": "110px"}
    controls = {
        "batch_size": widgets.IntSlider(4, 1, 64, description="batch_size", style=style),
        "seq_len": widgets.IntSlider(7, 1, 50, description="seq_len", style=style),
        "input_size": widgets.IntSlider(10, 1, 64, description="input_size", style=style),
        "hidden_size": widgets.IntSlider(16, 1, 128, description="hidden_size", style=style),
        "num_layers": widgets.IntSlider(1, 1, 4, description="num_layers", style=style),
        "proj_size": widgets.IntSlider(0, 0, 128, description="proj_size", style=style),
        "bidirectional": widgets.Checkbox(False, description="bidirectional", style=style),
        "batch_first": widgets.Checkbox(True, description="batch_first", style=style),
    }
    for name, value in initial.items():
        controls[name].value = value
    table = widgets.HTML()

    def update(_change=None) -> None:
        table.value = shape_report_html(**{name: c.value for name, c in controls.items()})

    for control in controls.values():
        control.observe(update, names="value")
    update()
    return widgets.VBox([widgets.HBox([widgets.VBox(list(controls.values())[:6]),
                                       widgets.VBox(list(controls.values())[6:])]), table])
