"""The widget's files as shipped: size budget, strings table, and what the code must never do.

The browser tests prove the behaviour; these catch a regression at the line that adds it
(an innerHTML, an inline style, a CDN URL), before any browser starts.
"""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from typing import List, Tuple

import pytest

from server.channels.assets import DEMO_CSP, STRINGS_MARK, WEB_DIR, load_assets, widget_source

BUDGET_BYTES = 40 * 1024
SOURCE = (WEB_DIR / "widget.js").read_text(encoding="utf-8")
CODE = re.sub(r"/\*.*?\*/", "", SOURCE, flags=re.S)  # without its comments
STRINGS = json.loads((WEB_DIR / "strings.json").read_text(encoding="utf-8"))


def test_widget_and_stylesheet_fit_the_budget() -> None:
    size = len(widget_source().encode()) + len((WEB_DIR / "widget.css").read_bytes())
    assert size <= BUDGET_BYTES, f"{size} bytes > {BUDGET_BYTES}"


def test_every_language_has_every_string_with_the_same_placeholders() -> None:
    english = STRINGS["en"]
    for lang, table in STRINGS.items():
        assert table.keys() == english.keys(), lang
        for key, text in table.items():
            assert set(re.findall(r"\{\w+\}", text)) == set(re.findall(r"\{\w+\}", english[key])), (lang, key)


def test_the_code_uses_exactly_the_strings_of_the_table() -> None:
    """Every user-facing string comes from the table, and the table has no leftovers."""
    used = set(re.findall(r'\bt\("(\w+)"', CODE))
    assert used == set(STRINGS["en"]), (used ^ set(STRINGS["en"]))


def test_the_strings_are_filled_in_once() -> None:
    assert SOURCE.count(STRINGS_MARK) == 1
    assert STRINGS_MARK not in widget_source()


@pytest.mark.parametrize("forbidden", [
    "eval(", "Function(", "innerHTML", "outerHTML", "insertAdjacentHTML", "document.write",
    ".style", '"style"', "cssText", "import(", "setTimeout(\"", "localhost",
])
def test_the_widget_writes_no_html_runs_no_strings_and_sets_no_inline_style(forbidden: str) -> None:
    assert forbidden not in CODE


def test_the_widget_talks_to_no_other_host() -> None:
    urls = set(re.findall(r"[a-z]+://[^\s\"'`)]+", CODE))
    assert urls == {"http://www.w3.org/2000/svg"}, urls  # an XML namespace, never fetched


def test_the_stylesheet_loads_nothing() -> None:
    css = (WEB_DIR / "widget.css").read_text()
    assert "@import" not in css and "url(" not in css and "@font-face" not in css


class _Inline(HTMLParser):
    """Collects what a strict CSP would refuse in a page: inline scripts, styles, handlers."""

    def __init__(self) -> None:
        super().__init__()
        self.found: List[Tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: List[Tuple[str, str]]) -> None:
        names = dict(attrs)
        if tag == "script" and "src" not in names or tag == "style":
            self.found.append((tag, "inline"))
        self.found += [(tag, name) for name in names if name == "style" or name.startswith("on")]
        if any(str(value).startswith(("http:", "https:", "//")) for value in names.values()):
            self.found.append((tag, "another host"))


def test_the_demo_page_has_nothing_inline_and_nothing_from_elsewhere() -> None:
    parser = _Inline()
    parser.feed(load_assets()["demo/"].body.decode())
    assert parser.found == []


def test_the_demo_policy_allows_only_its_own_server() -> None:
    directives = dict(d.strip().split(" ", 1) for d in DEMO_CSP.split(";"))
    assert directives["default-src"] == "'none'"
    for name in ("script-src", "style-src", "connect-src", "img-src"):
        assert directives[name] == "'self'", name
    assert directives["require-trusted-types-for"] == "'script'"
