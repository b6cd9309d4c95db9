"""One authenticated door: with a signing key set, the real server (launched as `make run`
launches it, debug logs, the project's tracker store on SQLite) takes a message on no
channel (`rest`, `socketio`, the widget's `codecare`) without a verified identity, and a
verified user can speak only as themselves. Also: sender ids validated everywhere,
audience/issuer/lifetime checked, an email identity stored and logged only as its keyed
hash and erased by address, replies not cached, deep JSON refused politely."""
from __future__ import annotations

import json
import sqlite3
import subprocess
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Tuple

import jwt
import pytest
import socketio
import yaml

from codecare import launch
from tests.conftest import ROOT
from tests.support.rasa_cli import servers as launched

SECRET = "door-test-signing-secret-" + "d" * 24
HASH_KEY = "door-test-sender-hash-key-" + "h" * 24
AUDIENCE, ISSUER = "codecare", "https://sso.example-hospital.test"
API_TOKEN = "door-test-api-token"
VICTIM_EMAIL = "dr.victim@example-hospital.org"
WARFARIN = '/ask_about{"topic":"concept.nlp"} what dose of warfarin should I take'
BROKEN = '/ask_about{"topic":"fallback.unavailable"}'
ENV = {"CODECARE_JWT_SECRET": SECRET, "CODECARE_SENDER_HASH_KEY": HASH_KEY,
       "CODECARE_JWT_AUDIENCE": AUDIENCE, "CODECARE_JWT_ISSUER": ISSUER}


@dataclass
class Door:
    base: str
    log: Path
    db: Path
    endpoints: Path

    def post(self, channel: str, payload: Any, headers: Optional[Dict[str, str]] = None
             ) -> Tuple[int, Dict[str, str], Any]:
        import urllib.error
        import urllib.request

        body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        request = urllib.request.Request(f"{self.base}/webhooks/{channel}/webhook", data=body, method="POST",
                                         headers={"Content-Type": "application/json", **(headers or {})})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                status, reply, raw = response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            status, reply, raw = error.code, error.headers, error.read()
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = raw.decode(errors="replace")
        return status, {k.lower(): v for k, v in reply.items()}, parsed

    def events(self, sender: str, include: str = "AFTER_RESTART") -> List[Dict[str, Any]]:
        import urllib.request

        url = f"{self.base}/conversations/{sender}/tracker?include_events={include}&token={API_TOKEN}"
        with urllib.request.urlopen(url, timeout=30) as response:
            return json.loads(response.read())["events"]

    def user_texts(self, sender: str) -> List[str]:
        return [e.get("text") for e in self.events(sender) if e["event"] == "user"]

    def answer_ids(self, sender: str) -> List[str]:
        return [(e.get("metadata") or {}).get("answer_id") for e in self.events(sender) if e["event"] == "bot"]

    def stored_senders(self) -> List[str]:
        with sqlite3.connect(self.db) as connection:
            return [row[0] for row in connection.execute("select distinct sender_id from events")]


@pytest.fixture(scope="module")
def door(trained_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Door]:
    work = tmp_path_factory.mktemp("door")
    db = work / "trackers.db"
    credentials = work / "credentials.yml"
    config = yaml.safe_load((ROOT / "credentials.yml").read_text())
    assert {"server.channels.rest.RestInput", "server.channels.socketio.SocketIOInput",
            "server.channels.codecare.CodeCareInput"} <= config.keys()
    config["server.channels.socketio.SocketIOInput"]["allowed_origins"] = ["https://intranet.example-hospital.test"]
    credentials.write_text(yaml.safe_dump(config))
    with launched(trained_model, work, env=ENV, auth_token=API_TOKEN, rasa_args=["--debug"],
                  credentials=credentials, endpoints={"tracker_store": {"url": f"sqlite:///{db}"}}) as started:
        yield Door(started.base, started.rasa_log, db, started.endpoints)


def token(subject: str, lifetime: int = 300, **claims: Any) -> str:
    now = int(time.time())
    return jwt.encode({"sub": subject, "iat": now, "exp": now + lifetime, "aud": AUDIENCE, "iss": ISSUER,
                       **claims}, SECRET, algorithm="HS256")


def bearer(subject: str, **claims: Any) -> Dict[str, str]:
    return {"Authorization": f"Bearer {token(subject, **claims)}"}


def user() -> str:
    return "user-" + uuid.uuid4().hex[:8]


# --- rest ---------------------------------------------------------------------------------

def test_rest_without_a_token_is_401_and_stores_nothing(door: Door) -> None:
    victim = user()
    status, headers, _ = door.post("rest", {"sender": victim, "message": "hello"})
    assert status == 401 and headers["www-authenticate"].startswith("Bearer")
    assert headers["cache-control"] == "no-store"
    assert victim not in door.stored_senders()


def test_rest_with_a_token_cannot_speak_or_restart_as_another_user(door: Door) -> None:
    victim, attacker = user(), user()
    assert door.post("codecare", {"message": "what does an AI ethicist do?"}, bearer(victim))[0] == 200
    before = door.events(victim)
    for message in ("what does a regulatory specialist do?", "/restart"):
        status, _, reply = door.post("rest", {"sender": victim, "message": message}, bearer(attacker))
        assert status == 403, reply
    assert door.events(victim) == before
    assert attacker not in door.stored_senders()


def test_rest_speaks_as_the_token_and_cannot_claim_another_channel(door: Door) -> None:
    alice = user()
    status, headers, reply = door.post("rest", {"message": "what does an AI ethicist do?",
                                                "input_channel": "codecare"}, bearer(alice))
    assert status == 200 and reply and headers["cache-control"] == "no-store"
    users = [e for e in door.events(alice) if e["event"] == "user"]
    assert [e["text"] for e in users] == ["what does an AI ethicist do?"]
    assert users[0]["input_channel"] == "rest"
    assert door.post("rest", {"sender": alice, "message": "hello"}, bearer(alice))[0] == 200


@pytest.mark.parametrize("channel", ["rest", "codecare"])
def test_a_long_or_odd_sender_is_400_on_every_http_channel(door: Door, channel: str) -> None:
    alice = user()
    for sender in ("x" * 300, "a b", "../etc"):
        status, _, reply = door.post(channel, {"sender": sender, "message": "hello"}, bearer(alice))
        assert status == 400 and "sender" in json.dumps(reply), (sender, reply)
    assert not [s for s in door.stored_senders() if len(s) > 128]


@pytest.mark.parametrize("channel", ["rest", "codecare"])
@pytest.mark.parametrize("claims, reason", [
    ({"aud": "payroll"}, "audience"),
    ({"iss": "https://evil.test"}, "issuer"),
    ({"aud": None}, "'aud'"),
    ({"exp": 4102444800}, "lives longer"),  # the year 2100
    ({"sub": "x" * 300}, "'sub' must be"),
])
def test_audience_issuer_lifetime_and_subject_are_checked(door: Door, channel: str,
                                                          claims: Dict[str, Any], reason: str) -> None:
    payload = {"sub": user(), "iat": int(time.time()), "exp": int(time.time()) + 300, "aud": AUDIENCE,
               "iss": ISSUER, **claims}
    payload = {k: v for k, v in payload.items() if v is not None}
    status, _, reply = door.post(channel, {"message": "hello"},
                                 {"Authorization": "Bearer " + jwt.encode(payload, SECRET, algorithm="HS256")})
    assert status == 401 and reason in json.dumps(reply), reply


# --- the widget's channel -------------------------------------------------------------------

def test_the_widget_channel_keeps_its_rules_and_does_not_cache(door: Door) -> None:
    alice, bob = user(), user()
    assert door.post("codecare", {"message": "hello"})[0] == 401
    assert door.post("codecare", {"message": "hello", "sender": bob}, bearer(alice))[0] == 403
    status, headers, reply = door.post("codecare", {"message": "hello", "token": token(alice)})
    assert status == 200 and reply["sender"] == alice and headers["cache-control"] == "no-store"


@pytest.mark.parametrize("channel", ["codecare", "rest"])
def test_deeply_nested_json_is_400_not_500(door: Door, channel: str) -> None:
    body = b'{"message": "hi", "extra": ' + b"[" * 10_000 + b"]" * 10_000 + b"}"
    assert door.post(channel, body, bearer(user()))[0] == 400
    assert door.post(channel, b"[" * 10_000 + b"]" * 10_000, bearer(user()))[0] == 400


# --- payloads -------------------------------------------------------------------------------

def test_a_payload_not_offered_is_read_as_text_so_the_medical_guard_applies(door: Door) -> None:
    alice = user()
    status, _, reply = door.post("codecare", {"message": WARFARIN}, bearer(alice))
    assert status == 200 and reply["messages"][0]["answer_id"] == "fallback.medical_advice", reply
    status, _, reply = door.post("codecare", {"message": BROKEN}, bearer(alice))
    assert status == 200 and reply["messages"]
    assert all(m.get("answer_id") != "fallback.unavailable" for m in reply["messages"]), reply
    bob = user()  # the same over rest, read back from the store
    assert door.post("rest", {"message": WARFARIN}, bearer(bob))[0] == 200
    assert door.answer_ids(bob) == ["fallback.medical_advice"]


def test_an_offered_button_works_and_only_while_offered(door: Door) -> None:
    alice = user()
    reply = door.post("codecare", {"message": "what does an AI ethicist do?"}, bearer(alice))[2]
    buttons = [b["payload"] for m in reply["messages"] for b in m["buttons"] if b["payload"].startswith("/ask_about")]
    assert buttons, reply
    topic = json.loads(buttons[0][len("/ask_about"):])["topic"]
    status, _, followed = door.post("codecare", {"message": buttons[0]}, bearer(alice))
    assert status == 200 and followed["messages"][0]["answer_id"] == topic, followed
    assert door.user_texts(alice)[-1] == buttons[0]  # taken as the payload it is
    door.post("codecare", {"message": WARFARIN}, bearer(alice))
    assert door.user_texts(alice)[-1] == WARFARIN[1:]  # not offered: read as text


def test_restart_works_on_ones_own_conversation(door: Door) -> None:
    alice = user()
    door.post("codecare", {"message": "what does an AI ethicist do?"}, bearer(alice))
    assert door.post("codecare", {"message": "/restart"}, bearer(alice))[0] == 200
    assert "restart" in [e["event"] for e in door.events(alice, "ALL")]
    assert door.user_texts(alice) == []  # what the assistant remembers starts afresh


# --- Socket.IO ------------------------------------------------------------------------------

def connect(door: Door, auth: Optional[Dict[str, str]] = None,
            origin: Optional[str] = None) -> Tuple[socketio.Client, "list[Any]"]:
    answers: List[Any] = []
    client = socketio.Client(reconnection=False)
    client.on("bot_uttered", answers.append)
    client.connect(door.base, transports=["polling"], socketio_path="socket.io", auth=auth,
                   headers={"Origin": origin} if origin else {}, wait_timeout=20)
    return client, answers


def say_over_socketio(door: Door, auth: Dict[str, str], origin: Optional[str] = None,
                      text: str = "hello") -> "list[Any]":
    """Connect, say `text`, wait up to a minute for the answer, disconnect: the answers."""
    client, answers = connect(door, auth, origin)
    try:
        client.emit("user_uttered", {"message": text})
        deadline = time.monotonic() + 60
        while not answers and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        client.disconnect()
    return answers


@pytest.mark.parametrize("auth, origin", [
    (None, None),
    ({"token": "garbage"}, None),
    ({"token": jwt.encode({"sub": "mallory", "exp": int(time.time()) + 300, "iat": int(time.time())},
                          "another-secret-" + "y" * 24, algorithm="HS256")}, None),
    ("good", "https://evil.example.org"),
    ("good", "null"),
])
def test_socketio_refuses_a_missing_or_bad_token_and_a_foreign_or_null_origin(
        door: Door, auth: Any, origin: Optional[str]) -> None:
    if auth == "good":
        auth = {"token": token(user())}
    with pytest.raises(socketio.exceptions.ConnectionError):
        client, _ = connect(door, auth, origin)
        client.disconnect()


def test_socketio_speaks_as_the_token_whatever_session_id_it_claims(door: Door) -> None:
    alice, victim = user(), user()
    assert door.post("codecare", {"message": "what does an AI ethicist do?"}, bearer(victim))[0] == 200
    before = door.events(victim)
    client, answers = connect(door, {"token": token(alice)}, "https://intranet.example-hospital.test")
    try:
        client.emit("user_uttered", {"message": "what does a clinical informaticist do?", "session_id": victim})
        client.emit("user_uttered", {"message": "hello", "session_id": "x" * 300})
        deadline = time.monotonic() + 60
        while len(answers) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        client.disconnect()
    assert len(answers) >= 2, answers
    assert door.user_texts(alice) == ["what does a clinical informaticist do?", "hello"]
    assert door.events(victim) == before
    assert not [s for s in door.stored_senders() if len(s) > 128]


def test_socketio_from_this_host_with_a_token_is_answered(door: Door) -> None:
    alice = user()
    answers = say_over_socketio(door, {"token": token(alice)}, door.base)
    assert answers and door.user_texts(alice) == ["hello"]


# --- an email identity ----------------------------------------------------------------------

def test_an_email_identity_is_stored_and_logged_only_as_its_hash_and_erased_by_address(door: Door) -> None:
    from server.channels.auth import hash_sender

    hashed = hash_sender(VICTIM_EMAIL, HASH_KEY)
    status, _, reply = door.post("codecare", {"message": "what does an AI ethicist do?"}, bearer(VICTIM_EMAIL))
    assert status == 200 and reply["sender"] == hashed
    say_over_socketio(door, {"token": token(VICTIM_EMAIL)})
    assert door.post("rest", {"message": "hello", "sender": VICTIM_EMAIL}, bearer(VICTIM_EMAIL))[0] == 200
    assert len(door.user_texts(hashed)) == 3
    time.sleep(1)  # the debug log is written by the server process
    for where in [door.log, *door.db.parent.glob(door.db.name + "*")]:  # with SQLite's -wal, -journal
        data = where.read_bytes().lower()
        assert VICTIM_EMAIL.encode() not in data and b"dr.victim" not in data, where
    assert hashed in door.stored_senders()

    erase = [launch.PYTHON, "-m", "admin", "--endpoints", str(door.endpoints), "erase", VICTIM_EMAIL.upper()]
    without_key = subprocess.run(erase, cwd=ROOT, env=launch.environment({"CODECARE_SENDER_HASH_KEY": ""}),
                                 capture_output=True, text=True, timeout=300)
    assert without_key.returncode == 2 and "CODECARE_SENDER_HASH_KEY" in without_key.stderr
    done = subprocess.run(erase, cwd=ROOT, env=launch.environment({"CODECARE_SENDER_HASH_KEY": HASH_KEY}),
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert hashed in done.stdout and " 0 events" not in done.stdout, done.stdout
    assert hashed not in door.stored_senders()


def test_socketio_polling_responses_are_not_cached(door: Door) -> None:
    import urllib.request

    with urllib.request.urlopen(f"{door.base}/socket.io/?EIO=4&transport=polling", timeout=30) as response:
        assert response.status == 200 and response.headers["Cache-Control"] == "no-store"
