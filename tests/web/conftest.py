"""Browser fixtures: Debian's Chromium driven by Playwright for Python.

One browser per test module, a fresh context (so fresh storage) per test. Every page is
watched for script errors and Content-Security-Policy violations, which fail the test.
A missing Chromium fails the tests with CI=true and skips them elsewhere.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any, Iterator, List, NoReturn

import pytest

from tests.conftest import IN_CI, ROOT

CHROMIUM = Path(os.environ.get("CODECARE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = ROOT / "test-artifacts" / "web"
VENDOR = Path(__file__).resolve().parent / "vendor"
AXE_SHA256 = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"  # axe-core 4.14.1
DESKTOP = {"width": 1280, "height": 800}
# Reports every violation to Python, across reloads; init scripts are exempt from the CSP.
WATCH_CSP = """
document.addEventListener('securitypolicyviolation', (e) => window.__cspViolation(
  `${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`), true);
"""


def unavailable(reason: str) -> NoReturn:
    if IN_CI:
        pytest.fail(reason)
    pytest.skip(reason)


class Watch:
    """What went wrong in the pages of one test: uncaught errors and CSP violations."""

    def __init__(self) -> None:
        self.errors: List[str] = []
        self.violations: List[str] = []

    def violated(self, report: str) -> None:
        self.violations.append(report)

    def console(self, message: Any) -> None:
        text = message.text
        if message.type == "error" and ("Content Security Policy" in text or "Trusted Type" in text):
            self.violations.append(text)


@pytest.fixture(scope="module", autouse=True)
def chromium() -> Path:
    """Checked first in every module, so that a missing browser fails (in CI) or skips
    before any server is started for nothing. (Playwright itself is pinned in
    requirements.txt: without it the test modules do not even import.)"""
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} is missing: apt-get install chromium")
    return CHROMIUM


@pytest.fixture(scope="module")
def browser(chromium: Path) -> Iterator[Any]:
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=20_000)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def watch() -> Watch:
    return Watch()


@pytest.fixture
def context(browser: Any, watch: Watch) -> Iterator[Any]:
    context = browser.new_context(viewport=DESKTOP)
    context.expose_function("__cspViolation", watch.violated)
    context.add_init_script(WATCH_CSP)
    context.on("console", watch.console)
    context.on("weberror", lambda error: watch.errors.append(str(error.error)))
    yield context
    context.close()


@pytest.fixture
def page(context: Any, watch: Watch) -> Iterator[Any]:
    page = context.new_page()
    yield page
    assert watch.errors == [], f"script errors: {watch.errors}"
    assert watch.violations == [], f"CSP violations: {watch.violations}"


@pytest.fixture(scope="session")
def axe_source() -> str:
    source = (VENDOR / "axe-core" / "axe.min.js").read_bytes()
    assert hashlib.sha256(source).hexdigest() == AXE_SHA256, "tests/web/vendor/axe-core changed"
    return source.decode()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
