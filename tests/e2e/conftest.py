"""Real-browser fixtures: one headless Chromium per session, a fresh context per test.

Debian's Chromium is used as installed (CHROMIUM_PATH, else /usr/bin/chromium); Playwright's
own browser download is never used. Without a usable Chromium the browser tests fail with the
reason (never skip): `make test` installs Debian's chromium first.

Every page is watched: a Content-Security-Policy violation, a console error or an uncaught
exception fails the test that caused it, unless the test declared it with
`browser_errors.expect(pattern)` (e.g. the console line Chromium writes for a 403 page).
"""

import os
import re
import shutil
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect, sync_playwright

from tests.conftest import PASSWORD

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
TIMEOUT_MS = 10_000  # a step that takes longer than this on localhost is broken, not slow
expect.set_options(timeout=TIMEOUT_MS)

# Runs in every document before its own scripts, through CDP, so the page's CSP cannot stop it.
_REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.__conveneReportCsp(
    `${e.effectiveDirective} blocked ${e.blockedURI || "inline"} ` +
    `at ${e.sourceFile || e.documentURI}:${e.lineNumber} (${e.disposition})`);
});
"""


def _browser_unavailable(reason: str):
    pytest.fail(f"Browser tests cannot run: {reason} (install Debian's chromium package, as "
                "`make test` does, or set CHROMIUM_PATH)", pytrace=False)


def _chromium_path() -> str | None:
    # An explicit CHROMIUM_PATH is the only candidate: a wrong one must not go unnoticed.
    if explicit := os.environ.get("CHROMIUM_PATH"):
        candidates = [explicit]
    else:
        candidates = ["/usr/bin/chromium", shutil.which("chromium"),
                      shutil.which("chromium-browser")]
    for path in filter(None, candidates):
        if os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    return None


@pytest.fixture(scope="session")
def browser():
    path = _chromium_path()
    if path is None:
        where = (f"CHROMIUM_PATH={os.environ['CHROMIUM_PATH']!r} is not an executable file"
                 if os.environ.get("CHROMIUM_PATH")
                 else "no Chromium at /usr/bin/chromium nor on PATH")
        _browser_unavailable(where)
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=path, headless=True,
                                             args=CHROMIUM_ARGS, timeout=30_000)
    except PlaywrightError as exc:
        playwright.stop()
        _browser_unavailable(f"Chromium at {path} did not start: {exc.message.splitlines()[0]}")
    yield browser
    browser.close()
    playwright.stop()


class BrowserErrors:
    """What went wrong in the pages of one test, as the browser reported it."""

    def __init__(self):
        self.problems: list[str] = []
        self._expected: list[re.Pattern] = []

    def expect(self, pattern: str) -> None:
        """Tolerate, from now on in this test, problems matching `pattern` (a regex)."""
        self._expected.append(re.compile(pattern))

    def add(self, kind: str, text: str) -> None:
        self.problems.append(f"{kind}: {text}")

    def unexpected(self) -> list[str]:
        return [p for p in self.problems if not any(rx.search(p) for rx in self._expected)]


@pytest.fixture
def browser_errors():
    return BrowserErrors()


@pytest.fixture
def page(browser, live_server, browser_errors, settings):
    # The platform is where the live server answers: links that leave a page (calendar
    # addresses, e-mails) are made from SITE_URL, as in production.
    settings.SITE_URL = live_server.url
    context = browser.new_context(base_url=live_server.url, locale="en-GB",
                                  timezone_id="Asia/Ho_Chi_Minh")
    context.set_default_timeout(TIMEOUT_MS)
    context.expose_binding("__conveneReportCsp",
                           lambda source, text: browser_errors.add("CSP violation", text))
    context.add_init_script(_REPORT_CSP_VIOLATIONS)

    def watch(page):
        def on_console(msg):
            where = msg.location.get("url", "")
            # The browser asks for /favicon.ico by itself; the page did not ask for it.
            if msg.type == "error" and urlsplit(where).path != "/favicon.ico":
                browser_errors.add("console error", f"{msg.text} ({where})")

        page.on("console", on_console)
        page.on("pageerror", lambda exc: browser_errors.add("uncaught exception", str(exc)))

    context.on("page", watch)
    page = context.new_page()
    yield page
    context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """Fail the test itself (not its teardown) when its pages reported a problem."""
    errors = item.funcargs.get("browser_errors")
    page = item.funcargs.get("page")
    try:
        result = yield
    except BaseException:
        if errors is not None and errors.problems:
            item.add_report_section("call", "browser", "\n".join(errors.problems))
        raise
    if errors is None:
        return result
    if page is not None and not page.is_closed():
        # A round trip to the page delivers events that are still queued.
        try:
            page.evaluate("0")
        except PlaywrightError:
            pass
    unexpected = errors.unexpected()
    if unexpected:
        raise AssertionError("The browser reported problems:\n  " + "\n  ".join(unexpected))
    return result


def login(page, live_server, username: str, password: str = PASSWORD) -> None:
    """Log in through django-allauth's form, as a person would, and wait until it took."""
    page.goto(f"{live_server.url}/accounts/login/")
    form = page.locator("form:has(input[name=login])")
    form.locator("input[name=login]").fill(username)
    form.locator("input[name=password]").fill(password)
    form.locator("button[type=submit]").click()
    expect(page.locator(".topbar .account .who")).to_have_text(username)


def logout(page) -> None:
    page.locator(".topbar .account form button[type=submit]").click()
    expect(page.locator(".topbar .account a[href='/accounts/login/']")).to_be_visible()
    expect(page.locator(".topbar .account .who")).to_have_count(0)
