"""`python -m lstm_lessons student-copies`: what an instructor hands out, and that it runs."""

import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
LESSONS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def make_copies(target: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lstm_lessons", "student-copies", str(target),
                           "--from", str(ROOT / "notebooks"), *extra], capture_output=True, text=True)


@pytest.fixture(scope="module")
def copies(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("students")
    result = make_copies(target)
    assert result.returncode == 0, result.stderr
    return target


def test_every_lesson_is_copied(copies):
    assert sorted(p.name for p in copies.glob("*.ipynb")) == [p.name for p in LESSONS]


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.name)
def test_no_solution_no_instructor_cell_no_output(copies, lesson):
    nb = nbformat.read(copies / lesson.name, as_version=4)
    original = nbformat.read(lesson, as_version=4)
    tags = [set(c.metadata.get("tags", [])) for c in nb.cells]
    assert not any(t & {"solution", "instructor"} for t in tags)
    assert all(c.outputs == [] and c.execution_count is None for c in nb.cells if c.cell_type == "code")
    kept = [c.source for c in original.cells if not {"solution", "instructor"} & set(c.metadata.get("tags", []))]
    assert [c.source for c in nb.cells] == kept  # nothing else removed or changed


def test_existing_copies_are_not_overwritten_without_force(copies):
    before = (copies / LESSONS[0].name).read_bytes()
    (copies / LESSONS[0].name).write_text("{}")  # a student's work, say
    refused = make_copies(copies)
    assert refused.returncode == 2 and "use --force to overwrite" in refused.stderr
    assert (copies / LESSONS[0].name).read_text() == "{}"
    assert make_copies(copies, "--force").returncode == 0
    assert (copies / LESSONS[0].name).read_bytes() == before


def test_a_folder_without_lessons_is_a_clear_error(tmp_path):
    result = subprocess.run([sys.executable, "-m", "lstm_lessons", "student-copies", str(tmp_path / "out"),
                             "--from", str(tmp_path)], capture_output=True, text=True)
    assert result.returncode == 2 and "no notebooks in" in result.stderr


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.name)
def test_a_student_copy_runs_top_to_bottom(copies, lesson):
    nb = nbformat.read(copies / lesson.name, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(copies)}}).execute()
    for cell in nb.cells:
        errors = [o for o in cell.get("outputs", []) if o.output_type == "error"]
        assert not errors or "raises-exception" in cell.metadata.get("tags", []), cell.source[:80]
    printed = "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))
    assert printed.count("✎ Your turn") >= 2  # every unattempted exercise prompts, none raises


def one_line_refusal(result: subprocess.CompletedProcess, words: str) -> None:
    assert result.returncode == 2, result.stderr
    assert words in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr and "Errno" not in result.stderr


def test_a_target_that_is_a_file_is_one_line(tmp_path):
    target = tmp_path / "copies"
    target.write_text("a file")
    one_line_refusal(make_copies(target), f"{target} is a file, not a folder")


def test_a_target_under_a_file_is_one_line(tmp_path):
    (tmp_path / "file").write_text("a file")
    one_line_refusal(make_copies(tmp_path / "file" / "copies"), f"lies under {tmp_path / 'file'}, which is a file")


@pytest.mark.parametrize("text", ["not json", "{}", '{"cells": 3, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}'])
def test_an_invalid_notebook_in_the_source_is_one_line_and_nothing_is_written(tmp_path, text):
    source = tmp_path / "lessons"
    source.mkdir()
    shutil.copy(LESSONS[0], source)
    (source / "99_broken.ipynb").write_text(text)
    result = subprocess.run([sys.executable, "-m", "lstm_lessons", "student-copies", str(tmp_path / "out"),
                             "--from", str(source)], capture_output=True, text=True)
    one_line_refusal(result, f"{source / '99_broken.ipynb'} is not a valid notebook")
    assert not (tmp_path / "out").exists()  # every lesson is checked before any copy is written
