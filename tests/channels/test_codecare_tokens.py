"""Single sign-on: with CODECARE_JWT_SECRET set, the real server checks a JWT on every request
and the sender is the token's `sub`. Rasa's own HTTP API is closed with --auth-token, as it
must be in such a deployment, so the tests read conversations with that token."""
from __future__ import annotations

import json
import time
import uuid
from pathlib import Path
from typing import Any, Iterator, List

import jwt
import pytest

from tests.channels.servers import Servers, post, request, running

SECRET = "test-signing-secret-" + "x" * 24
API_TOKEN = "rasa-api-token-for-tests"


@pytest.fixture(scope="module")
def servers(trained_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    with running(trained_model, tmp_path_factory.mktemp("tokens"),
                 extra_env={"CODECARE_JWT_SECRET": SECRET}, api_token=API_TOKEN) as started:
        yield started


def token(subject: str, key: str = SECRET, lifetime: int = 300, **claims: Any) -> str:
    now = int(time.time())
    return jwt.encode({"sub": subject, "iat": now, "exp": now + lifetime, **claims}, key, algorithm="HS256")


def bearer(value: str) -> dict:
    return {"Authorization": f"Bearer {value}"}


def user_texts(servers: Servers, conversation: str) -> List[str]:
    status, _, raw = request(f"{servers.base}/conversations/{conversation}/tracker?token={API_TOKEN}")
    assert status == 200, raw
    return [e.get("text") for e in json.loads(raw)["events"] if e["event"] == "user"]


def user() -> str:
    return "user-" + uuid.uuid4().hex[:8]


def test_the_channel_says_tokens_are_on(servers: Servers) -> None:
    assert json.loads(request(servers.channel)[2]) == {"status": "ok", "tokens": True}


@pytest.mark.parametrize("headers, body, reason", [
    ({}, {}, "sign-in required"),
    (bearer(token("alice", lifetime=-120)), {}, "expired"),
    (bearer(token("alice", key="another-secret-" + "y" * 24)), {}, "signature"),
    (bearer("garbage"), {}, "not valid"),
    ({}, {"token": token("alice", lifetime=-120)}, "expired"),
])
def test_a_missing_expired_or_forged_token_gets_401_with_a_reason(
        servers: Servers, headers: dict, body: dict, reason: str) -> None:
    status, response_headers, reply = post(servers, {"message": "hello", **body}, headers)
    assert status == 401 and reason in reply["error"]
    assert response_headers["WWW-Authenticate"].startswith("Bearer ")


def test_the_sender_is_the_tokens_subject(servers: Servers) -> None:
    alice = user()
    status, _, reply = post(servers, {"message": "what does an AI ethicist do?"}, bearer(token(alice)))
    assert status == 200 and reply["sender"] == alice
    assert reply["messages"][0]["answer_id"] == "role.ai_ethicist.duties"
    assert user_texts(servers, alice) == ["what does an AI ethicist do?"]


def test_the_widget_may_send_the_token_in_the_body(servers: Servers) -> None:
    """No Authorization header keeps a cross-origin POST free of a CORS preflight."""
    alice = user()
    status, _, reply = post(servers, {"message": "hello", "token": token(alice), "sender": alice})
    assert status == 200 and reply["sender"] == alice


def test_a_token_for_one_user_cannot_post_as_another(servers: Servers) -> None:
    alice, bob = user(), user()
    post(servers, {"message": "what does a regulatory specialist do?"}, bearer(token(bob)))
    status, _, reply = post(servers, {"sender": bob, "message": "hello"}, bearer(token(alice)))
    assert status == 403 and "signed-in user" in reply["error"]
    assert user_texts(servers, bob) == ["what does a regulatory specialist do?"]
    assert user_texts(servers, alice) == []


def test_every_request_is_checked_not_only_the_first(servers: Servers) -> None:
    alice = user()
    assert post(servers, {"message": "hello"}, bearer(token(alice)))[0] == 200
    assert post(servers, {"message": "hello", "sender": alice})[0] == 401
    assert user_texts(servers, alice) == ["hello"]


def test_a_users_token_does_not_open_rasas_api(servers: Servers) -> None:
    """Conversations can be read only with the operator's API token, not a user's JWT."""
    alice = user()
    post(servers, {"message": "hello"}, bearer(token(alice)))
    for headers in ({}, bearer(token(alice))):
        assert request(f"{servers.base}/conversations/{alice}/tracker", headers=headers)[0] == 401
