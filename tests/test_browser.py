"""Lessons 06 and 02 as people open them: JupyterLab in a real browser (Chromium, driven by Playwright).

Starts JupyterLab on 127.0.0.1 with a token, on a copy of the notebooks; runs every cell; checks every
widget rendered; in lesson 06 changes a control, presses Train and waits for the loss figure to change.
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

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("LSTM_LESSONS_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = ROOT / "artifacts" / "browser"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"]
TOKEN = "lstm-lessons-browser-test"


def _missing() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -r requirements.txt)"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    reason = _missing()
    if reason:
        if os.environ.get("LSTM_LESSONS_REQUIRE_BROWSER") == "1":
            pytest.fail(f"the browser test must run here, but {reason}")
        print(f"\nskipping the browser test: {reason}")
        pytest.skip(reason)
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
         f"--port={port}", f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={home}"],
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


def kernel_states(url: str) -> list[str]:
    with urllib.request.urlopen(f"{url}/api/kernels?token={TOKEN}", timeout=5) as response:
        return [kernel["execution_state"] for kernel in json.load(response)]


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


def open_and_run_all(browser, url: str, notebook: str):
    """Open a notebook in a fresh JupyterLab workspace and run every cell (Run > Run All Cells)."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{url}/lab/workspaces/{notebook[:2]}/tree/notebooks/{notebook}?reset&token={TOKEN}")
    page.wait_for_selector(".jp-Notebook >> visible=true", timeout=60_000)
    accept_dialog(page)
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle'] >> visible=true", timeout=60_000)
    executions = page.evaluate("() => document.querySelectorAll('.jp-Notebook .jp-InputPrompt').length")
    page.click(".lm-MenuBar-itemLabel >> text='Run'", timeout=10_000)
    page.click(".lm-Menu-itemLabel >> text='Run All Cells'", timeout=10_000)
    accept_dialog(page)
    try:
        wait_until(lambda: "busy" in kernel_states(url), 30, "the kernel to start running the cells")
        wait_until(lambda: set(kernel_states(url)) == {"idle"}, 180, "every cell to finish")
    except AssertionError:
        shot(page, f"{notebook[:2]}_failed_run_all")
        raise
    assert executions > 0
    time.sleep(1)  # let the last outputs render
    return page


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def test_playground_renders_and_trains_in_jupyterlab(lab):
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


def test_shape_explorer_renders_in_jupyterlab(lab):
    browser, url = lab
    page = open_and_run_all(browser, url, "02_lstm_outputs_and_states.ipynb")
    explorer = page.locator(".widget-html", has_text="real nn.LSTM")
    explorer.first.scroll_into_view_if_needed(timeout=30_000)
    explorer.first.wait_for(timeout=30_000)
    assert explorer.first.inner_text().count("✓") == 4
    assert "Error displaying widget" not in page.content()
    shot(page, "02_shape_explorer")
    page.close()
