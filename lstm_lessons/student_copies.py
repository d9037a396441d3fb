"""Student copies of the lessons: solutions and instructor notes removed, outputs cleared (issue 6).

    python -m lstm_lessons student-copies OUTDIR [--from notebooks] [--force]
"""

from __future__ import annotations

from pathlib import Path

import nbformat

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

    Raises ``FileExistsError`` naming the files that exist, unless ``force``; ``FileNotFoundError``
    when ``source`` holds no notebook.
    """
    notebooks = sorted(Path(source).glob("*.ipynb"))
    if not notebooks:
        raise FileNotFoundError(f"no notebooks in {source}: pass the course's notebooks/ folder with --from")
    target = Path(target)
    existing = [target / nb.name for nb in notebooks if (target / nb.name).exists()]
    if existing and not force:
        names = ", ".join(p.name for p in existing[:3]) + (" ..." if len(existing) > 3 else "")
        raise FileExistsError(f"{target} already holds {names}: use --force to overwrite")
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for path in notebooks:
        nbformat.write(student_copy(nbformat.read(path, as_version=4)), target / path.name)
        written.append(target / path.name)
    return written
