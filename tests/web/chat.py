"""The widget as a user sees it, through roles and labels (Playwright pierces its open
Shadow DOM), so the tests read like what a person does."""
from __future__ import annotations

import json
import re
from typing import Any, Dict, List

from playwright.sync_api import Locator, Page, expect

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")


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
