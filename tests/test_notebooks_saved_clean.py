"""The saved lessons are what a student should open: one clean run, matching their sources.

nbval (run by plain `pytest`) re-executes every notebook and compares outputs; these tests check
what nbval does not: how each notebook was saved and that it has the parts every lesson promises.
"""

import importlib.util
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
MACHINE_PATH = re.compile("(" + re.escape(str(ROOT.parent)) + "|/tmp/|/root/|/home/[a-z])")

spec = importlib.util.spec_from_file_location("build_notebooks", ROOT / "tools" / "build_notebooks.py")
build_notebooks = importlib.util.module_from_spec(spec)
spec.loader.exec_module(build_notebooks)


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def code_cells(nb: dict) -> list[dict]:
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


def tags(cell: dict) -> set:
    return set(cell.get("metadata", {}).get("tags", []))


def text(cell: dict) -> str:
    return "".join(cell["source"])


def test_there_are_lessons():
    assert [p.name[:2] for p in NOTEBOOKS][:3] == ["00", "01", "02"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_saved_as_one_top_to_bottom_run(path):
    counts = [c["execution_count"] for c in code_cells(load(path))]
    assert counts == list(range(1, len(counts) + 1))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_errors_only_where_tagged_and_every_tagged_cell_errs(path):
    for i, cell in enumerate(code_cells(load(path))):
        errored = any(o["output_type"] == "error" for o in cell["outputs"])
        assert errored == ("raises-exception" in tags(cell)), f"code cell {i}: {text(cell)[:60]!r}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_stderr_unless_ignored(path):
    for i, cell in enumerate(code_cells(load(path))):
        if "nbval-ignore-output" not in tags(cell):
            assert not [o for o in cell["outputs"] if o.get("name") == "stderr"], f"code cell {i}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_path_of_the_authors_machine(path):
    assert not MACHINE_PATH.search(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_matches_its_source(path):
    """Cells, sources and metadata (tags, slides, collapsed solutions) are what the build makes of the source."""
    source = ROOT / "lessons" / f"{path.stem}.py"
    assert source.is_file(), f"{path.name} has no source in lessons/"
    expected = build_notebooks.to_notebook(build_notebooks.parse_source(source.read_text(encoding="utf-8")), path.stem)
    saved = load(path)["cells"]
    assert [(c["cell_type"], c["source"], dict(c["metadata"])) for c in expected.cells] == \
           [(c["cell_type"], text(c), c["metadata"]) for c in saved], \
           "rebuild it: python tools/build_notebooks.py " + path.stem[:2]


def test_every_source_has_a_notebook():
    assert {p.stem for p in (ROOT / "lessons").glob("*.py")} == {p.stem for p in NOTEBOOKS}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_has_the_parts_every_lesson_promises(path):
    nb = load(path)
    prose = "\n".join(text(c) for c in nb["cells"] if c["cell_type"] == "markdown")
    assert prose.startswith(f"# Lesson {path.stem[:2]} ")
    for part in ("**What you will learn**", "**Time:**", "## Exercises", "## Summary", "**Next:**"):
        assert part in prose, part
    bullets = re.search(r"\*\*What you will learn\*\*\n\n((?:- .*\n)+)", prose)
    assert bullets and 3 <= bullets.group(1).count("\n- ") + 1 <= 5


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_two_to_four_exercises_each_with_a_hidden_solution(path):
    cells = code_cells(load(path))
    exercises = [i for i, c in enumerate(cells) if "ex.check_" in text(c) and "solution" not in tags(c)]
    assert 2 <= len(exercises) <= 4
    for i in exercises:
        assert "= ..." in text(cells[i]), "an exercise cell is saved unattempted"
        solution = cells[i + 1]
        assert "solution" in tags(solution)
        # JupyterLab shows a collapsed cell's first line: it must not give the answer away
        assert text(solution).startswith("# Solution"), "a solution cell starts with a '# Solution' comment"
        assert solution["metadata"].get("jupyter") == {"source_hidden": True, "outputs_hidden": True}
        assert "✓ Correct" in "".join(solution["outputs"][0]["text"])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_links_to_notebooks_resolve(path):
    for target in re.findall(r"\]\(([^)#]+\.ipynb)", path.read_text(encoding="utf-8")):
        assert (path.parent / target).is_file(), target


def test_readme_lists_every_lesson():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for path in NOTEBOOKS:
        assert f"notebooks/{path.name}" in readme


def test_parse_source_reads_markdown_tags_and_figures():
    cells = build_notebooks.parse_source(
        '# header line, ignored\n\n# %% [markdown]\n# # Title\n#\n# text\n\n'
        '# %% tags=["solution", "x"] readme_figure="fig"\nprint(1)\n\n\n# %%\na = 2\n')
    assert cells == [  # jupytext's own keys (here lines_to_next_cell) are dropped
        {"cell_type": "markdown", "source": "# Title\n\ntext", "metadata": {}},
        {"cell_type": "code", "source": "print(1)", "metadata": {"tags": ["solution", "x"], "readme_figure": "fig"}},
        {"cell_type": "code", "source": "a = 2", "metadata": {}},
    ]


@pytest.mark.parametrize("source", sorted((ROOT / "lessons").glob("*.py")), ids=lambda p: p.name)
def test_the_build_reads_sources_as_jupytext_does(source):
    """Same prose and code as jupytext's own reading (what JupyterLab shows when it opens the .py file)."""
    import jupytext

    text = source.read_text(encoding="utf-8")
    theirs = [c for c in jupytext.reads(text, fmt="py:percent").cells if not c.source.startswith("# Source of")]
    ours = build_notebooks.parse_source(text)
    assert "".join(c.source for c in theirs).replace("\n", "") == "".join(c["source"] for c in ours).replace("\n", "")
    assert [c.metadata.get("tags", []) for c in theirs if c.cell_type == "code"] == \
           [c["metadata"].get("tags", []) for c in ours if c["cell_type"] == "code"]


@pytest.mark.parametrize("source", sorted((ROOT / "lessons").glob("*.py")), ids=lambda p: p.name)
def test_a_source_saved_from_jupyterlab_builds_the_same_notebook(source):
    """JupyterLab (jupytext) saves the header comment in a "# %%" cell of its own: the build still drops it."""
    import jupytext

    text = source.read_text(encoding="utf-8")
    saved = jupytext.writes(jupytext.reads(text, fmt="py:percent"), fmt="py:percent")
    assert saved != text
    assert build_notebooks.parse_source(saved) == build_notebooks.parse_source(text)


def test_prose_is_split_at_section_headings_but_not_in_code_blocks():
    cells = build_notebooks.parse_source(
        '# %% [markdown] tags=["t"]\n# Intro.\n#\n# ## A section\n# text\n# ```\n# ## not a heading\n# ```\n'
        '#\n# ### A sub-section\n# #### a paragraph heading stays\n')
    assert [c["source"] for c in cells] == [
        "Intro.", "## A section\ntext\n```\n## not a heading\n```", "### A sub-section\n#### a paragraph heading stays"]
    assert all(c["metadata"] == {"tags": ["t"]} for c in cells)
