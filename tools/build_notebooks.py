"""Build the lesson notebooks from their sources, execute them, and save them with outputs.

    python tools/build_notebooks.py            # every lesson
    python tools/build_notebooks.py 02         # lessons whose file name starts with 02
    python tools/build_notebooks.py --en 02    # English only (--zh: the Chinese edition only)

Where ``lessons/zh/NN_name.md`` translates a lesson, its Chinese edition ``notebooks/zh/NN_name.ipynb`` is
built too (prose from the translation, code from the English source; see ``tools/zh_edition.py``).

Sources live in ``lessons/NN_name.py`` in jupytext's "percent" format, read with ``jupytext`` itself
(so JupyterLab, with jupytext's extension, opens them as notebooks too):

    # %% [markdown]
    # # A title
    # Some prose.

    # %% tags=["nbval-ignore-output"]
    print(torch.__version__)

What is the course's own, and all this file adds to jupytext: the comment line above the first cell is
dropped; a cell keeps only ``tags`` and ``readme_figure`` (the cell's first PNG is saved as
``docs/figures/name.png`` for the README); a prose cell is split at every ``##``/``###`` heading, so each
section is a slide; every cell gets slideshow metadata (see :func:`slide_type`); cells tagged
``solution`` are saved collapsed and shown on their own sub-slide; cells tagged ``instructor`` never reach
student copies, and ``notes`` makes a cell speaker notes; tracebacks are shortened.
Each notebook is executed top to bottom in a fresh kernel of this environment, so it is saved as
one clean run; ``tests/test_notebooks_saved_clean.py`` checks the saved files match the sources.
"""

from __future__ import annotations

import base64
import re
import sys
from pathlib import Path

import jupytext
import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "lessons"
NOTEBOOKS = ROOT / "notebooks"
FIGURES = ROOT / "docs" / "figures"
KEPT_METADATA = ("tags", "readme_figure")  # jupytext's own round-trip keys (lines_to_next_cell, ...) are dropped
_SECTION = re.compile(r"^#{2,3} ")  # a "##" or "###" heading line: a slide or sub-slide starts there


def parse_source(text: str) -> list[dict]:
    """Read a percent-format source with jupytext: cells ``{"cell_type", "source", "metadata"}``.

    Prose cells come back split at their section headings (:func:`split_at_headings`).
    """
    cells = jupytext.reads(text, fmt="py:percent").cells
    if cells and cells[0].cell_type == "code" and _only_comments(cells[0].source):
        cells = cells[1:]  # "# Source of notebooks/...": above the first cell, or in a "# %%" of its own once
                           # JupyterLab (jupytext) has saved the file
    parsed = []
    for cell in cells:
        meta = {key: cell.metadata[key] for key in KEPT_METADATA if key in cell.metadata}
        parsed += split_at_headings({"cell_type": cell.cell_type, "source": cell.source, "metadata": meta})
    return parsed


def _only_comments(source: str) -> bool:
    return all(line.startswith("#") for line in source.splitlines() if line.strip())


def split_at_headings(cell: dict) -> list[dict]:
    """A prose cell with ``##``/``###`` headings after its first line becomes one cell per heading.

    Each part keeps the cell's metadata; headings inside fenced code blocks do not count.
    """
    if cell["cell_type"] != "markdown":
        return [cell]
    parts: list[list[str]] = [[]]
    fenced = False
    for line in cell["source"].split("\n"):
        if line.startswith("```"):
            fenced = not fenced
        if not fenced and _SECTION.match(line) and any(s.strip() for s in parts[-1]):
            parts.append([])
        parts[-1].append(line)
    return [dict(cell, source="\n".join(lines).strip("\n"), metadata=dict(cell["metadata"])) for lines in parts]


def slide_type(cells: list[dict], index: int, first_code: int) -> str:
    """How ``cells[index]`` appears in a slideshow (RISE, ``nbconvert --to slides``), from the lesson's structure.

    The title and every ``##`` section start a slide, ``###`` a sub-slide; cells tagged ``notes`` are
    speaker notes; the first code cell (imports and setup) is skipped; a ``solution`` sits on its own
    sub-slide after its exercise (revealed when the instructor moves on), and the cell after a solution
    starts the next sub-slide; the rest follow on the slide.
    """
    cell = cells[index]
    tags = cell["metadata"].get("tags", [])
    if "notes" in tags:
        return "notes"
    if cell["cell_type"] == "markdown":
        if index == 0 or cell["source"].startswith("## "):
            return "slide"
        if cell["source"].startswith("### "):
            return "subslide"
    if "solution" in tags:
        return "subslide"
    if index > 0 and "solution" in cells[index - 1]["metadata"].get("tags", []):
        return "subslide"
    return "skip" if index == first_code else "-"


def to_notebook(cells: list[dict], stem: str) -> nbformat.NotebookNode:
    """A fresh, unexecuted notebook from parsed cells (deterministic cell ids)."""
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
        # RISE: a slide starts at the top instead of being centred (RISE centres it before a widget has
        # grown, so a tall output would sit half off the screen), and a slide taller than the screen scrolls
        "rise": {"center": False, "scroll": True},
    }
    first_code = next(i for i, cell in enumerate(cells) if cell["cell_type"] == "code")
    for i, cell in enumerate(cells):
        meta = {"slideshow": {"slide_type": slide_type(cells, i, first_code)}}
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


def save_readme_figures(nb: nbformat.NotebookNode, figures: Path = FIGURES) -> None:
    for cell in nb.cells:
        name = cell.metadata.get("readme_figure")
        pngs = [o["data"]["image/png"] for o in cell.get("outputs", []) if "image/png" in o.get("data", {})]
        if name and pngs:
            figures.mkdir(parents=True, exist_ok=True)
            (figures / f"{name}.png").write_bytes(base64.b64decode(pngs[0]))


def build(source: Path) -> Path:
    nb = to_notebook(parse_source(source.read_text(encoding="utf-8")), source.stem)
    return run_and_save(nb, NOTEBOOKS / f"{source.stem}.ipynb", FIGURES)


def run_and_save(nb: nbformat.NotebookNode, target: Path, figures: Path) -> Path:
    """Execute ``nb`` in a fresh kernel started in ``target``'s folder, save it there, and its README figures."""
    client = NotebookClient(nb, timeout=300, kernel_name="python3", store_widget_state=True, record_timing=False,
                            resources={"metadata": {"path": str(target.parent)}})
    target.parent.mkdir(parents=True, exist_ok=True)
    client.execute()
    shorten_tracebacks(nb)
    nbformat.write(nb, target)
    save_readme_figures(nb, figures)
    return target


def main(args: list[str]) -> int:
    """Build the lessons named (all when none): English, and Chinese where ``lessons/zh/`` has a translation.

    ``--en`` or ``--zh`` builds one edition only. Returns 1 when a Chinese translation is not current
    (that lesson's Chinese notebook is then left as it was; ``python tools/zh_edition.py status`` says why).
    """
    import zh_edition  # tools/zh_edition.py: the Chinese edition (它的翻译文件在 lessons/zh/)

    editions = {a for a in args if a in ("--en", "--zh")} or {"--en", "--zh"}
    prefixes = [a for a in args if a not in ("--en", "--zh")]
    failed = 0
    for source in sorted(SOURCES.glob("*.py")):
        if not prefixes or any(source.stem.startswith(p) for p in prefixes):
            if "--en" in editions:
                print("built", build(source).relative_to(ROOT), flush=True)
            if "--zh" in editions and zh_edition.translation_path(source).exists():
                try:
                    print("built", zh_edition.build(source).relative_to(ROOT), flush=True)
                except zh_edition.TranslationError as error:
                    print(f"not built: {error}", file=sys.stderr, flush=True)
                    failed = 1
    return failed


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
