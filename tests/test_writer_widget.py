"""The writing panel of lesson 08, driven without a browser: set the controls, press Write, read the page."""

import ipywidgets as widgets
import pytest
import torch

from lstm_lessons.language_model import CharLSTM, generate
from lstm_lessons.text_data import Vocabulary
from lstm_lessons.writer_widget import text_writer, writing_html

VOCAB = Vocabulary.from_text("ROMEabcdefgh .\n<&")


@pytest.fixture
def model():
    torch.manual_seed(0)
    return CharLSTM(VOCAB, embed_size=4, hidden_size=8)


def parts(panel):
    controls = {w.description: w for w in panel.children if isinstance(w, widgets.ValueWidget)
                and not isinstance(w, widgets.HTML)}
    button = next(w for w in panel.children if isinstance(w, widgets.Button))
    return controls, button, panel.children[-1]


def test_the_panel_writes_at_once_and_again_when_write_is_pressed(model):
    panel = text_writer(model, prompt="ROME", temperature=0.8, length=30, seed=0)
    controls, button, page = parts(panel)
    assert set(controls) == {"prompt", "temperature", "length", "seed"}
    assert generate(model, "ROME", 30, temperature=0.8, seed=0) in page.value.replace("&amp;", "&").replace(
        "&lt;", "<")
    controls["seed"].value, controls["temperature"].value = 5, 1.5
    button.click()
    expected = generate(model, "ROME", 30, temperature=1.5, seed=5)
    assert expected in page.value.replace("&amp;", "&").replace("&lt;", "<")


def test_the_temperature_slider_stays_above_zero(model):
    controls, _, _ = parts(text_writer(model))
    controls["temperature"].value = 0
    assert controls["temperature"].value == 0.05  # the slider's minimum: temperature 0 cannot be picked


@pytest.mark.parametrize("prompt, words", [("", "non-empty string"), ("ROMEO!", "&#x27;!&#x27; not in the vocabulary")])
def test_a_bad_prompt_is_explained_on_the_page_not_raised(model, prompt, words):
    controls, button, page = parts(text_writer(model))
    controls["prompt"].value = prompt
    button.click()
    assert "b00020" in page.value and words in page.value


def test_the_page_escapes_html(model):
    html = writing_html(model, "<&", 0.5, 20, 0)
    assert html.startswith("<pre") and "<b>&lt;&amp;</b>" in html


def test_the_page_says_the_seed_fixes_the_text(model):
    assert "change the seed for another" in writing_html(model, "ROME", 0.8, 20, 4)


@pytest.mark.parametrize("temperature", [1e-320, 10**400])
def test_any_error_is_shown_in_red_never_raised(model, temperature):
    assert "b00020" in writing_html(model, "ROME", temperature, 20, 0)


def test_an_error_from_the_model_itself_is_shown_in_red(model, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("probability tensor contains either inf, nan or element < 0")
    monkeypatch.setattr(model, "forward", broken)
    assert "b00020" in writing_html(model, "ROME", 0.8, 20, 0) and "RuntimeError" in writing_html(
        model, "ROME", 0.8, 20, 0)
