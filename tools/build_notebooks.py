"""Build the lesson notebooks from their sources, execute them, and save them with outputs.

    python tools/build_notebooks.py            # every lesson
    python tools/build_notebooks.py 02         # lessons whose file name starts with 02

Sources live in ``lessons/NN_name.py`` in the "percent" format (the one jupytext reads):

    # %% [markdown]
    # # A title
    # Some prose.

    # %% tags=["nbval-ignore-output"]
    print(torch.__version__)

A ``# %%`` line may carry ``tags=[...]`` and ``readme_figure="name"`` (the cell's first PNG is
saved as ``docs/figures/name.png`` for the README). Cells tagged ``solution`` are saved collapsed;
cells tagged ``instructor`` never reach student copies, and ``notes`` makes a cell speaker notes.
Every cell gets slideshow metadata from the lesson's headings (see :func:`slide_type`).
Each notebook is executed top to bottom in a fresh kernel of this environment, so it is saved as
one clean run; ``tests/test_notebooks_saved_clean.py`` checks the saved files match the sources.
"""

from __future__ import annotations

import base64
import json
import re
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "lessons"
NOTEBOOKS = ROOT / "notebooks"
FIGURES = ROOT / "docs" / "figures"
_HEADER = re.compile(r"^# %%(?P<markdown> \[markdown\])?(?P<meta>.*)$")
_META = re.compile(r'(\w+)=(\[[^\]]*\]|"[^"]*")')


def parse_source(text: str) -> list[dict]:
    """Split a percent-format source into cells: ``{"cell_type", "source", "metadata"}``."""
    cells: list[dict] = []
    for line in text.splitlines():
        header = _HEADER.match(line)
        if header:
            meta = {key: json.loads(value) for key, value in _META.findall(header["meta"])}
            kind = "markdown" if header["markdown"] else "code"
            cells.append({"cell_type": kind, "lines": [], "metadata": meta})
        elif cells:
            cells[-1]["lines"].append(line)
    for cell in cells:
        lines = cell.pop("lines")
        while lines and not lines[-1].strip():
            lines.pop()
        while lines and not lines[0].strip():
            lines.pop(0)
        if cell["cell_type"] == "markdown":
            lines = [re.sub(r"^# ?", "", line) for line in lines]
        cell["source"] = "\n".join(lines)
    return cells


def slide_type(cell: dict, index: int, first_code: int) -> str:
    """How a cell appears in a slideshow (RISE, ``nbconvert --to slides``), from the lesson's structure.

    The title and every ``##`` section start a slide, ``###`` a sub-slide; cells tagged ``notes`` are
    speaker notes; the first code cell (imports and setup) is skipped; the rest follow on the slide.
    """
    tags = cell["metadata"].get("tags", [])
    if "notes" in tags:
        return "notes"
    if cell["cell_type"] == "markdown":
        if index == 0 or cell["source"].startswith("## "):
            return "slide"
        if cell["source"].startswith("### "):
            return "subslide"
        return "-"
    return "skip" if index == first_code else "-"


def to_notebook(cells: list[dict], stem: str) -> nbformat.NotebookNode:
    """A fresh, unexecuted notebook from parsed cells (deterministic cell ids)."""
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    first_code = next(i for i, cell in enumerate(cells) if cell["cell_type"] == "code")
    for i, cell in enumerate(cells):
        meta = {"slideshow": {"slide_type": slide_type(cell, i, first_code)}}
        if cell["metadata"].get("tags"):
            meta["tags"] = cell["metadata"]["tags"]
        if "readme_figure" in cell["metadata"]:
            meta["readme_figure"] = cell["metadata"]["readme_figure"]
        if "solution" in meta.get("tags", []):
            meta["jupyter"] = {"source_hidden": True, "outputs_hidden": True}
        make = nbformat.v4.new_markdown_cell if cell["cell_type"] == "markdown" else nbformat.v4.new_code_cell
        new = make(cell["source"], metadata=meta)
        new.id = f"{stem[:2]}-{i:03d}"
        nb.cells.append(new)
    return nb


_FILE_PATH = re.compile(r"/(?:[\w.+-]+/)+[\w.+-]+\.py")


def shorten_tracebacks(nb: nbformat.NotebookNode) -> None:
    """Drop the traceback frames that name files of this machine (library and package code).

    What stays is the frame of the cell itself and the error line: the part a student needs, and
    nothing that differs from one machine to the next.
    """
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                output["traceback"] = [t for t in output["traceback"] if not _FILE_PATH.search(t)]


def save_readme_figures(nb: nbformat.NotebookNode) -> None:
    for cell in nb.cells:
        name = cell.metadata.get("readme_figure")
        pngs = [o["data"]["image/png"] for o in cell.get("outputs", []) if "image/png" in o.get("data", {})]
        if name and pngs:
            FIGURES.mkdir(parents=True, exist_ok=True)
            (FIGURES / f"{name}.png").write_bytes(base64.b64decode(pngs[0]))


def build(source: Path) -> Path:
    nb = to_notebook(parse_source(source.read_text(encoding="utf-8")), source.stem)
    client = NotebookClient(nb, timeout=300, kernel_name="python3", store_widget_state=True, record_timing=False,
                            resources={"metadata": {"path": str(NOTEBOOKS)}})
    client.execute()
    shorten_tracebacks(nb)
    target = NOTEBOOKS / f"{source.stem}.ipynb"
    nbformat.write(nb, target)
    save_readme_figures(nb)
    return target


def main(prefixes: list[str]) -> None:
    for source in sorted(SOURCES.glob("*.py")):
        if not prefixes or any(source.stem.startswith(p) for p in prefixes):
            print("built", build(source).relative_to(ROOT), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
