"""A small panel to make the language model of lesson 08 write: a prompt, a temperature, a Write button.

Needs ``ipywidgets`` (imported only by notebooks). The callback is thin: :func:`writing_html` does the
work, and tests call it directly.
"""

from __future__ import annotations

import html

import ipywidgets as widgets

from .i18n import _
from .language_model import CharLSTM, generate

__all__ = ["text_writer", "writing_html"]


def writing_html(model: CharLSTM, prompt: str, temperature: float, length: int, seed: int) -> str:
    """The prompt (bold) and what the model writes after it, as HTML, with a note that the seed fixes the
    text; a bad prompt or temperature (any error) gives a short explanation in red instead (it never raises)."""
    try:
        text = generate(model, prompt, length, temperature=temperature, seed=seed)
    except Exception as error:  # noqa: BLE001 -- whatever goes wrong is shown on the page, never raised
        return f"<p style='color:#b00020'>{html.escape(type(error).__name__)}: {html.escape(str(error))}</p>"
    note = _("Seed {seed}: the same prompt, temperature and seed always write this same text; change the seed "
             "for another.").format(seed=seed)
    return (f"<pre style='white-space:pre-wrap'><b>{html.escape(prompt)}</b>{html.escape(text)}</pre>"
            f"<p style='color:#666'>{html.escape(note)}</p>")


def text_writer(model: CharLSTM, prompt: str = "Romeo.\nBut soft, ", temperature: float = 0.8, length: int = 300,
                seed: int = 0) -> widgets.VBox:
    """A prompt box, a temperature slider (0.05 to 2), a length slider and a seed; **Write** shows the text."""
    style = {"description_width": "100px"}
    controls = {
        "prompt": widgets.Textarea(prompt, description=_("prompt"), style=style),
        "temperature": widgets.FloatSlider(temperature, min=0.05, max=2.0, step=0.05, description=_("temperature"),
                                           style=style, continuous_update=False),
        "length": widgets.IntSlider(length, min=10, max=1000, step=10, description=_("length"), style=style,
                                    continuous_update=False),
        "seed": widgets.IntText(seed, description=_("seed"), style=style),
    }
    button = widgets.Button(description=_("Write"), button_style="primary")
    page = widgets.HTML()

    def write(_button=None) -> None:
        page.value = writing_html(model, **{name: control.value for name, control in controls.items()})

    button.on_click(write)
    write()
    return widgets.VBox([*controls.values(), button, page])
