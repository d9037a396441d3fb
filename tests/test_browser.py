"""Lessons 06 and 02 as people open them: JupyterLab in a real browser (Chromium, driven by Playwright).

Starts JupyterLab on 127.0.0.1 with a token, on a copy of the notebooks; runs every cell; checks every
widget rendered; in lesson 06 changes a control, presses Train and waits for the loss figure to change.
Then opens the same lesson as a RISE slideshow (what an instructor presents) and checks the widgets render
and respond on the slides: Train adds a run (06), unticking "bidirectional" changes the shapes (02).
Screenshots go to artifacts/browser/. Without Chromium or Playwright the test is skipped with the
reason -- unless LSTM_LESSONS_REQUIRE_BROWSER=1 (set by .ci/run), which turns the skip into a failure.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from browser_support import CHROMIUM, FLAGS, require_browser

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts" / "browser"
TOKEN = "lstm-lessons-browser-test"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    require_browser()
    home = tmp_path_factory.mktemp("lab")
    shutil.copytree(ROOT / "notebooks", home / "notebooks")
    settings = home / "settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text(json.dumps({"fetchNews": "false"}))
    port = _free_port()
    env = dict(os.environ, JUPYTERLAB_SETTINGS_DIR=str(home / "settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"))
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root", "--ip=127.0.0.1",
         f"--port={port}", f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={home}",
         "--LabApp.expose_app_in_browser=True"],  # window.jupyterapp: the test reads the cells' execution counts
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"{url}/api/status?token={TOKEN}", timeout=2)
            break
        except OSError:
            time.sleep(0.5)
    else:
        server.kill()
        pytest.fail("JupyterLab did not start within 60 s")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser, url
        browser.close()
    server.terminate()
    server.wait(10)


def wait_until(condition, timeout: float, what: str) -> None:
    deadline = time.time() + timeout
    while not condition():
        if time.time() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.25)


def accept_dialog(page, seconds: float = 3) -> None:
    """Accept a dialog JupyterLab may show (e.g. "Select Kernel" for a fresh notebook), if one appears."""
    try:
        page.click(".jp-Dialog button.jp-mod-accept", timeout=seconds * 1000)
    except Exception:  # no dialog: nothing to accept
        pass


# True once every code cell of the open notebook has run, in order, in this kernel: the outputs were cleared
# first, so this cannot be true before the run, and it stays true after it (nothing to miss, however fast).
EVERY_CELL_RAN = """() => {
    const counts = [...window.jupyterapp.shell.currentWidget.content.model.cells]
        .filter(cell => cell.type === 'code').map(cell => cell.executionCount);
    return counts.length > 0 && counts.every((count, i) => count === i + 1);
}"""


def open_and_run_all(browser, url: str, notebook: str):
    """Open a notebook in a fresh JupyterLab workspace, clear its outputs and run every cell, as Run All Cells does."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{url}/lab/workspaces/{notebook[:2]}/tree/notebooks/{notebook}?reset&token={TOKEN}")
    page.wait_for_selector(".jp-Notebook >> visible=true", timeout=60_000)
    accept_dialog(page)
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle'] >> visible=true", timeout=60_000)
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:clear-all-cell-outputs')")
    assert not page.evaluate(EVERY_CELL_RAN)
    page.click(".lm-MenuBar-itemLabel >> text='Run'", timeout=10_000)
    page.click(".lm-Menu-itemLabel >> text='Run All Cells'", timeout=10_000)
    accept_dialog(page)
    try:
        page.wait_for_function(EVERY_CELL_RAN, timeout=240_000, polling=250)
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=120_000)
    except Exception:
        shot(page, f"{notebook[:2]}_failed_run_all")
        raise
    time.sleep(1)  # let the last outputs render
    return page


def run_on_the_slide(browser, url: str, notebook: str, code: str):
    """Open the notebook as a RISE slideshow (on the kernel that ran it), move on to the slide whose code cell
    holds ``code``, and run that cell there (Ctrl+Enter: run it and stay on the slide), as an instructor does."""
    page = browser.new_page(viewport={"width": 1280, "height": 720})  # a 16:9 projector
    page.goto(f"{url}/rise/notebooks/{notebook}?token={TOKEN}")
    page.wait_for_selector(".reveal .slides section", timeout=60_000)
    accept_dialog(page)
    cell = page.locator(".jp-CodeCell", has=page.locator(".jp-InputArea", has_text=code)).first
    for _ in range(80):
        if cell.is_visible():
            break
        page.keyboard.press("Space")  # reveal.js: next slide, sub-slide or fragment
        time.sleep(0.3)
    else:
        shot(page, f"{notebook[:2]}_slideshow_failed")
        raise AssertionError(f"no slide of {notebook} shows the cell {code!r}")
    cell.locator(".cm-content").focus()  # the slide may be scaled to fit: focus the editor rather than click
    page.keyboard.press("Control+Enter")
    return page


def on_screen(locator) -> bool:
    """Whether the element is drawn inside the window (a slide not showing can still count as "visible")."""
    return locator.evaluate("e => { const r = e.getBoundingClientRect(); "
                            "return r.width > 0 && r.bottom > 0 && r.top < innerHeight && r.left < innerWidth; }")


def settled_box(locator, tries: int = 50) -> dict:
    """The element's box once it stops moving (a slide change is animated: measure after it)."""
    last = None
    for _ in range(tries):
        box = locator.bounding_box()
        if box == last:
            return box
        last = box
        time.sleep(0.2)
    raise AssertionError(f"the element kept moving: {last}")


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def test_playground_renders_and_trains_in_jupyterlab_and_on_the_slides(lab):
    browser, url = lab
    page = open_and_run_all(browser, url, "06_playground.ipynb")
    page.locator(".jp-Notebook .jp-Cell").nth(3).scroll_into_view_if_needed()  # the panel
    train = page.locator(".widget-button", has_text="Train")
    train.wait_for(timeout=30_000)
    assert "Error displaying widget" not in page.content()
    summaries = page.locator(".widget-html", has_text="1. order")
    summaries.wait_for(timeout=30_000)  # the headless run of "Run All" reached the panel
    image = page.locator(".widget-image").first
    before = image.get_attribute("src")
    shot(page, "06_playground_after_run_all")
    page.locator(".widget-dropdown select").first.select_option("digits")  # change a control: the task
    train.click()
    page.locator(".widget-html", has_text="2. digits").wait_for(timeout=120_000)
    assert image.get_attribute("src") != before  # the loss figure changed
    assert "Error displaying widget" not in page.content()
    shot(page, "06_playground_after_train")
    page.close()

    slides = run_on_the_slide(browser, url, "06_playground.ipynb", "playground.panel")
    slides.locator(".widget-html", has_text="2. digits").wait_for(timeout=30_000)  # the live panel, with its runs
    panel = settled_box(slides.locator(".lstm-playground").first)  # after the slide's animation
    assert on_screen(slides.locator(".widget-button", has_text="Train"))  # on the slide that is showing
    assert "Error displaying widget" not in slides.content()
    shot(slides, "06_playground_on_the_slide_before_train")
    assert panel["y"] >= 0 and panel["y"] + panel["height"] <= 720, panel
    # an arrow key on a focused slider moves the slider, not the slideshow
    layers = slides.locator(".widget-slider", has_text="layers")
    slide_before = slides.url
    layers.locator(".noUi-handle").click()
    slides.keyboard.press("ArrowRight")
    layers.locator(".widget-readout", has_text="2").wait_for(timeout=10_000)
    time.sleep(1.5)  # a slide change would have been animated by now
    assert slides.url == slide_before and on_screen(layers)
    slides.keyboard.press("ArrowLeft")  # back to 1 layer for the run below
    layers.locator(".widget-readout", has_text="1").wait_for(timeout=10_000)
    slides.locator(".widget-button", has_text="Train").dispatch_event("click")
    slides.locator(".widget-html", has_text="3. digits").wait_for(timeout=120_000)  # a run added, on the slide
    shot(slides, "06_playground_on_the_slide")
    slides.close()


def test_shape_explorer_renders_in_jupyterlab_and_responds_on_the_slides(lab):
    browser, url = lab
    page = open_and_run_all(browser, url, "02_lstm_outputs_and_states.ipynb")
    explorer = page.locator(".widget-html", has_text="real nn.LSTM")
    explorer.first.scroll_into_view_if_needed(timeout=30_000)
    explorer.first.wait_for(timeout=30_000)
    assert explorer.first.inner_text().count("✓") == 4
    assert "Error displaying widget" not in page.content()
    shot(page, "02_shape_explorer")
    page.close()

    slides = run_on_the_slide(browser, url, "02_lstm_outputs_and_states.ipynb", "shape_explorer(")
    table = slides.locator(".widget-html", has_text="real nn.LSTM").first
    table.wait_for(timeout=30_000)
    settled_box(table)  # after the slide's animation
    assert on_screen(table)  # on the slide that is showing
    before = table.inner_text()
    assert "Error displaying widget" not in slides.content()
    # a slide taller than the screen is scaled and clipped by reveal.js: click through the DOM, not by position
    slides.locator(".widget-checkbox", has_text="bidirectional").locator("input").dispatch_event("click")
    slides.wait_for_function("(before) => ![...document.querySelectorAll('.widget-html')].some("
                             "e => e.innerText === before)", arg=before, timeout=30_000)
    assert table.inner_text().count("✓") == 4  # the new shapes, checked against a real nn.LSTM
    shot(slides, "02_shape_explorer_on_the_slide")
    slides.close()
