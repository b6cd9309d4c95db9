"""The loop closed, as a new user and a content owner would try it: in Chromium against the
real servers, two questions typed, one answer rated "not helpful" with the keyboard alone
and a comment, a person asked for and their contact shown; then `python -m admin report`
on that conversation store shows the answer, its rating, the question, the comment and
the hand-off."""
from __future__ import annotations

import csv
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

import pytest
import yaml
from playwright.sync_api import Page, expect

from carekb import Knowledge
from codecare import launch
from tests.channels.servers import Servers, running
from tests.conftest import ROOT
from tests.web.chat import Chat, rating_reply, reply_to

QUESTIONS = ("what does an AI ethicist do?", "what skills do they need?")
COMMENT = "nothing on part-time study"
MISSING = "What was missing? (optional)"


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("loop")


@pytest.fixture(scope="module")
def servers(trained_model: Path, work: Path) -> Iterator[Servers]:
    with running(trained_model, work) as started:
        yield started


def report(work: Path) -> Path:
    """The content owners' report, from the store the servers wrote (tests.channels.servers)."""
    endpoints = work / "report-endpoints.yml"
    endpoints.write_text(yaml.safe_dump({"tracker_store": {
        "type": "server.stores.tracker_store.HealthAwareSQLTrackerStore",
        "url": f"sqlite:///{work / 'trackers.db'}"}}))
    out = work / "report" / "index.html"
    done = subprocess.run([sys.executable, "-m", "admin", "--endpoints", str(endpoints), "report",
                           "--out", str(out)], cwd=ROOT, env=launch.environment(),
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return out


def test_rate_by_keyboard_ask_for_a_person_then_the_report_shows_it(
        page: Page, servers: Servers, work: Path, knowledge: Knowledge) -> None:
    page.goto(servers.demo)
    chat = Chat(page)
    chat.tab_to_launcher()
    page.keyboard.press("Enter")
    expect(chat.input).to_be_focused()
    for question in QUESTIONS:
        before = chat.answers.count()
        page.keyboard.type(question)
        with page.expect_response(reply_to(question)) as response:
            page.keyboard.press("Enter")
        expect(chat.answers).to_have_count(before + 1)
    rated = chat.answers.nth(1)
    rated_id = response.value.json()["messages"][0]["answer_id"]

    # From the input, Shift+Tab reaches the last answer's "No"; Enter presses it.
    page.keyboard.press("Shift+Tab")
    no = rated.get_by_role("group", name="Was this helpful?").get_by_role("button", name="No", exact=True)
    expect(no).to_be_focused()
    page.keyboard.press("Enter")
    expect(no).to_have_attribute("aria-pressed", "true")
    expect(rated.get_by_label(MISSING)).to_be_focused()
    page.keyboard.type(COMMENT)
    with page.expect_response(rating_reply):
        page.keyboard.press("Enter")

    chat.input.focus()
    before = chat.answers.count()
    page.keyboard.type("can I talk to a person?")
    page.keyboard.press("Enter")
    expect(chat.answers).to_have_count(before + 1)
    handoff = chat.answers.last
    contact = knowledge.contact
    expect(handoff.get_by_role("link", name=f"Email {contact.email}")).to_have_attribute(
        "href", f"mailto:{contact.email}")
    expect(handoff).to_contain_text(contact.hours)

    out = report(work)
    answers = {row["answer_id"]: row for row in csv.DictReader((out.parent / "answers.csv").open())}
    assert rated_id in answers, sorted(answers)
    row = answers[rated_id]
    assert int(row["not_helpful"]) == 1 and int(row["given"]) >= 1
    assert QUESTIONS[1] in row["questions_not_helpful"] and COMMENT in row["comments"]
    html = out.read_text()
    assert COMMENT in html and knowledge.entry(rated_id).title in html
    today = datetime.now(timezone.utc).date().isoformat()
    handoffs = dict(csv.reader((out.parent / "handoffs.csv").open()))
    assert int(handoffs[today]) == 1, handoffs
