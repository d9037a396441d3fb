"""Interactive widgets for the lessons (needs ``ipywidgets``; imported only by notebooks).

Every callback is thin: the logic sits in plain functions (``shape_report_html``) that tests call
directly.
"""

from __future__ import annotations

import html

import ipywidgets as widgets

from .i18n import N_, _
from .shapes import lstm_shapes, measure_lstm_shapes
from .validation import require_bool, require_int

__all__ = ["shape_report_html", "shape_explorer"]

_EXPLANATIONS = {
    "input": N_("x you pass in"),
    "output": N_("out: the last layer's h at every step"),
    "h_n": N_("every layer's final h: after the last step"),
    "c_n": N_("every layer's final cell state, likewise"),
}
_BIDIRECTIONAL = {  # the rows that change when there are two directions
    "h_n": N_("every layer's (and direction's) final h: after the last step forward, after step 0 backward"),
    "c_n": N_("every layer's (and direction's) final cell state, likewise"),
}
_INTERRUPTED = N_("<p style='color:#b00020'><b>Interrupted</b> before the table was updated: move a slider.</p>")


def shape_report_html(**settings) -> str:
    """An HTML table of ``lstm_shapes(**settings)``, each row confirmed by a real ``nn.LSTM``.

    An invalid combination (say ``proj_size >= hidden_size``) gives a short explanation in
    place of the table; it never raises.
    """
    try:
        predicted = lstm_shapes(**settings)
    except ValueError as error:
        return _("<p style='color:#b00020'><b>Not a valid LSTM:</b> {error}</p>").format(error=html.escape(str(error)))
    measured = measure_lstm_shapes(**settings)
    explanations = _EXPLANATIONS | (_BIDIRECTIONAL if settings.get("bidirectional") else {})
    rows = "".join(
        f"<tr><td><code>{name}</code></td><td><code>{list(shape)}</code></td>"
        f"<td>{'✓' if measured[name] == shape else '✗ ' + str(list(measured[name]))}</td>"
        f"<td>{_(explanations[name])}</td></tr>"
        for name, shape in predicted.items()
    )
    return _(
        "<table><tr><th>tensor</th><th>shape (lstm_shapes)</th><th>real nn.LSTM</th>"
        "<th>what it holds</th></tr>{rows}</table>"
    ).format(rows=rows)


def _controls() -> dict[str, widgets.ValueWidget]:
    """One slider or checkbox per setting; sliders update the table on release, not while dragged."""
    style = {"description_width": "110px"}

    def slider(value: int, low: int, high: int, name: str) -> widgets.IntSlider:
        return widgets.IntSlider(value, low, high, description=name, style=style, continuous_update=False)

    return {
        "batch_size": slider(4, 1, 64, "batch_size"),
        "seq_len": slider(7, 1, 50, "seq_len"),
        "input_size": slider(10, 1, 64, "input_size"),
        "hidden_size": slider(16, 1, 128, "hidden_size"),
        "num_layers": slider(1, 1, 4, "num_layers"),
        "proj_size": slider(0, 0, 128, "proj_size"),
        "bidirectional": widgets.Checkbox(False, description="bidirectional", style=style),
        "batch_first": widgets.Checkbox(True, description="batch_first", style=style),
    }


def _set_initial(controls: dict, initial: dict) -> None:
    """Apply ``initial`` to ``controls``, refusing unknown names and values a control cannot show."""
    for name, value in initial.items():
        if name not in controls:
            raise ValueError(_("shape_explorer has no setting {name!r}; the settings are {settings}").format(
                name=name, settings=', '.join(controls)))
        control = controls[name]
        if isinstance(control, widgets.Checkbox):
            require_bool(name, value)
        else:
            require_int(name, value, minimum=control.min)
            if value > control.max:
                raise ValueError(_("{name} must be between {min} and {max} (the slider's range), "
                                 "got {value}").format(name=name, min=control.min, max=control.max, value=value))
        control.value = value


def shape_explorer(**initial) -> widgets.VBox:
    """Sliders and checkboxes for every ``nn.LSTM`` size, and the live shape table below them.

    ``initial`` overrides any starting value, e.g. ``shape_explorer(num_layers=2)``; an unknown
    name or a value outside a slider's range raises ``ValueError``.
    """
    controls = _controls()
    _set_initial(controls, initial)
    table = widgets.HTML()

    def update(_change=None) -> None:
        try:
            table.value = shape_report_html(**{name: c.value for name, c in controls.items()})
        except KeyboardInterrupt:  # the kernel was interrupted mid-update: never leave a stale table
            table.value = _(_INTERRUPTED)

    for control in controls.values():
        control.observe(update, names="value")
    update()
    return widgets.VBox([widgets.HBox([widgets.VBox(list(controls.values())[:6]),
                                       widgets.VBox(list(controls.values())[6:])]), table])
