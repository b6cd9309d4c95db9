"""The widget as a user sees it, through roles and labels (Playwright pierces its open
Shadow DOM), so the tests read like what a person does."""
from __future__ import annotations

import json
import re
from typing import Any, Callable, Dict, List

from playwright.sync_api import Locator, Page, Request, Response, expect

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
RATE = "/rate"


def audit(page: Page, axe_source: str) -> List[str]:
    """axe-core's WCAG 2.1 A/AA violations on the whole page, and what it could not decide
    (needs review) in the widget: both must be empty."""
    page.evaluate(axe_source)
    return page.evaluate(
        """async (tags) => {
             const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
             const found = (rule, kind) => rule.nodes.map(n => kind + ' ' + rule.id + ': ' + n.target.join(' '));
             return [...result.violations.flatMap(r => found(r, 'violation')),
                     ...result.incomplete.flatMap(r => found(r, 'needs review'))
                        .filter(line => line.includes('#codecare-widget'))];
           }""",
        WCAG_21_AA)


def is_webhook(request: Request) -> bool:
    return request.method == "POST" and request.url.endswith("/webhooks/codecare/webhook")


def reply_to(message: str) -> Callable[[Response], bool]:
    """Matches the channel's response to the page posting `message`."""
    return lambda response: is_webhook(response.request) and json.loads(
        response.request.post_data)["message"] == message


def rating_reply(response: Response) -> bool:
    return is_webhook(response.request) and json.loads(response.request.post_data)["message"].startswith(RATE)


class Wire:
    """What the page posts to its channel, in order, as the server receives it."""

    def __init__(self, page: Page) -> None:
        self.sent: List[str] = []
        page.on("request", lambda request: is_webhook(request) and self.sent.append(
            json.loads(request.post_data)["message"]))

    def ratings(self) -> List[Dict[str, Any]]:
        """The rating payloads sent, decoded: `/rate{json}`."""
        return [json.loads(m[len(RATE):]) for m in self.sent if m.startswith(RATE)]


class Chat:
    def __init__(self, page: Page, launcher: str = "Ask Code & Care") -> None:
        self.page = page
        self.launcher = page.get_by_role("button", name=launcher)
        self.panel = page.locator("#cc-panel")
        self.log = page.get_by_role("log")
        self.input = page.locator("#cc-input")
        self.status = page.get_by_role("status")

    @property
    def answers(self) -> Locator:
        """The bot's messages, after the local welcome."""
        return self.log.locator(".cc-bot:not(.cc-welcome)")

    @property
    def questions(self) -> Locator:
        return self.log.locator(".cc-user")

    def tab_to_launcher(self) -> None:
        """Tab through the intranet page to the launcher, as a keyboard user does."""
        for _ in range(40):
            self.page.keyboard.press("Tab")
            if self.page.evaluate("() => document.activeElement.id === 'codecare-widget'"):
                break

    def open(self) -> None:
        self.launcher.click()
        expect(self.input).to_be_focused()

    def ask(self, text: str) -> Locator:
        """Type and send a message; the bot's reply to it."""
        before = self.answers.count()
        self.input.fill(text)
        self.input.press("Enter")
        return self.reply(before)

    def reply(self, before: int) -> Locator:
        expect(self.answers).to_have_count(before + 1)
        return self.answers.nth(before)

    def stored(self) -> Dict[str, Any]:
        """The conversation the widget keeps in sessionStorage."""
        raw = self.page.evaluate(
            "() => Object.keys(sessionStorage).filter(k => k.startsWith('codecare:'))"
            ".map(k => sessionStorage.getItem(k))")
        assert len(raw) == 1, raw
        return json.loads(raw[0])

    def shown_texts(self) -> List[str]:
        return [t.strip() for t in self.log.locator(".cc-msg").all_inner_texts()]
