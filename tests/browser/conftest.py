"""The browser under test: Debian's Chromium driven by Playwright, one per session.

The tests need the ``testing`` extra (``playwright``, ``axe-playwright-python``) and a
Chromium binary: ``/usr/bin/chromium`` or the one ``SLUSS_WAGTAIL_CHROMIUM`` names
(``playwright install`` cannot download one here). Without them every browser test
is skipped, loudly; with ``SLUSS_WAGTAIL_REQUIRE_BROWSER=1`` (CI) they fail instead.
"""

import os
import shutil
from pathlib import Path

import pytest

from tests.browser.content import build_challenges, build_idea_form, build_public_site
from tests.browser.helpers import DESKTOP

# Playwright's sync API runs an event loop in this thread, and Django refuses database
# work in a thread with a running loop unless told it is safe (it is: nothing else runs).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = os.environ.get("SLUSS_WAGTAIL_CHROMIUM") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
REQUIRE_BROWSER = os.environ.get("SLUSS_WAGTAIL_REQUIRE_BROWSER") == "1"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"
LOCALES = {"sv": "sv-SE", "en": "en-GB"}


INSTALL_HINT = (
    "install Chromium with `apt-get install chromium fonts-dejavu-core` (Debian/Ubuntu; "
    "or point SLUSS_WAGTAIL_CHROMIUM at a Chromium binary) and the Python packages with "
    "`pip install -e '.[testing]'` (`make test` does that)"
)


def missing_browser():
    """Why the browser tests cannot run here, or None when they can."""
    for module in ("playwright.sync_api", "axe_playwright_python"):
        try:
            __import__(module)
        except ImportError:
            return f"the Python package {module.split('.')[0]} is not installed"
    if not os.access(CHROMIUM, os.X_OK) and shutil.which(CHROMIUM) is None:
        return f"no Chromium at {CHROMIUM}"
    return None


MISSING = missing_browser()
SKIP_REASON = f"BROWSER TESTS SKIPPED, accessibility NOT checked: {MISSING}; {INSTALL_HINT}"


def is_transactional(item):
    from django.test import TestCase, TransactionTestCase

    marker = item.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return True
    cls = getattr(item, "cls", None)
    if cls and issubclass(cls, TransactionTestCase) and not issubclass(cls, TestCase):
        return True
    return bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


def pytest_collection_modifyitems(config, items):
    browser_items = [item for item in items if item.get_closest_marker("browser")]
    if not browser_items:
        return
    # pytest-django has put the transactional tests after the others. The browser tests go
    # first among them: a transactional test without serialized_rollback empties the
    # database and makes new content types, and the migrated data can then not come back.
    first_browser = items.index(browser_items[0])
    cut = next(
        (n for n, item in enumerate(items) if n >= first_browser or is_transactional(item)),
        len(items),
    )
    rest = [item for item in items[cut:] if not item.get_closest_marker("browser")]
    items[:] = items[:cut] + browser_items + rest
    # Skipped at collection, so a machine without Chromium does not build databases for nothing.
    if MISSING is not None and not REQUIRE_BROWSER:
        for item in browser_items:
            item.add_marker(pytest.mark.skip(reason=SKIP_REASON))


def pytest_terminal_summary(terminalreporter):
    if MISSING is None or REQUIRE_BROWSER:
        return
    if any(
        "browser" in getattr(report, "keywords", {})
        for report in terminalreporter.stats.get("skipped", [])
    ):
        terminalreporter.write_sep("!", "BROWSER TESTS SKIPPED", red=True, bold=True)
        terminalreporter.write_line(SKIP_REASON, red=True, bold=True)
        terminalreporter.write_sep("!", red=True, bold=True)


@pytest.fixture(scope="session")
def browser():
    if MISSING is not None:
        if REQUIRE_BROWSER:
            pytest.fail(
                f"SLUSS_WAGTAIL_REQUIRE_BROWSER=1 but {MISSING}; {INSTALL_HINT}", pytrace=False
            )
        pytest.skip(SKIP_REASON)
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Django keeps database connections per thread, but per context in a thread with a
    # running event loop, and Playwright's loop runs in this thread from now on. Without
    # this the tests would open new connections, which lack what pytest-django set up on
    # the thread's own (the migrated data that serialized_rollback restores).
    thread_connections = {alias: connections[alias] for alias in connections}
    with sync_playwright() as playwright:
        for alias, connection in thread_connections.items():
            connections[alias] = connection
        browser = playwright.chromium.launch(
            executable_path=shutil.which(CHROMIUM) or CHROMIUM, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server):
    """``new_page(language, viewport)``: a page in a new browser context (cookies of its own)."""
    contexts = []

    def make(language="sv", viewport=None):
        context = browser.new_context(
            viewport=viewport or DESKTOP, locale=LOCALES[language], base_url=live_server.url
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def base_url(live_server):
    return live_server.url


@pytest.fixture
def public_site(transactional_db):
    """Every page and state of ``helpers.STATES``."""
    return build_public_site()


@pytest.fixture
def idea_form_page(transactional_db):
    return build_idea_form()


@pytest.fixture
def challenges(transactional_db):
    """``(index, open, upcoming, closed)``."""
    return build_challenges()


@pytest.fixture(scope="session")
def screenshots():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
