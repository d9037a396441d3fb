"""binder/ (docs/jupyterhub.md): the image repo2docker builds gets the course's pins, with the CPU build of torch."""

import re
from pathlib import Path

from packaging.specifiers import SpecifierSet
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
CPU_INDEX = "https://download.pytorch.org/whl/cpu"


def _lines(path: Path) -> list[str]:
    return [line.split("#", 1)[0].strip() for line in path.read_text().splitlines() if line.split("#", 1)[0].strip()]


def test_the_image_installs_the_courses_own_pins_with_pytorchs_cpu_index_beside_pypi():
    lines = _lines(ROOT / "binder" / "requirements.txt")
    assert f"--extra-index-url {CPU_INDEX}" in lines  # beside PyPI, not instead: the other packages come from PyPI
    assert "-r ../requirements.txt" in lines  # pip reads it relative to binder/, and repo2docker then copies the
    assert (ROOT / "binder" / ".." / "requirements.txt").resolve().is_file()  # whole repository first (-e . works)


def test_the_cpu_build_satisfies_the_torch_pin_and_is_preferred_to_pypis():
    pin = next(line for line in _lines(ROOT / "requirements.txt") if re.match(r"torch\s*==", line))
    version = pin.split("==", 1)[1].strip()
    assert SpecifierSet(f"=={version}").contains(f"{version}+cpu")  # the local label is ignored by ==
    assert Version(f"{version}+cpu") > Version(version)  # and pip takes the highest version that matches


def test_the_image_runs_the_python_the_course_is_tested_on():
    assert (ROOT / "binder" / "runtime.txt").read_text().strip() == "python-3.11"
