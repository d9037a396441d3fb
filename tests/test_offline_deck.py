"""`python -m lstm_lessons slides`: a lesson's deck that opens with the network off (instructors)."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from browser_support import CHROMIUM, FLAGS, require_browser

from lstm_lessons.slides import ASSETS_DIR, SlidesError, find_lesson, find_lessons

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"


def slides(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lstm_lessons", "slides", *args], capture_output=True,
                          text=True, cwd=cwd)


@pytest.fixture(scope="module")
def decks(tmp_path_factory) -> Path:
    """Decks of lessons 02 (shape explorer), 03 (equations) and 06 (playground), written by the command."""
    target = tmp_path_factory.mktemp("decks")
    for lesson in ("02", "3", "06"):
        result = slides(lesson, str(target))
        assert result.returncode == 0, result.stderr
    return target


@pytest.mark.parametrize("name", ["6", "06", "006"])
def test_a_lesson_is_found_by_its_number(name):
    assert find_lesson(name, NOTEBOOKS).name.startswith("06_")


def test_all_names_every_lesson():
    assert find_lessons("all", NOTEBOOKS) == sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


@pytest.mark.parametrize("name, says", [("42", "no lesson 42"), ("bogus", "expected a lesson number"),
                                        ("missing.ipynb", "no notebook at")])
def test_an_unknown_lesson_is_refused_with_what_exists(name, says):
    with pytest.raises(SlidesError, match=says):
        find_lesson(name, NOTEBOOKS)


def test_the_deck_loads_nothing_from_the_network(decks):
    for page in decks.glob("*.slides.html"):
        html = page.read_text(encoding="utf-8")
        loaded = re.findall(r'<(?:script|link)[^>]*(?:src|href)="([^"]+)"', html)
        assert loaded, page.name
        assert not [url for url in loaded if url.startswith(("http:", "https:", "//"))], page.name
        for url in loaded:
            if not url.startswith("data:"):
                assert (decks / url).is_file(), f"{page.name} loads {url}, which was not written"


def test_the_assets_ship_with_their_licences(decks):
    names = {p.name for p in (decks / ASSETS_DIR).rglob("*")}
    assert {"require.js", "embed-amd.js", "tex-svg.js", "jquery.min.js", "reveal.js"} <= names
    assert {"LICENSE", "mathjax.LICENSE", "jquery.LICENSE.txt"} <= names


def test_an_existing_deck_is_kept_without_force(decks):
    before = (decks / "02_lstm_outputs_and_states.slides.html").stat().st_mtime_ns
    result = slides("02", str(decks))
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "--force" in result.stderr
    assert (decks / "02_lstm_outputs_and_states.slides.html").stat().st_mtime_ns == before
    assert slides("02", str(decks), "--force").returncode == 0


@pytest.mark.parametrize("args, says", [(["42"], "no lesson 42"), (["x"], "expected a lesson number")])
def test_bad_lessons_exit_2_with_one_line(tmp_path, args, says):
    result = slides(*args, str(tmp_path / "out"))
    assert result.returncode == 2 and says in result.stderr and result.stderr.count("\n") == 1
    assert not (tmp_path / "out").exists()


def test_a_target_under_a_file_exits_2_with_one_line(tmp_path):
    (tmp_path / "file").write_text("not a folder")
    result = slides("02", str(tmp_path / "file" / "deck"))
    assert result.returncode == 2 and "is a file, not a folder" in result.stderr
    assert result.stderr.count("\n") == 1


def test_a_broken_notebook_exits_2_with_one_line(tmp_path):
    source = tmp_path / "lessons"
    source.mkdir()
    (source / "01_broken.ipynb").write_text("{ not json")
    result = slides("01", str(tmp_path / "out"), "--from", str(source))
    assert result.returncode == 2 and "not a readable notebook" in result.stderr
    assert result.stderr.count("\n") == 1


def test_the_deck_works_in_a_browser_with_the_network_off(decks):
    """Chromium, offline, every non-file request recorded and refused: slides, widgets and maths draw."""
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        context = browser.new_context(offline=True, viewport={"width": 1280, "height": 720})
        remote, errors = [], []

        def refuse_remote(route):
            if route.request.url.startswith("file:"):
                return route.continue_()
            remote.append(route.request.url)
            return route.abort()

        context.route("**/*", refuse_remote)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.on("requestfailed", lambda request: errors.append(f"failed: {request.url}"))
        seen = {}
        for name in ("02_lstm_outputs_and_states", "03_inside_the_lstm_cell", "06_playground"):
            page.goto((decks / f"{name}.slides.html").as_uri())
            page.wait_for_function("window.lstmLessonsDeckReady === true", timeout=30_000)
            page.wait_for_function("document.querySelectorAll('.jupyter-widgets, mjx-container').length > 0",
                                   timeout=30_000)
            seen[name] = page.evaluate("""() => ({
                slides: Reveal.getTotalSlides(),
                widgets: document.querySelectorAll('.jupyter-widgets').length,
                widgetText: [...document.querySelectorAll('.jupyter-widgets')].map(w => w.innerText).join(' '),
                maths: document.querySelectorAll('mjx-container').length})""")
        browser.close()
    assert remote == [] and errors == []
    assert all(info["slides"] >= 3 for info in seen.values()), seen
    assert "bidirectional" in seen["02_lstm_outputs_and_states"]["widgetText"]
    assert "Train" in seen["06_playground"]["widgetText"]
    assert seen["03_inside_the_lstm_cell"]["maths"] >= 1
