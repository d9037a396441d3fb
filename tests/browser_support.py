"""What the real-browser tests share: where Chromium is, its flags, and the skip-or-fail rule.

Without Chromium or Playwright a browser test is skipped with the reason -- unless
LSTM_LESSONS_REQUIRE_BROWSER=1 (set by .ci/run), which turns the skip into a failure.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("LSTM_LESSONS_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"]


def missing_browser() -> str | None:
    """Why no browser test can run here, or None when one can."""
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -r requirements.txt)"
    return None


def require_browser() -> None:
    """Skip the calling test when no browser can run -- or fail, where CI requires one."""
    reason = missing_browser()
    if reason:
        if os.environ.get("LSTM_LESSONS_REQUIRE_BROWSER") == "1":
            pytest.fail(f"the browser test must run here, but {reason}")
        pytest.skip(reason)
