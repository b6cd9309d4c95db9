"""Closing the loop in the widget, in Chromium against the real servers: rating an answer
by mouse and by the keyboard alone, the optional comment after "no", what the widget
posts (observed on the wire), ratings kept across a reload and never sent twice, the
adviser's contact as actions, and axe-core with all of it on screen."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pytest
from playwright.sync_api import Locator, Page, expect

from carekb import Knowledge
from tests.channels.servers import Servers, request, running
from tests.web.chat import RATE, Chat, Wire, audit, rating_reply, reply_to
from tests.web.conftest import DESKTOP, unavailable

QUESTIONS = ("what does a clinical informaticist do?", "what is alert fatigue?")
HANDOFF = "can I talk to a person?"
MISSING = "What was missing? (optional)"
THANKS = "Thanks for your feedback."
COMMENT_CHARS = 300


@pytest.fixture(scope="module")
def servers(trained_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    with running(trained_model, tmp_path_factory.mktemp("rating")) as started:
        yield started


def asked(chat: Chat, text: str) -> Dict[str, Any]:
    """Ask `text`; the channel's one answer to it, as the server sent it."""
    with chat.page.expect_response(reply_to(text)) as response:
        chat.ask(text)
    messages = response.value.json()["messages"]
    assert len(messages) == 1, messages
    return messages[0]


def rating_of(answer: Locator) -> Locator:
    return answer.get_by_role("group", name="Was this helpful?")


def pressed(answer: Locator) -> List[str]:
    group = rating_of(answer)
    return [group.get_by_role("button", name=name, exact=True).get_attribute("aria-pressed")
            for name in ("Yes", "No")]


def replies_shown(chat: Chat, before: int, response: Any) -> None:
    """What the server answered a rating with is shown, and nothing else."""
    messages = response.json()["messages"]
    expect(chat.answers).to_have_count(before + len(messages))
    for shown, message in zip(chat.answers.all()[before:], messages):
        expect(shown).to_contain_text(message["text"].splitlines()[0].replace("**", ""))


def focused(page: Page, expression: str) -> Any:
    """`expression` of the element focused in the widget (`e`), e.g. "id"."""
    return page.evaluate("() => { const e = document.getElementById('codecare-widget')"
                         f".shadowRoot.activeElement; return e && e.{expression}; }}")


def user_texts(servers: Servers, sender: str) -> List[str]:
    raw = request(servers.tracker_url(sender))[2]
    return [e["text"] for e in json.loads(raw)["events"] if e["event"] == "user"]


def test_rating_by_mouse_with_a_comment_a_change_of_mind_and_a_reload(page: Page, servers: Servers) -> None:
    wire = Wire(page)
    page.goto(servers.demo)
    chat = Chat(page)
    chat.open()
    first = asked(chat, QUESTIONS[0])
    answer = chat.answers.nth(0)
    expect(rating_of(answer)).to_be_visible()
    assert pressed(answer) == ["false", "false"]
    expect(chat.questions.locator(".cc-rating")).to_have_count(0)  # the user's own messages are not rated

    rating_of(answer).get_by_role("button", name="No", exact=True).click()
    comment = rating_of(answer).get_by_label(MISSING)
    expect(comment).to_be_focused()
    assert pressed(answer) == ["false", "true"] and wire.ratings() == []  # sent with the comment
    said = 'Nothing about "pay" or {braces}; write to jane.doe@example.org'
    comment.fill(said)
    before = chat.answers.count()
    with page.expect_response(rating_reply) as reply:
        page.get_by_role("button", name="Send feedback").click()
    assert wire.ratings() == [{"answer_id": first["answer_id"], "helpful": False, "comment": said}]
    expect(comment).to_be_hidden()
    expect(rating_of(answer)).to_contain_text(THANKS)
    expect(rating_of(answer).get_by_role("button", name="No", exact=True)).to_be_focused()
    replies_shown(chat, before, reply.value)
    sender = chat.stored()["sender"]
    stored = [t for t in user_texts(servers, sender) if t.startswith(RATE)]
    assert len(stored) == 1 and "[EMAIL]" in stored[0] and "jane.doe" not in stored[0], stored

    # A change of mind is a second rating; pressing it again sends nothing more.
    yes = rating_of(answer).get_by_role("button", name="Yes", exact=True)
    before = chat.answers.count()
    with page.expect_response(rating_reply) as reply:
        yes.click()
    expect(yes).to_have_attribute("aria-pressed", "true")
    replies_shown(chat, before, reply.value)
    yes.click()
    second = asked(chat, QUESTIONS[1])
    assert wire.ratings()[1:] == [{"answer_id": first["answer_id"], "helpful": True}]
    assert wire.sent[-1] == QUESTIONS[1]

    # "No" with a draft, then a reload: the open comment and its draft survive it.
    latest = chat.answers.nth(chat.answers.count() - 1)
    rating_of(latest).get_by_role("button", name="No", exact=True).click()
    rating_of(latest).get_by_label(MISSING).fill("a draft never sent")
    sent_before_reload = list(wire.sent)
    page.reload()
    expect(chat.panel).to_be_visible()
    assert pressed(chat.answers.nth(0)) == ["true", "false"]
    expect(rating_of(chat.answers.nth(0))).to_contain_text(THANKS)
    expect(rating_of(latest).get_by_label(MISSING)).to_have_value("a draft never sent")
    assert pressed(latest) == ["false", "true"]

    # Moving on sends the open "no" without the unsent draft, before the next question;
    # nothing rated before the reload is sent again.
    with page.expect_response(reply_to(QUESTIONS[0])):
        chat.input.fill(QUESTIONS[0])
        chat.input.press("Enter")
    assert wire.sent[len(sent_before_reload):] == [
        RATE + json.dumps({"answer_id": second["answer_id"], "helpful": False}, separators=(",", ":")),
        QUESTIONS[0]]
    expect(rating_of(latest).get_by_label(MISSING)).to_be_hidden()


def test_rating_with_the_keyboard_alone(page: Page, servers: Servers, artifacts: Path) -> None:
    wire = Wire(page)
    page.goto(servers.demo)
    chat = Chat(page)
    chat.tab_to_launcher()
    page.keyboard.press("Enter")
    expect(chat.input).to_be_focused()
    answers = []
    for question in QUESTIONS:
        with page.expect_response(reply_to(question)) as response:
            page.keyboard.type(question)
            page.keyboard.press("Enter")
            chat.reply(len(answers))
        answers.append(response.value.json()["messages"][0])

    # Tab order: each answer's suggestions, then its "Yes" and "No", answer after answer.
    for _ in range(40):
        if focused(page, "classList.contains('cc-log')") is not False:
            break
        page.keyboard.press("Shift+Tab")
    order = []
    while focused(page, "id") != "cc-input" and len(order) < 40:
        page.keyboard.press("Tab")
        order.append(focused(page, "textContent"))
    expected = [title for answer in answers for title in [b["title"] for b in answer["buttons"]] + ["Yes", "No"]]
    assert order[:-1] == expected

    # From the input: Shift+Tab to the last answer's "No", again to its "Yes".
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    last = rating_of(chat.answers.nth(1))  # pinned: a reply to a rating may follow it
    yes, no = (last.get_by_role("button", name=n, exact=True) for n in ("Yes", "No"))
    expect(yes).to_be_focused()
    assert focused(page, "matches(':focus') && getComputedStyle(e).boxShadow") != "none", "focus must be visible"
    page.keyboard.press("Space")
    expect(yes).to_have_attribute("aria-pressed", "true")
    expect(last).to_contain_text(THANKS)
    page.keyboard.press("Tab")
    expect(no).to_be_focused()
    page.keyboard.press("Enter")
    comment = last.get_by_label(MISSING)
    expect(comment).to_be_focused()
    page.keyboard.type("skipped, so never sent")
    page.keyboard.press("Escape")  # closes the comment, not the chat
    expect(comment).to_be_hidden()
    expect(chat.panel).to_be_visible()
    expect(no).to_be_focused()
    expect(no).to_have_attribute("aria-pressed", "true")
    page.keyboard.press("Enter")  # "No" again: already sent, nothing happens
    expect(comment).to_be_hidden()

    # The first answer's "No", back past the last answer's buttons: a comment to its limit, Enter.
    first = rating_of(chat.answers.first)
    for _ in range(len(answers[1]["buttons"]) + 2):
        page.keyboard.press("Shift+Tab")
    expect(first.get_by_role("button", name="No", exact=True)).to_be_focused()
    page.keyboard.press("Space")
    expect(first.get_by_label(MISSING)).to_be_focused()
    page.keyboard.insert_text("x" * (COMMENT_CHARS + 50))
    expect(first.get_by_label(MISSING)).to_have_value("x" * COMMENT_CHARS)
    page.screenshot(path=str(artifacts / "widget-rating-comment.png"))
    with page.expect_response(rating_reply):
        page.keyboard.press("Enter")
    expect(first).to_contain_text(THANKS)
    expect(first.get_by_role("button", name="No", exact=True)).to_be_focused()
    assert wire.ratings() == [
        {"answer_id": answers[1]["answer_id"], "helpful": True},
        {"answer_id": answers[1]["answer_id"], "helpful": False},
        {"answer_id": answers[0]["answer_id"], "helpful": False, "comment": "x" * COMMENT_CHARS},
    ]


def test_a_rating_made_offline_is_kept_and_delivered_once(page: Page, context: Any, servers: Servers) -> None:
    wire = Wire(page)
    page.goto(servers.demo)
    chat = Chat(page)
    chat.open()
    answered = asked(chat, QUESTIONS[0])
    context.set_offline(True)
    rating_of(chat.answers.first).get_by_role("button", name="Yes", exact=True).click()
    expect(chat.status).to_contain_text("Can't reach the assistant")
    context.set_offline(False)
    with page.expect_response(rating_reply):
        page.get_by_role("button", name="Try now").click()
    expect(chat.status).to_have_text("")
    sender = chat.stored()["sender"]
    rated = RATE + json.dumps({"answer_id": answered["answer_id"], "helpful": True}, separators=(",", ":"))
    assert [t for t in user_texts(servers, sender) if t.startswith(RATE)] == [rated]
    assert set(m for m in wire.sent if m.startswith(RATE)) == {rated}  # tried offline, delivered once


def test_a_new_conversation_still_delivers_an_open_no_to_the_conversation_it_rates(
        page: Page, servers: Servers) -> None:
    page.goto(servers.demo)
    chat = Chat(page)
    chat.open()
    answered = asked(chat, QUESTIONS[1])
    sender = chat.stored()["sender"]
    rating_of(chat.answers.first).get_by_role("button", name="No", exact=True).click()
    with page.expect_response(rating_reply):
        page.get_by_role("button", name="New conversation").click()
    expect(chat.answers).to_have_count(0)  # its reply belongs to the old conversation
    assert chat.stored()["sender"] != sender
    assert [t for t in user_texts(servers, sender) if t.startswith(RATE)] == [
        RATE + json.dumps({"answer_id": answered["answer_id"], "helpful": False}, separators=(",", ":"))]


def test_a_handoff_shows_the_contact_as_actions(page: Page, servers: Servers, knowledge: Knowledge) -> None:
    page.goto(servers.demo)
    chat = Chat(page)
    chat.open()
    handoff = asked(chat, HANDOFF)
    assert handoff["answer_id"] == "handoff.human", handoff
    answer = chat.answers.last
    expect(rating_of(answer)).to_be_visible()  # a handoff is rated like any answer
    if "contact" not in handoff:
        unavailable("the server sends no `contact` with handoff.human yet (issue 12, server side)")
    contact = knowledge.contact
    assert handoff["contact"]["team"] == contact.team
    card = answer.locator(".cc-contact")
    expect(card).to_contain_text(contact.team)
    expect(card).to_contain_text(f"Opening hours: {contact.hours}")
    links = card.get_by_role("link")
    wanted = [(f"Email {contact.email}", f"mailto:{contact.email}")] if contact.email else []
    if contact.phone:
        digits = "".join(c for c in contact.phone if c.isdigit() or c == "+")
        wanted.append((f"Call {contact.phone}", f"tel:{digits}"))
    if contact.link:
        wanted.append(("Web page (opens in a new tab)", contact.link))
    expect(links).to_have_count(len(wanted))
    for shown, (name, href) in zip(links.all(), wanted):
        expect(shown).to_have_accessible_name(name)
        expect(shown).to_have_attribute("href", href)
    expect(answer.locator(".cc-text")).to_contain_text("You can talk to a person")  # the text still shows


def test_axe_finds_no_violation_with_ratings_a_comment_and_a_contact_on_screen(
        browser: Any, servers: Servers, axe_source: str) -> None:
    context = browser.new_context(viewport=DESKTOP, bypass_csp=True)
    try:
        page = context.new_page()
        page.goto(servers.demo)
        chat = Chat(page)
        chat.open()
        chat.ask(QUESTIONS[0])
        chat.ask(HANDOFF)
        rating_of(chat.answers.first).get_by_role("button", name="Yes", exact=True).click()
        expect(rating_of(chat.answers.first)).to_contain_text(THANKS)
        rating_of(chat.answers.nth(1)).get_by_role("button", name="No", exact=True).click()
        expect(rating_of(chat.answers.nth(1)).get_by_label(MISSING)).to_be_focused()
        assert audit(page, axe_source) == []
        page.set_viewport_size({"width": 320, "height": 640})
        assert audit(page, axe_source) == []
    finally:
        context.close()
