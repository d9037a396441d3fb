"""Student copies of the lessons: solutions and instructor notes removed, outputs cleared (issue 6).

    python -m lstm_lessons student-copies OUTDIR [--from notebooks] [--force]
"""

from __future__ import annotations

from pathlib import Path

import nbformat

from .i18n import _

__all__ = ["HIDDEN_TAGS", "student_copy", "write_student_copies"]

HIDDEN_TAGS = {"solution", "instructor"}  # cells with these tags never reach students


def student_copy(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of ``nb`` without solution or instructor cells, with every output and count cleared."""
    copy = nbformat.from_dict(nb)
    copy.cells = [c for c in copy.cells if not HIDDEN_TAGS & set(c.get("metadata", {}).get("tags", []))]
    for cell in copy.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        cell.metadata.pop("execution", None)
    copy.metadata.pop("widgets", None)  # saved widget state belongs to the outputs
    return copy


def write_student_copies(source: Path, target: Path, force: bool = False) -> list[Path]:
    """Write a student copy of every ``source/*.ipynb`` into ``target``; return the files written.

    Every lesson is read and checked before anything is written. Raises ``FileNotFoundError`` when
    ``source`` holds no notebook; ``NotADirectoryError`` when ``target`` is a file or lies under
    one; ``ValueError`` naming a notebook that is not valid; ``FileExistsError`` naming the copies
    that exist, unless ``force``.
    """
    notebooks = sorted(Path(source).glob("*.ipynb"))
    if not notebooks:
        raise FileNotFoundError(_("no notebooks in {source}: pass the course's notebooks/ folder with --from").format(
            source=source))
    target = Path(target)
    _require_folder(target)
    copies = [(target / path.name, student_copy(_read_notebook(path))) for path in notebooks]
    existing = [path for path, _ in copies if path.exists()]
    if existing and not force:
        names = ", ".join(p.name for p in existing[:3]) + (" ..." if len(existing) > 3 else "")
        raise FileExistsError(_("{target} already holds {names}: use --force to overwrite").format(
            target=target, names=names))
    target.mkdir(parents=True, exist_ok=True)
    for path, copy in copies:
        nbformat.write(copy, path)
    return [path for path, _ in copies]


def _require_folder(target: Path) -> None:
    """Raise ``NotADirectoryError`` if ``target`` is a file, or a path under one."""
    if target.exists() and not target.is_dir():
        raise NotADirectoryError(_("{target} is a file, not a folder: give a folder for the copies").format(
            target=target))
    for parent in target.parents:
        if parent.exists():
            if not parent.is_dir():
                raise NotADirectoryError(_("{target} lies under {parent}, which is a file: give a folder "
                                           "for the copies").format(
                    target=target, parent=parent))
            return


def _read_notebook(path: Path) -> nbformat.NotebookNode:
    """``path`` read and validated as a notebook; ``ValueError`` with the reason if it is not one."""
    try:
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
    except (ValueError, TypeError, KeyError, AttributeError, nbformat.ValidationError) as error:
        reason = str(error).strip().splitlines()[0][:120] if str(error).strip() else type(error).__name__
        raise ValueError(_("{path} is not a valid notebook ({reason}): rebuild it with "
                         "tools/build_notebooks.py, or move it out of {parent}").format(
                             path=path, reason=reason, parent=path.parent)) from None
    return nb
