"""Length limit, body size limit, PII redaction, the action server's secret and the HTTP API token,
against the real servers (tests/security/conftest.py)."""
from __future__ import annotations

import json
import sqlite3
import uuid

import psutil

from codecare import settings
from tests.security.conftest import ACTION_TOKEN, API_TOKEN, MAX_BODY, Servers, post_json, request

DATA_SCIENTIST = "role.medical_data_scientist.duties"


def sender() -> str:
    return f"sec-{uuid.uuid4().hex[:10]}"


def rest(servers: Servers, who: str, text) -> list:
    status, body = post_json(f"{servers.base}/webhooks/rest/webhook", {"sender": who, "message": text})
    assert status == 200, body
    return body


def last_answer_id(servers: Servers, who: str) -> str:
    return [e for e in servers.tracker(who)["events"] if e["event"] == "bot"][-1]["metadata"]["answer_id"]


def test_a_message_over_the_limit_gets_the_polite_reply_without_a_model_run(servers: Servers, knowledge) -> None:
    who = sender()
    replies = rest(servers, who, "what does a data scientist do? " * 80)  # 2,560 characters
    assert [r["text"] for r in replies] == [knowledge.entry("fallback.too_long").text.strip()]
    events = servers.tracker(who)["events"]
    user = [e for e in events if e["event"] == "user"][-1]
    assert user["parse_data"]["intent"]["name"] == "message_too_long"
    assert len(user["text"]) < 100 and "data scientist" not in user["text"]
    assert last_answer_id(servers, who) == "fallback.too_long"
    rest(servers, who, "what does a data scientist do?")
    assert last_answer_id(servers, who) == DATA_SCIENTIST


def test_a_message_at_the_limit_is_answered(servers: Servers) -> None:
    who = sender()
    text = "what does a data scientist do?"
    rest(servers, who, text + " " * 0 + "." * (settings.max_message_chars() - len(text)))
    assert last_answer_id(servers, who) != "fallback.too_long"


def test_the_codecare_channel_refuses_a_long_message_before_the_model(servers: Servers) -> None:
    # the same limit in the widget's channel (server/channels/codecare.py): a JSON 413 the widget shows
    status, body = post_json(f"{servers.base}/webhooks/codecare/webhook", {"sender": sender(), "message": "x" * 5000})
    assert status == 413 and f"longer than {settings.max_message_chars()}" in body["error"]


def test_a_body_over_the_size_limit_is_refused(servers: Servers) -> None:
    payload = json.dumps({"sender": sender(), "message": "a" * (MAX_BODY + 10)}).encode()
    for path in ("/webhooks/rest/webhook", "/webhooks/codecare/webhook"):
        status, _ = request(servers.base + path, payload, {"Content-Type": "application/json"})
        assert status == 413


PII_MESSAGE = ("My name is Dana Whitfield, dana.whitfield@example.org, 415-555-0132, SSN 536-22-8726, "
               "MRN: 00912345, born on 03/14/1988. What does a data scientist do?")
SECRETS = ["Whitfield", "dana.whitfield@example.org", "415-555-0132", "536-22-8726", "00912345", "03/14/1988"]


def test_personal_data_never_reaches_the_store_or_the_logs_and_the_question_is_answered(servers: Servers) -> None:
    who, widget_user = sender(), sender()
    rest(servers, who, PII_MESSAGE)
    assert last_answer_id(servers, who) == DATA_SCIENTIST
    status, body = post_json(f"{servers.base}/webhooks/codecare/webhook", {"sender": widget_user, "message": PII_MESSAGE})
    assert status == 200 and body["messages"][0]["answer_id"] == DATA_SCIENTIST
    user = [e for e in servers.tracker(who)["events"] if e["event"] == "user"][-1]
    assert "[EMAIL]" in user["text"] and "[NAME]" in user["text"] and "[SSN]" in user["text"]
    with sqlite3.connect(servers.db) as db:
        stored = "\n".join(row[0] for row in db.execute("SELECT data FROM events"))
    assert "[EMAIL]" in stored
    log = servers.rasa_log.read_text(errors="replace")
    assert "[EMAIL]" in log  # the debug log shows the messages, redacted
    for secret in SECRETS:
        assert secret not in stored, secret
        assert secret not in log, secret


API_PII = "I'm Dana Whitfield, call me on 415-555-0132 or write to dana.whitfield@example.org"
API_SECRETS = ["Whitfield", "415-555-0132", "dana.whitfield@example.org"]


def test_personal_data_that_bypasses_the_channels_never_reaches_the_store_or_the_logs(servers: Servers) -> None:
    """Rasa's HTTP API adds a message without any channel: the tracker store and the log
    filter redact it all the same."""
    who = sender()
    status, body = post_json(f"{servers.base}/conversations/{who}/messages?token={API_TOKEN}",
                             {"text": API_PII, "sender": "user"})
    assert status == 200, body
    user = [e for e in servers.tracker(who)["events"] if e["event"] == "user"][-1]
    assert user["text"] == "I'm [NAME], call me on [PHONE] or write to [EMAIL]"
    with sqlite3.connect(servers.db) as db:
        stored = "\n".join(row[0] for row in db.execute("SELECT data FROM events WHERE sender_id = ?", (who,)))
    log = servers.rasa_log.read_text(errors="replace")
    assert "[PHONE]" in stored
    for secret in API_SECRETS:
        assert secret not in stored, secret
        assert secret not in log, secret


def test_every_safety_layer_is_in_force(servers: Servers) -> None:
    status, body = request(f"{servers.base}/webhooks/health/ready")
    assert status == 200, body
    assert "SAFETY LAYER MISSING" not in servers.rasa_log.read_text(errors="replace")


def test_the_http_api_needs_its_token(servers: Servers) -> None:
    status, _ = request(f"{servers.base}/conversations/anyone/tracker")
    assert status == 401
    status, _ = request(f"{servers.base}/conversations/anyone/tracker?token=wrong")
    assert status == 401


def test_the_action_server_needs_the_shared_secret_and_listens_on_loopback_only(servers: Servers) -> None:
    call = json.dumps({"next_action": "action_answer", "sender_id": "x", "tracker": {}, "domain": {}}).encode()
    headers = {"Content-Type": "application/json"}
    assert request(f"{servers.actions}/webhook", call, headers)[0] == 401
    assert request(f"{servers.actions}/webhook", call, {**headers, "X-Codecare-Action-Token": "nope"})[0] == 401
    assert request(f"{servers.actions}/webhook?token=nope", call, headers)[0] == 401
    assert request(f"{servers.actions}/actions")[0] == 401
    assert request(f"{servers.actions}/health")[0] == 200
    assert request(f"{servers.actions}/actions?token={ACTION_TOKEN}")[0] == 200
    assert request(f"{servers.actions}/actions", headers={"X-Codecare-Action-Token": ACTION_TOKEN})[0] == 200
    listening = {c.laddr.ip for c in psutil.Process(servers.action.pid).connections("tcp") if c.status == "LISTEN"}
    assert listening == {"127.0.0.1"}


def _headers(url: str, body: bytes = None, headers: dict = None, method: str = None) -> tuple:
    import urllib.error
    import urllib.request
    req = urllib.request.Request(url, data=body, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=60) as response:
            return response.status, response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.headers


def test_no_origin_is_allowed_by_default_and_never_any(servers: Servers) -> None:
    evil = {"Origin": "https://evil.example", "Content-Type": "application/json"}
    body = json.dumps({"sender": sender(), "message": "hi"}).encode()
    status, headers = _headers(f"{servers.base}/webhooks/rest/webhook", body, evil)
    assert status == 200 and "Access-Control-Allow-Origin" not in headers
    status, headers = _headers(f"{servers.base}/webhooks/codecare/webhook", body, evil)
    assert status == 403 and "Access-Control-Allow-Origin" not in headers
    status, headers = _headers(f"{servers.base}/webhooks/rest/webhook", None,
                               {**evil, "Access-Control-Request-Method": "POST"}, method="OPTIONS")
    assert headers.get("Access-Control-Allow-Origin") in (None, "")
    status, headers = _headers(f"{servers.actions}/health", None, evil)
    assert status == 200 and "Access-Control-Allow-Origin" not in headers
