"""A turn loads only the recent events, with the slots intact, from memory when the database
agrees; the database keeps them all."""
from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered

from server.stores.recent_window import RecentWindowMixin, StoredEvent, cut
from admin.retention import erase
from server.stores.tracker_store import HealthAwareSQLTrackerStore


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'codecare.db'}"


def store(domain: Domain, url: str, window: int, cache: int = 1000) -> HealthAwareSQLTrackerStore:
    s = HealthAwareSQLTrackerStore(domain=domain, host=url)  # endpoints.yml `url:` arrives as host
    s.window, s.cache_size = window, cache
    return s


def states(tracker) -> list:  # type: ignore[no-untyped-def]
    return [e.as_dict() for e in tracker.events]


def play_turn(tracker, i: int, role: str | None = None) -> None:
    tracker.update(UserUttered(f"message {i}", {"name": "ask_about", "confidence": 0.9}))
    tracker.update(ActionExecuted("action_answer"))
    tracker.update(BotUttered(f"answer {i}", metadata={"answer_id": f"id.{i}"}))
    if role:
        tracker.update(SlotSet("role", role))
    tracker.update(ActionExecuted("action_listen"))


async def conversation(s: HealthAwareSQLTrackerStore, sender: str, turns: int) -> None:
    """Play turns the way Rasa does: retrieve, add one turn's events, save."""
    for i in range(turns):
        tracker = await s.retrieve(sender) or await s.get_or_create_tracker(sender)
        play_turn(tracker, i, role="ai_ethicist" if i == 1 else ("clinical_informaticist" if i == 3 else None))
        await s.save(tracker)


def test_long_conversation_loads_a_window_with_slots_and_stores_every_event(domain: Domain, db_url: str) -> None:
    s = store(domain, db_url, window=20)
    asyncio.run(conversation(s, "long", 40))

    recent = asyncio.run(s.retrieve("long"))
    full = asyncio.run(s.retrieve_full_tracker("long"))
    assert len(full.events) > 150
    assert len(recent.events) <= 20 + len(domain.slots)
    assert recent.get_slot("role") == full.get_slot("role") == "clinical_informaticist"
    assert recent.latest_message.text == "message 39"
    texts = [e.text for e in full.events if isinstance(e, UserUttered)]
    assert texts == [f"message {i}" for i in range(40)], "every turn stored once, in order"


def test_a_short_conversation_is_loaded_whole(domain: Domain, db_url: str) -> None:
    s = store(domain, db_url, window=200)
    asyncio.run(conversation(s, "short", 5))
    assert len(asyncio.run(s.retrieve("short")).events) == len(asyncio.run(s.retrieve_full_tracker("short")).events)


def test_window_zero_behaves_as_rasa(domain: Domain, db_url: str) -> None:
    s = store(domain, db_url, window=0)
    asyncio.run(conversation(s, "plain", 12))
    assert len(asyncio.run(s.retrieve("plain")).events) == len(asyncio.run(s.retrieve_full_tracker("plain")).events)


def test_the_store_is_windowed() -> None:
    assert issubclass(HealthAwareSQLTrackerStore, RecentWindowMixin)


def test_the_window_kept_in_memory_is_the_one_the_database_gives(domain: Domain, db_url: str) -> None:
    cached, uncached = store(domain, db_url, window=20), store(domain, db_url, window=20, cache=0)
    for turns in (1, 3, 9, 25):
        asyncio.run(conversation(cached, f"c{turns}", turns))
        from_memory = asyncio.run(cached.retrieve(f"c{turns}"))
        from_database = asyncio.run(uncached.retrieve(f"c{turns}"))
        assert f"c{turns}" in cached._windows
        assert states(from_memory) == states(from_database)
        assert from_memory.get_slot("role") == from_database.get_slot("role")


def test_another_replicas_turn_and_erasure_reach_the_next_retrieve(domain: Domain, db_url: str) -> None:
    here, there = store(domain, db_url, window=20), store(domain, db_url, window=20)
    asyncio.run(conversation(here, "shared", 4))
    tracker = asyncio.run(there.retrieve("shared"))
    play_turn(tracker, 99, role="ai_ethicist")
    asyncio.run(there.save(tracker))

    seen_here = asyncio.run(here.retrieve("shared"))
    assert seen_here.latest_message.text == "message 99" and seen_here.get_slot("role") == "ai_ethicist"

    assert erase(here.engine, "shared") > 0
    assert asyncio.run(here.retrieve("shared")) is None
    assert "shared" not in here._windows


def test_the_cache_is_bounded(domain: Domain, db_url: str) -> None:
    s = store(domain, db_url, window=20, cache=3)
    for sender in "abcde":
        asyncio.run(conversation(s, sender, 2))
    assert list(s._windows) == ["c", "d", "e"]
    assert asyncio.run(s.retrieve("a")).latest_message.text == "message 1"  # read from the database again


def event(type_name: str, name: str | None = None) -> StoredEvent:
    return StoredEvent(type_name, name, "{}")


def test_cut_starts_at_the_latest_session_and_a_user_message_and_keeps_the_slots() -> None:
    old = [event("user"), event("slot", "role"), event("action", "action_listen")]
    session = [event("session_started"), event("slot", "aspect"), event("user"), event("slot", "role"),
               event("slot", "aspect"), event("bot"), event("user"), event("bot"), event("action", "action_listen")]
    kept = cut(old + session, window=4)
    assert kept == [session[3], session[4], *session[6:]], "slots set before the window, then from a user message"
    assert cut(old + session, window=50) == session, "nothing from an earlier session"
