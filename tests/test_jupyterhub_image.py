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
    assert "-r ../requirements.txt" in lines  # pip reads it relative to binder/; repo2docker takes a -r line for a
    assert (ROOT / "binder" / ".." / "requirements.txt").resolve().is_file()  # local path and copies the repo first


def test_the_cpu_build_satisfies_the_torch_pin_and_is_preferred_to_pypis():
    pin = next(line for line in _lines(ROOT / "requirements.txt") if re.match(r"torch\s*==", line))
    version = pin.split("==", 1)[1].strip()
    assert SpecifierSet(f"=={version}").contains(f"{version}+cpu")  # the local label is ignored by ==
    assert Version(f"{version}+cpu") > Version(version)  # and pip takes the highest version that matches


def test_the_image_runs_the_python_the_course_is_tested_on():
    assert (ROOT / "binder" / "runtime.txt").read_text().strip() == "python-3.11"


GUIDES = [ROOT / "docs" / "jupyterhub.md", ROOT / "docs" / "jupyterhub.zh-CN.md"]
SERVER_MIB = 85  # one JupyterLab server, as the guide measured it


def _table(guide: Path) -> dict[str, tuple[float, ...]]:
    """The sizing table: lesson number -> (wall s, CPU s, peak MiB with children, kernel MiB)."""
    rows = re.findall(r"^\| (\d\d) [^|]*\|([^\n]*)\|$", guide.read_text(), flags=re.M)
    return {n: tuple(float(cell) for cell in rest.split("|")) for n, rest in rows}


def test_the_editable_install_lives_where_no_home_volume_hides_it():
    for guide in GUIDES:  # -e . points at the repository: in /home/jovyan, Z2JH's volume would hide the package
        build = re.search(r"repo2docker --no-run[^\n]*\\\n[^\n]*", guide.read_text()).group(0)
        target = re.search(r"--target-repo-dir (\S+)", build).group(1)
        assert not target.startswith("/home")


def test_the_config_sizes_memory_in_binary_units_from_the_measured_table():
    tables = [_table(guide) for guide in GUIDES]
    assert tables[0] == tables[1] and sorted(tables[0]) == [f"{n:02d}" for n in range(11)]  # every lesson, both
    one_lesson = max(peak for n, (_, _, peak, _) in tables[0].items() if n != "10") + SERVER_MIB
    with_torchrun = tables[0]["10"][2] + SERVER_MIB
    for guide in GUIDES:
        text = guide.read_text()
        guarantee = int(re.search(r"guarantee: (\d+)Mi\b", text).group(1))
        limit = int(re.search(r"limit: (\d+)Mi\b", text).group(1))
        assert one_lesson <= guarantee < one_lesson + 64 and with_torchrun <= limit
        assert f"{one_lesson:.0f} MiB" in text and f"{with_torchrun:.0f} MiB" in text  # the arithmetic shown
