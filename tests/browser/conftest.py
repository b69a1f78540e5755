"""A live server on a free loopback port and a real headless Chromium
(Debian's chromium package; never a downloaded browser)."""
from __future__ import annotations

import os
import threading

import pytest
from werkzeug.serving import make_server

CHROMIUM = os.environ.get("EIH_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture
def live_server(app):
    app.config["WTF_CSRF_ENABLED"] = True  # the browser posts real forms with real tokens
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright
    assert os.path.exists(CHROMIUM), f"browser tests need Chromium at {CHROMIUM} (Debian package 'chromium')"
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield chromium
        chromium.close()


@pytest.fixture
def login(browser, live_server):
    from tests.conftest import DEMO_PASSWORD, EMAILS

    def _login(who: str):
        context = browser.new_context(locale="nl-NL", viewport={"width": 1300, "height": 900})
        page = context.new_page()
        page.set_default_timeout(30000)
        page.goto(live_server + "/login")
        page.fill("input[name=email]", EMAILS.get(who, who))
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(live_server + "/admin/")
        return page
    return _login
