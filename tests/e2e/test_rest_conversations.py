"""End to end: the real action server and Rasa server, graded over the REST channel."""
from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
import uuid
from pathlib import Path
from typing import Iterator

import pytest

from tests.conftest import ROOT
from tests.support.rasa_cli import API_TOKEN, servers, tracker_events

GRADER = ROOT / "tests" / "e2e" / "grade.py"
CONVERSATIONS = ROOT / "tests" / "conversations"
ACCURACY_MIN = 0.95
CATEGORY_MIN = 0.90


@pytest.fixture(scope="module")
def server(trained_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Both servers as `make run` starts them (codecare/launch.py) on free loopback ports;
    yield the Rasa base URL."""
    work = tmp_path_factory.mktemp("servers")
    with servers(trained_model, work, endpoints={"tracker_store": {"url": f"sqlite:///{work / 'e2e.db'}"}}) as started:
        yield started.base


def grade(base: str, cases: Path, out: Path) -> dict:
    done = subprocess.run([sys.executable, str(GRADER), base, API_TOKEN, "--cases", str(cases), "--json", str(out),
                           "--verbose"], capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    print(done.stderr, done.stdout)  # the failed turns, then the summary: shown when a test fails
    return json.loads(out.read_text())


def post(base: str, sender: str, message: str) -> list:
    request = urllib.request.Request(f"{base}/webhooks/rest/webhook",
                                     data=json.dumps({"sender": sender, "message": message}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def test_reply_carries_text_buttons_and_metadata(server: str) -> None:
    sender = f"e2e-{uuid.uuid4().hex[:8]}"
    replies = post(server, sender, "what does a regulatory specialist do?")
    assert len(replies) == 1
    assert "FDA" in replies[0]["text"] and "Source:" in replies[0]["text"]
    assert 2 <= len(replies[0]["buttons"]) <= 3
    events = tracker_events(server, sender)
    bot = [e for e in events if e["event"] == "bot"]
    assert bot[-1]["metadata"]["answer_id"] == "role.regulatory_specialist.duties"
    assert bot[-1]["metadata"]["source"] == "Regulatory and Compliance Specialists"


def test_a_button_payload_gives_its_answer(server: str) -> None:
    sender = f"e2e-{uuid.uuid4().hex[:8]}"
    first = post(server, sender, "what is predictive analytics")
    payload = first[0]["buttons"][0]["payload"]
    second = post(server, sender, payload)
    assert second and second[0]["text"] != first[0]["text"]


# Realistic consultations and the other kinds of message (tests/conversations/README.md):
# written by helpers who never saw data/ or tests/; a third of each was set aside before
# anyone looked at it and never tuned on. These floors guard against regressions below the
# figures measured in docs; they are below the product's targets, which are not yet met.
REALISTIC_FLOORS = {
    "consult_dev.yml": 0.92,  # session 7's question shapes: 178/190
    "kinds_dev.yml": 0.94,  # 189/196 at session 7's end; 187/196 after session 8's NLU data
    "consult_reserved.yml": 0.75,
    "kinds_reserved.yml": 0.84,  # session 6's end: 86/102; session 7's: 87/102
    # a later set, never read until session 7 released it for tuning (first run 121/142, 82/103;
    # 118/142 after session 6's role rule; 139/142 and 91/103 after session 7's question shapes)
    "consult_unseen.yml": 0.94,  # 137/142 at session 7's end; 135/142 with session 8's final model
    "kinds_unseen.yml": 0.87,
    # a third set, written for session 7 by a helper who never saw the code, data or tests, run
    # before and after session 7's work and never read (its dev part may be tuned on later):
    # consultations 78/88 dev, 34/42 reserved; other kinds 65/73 dev, 35/41 reserved
    "consult_third_dev.yml": 0.88,  # session 8: 80/88
    "consult_third_reserved.yml": 0.78,
    "kinds_third_dev.yml": 0.90,  # session 8: 68/73
    "kinds_third_reserved.yml": 0.82,
    # a fourth set, written for session 8 by helpers who never saw the code, data or tests;
    # first run (before session 8): consultations 132/168 dev, 66/83 reserved; other kinds
    # 68/83 dev, 32/41 reserved. After: 148/168, 68/83; 74/83, 32/41. Dev tuned on, reserved never read.
    "consult_fourth_dev.yml": 0.86,
    "consult_fourth_reserved.yml": 0.80,
    "kinds_fourth_dev.yml": 0.88,
    "kinds_fourth_reserved.yml": 0.75,  # 33/41 after session 9
    # a fifth set, written for session 9 by helpers who never saw the code, data or tests;
    # first run (before session 9): consultations 143/175 dev, 73/86 reserved; other kinds
    # 60/72 dev, 28/36 reserved. After: 149/175, 74/86; 65/72, 29/36. Dev tuned on, reserved never read.
    "consult_fifth_dev.yml": 0.82,
    "consult_fifth_reserved.yml": 0.82,
    "kinds_fifth_dev.yml": 0.86,
    "kinds_fifth_reserved.yml": 0.75,
    # session 6's own roles-by-their-work and concept questions; the aside third never tuned on
    "work_own_tune.yml": 0.92,
    "work_own_aside.yml": 0.84,
}


@pytest.mark.parametrize("name", sorted(REALISTIC_FLOORS))
def test_realistic_set_stays_above_its_measured_floor(server: str, tmp_path: Path, name: str) -> None:
    result = grade(server, CONVERSATIONS / name, tmp_path / "grade.json")
    print(name, result["accuracy"], result["by_category"])
    assert result["accuracy"] >= REALISTIC_FLOORS[name], result["fails"]


@pytest.mark.parametrize("name", ["samples.yml", "holdout.yml", "blind.yml"])
def test_conversation_set_is_answered_correctly(server: str, tmp_path: Path, name: str) -> None:
    result = grade(server, CONVERSATIONS / name, tmp_path / "grade.json")
    assert result["accuracy"] >= ACCURACY_MIN, result["fails"]
    for category, score in result["by_category"].items():
        passed, graded = map(int, score.split("/"))
        assert passed / graded >= CATEGORY_MIN, (category, score, result["fails"])
        if category == "medical_advice":
            assert passed == graded, ("every medical-advice request must be declined", result["fails"])
