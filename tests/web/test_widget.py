"""The demo page in Chromium, against the real Rasa server and action server: chatting,
the keyboard alone, markup typed by the user, failures, the strict CSP, axe-core's WCAG
2.1 A/AA audit, and screenshots (test-artifacts/web/)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterator

import pytest
from playwright.sync_api import expect

from carekb import Knowledge
from server.channels.assets import DEMO_CSP
from tests.channels.servers import Servers, request, running
from tests.web.chat import UUID, Chat, audit
from tests.web.conftest import DESKTOP, Watch

QUESTION = "what does a clinical informaticist do?"


@pytest.fixture(scope="module")
def servers(trained_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    with running(trained_model, tmp_path_factory.mktemp("widget")) as started:
        yield started


def plain(markdown: str) -> str:
    return markdown.replace("**", "")


def first_line(knowledge: Knowledge, answer_id: str) -> str:
    return plain(knowledge.entry(answer_id).text.strip().splitlines()[0])


def source_line(knowledge: Knowledge, answer_id: str) -> str:
    entry = knowledge.entry(answer_id)
    return knowledge.source_line(entry.source, entry.basis)


def user_texts(servers: Servers, sender: str) -> list:
    raw = request(servers.tracker_url(sender))[2]
    return [e["text"] for e in json.loads(raw)["events"] if e["event"] == "user"]


def test_a_question_gets_a_grounded_answer_follow_ups_and_survives_a_reload(
        page: Any, servers: Servers, knowledge: Knowledge) -> None:
    page.goto(servers.demo)
    chat = Chat(page)
    chat.open()
    answer = chat.ask(QUESTION)
    duties = "role.clinical_informaticist.duties"
    expect(answer).to_contain_text(first_line(knowledge, duties))
    expect(answer.locator("strong").first).to_be_visible()
    expect(answer.locator("ul > li").first).to_be_visible()
    expect(answer.locator(".cc-source")).to_have_text(source_line(knowledge, duties))
    assert answer.inner_text().count("Source:") == 1  # shown once, discreetly

    follow_up = knowledge.entry(knowledge.entry(duties).related[0])
    answer.get_by_role("button", name=follow_up.title).click()
    expect(chat.questions.last).to_contain_text(follow_up.title)
    expect(chat.reply(1)).to_contain_text(first_line(knowledge, follow_up.answer_id))
    expect(chat.input).to_be_focused()

    sender = chat.stored()["sender"]
    assert UUID.fullmatch(sender), sender
    assert user_texts(servers, sender) == [QUESTION, chat.stored()["items"][2]["payload"]]

    before = chat.shown_texts()
    page.reload()
    expect(chat.panel).to_be_visible()
    expect(chat.answers).to_have_count(2)
    assert chat.shown_texts() == before
    assert chat.stored()["sender"] == sender

    page.get_by_role("button", name="New conversation").click()
    expect(chat.questions).to_have_count(0)
    expect(chat.answers).to_have_count(0)
    assert chat.stored()["sender"] != sender
    expect(chat.input).to_be_focused()


def test_the_whole_chat_works_from_the_keyboard_alone(page: Any, servers: Servers,
                                                      knowledge: Knowledge) -> None:
    page.goto(servers.demo)
    chat = Chat(page)
    chat.tab_to_launcher()
    expect(chat.launcher).to_be_focused()
    assert page.evaluate("() => getComputedStyle(document.activeElement.shadowRoot.activeElement)"
                         ".boxShadow") != "none", "focus must be visible"
    page.keyboard.press("Enter")
    expect(chat.input).to_be_focused()
    page.keyboard.type(QUESTION)
    page.keyboard.press("Enter")
    answer = chat.reply(0)
    expect(answer.get_by_role("button").last).to_be_visible()

    for _ in range(3):  # from the input back over the rating (No, Yes) to the last suggestion
        page.keyboard.press("Shift+Tab")
    last = answer.get_by_role("group", name="Suggested questions").get_by_role("button").last
    expect(last).to_be_focused()
    title = last.inner_text()
    page.keyboard.press("Enter")
    expect(chat.questions.last).to_contain_text(title)
    chat.reply(1)
    expect(chat.input).to_be_focused()

    page.keyboard.press("Escape")
    expect(chat.panel).to_be_hidden()
    expect(chat.launcher).to_be_focused()
    expect(chat.launcher).to_have_attribute("aria-expanded", "false")
    page.keyboard.press("Enter")
    expect(chat.input).to_be_focused()
    expect(chat.answers).to_have_count(2)


def test_markup_typed_by_the_user_is_shown_as_inert_text(page: Any, servers: Servers) -> None:
    page.goto(servers.demo)
    chat = Chat(page)
    chat.open()
    hostile = ('<img src=x onerror="window.__xss=1"> <b>bold?</b> '
               '[click me](javascript:window.__xss=2) <script>window.__xss=3</script>')
    chat.ask(hostile)
    expect(chat.questions.last.locator("p").first).to_have_text(hostile)
    for selector in ("img", "b", "script", "a"):
        expect(chat.questions.last.locator(selector)).to_have_count(0)
    assert page.evaluate("() => window.__xss") is None


def test_an_unreachable_server_is_reported_retried_with_backoff_and_loses_nothing(
        page: Any, context: Any, servers: Servers, knowledge: Knowledge) -> None:
    page.goto(servers.demo)
    chat = Chat(page)
    chat.open()
    context.set_offline(True)
    chat.input.fill(QUESTION)
    chat.input.press("Enter")
    expect(chat.status).to_contain_text("Can't reach the assistant")
    expect(chat.status).to_contain_text("next try in 2 s")  # a second try, backing off
    expect(chat.questions.last).to_contain_text(QUESTION)
    expect(chat.questions.last).to_contain_text("Not sent yet")
    expect(chat.launcher).to_be_hidden()
    expect(chat.panel).to_be_visible()
    assert chat.stored()["items"][0] == {"who": "user", "text": QUESTION, "payload": None,
                                         "status": "pending", "waiting": True}
    context.set_offline(False)
    page.get_by_role("button", name="Try now").click()
    expect(chat.reply(0)).to_contain_text(first_line(knowledge, "role.clinical_informaticist.duties"))
    expect(chat.status).to_have_text("")
    expect(chat.questions.last).not_to_contain_text("Not sent yet")


def test_the_demo_page_runs_under_its_strict_policy_without_a_violation(
        page: Any, servers: Servers, watch: Watch) -> None:
    response = page.goto(servers.demo)
    assert response.headers["content-security-policy"] == DEMO_CSP
    chat = Chat(page)
    chat.open()
    answer = chat.ask(QUESTION)
    answer.get_by_role("button").first.click()
    chat.reply(1)
    page.keyboard.press("Escape")
    page.reload()
    chat.open()
    page.get_by_role("button", name="New conversation").click()
    chat.ask("hello")
    assert watch.violations == [] and watch.errors == []
    # The watch itself works: an inline style in the widget's Shadow DOM is refused and reported.
    page.evaluate("() => document.getElementById('codecare-widget').shadowRoot"
                  ".querySelector('.cc').setAttribute('style', 'color: red')")
    expect(page.locator(".cc")).not_to_have_css("color", "rgb(255, 0, 0)")
    page.wait_for_timeout(200)
    assert any("style-src" in v or "inline style" in v for v in watch.violations), watch.violations
    watch.violations.clear()


def test_axe_finds_no_wcag_21_aa_violation_with_a_conversation_open(
        browser: Any, servers: Servers, axe_source: str) -> None:
    """axe injects an inline style of its own, so it runs in a context that lets it (the
    policy itself is checked above); the audit covers the page and the widget's Shadow DOM."""
    context = browser.new_context(viewport=DESKTOP, bypass_csp=True)
    try:
        page = context.new_page()
        page.goto(servers.demo)
        assert audit(page, axe_source) == []
        chat = Chat(page)
        chat.open()
        chat.ask(QUESTION)
        chat.ask("and what skills do they need?")
        assert audit(page, axe_source) == []
        page.set_viewport_size({"width": 320, "height": 640})
        assert audit(page, axe_source) == []
    finally:
        context.close()


@pytest.mark.parametrize("name, size", [
    ("desktop", DESKTOP), ("mobile", {"width": 375, "height": 740}), ("narrow-320", {"width": 320, "height": 640}),
])
def test_screenshots_at_desktop_and_mobile_widths_and_nothing_overflows(
        page: Any, servers: Servers, artifacts: Path, name: str, size: dict) -> None:
    page.set_viewport_size(size)
    page.goto(servers.demo)
    chat = Chat(page)
    page.screenshot(path=str(artifacts / f"widget-{name}-closed.png"))
    chat.open()
    answer = chat.ask(QUESTION)
    page.wait_for_timeout(100)  # the widget scrolls right after rendering the answer
    page.screenshot(path=str(artifacts / f"widget-{name}-open.png"))
    # The answer is shown from its start, the question above it, however long it is.
    log_top = chat.log.bounding_box()["y"]
    assert log_top <= chat.questions.last.bounding_box()["y"] < answer.bounding_box()["y"]
    box = chat.panel.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= size["width"]
    assert box["y"] >= 0 and box["y"] + box["height"] <= size["height"]
    for control in (chat.input, page.get_by_role("button", name="Send"), page.get_by_role("button", name="Close chat")):
        control_box = control.bounding_box()
        assert control_box["x"] >= 0 and control_box["x"] + control_box["width"] <= size["width"]
    assert page.evaluate("() => document.documentElement.scrollWidth") <= size["width"]


def test_a_screen_reader_meets_a_named_dialog_a_polite_log_labels_and_real_buttons(
        page: Any, servers: Servers) -> None:
    """The accessibility tree, as assistive technology gets it, before and during a chat."""
    page.goto(servers.demo)
    widget = page.locator("#codecare-widget")
    expect(widget).to_match_aria_snapshot('- button "Ask Code & Care"')
    chat = Chat(page)
    chat.open()
    chat.ask("what is alert fatigue?")
    expect(widget).to_match_aria_snapshot("""
- dialog "Code & Care":
  - heading "Code & Care" [level=2]
  - button "New conversation"
  - button "Close chat"
  - paragraph: Please don't type patient information or anyone's health details.
  - log "Conversation":
    - text: "You:"
    - paragraph: what is alert fatigue?
    - text: "Code & Care:"
    - paragraph:
      - strong: Alert fatigue
    - paragraph: /^Source. The Convergence of Code and Care/
    - group "Suggested questions":
      - button
    - group "Was this helpful?":
      - text: Was this helpful?
      - button "Yes"
      - button "No"
  - status
  - textbox "Your question"
  - button "Send"
""")
    expect(chat.log).to_have_attribute("aria-live", "polite")
