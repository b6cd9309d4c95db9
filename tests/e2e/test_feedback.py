"""'Was this helpful?' end to end: the real servers over REST, their store, then the report.

Runs once on SQLite and once on a private PostgreSQL (tests/deploy/servers.py's cluster):
ratings are ordinary user messages any channel sends, `/rate{"answer_id": ..., "helpful": ...}`.
"""
from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional

import pytest

from actions.history import HUMAN_PAYLOAD
from carekb import Knowledge, contract
from codecare import launch
from tests.conftest import ROOT
from tests.support.rasa_cli import servers, tracker, tracker_events

SKILLS = "role.clinical_informaticist.skills"
# Two requests, each in two wordings: the report should find two groups of two.
NOT_COVERED = ("can I do clinical informatics part time?", "could I do clinical informatics part time instead?",
               "could I work part time as a medical data scientist?",
               "is part time work possible as a medical data scientist?")


@dataclass
class Store:
    started: launch.Servers
    work: Path

    @property
    def base(self) -> str:
        return self.started.base


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, trained_model: Path) -> Iterator[Store]:
    work = Path(tempfile.mkdtemp(prefix="codecare-feedback-"))
    work.chmod(0o755)  # PostgreSQL's own user must reach its folder
    postgres = None
    try:
        if request.param == "postgresql":
            from tests.deploy.servers import Postgres, free_port

            postgres = Postgres(work, free_port()).init()
            url = postgres.url
        else:
            url = f"sqlite:///{work / 'feedback.db'}"
        with servers(trained_model, work / "logs", endpoints={"tracker_store": {"url": url}}) as started:
            yield Store(started, work)
    finally:
        if postgres is not None and postgres.running():
            postgres.stop()
        shutil.rmtree(work, ignore_errors=True)


def post(base: str, sender: str, message: str) -> List[Dict[str, Any]]:
    request = urllib.request.Request(f"{base}/webhooks/rest/webhook",
                                     data=json.dumps({"sender": sender, "message": message}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def widget_post(base: str, sender: str, message: str) -> List[Dict[str, Any]]:
    """The widget channel's messages, with their metadata (answer_id, contact)."""
    request = urllib.request.Request(f"{base}/webhooks/codecare/webhook",
                                     data=json.dumps({"sender": sender, "message": message}).encode())
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())["messages"]


def rate(answer_id: str, helpful: bool, comment: Optional[str] = None) -> str:
    return "/rate" + json.dumps({"answer_id": answer_id, "helpful": helpful,
                                 **({"comment": comment} if comment else {})})


def new_sender() -> str:
    return f"feedback-{uuid.uuid4().hex[:10]}"


def bots(base: str, sender: str) -> List[Dict[str, Any]]:
    return [e for e in tracker_events(base, sender) if e["event"] == "bot"]


def slots(base: str, sender: str) -> Dict[str, Any]:
    return tracker(base, sender)["slots"]


def without_recipient(replies: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    return [{k: v for k, v in r.items() if k != "recipient_id"} for r in replies]


def talk(base: str, sender: str, *messages: str) -> List[List[Dict[str, Any]]]:
    return [post(base, sender, m) for m in messages]


def test_not_helpful_offers_a_person_whose_contact_comes_as_metadata(store: Store, knowledge: Knowledge) -> None:
    sender = new_sender()
    talk(store.base, sender, "what does a clinical informaticist do?", "what skills do they need?")
    assert bots(store.base, sender)[-1]["metadata"]["answer_id"] == SKILLS
    replies = post(store.base, sender, rate(SKILLS, False, "nothing about pay"))
    assert len(replies) == 1 and "Sorry" in replies[0]["text"]
    assert [b["payload"] for b in replies[0]["buttons"]] == [HUMAN_PAYLOAD]
    assert bots(store.base, sender)[-1]["metadata"]["answer_id"] == contract.FEEDBACK_OFFER_HUMAN
    again = post(store.base, sender, rate(SKILLS, False))
    assert len(again) == 1 and not again[0].get("buttons"), "the person is offered once"
    contact = post(store.base, sender, HUMAN_PAYLOAD)
    assert knowledge.contact.email in contact[0]["text"]
    assert bots(store.base, sender)[-1]["metadata"]["answer_id"] == contract.HANDOFF
    # The contact comes as metadata over the widget's channel (Rasa's REST reply has none;
    # the store redacts every event's metadata, so it keeps [EMAIL] and [PHONE] there).
    [widget] = widget_post(store.base, new_sender(), "can I talk to a person?")
    assert widget["answer_id"] == contract.HANDOFF
    assert widget["contact"] == {k: v for k, v in knowledge.contact.dict().items() if v is not None}


def test_helpful_is_acknowledged(store: Store) -> None:
    sender = new_sender()
    post(store.base, sender, "what is alert fatigue?")
    given = bots(store.base, sender)[-1]["metadata"]["answer_id"]
    replies = post(store.base, sender, rate(given, True))
    assert len(replies) == 1 and replies[0]["text"] and not replies[0].get("buttons")


@pytest.mark.parametrize("first, follow_up", [
    ("what does a clinical informaticist do?", "what skills do they need?"),
    ("what does an AI ethicist do?", "and day to day?"),
])
@pytest.mark.parametrize("helpful", [True, False])
def test_a_rating_changes_neither_the_context_nor_the_next_answer(
        store: Store, first: str, follow_up: str, helpful: bool) -> None:
    plain, rated = new_sender(), new_sender()
    expected = talk(store.base, plain, first, follow_up)[-1]
    post(store.base, rated, first)
    given = bots(store.base, rated)[-1]["metadata"]["answer_id"]
    before = slots(store.base, rated)
    post(store.base, rated, rate(given, helpful, "rated in between"))
    assert slots(store.base, rated) == before
    assert without_recipient(post(store.base, rated, follow_up)) == without_recipient(expected)
    assert bots(store.base, rated)[-1]["metadata"]["answer_id"] == bots(store.base, plain)[-1]["metadata"]["answer_id"]
    assert slots(store.base, rated) == slots(store.base, plain)


def ignored_ratings(store: Store, sender: str, seconds: float = 10.0) -> List[str]:
    """The actions log's "Rating ignored" lines for `sender`: the server writes its log after it
    has answered, so a busy machine may show the line a moment after the reply."""
    deadline = time.monotonic() + seconds
    while True:
        log = store.started.actions_log.read_text()
        lines = [line for line in log.splitlines() if "Rating ignored" in line and sender in line]
        if lines or time.monotonic() > deadline:
            return lines
        time.sleep(0.1)


def test_a_rating_of_an_answer_not_given_is_ignored_and_logged(store: Store) -> None:
    sender = new_sender()
    post(store.base, sender, "what does a regulatory specialist do?")
    assert post(store.base, sender, rate("concept.nlp", False, "my private remark")) == []
    lines = ignored_ratings(store, sender)
    log = store.started.actions_log.read_text()
    assert len(lines) == 1 and "concept.nlp" in lines[0] and "WARNING" in lines[0]
    assert "my private remark" not in log


def test_two_clarifications_in_a_row_offer_a_person(store: Store) -> None:
    sender = new_sender()
    first, second = talk(store.base, sender, "hmm", "blorp?")
    given = [b["metadata"]["answer_id"] for b in bots(store.base, sender)]
    assert given == [contract.CLARIFY, contract.CLARIFY]
    assert HUMAN_PAYLOAD not in [b["payload"] for b in first[0]["buttons"]]
    assert HUMAN_PAYLOAD in [b["payload"] for b in second[0]["buttons"]]


def report(store: Store, out: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "admin", "--endpoints", str(store.started.endpoints), "report",
                           "--out", str(out), *args], cwd=ROOT, env=launch.environment(),
                          capture_output=True, text=True, timeout=300)


def test_the_report_from_real_conversations(store: Store) -> None:
    rated, asker = new_sender(), new_sender()
    talk(store.base, rated, "what does a clinical informaticist do?", "what skills do they need?",
         rate(SKILLS, False, "<script>alert(1)</script> nothing about pay"), HUMAN_PAYLOAD)
    post(store.base, rated, rate("concept.nlp", False, "foreign"))
    # A long conversation: the tracker store loads only a recent window (CODECARE_TRACKER_WINDOW),
    # the first answer is older than it; the report reads the whole conversation.
    long = new_sender()
    talk(store.base, long, "what is alert fatigue?", "what does an AI ethicist do?", "what skills do they need?",
         "and day to day?", "what is NLP?", "what does a regulatory specialist do?")
    first = bots(store.base, long)[0]["metadata"]["answer_id"]
    assert post(store.base, long, rate(first, False, "older than the window")), "a known answer gets its reply"
    post(store.base, long, rate("concept.ehr", False, "never given"))
    for question in NOT_COVERED:
        post(store.base, asker, question)
    answered = [b["metadata"]["answer_id"] for b in bots(store.base, asker)]
    assert answered == [contract.NOT_COVERED] * len(NOT_COVERED), answered
    today = datetime.now(timezone.utc).date()
    out = store.work / "report" / "index.html"
    done = report(store, out, "--since", today.isoformat(), "--until", today.isoformat())
    assert done.returncode == 0, done.stderr[-2000:]
    assert str(out) in done.stdout and "answers.csv" in done.stdout
    html = out.read_text()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; nothing about pay" in html and "<script" not in html
    answers = {r["answer_id"]: r for r in csv.DictReader((out.parent / "answers.csv").open())}
    skills = answers[SKILLS]
    assert int(skills["not_helpful"]) >= 1 and int(skills["given"]) >= 1
    assert "what skills do they need?" in skills["questions_not_helpful"]
    assert "<script>alert(1)</script> nothing about pay" in skills["comments"]
    exported = (out.parent / "answers.csv").read_text()
    assert "foreign" not in exported and "never given" not in exported, "a rating of an answer not given is not counted"
    assert "older than the window" in answers[first]["comments"] and int(answers[first]["not_helpful"]) >= 1
    groups = list(csv.DictReader((out.parent / "not_covered.csv").open()))
    group_of = {g["wording"]: g["group"] for g in groups}
    assert group_of[NOT_COVERED[0]] == group_of[NOT_COVERED[1]] != group_of[NOT_COVERED[2]] == group_of[NOT_COVERED[3]]
    sizes = [int(g["group_times"]) for g in groups]
    assert sizes == sorted(sizes, reverse=True), "largest groups first"
    handoffs = dict(csv.reader((out.parent / "handoffs.csv").open()))
    assert int(handoffs[today.isoformat()]) >= 1
    tomorrow = (today + timedelta(days=1)).isoformat()
    later = store.work / "later" / "index.html"
    assert report(store, later, "--since", tomorrow).returncode == 0
    assert "0 questions so far" in later.read_text()
    assert list(csv.reader((later.parent / "answers.csv").open()))[1:] == []
    bad = report(store, later, "--since", "2026-02-30")
    assert bad.returncode == 2 and "is not a date like" in bad.stderr
