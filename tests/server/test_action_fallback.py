"""The polite reply when the action server is down, hung or broken; Rasa's rejection kept."""
from __future__ import annotations

import asyncio
import time
from contextlib import asynccontextmanager
from typing import AsyncIterator, Optional

import jsonschema
import pytest
import rasa.core.actions.action as rasa_action
from hypothesis import given, settings
from hypothesis import strategies as st
from rasa.core.actions.action import ActionExecutionRejection, RemoteAction, action_for_name_or_text
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from carekb import Knowledge, contract
from server import patches as action_fallback
from server.patches import ResilientRemoteAction, ResponseValidator
from tests.deploy.servers import free_port


@pytest.fixture
def installed(monkeypatch: pytest.MonkeyPatch) -> None:
    """install() for one test; Rasa's own RemoteAction is put back afterwards."""
    monkeypatch.setattr(rasa_action, "RemoteAction", rasa_action.RemoteAction)
    monkeypatch.setattr(ResilientRemoteAction, "timeout", ResilientRemoteAction.timeout)
    monkeypatch.setenv("CODECARE_ACTION_TIMEOUT", "0.5")
    action_fallback.install()


@asynccontextmanager
async def raw_http_server(reply: Optional[bytes]) -> AsyncIterator[str]:
    """A server that answers every request with `reply`, or never answers when it is None."""
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read(65536)
        if reply is None:
            await asyncio.sleep(3600)
        writer.write(reply)
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}/webhook"
    finally:
        server.close()


async def call(url: str, domain: Domain) -> list:
    action = action_for_name_or_text("action_answer", domain, EndpointConfig(url=url))
    tracker = DialogueStateTracker("u", domain.slots)
    return await action.run(CollectingOutputChannel(), TemplatedNaturalLanguageGenerator(domain.responses),
                            tracker, domain)


def assert_unavailable(events: list, knowledge: Knowledge) -> None:
    assert len(events) == 1 and isinstance(events[0], BotUttered)
    assert events[0].text == knowledge.entry(contract.UNAVAILABLE).text.strip()
    assert events[0].metadata == {"answer_id": contract.UNAVAILABLE}


def test_rasa_builds_custom_actions_through_the_installed_class(installed: None, domain: Domain) -> None:
    """Guards the one hook this relies on (Rasa 3.6's action factory) against upgrades."""
    action = action_for_name_or_text("action_answer", domain, EndpointConfig(url="http://x/webhook"))
    assert isinstance(action, ResilientRemoteAction)


def test_action_server_down_gets_the_knowledge_unavailable_answer(
        installed: None, domain: Domain, knowledge: Knowledge) -> None:
    assert_unavailable(asyncio.run(call(f"http://127.0.0.1:{free_port()}/webhook", domain)), knowledge)


def test_hung_action_server_is_cut_off_at_the_timeout(
        installed: None, domain: Domain, knowledge: Knowledge) -> None:
    async def scenario() -> list:
        async with raw_http_server(None) as url:
            return await call(url, domain)

    started = time.monotonic()
    events = asyncio.run(scenario())
    assert time.monotonic() - started < 2
    assert_unavailable(events, knowledge)


def test_action_server_error_gets_the_unavailable_answer(
        installed: None, domain: Domain, knowledge: Knowledge) -> None:
    async def scenario() -> list:
        async with raw_http_server(b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n") as url:
            return await call(url, domain)

    assert_unavailable(asyncio.run(scenario()), knowledge)


def test_a_rejection_from_the_action_server_keeps_rasas_own_handling(installed: None, domain: Domain) -> None:
    body = b'{"action_name": "action_answer", "error": "no"}'
    reply = (b"HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\n"
             b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)

    async def scenario() -> list:
        async with raw_http_server(reply) as url:
            return await call(url, domain)

    with pytest.raises(ActionExecutionRejection):
        asyncio.run(scenario())


EVENT_NAMES = [*ResponseValidator(RemoteAction.action_response_format_spec()).branches, "nonsense", 3, None]
VALUES = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=3),
                   st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=2), st.integers(), max_size=2))
EVENT = st.one_of(
    VALUES,
    st.fixed_dictionaries({"event": st.sampled_from(EVENT_NAMES)}, optional={
        key: VALUES for key in ("name", "value", "text", "timestamp", "metadata", "parse_data", "entities",
                                "policy", "confidence", "data", "input_channel", "message_id")}),
)
REPLY = st.one_of(VALUES, st.fixed_dictionaries({}, optional={
    "events": st.one_of(VALUES, st.lists(EVENT, max_size=4)), "responses": st.one_of(VALUES, st.lists(VALUES, max_size=2))}))


RASAS_CHECK = jsonschema.validators.validator_for(RemoteAction.action_response_format_spec())(
    RemoteAction.action_response_format_spec())  # what jsonschema.validate builds on every call


@settings(max_examples=800, deadline=None)
@given(reply=REPLY)
def test_the_fast_reply_check_gives_rasas_verdict(reply: object) -> None:
    try:
        RASAS_CHECK.validate(reply)
        rasa_says = True
    except jsonschema.ValidationError:
        rasa_says = False
    try:
        action_fallback._response_validator().validate(reply)
        ours = True
    except jsonschema.ValidationError:
        ours = False
    assert ours == rasa_says
