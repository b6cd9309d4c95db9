"""The health-aware SQL tracker store and the readiness route, on real SQLite files.

A database "goes down" by renaming its directory: SQLite then cannot open the file,
which is what an unreachable PostgreSQL looks like to Rasa (tests/deploy does that too).
"""
from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from types import SimpleNamespace

import pytest
from rasa.core.lock_store import InMemoryLockStore, RedisLockStore
from rasa.core.tracker_store import FailSafeTrackerStore, InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet, UserUttered

from server.channels.health import readiness
from server.stores.tracker_store import HealthAwareSQLTrackerStore
from tests.deploy.servers import free_port


def run(coroutine):  # type: ignore[no-untyped-def]
    return asyncio.run(coroutine)


def store_at(url: str, domain: Domain) -> HealthAwareSQLTrackerStore:
    return HealthAwareSQLTrackerStore(domain=domain, host=url)


def test_database_missing_at_start_is_reported_then_used_once_reachable(
        sqlite_url: str, domain: Domain, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR):
        store = store_at(sqlite_url, domain)
    health = store.health()
    assert not health.healthy and health.error.startswith("connecting at start: OperationalError")
    assert "TRACKER STORE DEGRADED" in caplog.text

    (tmp_path / "db").mkdir()
    store.ping()
    assert store.health().healthy and store.health().degraded_since is None
    tracker = run(store.get_or_create_tracker("late"))
    tracker.update(SlotSet("role", "ai_ethicist"))
    run(store.save(tracker))
    assert run(store.retrieve("late")).get_slot("role") == "ai_ethicist"


def test_a_tracker_rebuilt_while_the_database_was_away_never_overwrites_the_stored_one(
        sqlite_url: str, domain: Domain, tmp_path: Path) -> None:
    (tmp_path / "db").mkdir()
    store = store_at(sqlite_url, domain)
    failsafe = FailSafeTrackerStore(store)
    tracker = run(failsafe.get_or_create_tracker("u"))
    tracker.update(UserUttered("what does an AI ethicist do?"))
    tracker.update(SlotSet("role", "ai_ethicist"))
    run(failsafe.save(tracker))
    stored = len(run(store.retrieve("u")).events)

    (tmp_path / "db").rename(tmp_path / "away")
    blind = run(failsafe.get_or_create_tracker("u"))  # Rasa's fallback: a fresh tracker
    assert blind.get_slot("role") is None and not store.health().healthy
    (tmp_path / "away").rename(tmp_path / "db")

    blind.update(UserUttered("which skills are needed for it?"))
    blind.update(SlotSet("aspect", "skills"))
    run(failsafe.save(blind))  # the database is back, but this tracker was built blind
    assert run(failsafe.fallback_tracker_store.retrieve("u")) is not None
    assert store.health().saves_kept_in_memory >= 2

    again = run(failsafe.get_or_create_tracker("u"))  # the next turn reads the real one
    assert len(again.events) == stored and again.get_slot("role") == "ai_ethicist"
    assert store.health().healthy
    again.update(UserUttered("which skills are needed for it?"))
    run(failsafe.save(again))
    assert len(run(store.retrieve("u")).events) == stored + 1


def test_readiness_is_503_with_reasons_while_degraded_and_200_once_recovered(
        sqlite_url: str, domain: Domain, tmp_path: Path) -> None:
    (tmp_path / "db").mkdir()
    store = store_at(sqlite_url, domain)
    agent = SimpleNamespace(is_ready=lambda: True, tracker_store=FailSafeTrackerStore(store),
                            lock_store=InMemoryLockStore())
    status, body = run(readiness(agent))
    assert status == 200 and body["status"] == "ready" and body["tracker_store"]["dialect"] == "sqlite"

    (tmp_path / "db").rename(tmp_path / "away")
    status, body = run(readiness(agent))
    assert status == 503 and body["status"] == "degraded"
    assert body["problems"][0].startswith("tracker store degraded, answering from memory")

    (tmp_path / "away").rename(tmp_path / "db")
    assert run(readiness(agent))[0] == 200


def test_readiness_refuses_stores_that_cannot_vouch_for_persistence_and_dead_redis(domain: Domain) -> None:
    agent = SimpleNamespace(is_ready=lambda: False,
                            tracker_store=FailSafeTrackerStore(InMemoryTrackerStore(domain)),
                            lock_store=RedisLockStore(host="127.0.0.1", port=free_port(), socket_timeout=1))
    status, body = run(readiness(agent))
    assert status == 503
    problems = " | ".join(body["problems"])
    assert "no model loaded" in problems and "InMemoryTrackerStore" in problems
    assert "Redis lock store unreachable" in problems
    assert run(readiness(None))[0] == 503
