"""The codecare channel over HTTP, against the real Rasa server and action server.

Also checks that Rasa's standard rest and socketio channels keep working beside it, the
socketio one with the events a third-party widget (rasa-webchat) sends.
"""
from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pytest
import socketio

from server.channels.assets import DEMO_CSP
from server.channels.codecare import CodeCareInput
from tests.channels.servers import Servers, post, request, running

INTRANET = "http://intranet.test"
WIDGET_BUDGET_BYTES = 40 * 1024


@pytest.fixture(scope="module")
def servers(trained_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    with running(trained_model, tmp_path_factory.mktemp("channel"), allowed_origins=[INTRANET]) as started:
        yield started


def sender() -> str:
    return str(uuid.uuid4())


def user_texts(servers: Servers, conversation: str) -> List[str]:
    _, _, raw = request(servers.tracker_url(conversation))
    return [e.get("text") for e in json.loads(raw)["events"] if e["event"] == "user"]


def test_a_question_returns_the_answer_its_source_and_buttons(servers: Servers) -> None:
    me = sender()
    status, _, reply = post(servers, {"sender": me, "message": "what does a clinical informaticist do?"})
    assert status == 200 and reply["sender"] == me
    [message] = reply["messages"]
    assert message["answer_id"] == "role.clinical_informaticist.duties"
    assert message["source"] == "2. The Interpreters: Clinical Informaticists and AI Liaisons"
    assert "bridge the gap" in message["text"] and "\n\nSource: " in message["text"]
    assert [b["title"] for b in message["buttons"]] == [
        "Informaticist skills", "Informaticist example", "EHR systems"]
    assert message["buttons"][0]["payload"] == '/ask_about{"topic": "role.clinical_informaticist.skills"}'


def test_a_button_payload_gives_its_answer_in_context(servers: Servers) -> None:
    me = sender()
    first = post(servers, {"sender": me, "message": "what does a clinical informaticist do?"})[2]
    payload = first["messages"][0]["buttons"][0]["payload"]
    second = post(servers, {"sender": me, "message": payload})[2]
    assert second["messages"][0]["answer_id"] == "role.clinical_informaticist.skills"
    follow_up = post(servers, {"sender": me, "message": "can you give me an example?"})[2]
    assert follow_up["messages"][0]["answer_id"] == "role.clinical_informaticist.example"


def test_a_comparison_names_its_roles(servers: Servers) -> None:
    reply = post(servers, {"sender": sender(), "message": "compare a data scientist and an ethicist"})[2]
    assert reply["messages"][0]["answer_id"] == "role.compare"
    assert reply["messages"][0]["roles"] == ["medical_data_scientist", "ai_ethicist"]


@pytest.mark.parametrize("body, status, reason", [
    (b"not json", 400, "must be JSON"),
    (b"[1, 2]", 400, "JSON object"),
    ({"message": "hello"}, 400, "'sender'"),
    ({"sender": "two words", "message": "hello"}, 400, "'sender'"),
    ({"sender": "x" * 129, "message": "hello"}, 400, "'sender'"),
    ({"sender": "me", "message": "   "}, 400, "'message'"),
    ({"sender": "me", "message": 42}, 400, "'message'"),
    ({"sender": "me", "message": "a" * 1001}, 413, "longer than 1000"),
])
def test_a_malformed_request_is_refused_with_a_reason(servers: Servers, body: Any, status: int,
                                                       reason: str) -> None:
    got, _, reply = post(servers, body)
    assert got == status and reason in reply["error"]


def test_an_allowed_origin_may_post_and_gets_its_cors_header(servers: Servers) -> None:
    status, headers, reply = post(servers, {"sender": sender(), "message": "hello"}, {"Origin": INTRANET})
    assert status == 200 and reply["messages"]
    assert headers["Access-Control-Allow-Origin"] == INTRANET and headers["Vary"] == "Origin"


def test_a_page_of_the_servers_own_origin_may_post(servers: Servers) -> None:
    status, headers, _ = post(servers, {"sender": sender(), "message": "hello"}, {"Origin": servers.base})
    assert status == 200 and "Access-Control-Allow-Origin" not in headers


def test_any_other_origin_is_refused_before_the_bot_hears_it(servers: Servers) -> None:
    me = sender()
    status, headers, reply = post(servers, {"sender": me, "message": "hello"}, {"Origin": "http://evil.test"})
    assert status == 403 and "origin" in reply["error"]
    assert "Access-Control-Allow-Origin" not in headers
    assert user_texts(servers, me) == []


def test_no_response_ever_allows_every_origin(servers: Servers) -> None:
    for origin in (INTRANET, "http://evil.test", "null"):
        _, headers, _ = post(servers, {"sender": sender(), "message": "hi"}, {"Origin": origin})
        assert headers.get("Access-Control-Allow-Origin") in (None, INTRANET)


def test_the_widget_is_served_whole_typed_and_within_budget(servers: Servers) -> None:
    status, headers, script = request(servers.channel + "widget.js")
    assert status == 200 and headers["Content-Type"].startswith("text/javascript")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert b"/*@strings*/" not in script and b'"launcher": "Ask Code & Care"' in script
    status, headers, css = request(servers.channel + "widget.css")
    assert status == 200 and headers["Content-Type"].startswith("text/css")
    assert len(script) + len(css) <= WIDGET_BUDGET_BYTES, (len(script), len(css))


def test_an_unchanged_file_is_not_sent_again(servers: Servers) -> None:
    _, headers, _ = request(servers.channel + "widget.css")
    unchanged = urllib.request.Request(servers.channel + "widget.css", headers={"If-None-Match": headers["ETag"]})
    with pytest.raises(urllib.error.HTTPError) as not_modified:  # urllib reports 304 as an error
        urllib.request.urlopen(unchanged, timeout=10)
    assert not_modified.value.code == 304


def test_the_demo_page_comes_with_the_strict_policy(servers: Servers) -> None:
    status, headers, page = request(servers.demo)
    assert status == 200 and headers["Content-Security-Policy"] == DEMO_CSP
    assert b'<script src="/webhooks/codecare/widget.js"' in page
    for name in ("intranet.css", "favicon.svg"):
        assert request(servers.demo + name)[0] == 200


def test_the_rest_channel_still_answers(servers: Servers) -> None:
    _, _, raw = request(f"{servers.base}/webhooks/rest/webhook",
                        json.dumps({"sender": sender(), "message": "what does an AI ethicist do?"}).encode(),
                        {"Content-Type": "application/json"})
    [message] = json.loads(raw)
    assert "Source:" in message["text"] and message["buttons"]


def test_a_socketio_client_speaking_rasa_webchat_gets_answers_and_quick_replies(servers: Servers) -> None:
    """The events rasa-webchat sends (session_request, user_uttered) over real Socket.IO."""

    async def converse() -> List[Dict[str, Any]]:
        client = socketio.AsyncClient(reconnection=False)
        confirmed: asyncio.Future = asyncio.get_running_loop().create_future()
        received: List[Dict[str, Any]] = []
        answered = asyncio.Event()
        session = uuid.uuid4().hex

        @client.on("session_confirm")
        async def on_confirm(data: Any) -> None:
            confirmed.set_result(data)

        @client.on("bot_uttered")
        async def on_bot(data: Dict[str, Any]) -> None:
            received.append(data)
            if data.get("quick_replies"):
                answered.set()

        # Long-polling: python-engineio's websocket client needs a newer aiohttp than Rasa
        # 3.6 pins; the browser test with rasa-webchat covers the websocket upgrade.
        await client.connect(servers.base, socketio_path="/socket.io", transports=["polling"])
        try:
            await client.emit("session_request", {"session_id": session})
            assert await asyncio.wait_for(confirmed, 30) == session
            await client.emit("user_uttered", {"message": "what does a regulatory specialist do?",
                                               "session_id": session, "customData": {"language": "en"}})
            await asyncio.wait_for(answered.wait(), 60)
        finally:  # without waiting for the open long-poll to time out (25 s)
            await client.eio.disconnect(abort=True)
        return received

    received = asyncio.run(converse())
    text = " ".join(m.get("text", "") for m in received)
    assert "FDA" in text and "Source:" in text
    assert all(set(q) == {"content_type", "title", "payload"} for q in received[-1]["quick_replies"])


@pytest.mark.parametrize("origin", ["*", "https://*.example.org", "https://intranet.example.org/",
                                    "intranet.example.org", "https://intranet.example.org/chat"])
def test_allowed_origins_must_be_exact_origins(origin: str) -> None:
    with pytest.raises(ValueError, match="is not an origin"):
        CodeCareInput([origin])


def test_the_demo_can_be_switched_off() -> None:
    assert not any(name.startswith("demo/") for name in CodeCareInput(demo=False).assets)
    assert {"widget.js", "widget.css"} <= set(CodeCareInput(demo=False).assets)
