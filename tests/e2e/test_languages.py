"""The public home page and the language switcher of the top bar, in a real browser."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def switch_language(page, code: str) -> None:
    with page.expect_navigation():  # convene.js submits the form when the choice changes
        page.locator(".topbar #language-switcher").select_option(code)


def test_language_switcher_sets_lang_and_direction(page, live_server, event):
    page.goto(live_server.url + "/")
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "en")
    expect(html).to_have_attribute("dir", "ltr")

    switch_language(page, "ar")
    expect(page).to_have_url(live_server.url + "/")  # back where the visitor was
    expect(html).to_have_attribute("lang", "ar")
    expect(html).to_have_attribute("dir", "rtl")
    expect(page.locator("#language-switcher")).to_have_value("ar")

    switch_language(page, "zh-hans")
    expect(html).to_have_attribute("lang", "zh-hans")
    expect(html).to_have_attribute("dir", "ltr")
    expect(page.locator("#language-switcher")).to_have_value("zh-hans")

    page.reload()  # the choice is remembered, not only applied once
    expect(html).to_have_attribute("lang", "zh-hans")


def test_public_home_page_shows_the_event(page, live_server, event):
    response = page.goto(live_server.url + "/")
    assert response.status == 200
    expect(page.locator(".topbar .account .who")).to_have_count(0)  # nobody is logged in
    hero = page.locator("main .hero")
    expect(hero.locator("h1")).to_have_text(
        "Signing Ceremony of the United Nations Convention against Cybercrime and "
        "High-level Conference")
    expect(hero).to_contain_text("National Convention Centre")
    expect(hero).to_contain_text("Hanoi")
    expect(hero.get_by_role("link", name="Log in")).to_have_attribute("href", "/accounts/login/")


def test_pages_load_their_scripts_and_styles(page, live_server, event):
    """The switcher, htmx and the layout all depend on the static files of the frame."""
    statuses = {}
    page.on("response", lambda r: statuses.setdefault(urlsplit(r.url).path, r.status))
    page.goto(live_server.url + "/")
    assets = page.eval_on_selector_all(
        "script[src], link[rel=stylesheet]",
        "els => els.map(e => new URL(e.src || e.href).pathname)")
    assert len(assets) == 3, assets  # convene.css, htmx, convene.js
    assert {a: statuses.get(a) for a in assets} == {a: 200 for a in assets}
    assert page.evaluate("typeof window.htmx") == "object"
