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


def cells_of(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.name)
def test_one_section_a_slide(lesson):
    """Every ## heading starts a slide and every ### a sub-slide: no section hides mid-slide."""
    cells = [c for c in cells_of(lesson) if c["metadata"]["slideshow"]["slide_type"] != "notes"]
    prose = ["".join(c["source"]) for c in cells if c["cell_type"] == "markdown"]
    headings = [line for text in prose for line in text.split("\n") if re.match(r"#{2,3} ", line)]
    starts = [("".join(c["source"]).split("\n")[0], c["metadata"]["slideshow"]["slide_type"]) for c in cells
              if c["cell_type"] == "markdown" and re.match(r"#{2,3} ", "".join(c["source"]))]
    assert [h for h, _ in starts] == headings  # each heading opens its cell
    assert all(kind == ("slide" if heading.startswith("## ") else "subslide") for heading, kind in starts)
    sections = [h for h in headings if h.startswith("## ")]
    assert len(sections) == sum(1 for c in cells[1:] if c["metadata"]["slideshow"]["slide_type"] == "slide")


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.name)
def test_each_solution_waits_on_its_own_sub_slide(lesson):
    """A collapsed solution is never on its exercise's slide: the instructor reveals it by moving down."""
    cells = cells_of(lesson)
    solutions = [i for i, c in enumerate(cells) if "solution" in c["metadata"].get("tags", [])]
    assert solutions
    for i in solutions:
        assert cells[i]["metadata"]["slideshow"]["slide_type"] == "subslide"
        assert "ex.check_" in "".join(cells[i - 1]["source"])  # right after its exercise
        if i + 1 < len(cells):  # and the next exercise does not share the solution's sub-slide
            assert cells[i + 1]["metadata"]["slideshow"]["slide_type"] in ("slide", "subslide")


def test_widgets_can_render_in_the_rise_slideshow():
    """The RISE app does not ship @jupyterlab/console; a widget manager that needs it draws every widget as text
    in the slideshow (jupyterlab-contrib/rise#119). jupyterlab-widgets 3.0.10 is the last that does not."""
    import jupyterlab_widgets
    from jupyter_core.paths import jupyter_path

    manager = Path("@jupyter-widgets", "jupyterlab-manager", "package.json")
    found = [Path(d) / manager for d in jupyter_path("labextensions")]
    package = json.loads(next(p for p in found if p.is_file()).read_text(encoding="utf-8"))
    assert "@jupyterlab/console" not in package["dependencies"], \
        f"jupyterlab-widgets {jupyterlab_widgets.__version__} needs @jupyterlab/console: see docs/instructors.md"


def test_jupyterlab_opens_lesson_sources_as_notebooks():
    """jupytext's JupyterLab extension (from the pip package) is what opens lessons/*.py as notebooks."""
    listing = subprocess.run([sys.executable, "-m", "jupyter", "labextension", "list"], capture_output=True, text=True)
    assert re.search(r"jupyterlab-jupytext v[\d.]+ .*enabled", listing.stdout + listing.stderr)
    server = subprocess.run([sys.executable, "-m", "jupyter", "server", "extension", "list"], capture_output=True,
                            text=True)
    assert re.search(r"jupyterlab_jupytext.*enabled", server.stdout + server.stderr)
