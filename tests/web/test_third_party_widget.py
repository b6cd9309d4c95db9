"""A third-party Rasa widget, unchanged, talks to the assistant over Rasa's socketio channel:
rasa-webchat 1.0.1 (vendored from npm) on a page of another site, in Chromium. Socket.IO's
long-polling is cross-origin HTTP, so that site is allowed with Rasa's own --cors, as its
documentation says; the codecare channel's origins are configured separately."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, Iterator, Optional, Tuple

import pytest
from playwright.sync_api import expect

from tests.channels.servers import Servers, post, running
from tests.web.conftest import DESKTOP, VENDOR
from tests.web.host import serving

WEBCHAT = VENDOR / "rasa-webchat" / "index.js"


class Site:
    """Someone else's web page with rasa-webchat, as its README embeds it."""

    assistant: Optional[str] = None

    @classmethod
    def pages(cls, path: str) -> Optional[Tuple[bytes, str, Dict[str, str]]]:
        if path == "/rasa-webchat.js":
            return WEBCHAT.read_bytes(), "text/javascript", {}
        if path == "/start.js":
            options = {"selector": "#webchat", "initPayload": "/greet", "socketUrl": cls.assistant,
                       "socketPath": "/socket.io/", "customData": {"language": "en"},
                       "title": "Code & Care", "params": {"storage": "session"}}
            # Its option to show messages without a typing pause, so the test is quick.
            start = f"WebChat.default({{...{json.dumps(options)}, customMessageDelay: () => 0}}, null);"
            return start.encode(), "text/javascript", {}
        if path == "/":
            return (b'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Site</title>'
                    b'</head><body><h1>A site</h1><div id="webchat"></div>'
                    b'<script src="/rasa-webchat.js"></script><script src="/start.js"></script>'
                    b"</body></html>"), "text/html; charset=utf-8", {}
        return None


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    with serving(Site.pages) as origin:
        yield origin


@pytest.fixture(scope="module")
def servers(trained_model: Path, tmp_path_factory: pytest.TempPathFactory, site: str) -> Iterator[Servers]:
    with running(trained_model, tmp_path_factory.mktemp("third-party"), rasa_cors=[site],
                 allowed_origins=[site]) as started:
        Site.assistant = started.base
        yield started


def test_rasa_webchat_greets_answers_and_follows_a_quick_reply(browser: Any, servers: Servers, site: str,
                                                               artifacts: Path) -> None:
    context = browser.new_context(viewport=DESKTOP)
    context.route("https://fonts.googleapis.com/**", lambda route: route.abort())  # offline here
    try:
        page = context.new_page()
        page.goto(site + "/")
        page.locator(".rw-launcher").click()
        greeting = page.locator(".rw-response").first
        expect(greeting).to_contain_text("Code & Care")  # the reply to initPayload /greet
        expect(page.locator(".rw-reply").first).to_be_visible()

        page.locator(".rw-new-message").fill("what does a regulatory specialist do?")
        page.locator(".rw-new-message").press("Enter")
        expect(page.locator(".rw-response", has_text="FDA")).to_be_visible()
        expect(page.locator(".rw-response", has_text="Source:").last).to_be_visible()
        page.screenshot(path=str(artifacts / "third-party-rasa-webchat.png"))

        before = page.locator(".rw-response").count()
        page.locator(".rw-reply").first.click()
        expect(page.locator(".rw-response")).not_to_have_count(before)
        assert page.locator(".rw-response").count() > before
    finally:
        context.close()


def test_rasas_cors_does_not_double_the_channels_own_header(servers: Servers, site: str) -> None:
    """The site is in Rasa's --cors (for Socket.IO) and in the channel's allowed_origins:
    a browser refuses a response that allows an origin twice."""
    status, headers, _ = post(servers, {"sender": "cors-check", "message": "hello"}, {"Origin": site})
    assert status == 200 and headers.get_all("Access-Control-Allow-Origin") == [site]
