"""Offline slide decks: ``python -m lstm_lessons slides 06 OUTDIR`` (instructors).

``jupyter nbconvert --to slides`` writes a deck that loads reveal.js, require.js, jQuery, MathJax
and the widget renderer from CDNs, so in a lecture hall without network it shows nothing. This
module writes the same deck from a lesson's saved notebook, pointing every one of those at a
local copy that ships with the package (``resources/deck_assets.tar.xz``; versions and licences in
``resources/DECK_ASSETS.md``). The deck is a snapshot: saved outputs and the widgets' saved
state are drawn, but no kernel runs behind them (Train does nothing); present live with RISE.
"""

from __future__ import annotations

import tarfile
from pathlib import Path

from .i18n import _

__all__ = ["SlidesError", "find_lesson", "find_lessons", "write_offline_deck"]

RESOURCES = Path(__file__).resolve().parent / "resources"
ASSETS_ARCHIVE = RESOURCES / "deck_assets.tar.xz"
ASSETS_DIR = "deck_assets"  # the folder beside the deck's HTML that holds the scripts it loads
DEFAULT_NOTEBOOKS = Path("notebooks")  # as the command line's --from, relative to where it runs


class SlidesError(ValueError):
    """A lesson that cannot be found or a target that cannot be written; the message says which."""


def find_lessons(lesson: str, notebooks: Path = DEFAULT_NOTEBOOKS) -> list[Path]:
    """The notebooks ``lesson`` names: ``"all"``, a number (``"6"``, ``"06"``) or an ``.ipynb`` path."""
    if lesson == "all":
        found = sorted(Path(notebooks).glob("[0-9][0-9]_*.ipynb"))
        if not found:
            raise SlidesError(_("no lessons in {notebooks}: pass --from with the folder that holds them").format(
                notebooks=notebooks))
        return found
    return [find_lesson(lesson, notebooks)]


def find_lesson(lesson: str, notebooks: Path = DEFAULT_NOTEBOOKS) -> Path:
    """The notebook for ``lesson``: a number (``"6"``, ``"06"``) or a path to an ``.ipynb``."""
    path = Path(lesson)
    if path.suffix == ".ipynb":
        if not path.is_file():
            raise SlidesError(_("no notebook at {lesson!r}").format(lesson=lesson))
        return path
    if not lesson.isdigit():
        raise SlidesError(_("expected a lesson number such as 06, all, or a .ipynb file, got {lesson!r}").format(
            lesson=lesson))
    matches = sorted(Path(notebooks).glob(f"{int(lesson):02d}_*.ipynb"))
    if not matches:
        have = ", ".join(p.name[:2] for p in sorted(Path(notebooks).glob("[0-9][0-9]_*.ipynb"))) or "none"
        raise SlidesError(_("no lesson {number:02d} in {notebooks} (lessons there: {have})").format(
            number=int(lesson), notebooks=notebooks, have=have))
    return matches[0]


def _check_target(outdir: Path) -> None:
    for parent in [outdir, *outdir.parents]:
        if parent.exists():
            if not parent.is_dir():
                raise SlidesError(_("cannot write into {outdir}: {parent} is a file, not a folder").format(
                    outdir=outdir, parent=parent))
            break


def _unpack_assets(outdir: Path) -> None:
    with tarfile.open(ASSETS_ARCHIVE, "r:xz") as archive:
        archive.extractall(outdir, filter="data")


def _export(notebook: Path) -> str:
    import nbformat
    from nbconvert import SlidesExporter

    try:
        nb = nbformat.read(notebook, as_version=4)
    except Exception as error:  # nbformat raises several kinds: bad JSON, bad schema, bad encoding
        raise SlidesError(_("{notebook} is not a readable notebook ({error_type}): "
                          "restore it from git or rebuild it with tools/build_notebooks.py").format(
                              notebook=notebook, error_type=type(error).__name__)) from None

    exporter = SlidesExporter(
        template_name="deck_template",
        extra_template_basedirs=[str(RESOURCES)],
        reveal_url_prefix=f"{ASSETS_DIR}/reveal.js",
        require_js_url=f"{ASSETS_DIR}/require.js",
        jquery_url=f"{ASSETS_DIR}/jquery.min.js",
        mathjax_url=f"{ASSETS_DIR}/tex-svg.js",
        widget_renderer_url=f"{ASSETS_DIR}/embed-amd.js",
        reveal_theme="white",  # its fonts ship in the assets; nbconvert's default, simple, loads Google Fonts
    )
    html, _resources = exporter.from_notebook_node(nb, resources={"metadata": {"name": notebook.stem}})
    return html


def write_offline_deck(lesson: str, outdir: str | Path, *, notebooks: Path = DEFAULT_NOTEBOOKS,
                       force: bool = False) -> list[Path]:
    """Write ``OUTDIR/NN_name.slides.html`` for each lesson named and ``OUTDIR/deck_assets/``.

    Returns the HTML files written; open one in a browser, with or without network. Existing decks
    are refused unless ``force`` (the assets folder is always rewritten: it is the package's own).
    Nothing is written when any lesson or target is wrong.
    """
    outdir = Path(outdir)
    _check_target(outdir)
    decks = {outdir / f"{notebook.stem}.slides.html": notebook for notebook in find_lessons(str(lesson), notebooks)}
    existing = [path.name for path in decks if path.exists()]
    if existing and not force:
        raise SlidesError(_("{outdir} already holds {names}: pass --force to overwrite").format(
            outdir=outdir, names=', '.join(existing)))
    pages = {target: _export(notebook) for target, notebook in decks.items()}
    try:
        outdir.mkdir(parents=True, exist_ok=True)
        _unpack_assets(outdir)
        for target, html in pages.items():
            target.write_text(html, encoding="utf-8")
    except OSError as error:
        raise SlidesError(_("cannot write to {outdir}: {reason}").format(
            outdir=outdir, reason=error.strerror or error)) from None
    return list(pages)
