"""Playwright driving Debian's Chromium against a live moot server.

Browser tests skip, saying why, where no Chromium is installed; CI installs it so they run.
Screenshots go to the git-ignored ``artifacts/`` folder.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
AXE = Path(__file__).resolve().parents[1] / "assets" / "axe.min.js"

# Chromium's background connections are refused on a closed network; these keep it quiet.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium_browser() -> Iterator[object]:
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        pytest.skip(
            f"no Chromium at {CHROMIUM}: install Debian's chromium package to run browser tests"
        )
    # Playwright's sync API runs an event loop in this thread; the test's own database calls
    # happen around it, never concurrently with it.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium_browser: object, live_server: object) -> Iterator[object]:
    context = chromium_browser.new_context(  # type: ignore[attr-defined]
        base_url=live_server.url,  # type: ignore[attr-defined]
        viewport={"width": 1280, "height": 900},
    )
    page = context.new_page()
    yield page
    context.close()


def screenshot(page: object, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
    return path


def axe_violations(
    page: object, *, impacts: tuple[str, ...] = ("serious", "critical")
) -> list[dict]:
    """Run axe-core in the page; the violations of the given impacts."""
    # Evaluated through the browser's debugging protocol: moot's Content-Security-Policy
    # (rightly) refuses an injected <script> tag.
    page.evaluate(AXE.read_text())  # type: ignore[attr-defined]
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")  # type: ignore[attr-defined]
    return [v for v in result["violations"] if v["impact"] in impacts]
