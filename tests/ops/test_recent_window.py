"""A turn loads only the recent events, with the slots intact; the database keeps them all."""
from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered

from ops.recent_window import RecentWindowMixin
from ops.tracker_store import HealthAwareSQLTrackerStore


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'codecare.db'}"


def store(domain: Domain, url: str, window: int) -> HealthAwareSQLTrackerStore:
    s = HealthAwareSQLTrackerStore(domain=domain, host=url)  # endpoints.yml `url:` arrives as host
    s.window = window
    return s


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
