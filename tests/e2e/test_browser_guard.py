"""The browser fixtures themselves: they must catch what they promise to catch."""

import pytest

from tests.e2e import conftest as e2e

pytestmark = pytest.mark.e2e

INJECT_INLINE_SCRIPT = """() => new Promise((resolve) => {
  document.addEventListener("securitypolicyviolation", (e) => resolve(e.effectiveDirective),
                            {once: true});
  const script = document.createElement("script");
  script.textContent = "window.__inlineRan = true";
  document.body.append(script);
})"""


def _empty_static(route):
    kind = "text/css" if route.request.url.endswith(".css") else "text/javascript"
    route.fulfill(status=200, content_type=kind, body="")


def test_csp_violations_and_console_errors_are_caught(page, live_server, browser_errors, event):
    # This test is about the fixtures, not about the app's assets (test_languages checks those).
    page.route("**/static/**", _empty_static)
    page.goto(live_server.url + "/")
    assert page.evaluate(INJECT_INLINE_SCRIPT) == "script-src-elem"
    page.evaluate("() => console.error('something broke')")
    page.evaluate("0")  # deliver the queued reports
    assert page.evaluate("window.__inlineRan === undefined")  # the CSP held
    problems = browser_errors.unexpected()
    assert any(p.startswith("CSP violation: script-src-elem blocked inline") for p in problems), (
        problems)
    assert any(p.startswith("console error: something broke") for p in problems), problems
    # Chromium also logs the violation on the console; either report alone would fail a test.
    assert any("violates the following Content Security Policy" in p for p in problems), problems
    browser_errors.expect(r"^CSP violation: script-src-elem blocked inline")
    browser_errors.expect(r"^console error: .*violates the following Content Security Policy")
    browser_errors.expect(r"^console error: something broke")
    assert browser_errors.unexpected() == []


def test_a_missing_browser_fails_the_run_with_the_reason():
    with pytest.raises(pytest.fail.Exception, match="no Chromium found.*chromium package"):
        e2e._browser_unavailable("no Chromium found")
