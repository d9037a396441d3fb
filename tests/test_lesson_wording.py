"""Wording the issue-9 pass fixed in lessons 00-02 and the shape explorer, kept fixed.

The prose calls the Chinese tutorial "the tutorial" (or "the original program") and keeps "seed"
for random seeds; every tutorial sentence a lesson quotes carries the tutorial's own Chinese in
「」; and nothing says the backward direction's ``h_n`` is taken at the last step.
"""

import re
from pathlib import Path

import pytest

pytest.importorskip("ipywidgets")
from lstm_lessons.widgets import shape_report_html  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
LESSONS = sorted((ROOT / "lessons").glob("0[012]_*.py"))
# "seed" as a noun for the tutorial: "the seed's", "seed error", "the seed says", "(as in the seed)".
SEED_AS_TUTORIAL = re.compile(r"\bthe seed\b|\bseed('s)? (error|tutorial|program|prose)\b", re.IGNORECASE)


def markdown_lines(path: Path) -> list[str]:
    """The lesson's markdown lines, without the code and API names that keep ``seed`` in them."""
    lines, in_markdown = [], False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# %%"):
            in_markdown = "[markdown]" in line
        elif in_markdown:
            lines.append(re.sub(r"`[^`]*`|\w*_seed\w*|Seed\w+", "", line))
    return lines


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_seed_means_a_random_seed_not_the_tutorial(path):
    bad = [line for line in markdown_lines(path) if SEED_AS_TUTORIAL.search(line)]
    assert not bad, f"{path.name} calls the tutorial 'the seed': {bad}"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_every_tutorial_error_heading_quotes_the_chinese(path):
    text = path.read_text(encoding="utf-8")
    for number in re.findall(r"(?:[Tt]utorial|[Ss]eed) error (S\d+)", text):
        section = text.split(f"error {number}", 1)[1][:900]
        assert "「" in section and "」" in section, f"{path.name}: {number} has no Chinese quote near it"


def test_explorer_says_where_the_backward_direction_ends():
    html = shape_report_html(batch_size=2, seq_len=3, input_size=4, hidden_size=5, bidirectional=True)
    assert "at the last step" not in html
    assert "after step 0 backward" in html
