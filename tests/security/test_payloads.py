"""The guard's payload rule and the Socket.IO channel's identity rules on their own, on Rasa's
real tracker store and events (the servers' side is tests/security/test_door.py)."""
from __future__ import annotations

import asyncio
from types import SimpleNamespace

import pytest
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from server.channels.guard import MessageGuard, as_text, is_rating, offered_payloads
from server.channels.socketio import SocketIOInput

OFFERED = '/ask_about{"topic": "role.ai_ethicist.education"}'


@pytest.mark.parametrize("payload, ok", [
    ('/rate{"answer_id": "concept.nlp", "helpful": true}', True),
    ('/rate{"answer_id": "concept.nlp", "helpful": false, "comment": "too short"}', True),
    ('/rate{"answer_id": "concept.nlp", "helpful": "yes"}', False),
    ('/rate{"answer_id": "concept.nlp"}', False),
    ('/rate{"answer_id": "concept.nlp", "helpful": true, "topic": "fallback.unavailable"}', False),
    ('/rate{"answer_id": 1, "helpful": true}', False),
    ('/rate{"answer_id": "x", "helpful": true} what dose of warfarin', False),
    ("/rate" + "[" * 5000, False),
])
def test_only_a_well_formed_rating_is_a_rating(payload: str, ok: bool) -> None:
    assert is_rating(payload) is ok


def test_the_offered_payloads_are_the_latest_bot_messages_buttons() -> None:
    older = BotUttered("older", {"buttons": [{"title": "old", "payload": "/ask_about{\"topic\": \"old\"}"}]})
    latest = BotUttered("latest", {"buttons": [{"title": "Education", "payload": OFFERED}]})
    assert offered_payloads([older, UserUttered("hi"), latest, UserUttered("x")]) == {OFFERED}
    assert offered_payloads([older, BotUttered("no buttons")]) == frozenset()
    assert as_text(' //ask_about{"topic":"x"} warfarin ') == 'ask_about{"topic":"x"} warfarin'


def test_a_rating_in_between_keeps_the_latest_answers_buttons_on_offer() -> None:
    answer = BotUttered("answer", {"buttons": [{"title": "Education", "payload": OFFERED}]},
                        {"answer_id": "role.ai_ethicist.duties"})
    offer = BotUttered("sorry", {"buttons": [{"title": "Talk to a person", "payload": "/ask_about{\"topic\": \"handoff.human\"}"}]},
                       {"answer_id": "feedback.offer_human"})
    thanks = BotUttered("thanks", {}, {"answer_id": "feedback.thanks"})
    rate = UserUttered('/rate{"answer_id": "role.ai_ethicist.duties", "helpful": false}')
    assert offered_payloads([answer, rate, offer, rate, thanks]) == {OFFERED, '/ask_about{"topic": "handoff.human"}'}
    older = BotUttered("older", {"buttons": [{"title": "old", "payload": "/old"}]}, {"answer_id": "concept.nlp"})
    assert offered_payloads([older, UserUttered("hi"), answer, rate, thanks]) == {OFFERED}, "only since the latest answer"


def guard_with(events: list) -> MessageGuard:
    store = InMemoryTrackerStore(Domain.empty())
    asyncio.run(store.save(DialogueStateTracker.from_events("alice", events)))
    guard = MessageGuard()
    guard.app = SimpleNamespace(ctx=SimpleNamespace(agent=SimpleNamespace(tracker_store=store)))
    return guard


def test_a_payload_passes_only_while_offered_in_that_conversation() -> None:
    guard = guard_with([BotUttered("Ethicists...", {"buttons": [{"title": "Education", "payload": OFFERED}]})])
    check = lambda sender, text: asyncio.run(guard.payload_or_text(sender, text))  # noqa: E731
    assert check("alice", OFFERED) == OFFERED
    assert check("bob", OFFERED) == OFFERED[1:]  # offered to alice, not to bob
    assert check("alice", '/ask_about{"topic": "fallback.unavailable"}') == 'ask_about{"topic": "fallback.unavailable"}'
    assert check("bob", "/restart") == "/restart"
    assert check("bob", "/restart{\"x\": 1}") == 'restart{"x": 1}'


def test_without_an_agent_every_payload_is_text() -> None:
    guard = MessageGuard()
    assert asyncio.run(guard.payload_or_text("alice", OFFERED)) == OFFERED[1:]


def test_socketio_without_sign_on_takes_only_a_valid_session_id() -> None:
    channel = SocketIOInput(session_persistence=True)
    assert channel.sender_of("sid1", {"session_id": "abc-123"}) == "abc-123"
    for bad in ("x" * 300, "a b", None, 12, ["x"]):
        assert channel.sender_of("sid1", {"session_id": bad}) is None
    assert SocketIOInput().sender_of("sid1", {"session_id": "someone-else"}) == "sid1"


@pytest.mark.parametrize("origin, ok", [
    (None, True), ("http://chat.test:5005", True), ("https://intranet.test", True),
    ("null", False), ("https://evil.test", False), ("http://chat.test:5006", False),
])
def test_socketio_origins_follow_the_widget_channels_rule(origin: str, ok: bool) -> None:
    channel = SocketIOInput()
    channel.configure(None, ["https://intranet.test"])
    environ = {"HTTP_HOST": "chat.test:5005", **({"HTTP_ORIGIN": origin} if origin else {})}
    assert channel.origin_allowed(environ) is ok
