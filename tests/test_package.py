import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import lstm_lessons


def test_every_exported_name_exists():
    for name in lstm_lessons.__all__:
        assert hasattr(lstm_lessons, name), name


def test_import_pulls_in_neither_matplotlib_nor_ipywidgets():
    code = ("import sys, lstm_lessons; "
            "print(sorted(m for m in ('matplotlib', 'ipywidgets') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_seed_program_ships_inside_the_package():
    assert lstm_lessons.seed_program_path().is_file()


ROOT = Path(__file__).resolve().parent.parent


def pip(*args: str, cwd: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "pip", *args, "--no-deps", "--no-index", "-q"], cwd=cwd,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]


def test_the_wheel_ships_every_module_and_resource_and_imports_outside_the_checkout(tmp_path):
    """``pip install .`` (not editable) must give a working package: build the wheel offline from a
    copy of the sources, install it into a fresh folder, import it from elsewhere, load its data."""
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(ROOT / "lstm_lessons", source / "lstm_lessons", ignore=shutil.ignore_patterns("__pycache__", ".*"))
    pip("wheel", "--no-build-isolation", "-w", str(tmp_path / "wheels"), str(source), cwd=tmp_path)
    (wheel,) = (tmp_path / "wheels").glob("lstm_lessons-*.whl")
    shipped = {name for name in zipfile.ZipFile(wheel).namelist() if name.startswith("lstm_lessons/")}
    wanted = {path.relative_to(source).as_posix() for path in (source / "lstm_lessons").rglob("*") if path.is_file()}
    assert wanted - shipped == set(), "left out of the wheel"
    pip("install", "--target", str(tmp_path / "site"), str(wheel), cwd=tmp_path)
    code = ("import importlib, pkgutil, lstm_lessons as p; print(p.__file__); "
            "[importlib.import_module(m.name) for m in pkgutil.walk_packages(p.__path__, 'lstm_lessons.')]; "
            "print(p.seed_program_path().is_file(), len(p.load_task('digits').train[1]))")
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(tmp_path / "site")})
    assert result.returncode == 0, result.stderr[-2000:]
    where, loaded = result.stdout.splitlines()
    assert Path(where).is_relative_to(tmp_path / "site")  # the installed copy, not the checkout
    assert loaded == "True 1438"


def test_declared_floors_are_the_versions_tested():
    """pyproject's floors are requirements.txt's pins (major.minor): nothing older is tested."""
    tomllib = pytest.importorskip("tomllib")
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    pins = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        requirement = line.split("#")[0].strip()
        if "==" in requirement:
            name, version = requirement.split("==")
            pins[name] = version
    project = config["project"]
    for requirement in project["dependencies"] + project["optional-dependencies"]["notebooks"]:
        name, _, floor = requirement.partition(">=")
        assert floor == ".".join(pins[name].split(".")[:2]), f"{requirement}: tested on {name}=={pins[name]}"
    if isinstance(project.get("license"), str):  # a PEP 639 license expression needs setuptools >= 77
        (setuptools,) = [r for r in config["build-system"]["requires"] if r.startswith("setuptools")]
        assert int(setuptools.partition(">=")[2].split(".")[0]) >= 77, setuptools
