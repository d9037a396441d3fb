import subprocess
import sys

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
