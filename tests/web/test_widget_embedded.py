"""The widget embedded the hard way: on an intranet page of another origin, under the
documented host CSP, with single sign-on, against a server that checks tokens and allows
only that origin. The action server reads a knowledge copy whose greeting is hostile
markup, so the real bot sends it through the whole pipeline.

The host page (not the thing under test) comes from tests/web/host.py: a real second
origin on loopback, as an intranet and its assistant share one private network.
"""
from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Tuple

import jwt
import pytest
from playwright.sync_api import expect

from server.channels.assets import strict_csp
from tests.channels.servers import Servers, doctored_knowledge, request, running
from tests.web.chat import Chat
from tests.web.host import serving

SECRET = "embedded-test-secret-" + "z" * 24
API_TOKEN = "embedded-api-token"
HOSTILE = ('Hello <img src=x onerror="window.__xss=1"> and **bold words**.\n'
           "- [a trap](javascript:window.__xss=2)\n"
           "- [the guide](https://example.org/guide)\n"
           "- write to [careers](mailto:careers@example.org)\n"
           "<script>window.__xss=3</script>")


@pytest.fixture(scope="module")
def servers(trained_model: Path, tmp_path_factory: pytest.TempPathFactory, host: str) -> Iterator[Servers]:
    work = tmp_path_factory.mktemp("embedded")
    with running(trained_model, work, allowed_origins=[host],
                 extra_env={"CODECARE_JWT_SECRET": SECRET}, api_token=API_TOKEN,
                 knowledge=doctored_knowledge(work, "bot.greet", HOSTILE)) as started:
        yield started


@dataclass
class Intranet:
    """A host page at `origin` that embeds the widget and signs its user on."""

    servers: Servers
    origin: str
    lang: str = "en"
    user: Optional[str] = field(default_factory=lambda: "nurse-" + uuid.uuid4().hex[:8])

    def html(self) -> str:
        return f"""<!doctype html><html lang="{self.lang}"><head><meta charset="utf-8">
<title>Ward 7 intranet</title></head><body><main><h1>Ward 7</h1><p>Rota and notices.</p></main>
<script src="{self.origin}/sso.js"></script>
<script src="{self.servers.channel}widget.js" data-server="{self.servers.base}"
  data-token-provider="intranetToken" data-lang="{self.lang}" defer></script></body></html>"""

    def token(self) -> Optional[str]:
        if self.user is None:
            return None
        return jwt.encode({"sub": self.user, "iat": int(time.time()), "exp": int(time.time()) + 600}, SECRET, algorithm="HS256")

    def sso(self) -> str:
        """The intranet's sign-on library: the page asks it for the user's JWT."""
        return f"window.intranetToken = () => Promise.resolve({json.dumps(self.token())});"


class Current:
    """The Intranet of the running test, which the host server serves."""

    intranet: Optional[Intranet] = None

    @classmethod
    def pages(cls, path: str) -> Optional[Tuple[bytes, str, Dict[str, str]]]:
        page = cls.intranet
        if page is None:
            return None
        if path.startswith("/sso.js"):
            return page.sso().encode(), "text/javascript", {}
        return (page.html().encode(), "text/html; charset=utf-8",
                {"Content-Security-Policy": strict_csp(page.servers.base)})


@pytest.fixture(scope="module")
def host() -> Iterator[str]:
    """The intranet's origin; the channel is configured to allow it."""
    with serving(Current.pages) as origin:
        yield origin


@pytest.fixture
def intranet(servers: Servers, host: str) -> Iterator[Intranet]:
    Current.intranet = Intranet(servers, host)
    yield Current.intranet
    Current.intranet = None


def events(servers: Servers, sender: str) -> List[dict]:
    status, _, raw = request(
        f"{servers.base}/conversations/{sender}/tracker?include_events=ALL&token={API_TOKEN}")
    assert status == 200, raw
    return json.loads(raw)["events"]


def user_texts(servers: Servers, sender: str) -> List[str]:
    return [e["text"] for e in events(servers, sender) if e["event"] == "user"]


def test_a_signed_in_user_chats_from_another_origin_as_their_own_sub(
        page: Any, servers: Servers, intranet: Intranet) -> None:
    page.goto(intranet.origin + "/")
    chat = Chat(page)
    chat.open()
    expect(chat.ask("what does an AI ethicist do?")).to_contain_text("Source:")
    assert user_texts(servers, intranet.user) == ["what does an AI ethicist do?"]
    stored = chat.stored()
    assert stored["sender"] is None and stored["subject"] == intranet.user


def test_bot_markup_renders_as_inert_text_and_only_safe_links_are_links(
        page: Any, servers: Servers, intranet: Intranet) -> None:
    page.goto(intranet.origin + "/")
    chat = Chat(page)
    chat.open()
    answer = chat.ask("hello")
    expect(answer).to_contain_text('Hello <img src=x onerror="window.__xss=1"> and bold words.')
    expect(answer).to_contain_text("[a trap](javascript:window.__xss=2)")
    expect(answer).to_contain_text("<script>window.__xss=3</script>")
    for selector in ("img", "script", "a[href^='javascript']"):
        expect(answer.locator(selector)).to_have_count(0)
    expect(answer.locator("strong")).to_have_text("bold words")
    expect(answer.locator("li")).to_have_count(3)
    guide = answer.get_by_role("link", name="the guide")
    expect(guide).to_have_attribute("href", "https://example.org/guide")
    expect(guide).to_have_attribute("target", "_blank")
    expect(guide).to_have_attribute("rel", "noopener noreferrer")
    mail = answer.get_by_role("link", name="careers")
    expect(mail).to_have_attribute("href", "mailto:careers@example.org")
    expect(answer.locator("a")).to_have_count(2)
    assert page.evaluate("() => window.__xss") is None


def test_without_a_token_the_widget_asks_to_sign_in_and_keeps_the_message(
        page: Any, servers: Servers, intranet: Intranet) -> None:
    signed_in, intranet.user = intranet.user, None
    page.goto(intranet.origin + "/")
    chat = Chat(page)
    chat.open()
    chat.input.fill("what does a regulatory specialist do?")
    chat.input.press("Enter")
    expect(chat.status).to_contain_text("Please sign in again")
    expect(chat.questions.last).to_contain_text("Not sent yet")
    intranet.user = signed_in  # the user signs in, and the page's sign-on library has a token
    page.evaluate("token => { window.intranetToken = () => Promise.resolve(token); }", intranet.token())
    page.get_by_role("button", name="Try now").click()
    expect(chat.reply(0)).to_contain_text("Source:")
    assert user_texts(servers, signed_in) == ["what does a regulatory specialist do?"]


def test_the_next_user_of_a_shared_workstation_does_not_see_the_last_conversation(
        page: Any, servers: Servers, intranet: Intranet) -> None:
    page.goto(intranet.origin + "/")
    chat = Chat(page)
    chat.open()
    chat.ask("what does a medical data scientist do?")
    first = intranet.user
    intranet.user = "nurse-" + uuid.uuid4().hex[:8]
    page.reload()
    expect(chat.panel).to_be_visible()
    expect(chat.questions).to_have_count(0)
    chat.ask("what does an AI ethicist do?")
    assert user_texts(servers, intranet.user) == ["what does an AI ethicist do?"]
    assert user_texts(servers, first) == ["what does a medical data scientist do?"]


def test_a_new_conversation_restarts_the_signed_in_users_context(
        page: Any, servers: Servers, intranet: Intranet) -> None:
    page.goto(intranet.origin + "/")
    chat = Chat(page)
    chat.open()
    chat.ask("what does an AI ethicist do?")
    page.get_by_role("button", name="New conversation").click()
    expect(chat.questions).to_have_count(0)
    deadline = time.monotonic() + 20
    while not any(e["event"] == "restart" for e in events(servers, intranet.user)):
        assert time.monotonic() < deadline, "the server's context was not restarted"
        time.sleep(0.2)


def test_a_page_on_an_origin_not_configured_cannot_use_the_assistant(
        page: Any, servers: Servers, intranet: Intranet) -> None:
    intranet.origin = intranet.origin.replace("127.0.0.1", "localhost")  # same pages, not allowed
    page.goto(intranet.origin + "/")
    chat = Chat(page)
    chat.open()
    chat.input.fill("what does an AI ethicist do?")
    chat.input.press("Enter")
    expect(chat.status).to_contain_text("Can't reach the assistant")
    expect(chat.questions.last).to_contain_text("Not sent yet")
    assert user_texts(servers, intranet.user) == []


def test_the_strings_table_translates_the_widget(page: Any, servers: Servers, intranet: Intranet) -> None:
    intranet.lang = "de"
    page.goto(intranet.origin + "/")
    chat = Chat(page, launcher="Code & Care fragen")
    chat.open()
    expect(page.get_by_label("Ihre Frage")).to_be_focused()
    expect(page.get_by_role("button", name="Chat schließen")).to_be_visible()
    expect(page.get_by_text("Bitte geben Sie keine Patientendaten")).to_be_visible()
