"""Every lesson reads as a slide deck: RISE in JupyterLab, and an HTML export with nbconvert."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LESSONS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def slide_types(path: Path) -> list[str]:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return [c["metadata"].get("slideshow", {}).get("slide_type") for c in cells]


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.name)
def test_every_cell_has_a_slide_type_and_the_lesson_has_slides(lesson):
    types = slide_types(lesson)
    assert None not in types
    assert types[0] == "slide" and types.count("slide") >= 3
    assert "notes" in types  # speaker notes for the instructor
    assert "skip" in types  # the setup cell stays off the slides


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.name)
def test_exports_to_html_slides(lesson, tmp_path):
    result = subprocess.run([sys.executable, "-m", "jupyter", "nbconvert", "--to", "slides", "--output-dir",
                             str(tmp_path), str(lesson)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    html = (tmp_path / f"{lesson.stem}.slides.html").read_text(encoding="utf-8")
    assert "reveal" in html.lower()
    assert len(re.findall(r"<section", html)) >= 3


def test_rise_is_installed_in_jupyterlab():
    result = subprocess.run([sys.executable, "-m", "jupyter", "labextension", "list"], capture_output=True, text=True)
    listing = result.stdout + result.stderr
    assert re.search(r"jupyterlab-rise v[\d.]+ .*enabled", listing), listing
