import ipywidgets as widgets
import pytest

from lstm_lessons.widgets import shape_explorer, shape_report_html


def controls_of(explorer) -> dict:
    """Every control of the explorer by its description."""
    found, todo = {}, [explorer]
    while todo:
        w = todo.pop()
        if isinstance(w, widgets.Box):
            todo += list(w.children)
        elif isinstance(w, (widgets.IntSlider, widgets.Checkbox)):
            found[w.description] = w
    return found


def table_of(explorer) -> str:
    return explorer.children[-1].value


def test_report_lists_and_confirms_every_shape():
    html = shape_report_html(batch_size=4, seq_len=7, input_size=10, hidden_size=16, num_layers=3,
                             bidirectional=True, batch_first=True, proj_size=8)
    for shape in ("[4, 7, 10]", "[4, 7, 16]", "[6, 4, 8]", "[6, 4, 16]"):
        assert shape in html
    assert html.count("✓") == 4 and "✗" not in html


def test_invalid_settings_are_explained_not_raised():
    html = shape_report_html(batch_size=4, seq_len=7, input_size=10, hidden_size=16, proj_size=16)
    assert "Not a valid LSTM" in html and "proj_size must be smaller than hidden_size" in html


def test_explorer_has_every_control():
    assert set(controls_of(shape_explorer())) == {
        "batch_size", "seq_len", "input_size", "hidden_size", "num_layers", "proj_size",
        "bidirectional", "batch_first"}


def test_moving_a_control_updates_the_table():
    explorer = shape_explorer()
    controls = controls_of(explorer)
    assert "[1, 4, 16]" in table_of(explorer)  # h_n with one layer, batch 4
    controls["num_layers"].value = 3
    assert "[3, 4, 16]" in table_of(explorer)
    controls["bidirectional"].value = True
    assert "[6, 4, 16]" in table_of(explorer) and "[4, 7, 32]" in table_of(explorer)
    controls["proj_size"].value = 20
    assert "Not a valid LSTM" in table_of(explorer)


def test_initial_values_are_applied():
    explorer = shape_explorer(num_layers=2, batch_first=False)
    assert controls_of(explorer)["num_layers"].value == 2
    assert "[7, 4, 16]" in table_of(explorer)


def test_sliders_update_on_release_not_while_dragged():
    sliders = [c for c in controls_of(shape_explorer()).values() if isinstance(c, widgets.IntSlider)]
    assert len(sliders) == 6 and not any(s.continuous_update for s in sliders)


def test_an_interrupted_update_says_so_instead_of_a_stale_table(monkeypatch):
    import lstm_lessons.widgets as module

    explorer = shape_explorer()

    def interrupted(**settings):
        raise KeyboardInterrupt

    monkeypatch.setattr(module, "shape_report_html", interrupted)
    controls_of(explorer)["hidden_size"].value = 40
    assert "Interrupted" in table_of(explorer) and "[1, 4, 16]" not in table_of(explorer)


def test_h_n_row_names_step_0_only_for_two_directions():
    one_way = shape_report_html(batch_size=2, seq_len=3, input_size=4, hidden_size=5)
    assert "step 0" not in one_way and "after the last step" in one_way


@pytest.mark.parametrize("initial, words", [
    (dict(bogus=1), "no setting 'bogus'"), (dict(num_layers=10), "between 1 and 4"),
    (dict(batch_size=2.5), "batch_size must be an integer"), (dict(bidirectional="yes"), "True or False"),
    (dict(proj_size=-1), "proj_size must be >= 0"),
])
def test_bad_initial_values_are_refused_by_name(initial, words):
    with pytest.raises(ValueError, match=words):
        shape_explorer(**initial)
