"""Turn locks: a waiter behind a holder that died gets the lock once that holder's ticket
expires, however late it looks; holders never overlap. In memory and on a real Redis."""
from __future__ import annotations

import asyncio
import tempfile
import time
import uuid
from pathlib import Path
from typing import Iterator, List, Tuple

import pytest
from rasa.core import lock_store as rasa_locks
from rasa.utils.endpoints import EndpointConfig

from server.stores import lock_store
from admin.db import lock_store as configured_lock_store
from tests.support.processes import free_port
from tests.conftest import ROOT
from tests.deploy.servers import REDIS_PASSWORD, Redis, wait_until

LIFETIME = 0.3


@pytest.fixture(scope="module")
def redis_port() -> Iterator[int]:
    with tempfile.TemporaryDirectory(prefix="codecare-redis-") as root:
        server = Redis(Path(root), free_port())
        server.start()
        try:
            wait_until(server.ready, "redis ready", 30, server)
            yield server.port
        finally:
            server.stop()


@pytest.fixture(params=["in_memory", pytest.param("redis", marks=pytest.mark.system)])
def store(request: pytest.FixtureRequest) -> rasa_locks.LockStore:
    if request.param == "in_memory":
        return lock_store.InMemoryLockStore()
    port = request.getfixturevalue("redis_port")
    return lock_store.RedisLockStore(EndpointConfig(url="127.0.0.1", port=port, password=REDIS_PASSWORD,
                                                    key_prefix="test"))


async def _acquire_after_dead_holder(locks: rasa_locks.LockStore, wait: float) -> float:
    """A holder takes a ticket and dies (never cleans up); the seconds until the next one holds."""
    conversation = uuid.uuid4().hex
    locks.issue_ticket(conversation, LIFETIME)
    start = time.monotonic()
    async with locks.lock(conversation, lock_lifetime=LIFETIME, wait_time_in_seconds=wait):
        return time.monotonic() - start


def test_rasas_own_lock_stalls_when_the_waiter_looks_after_both_tickets_expired() -> None:
    """Why server.stores.lock_store exists; if Rasa fixes this, the subclass can go."""
    with pytest.raises(asyncio.TimeoutError):
        asyncio.run(asyncio.wait_for(_acquire_after_dead_holder(rasa_locks.InMemoryLockStore(), 2 * LIFETIME), 3))


@pytest.mark.parametrize("wait", [LIFETIME / 6, 2 * LIFETIME], ids=["looks often", "looks after both expired"])
def test_a_waiter_behind_a_dead_holder_gets_the_lock_once_its_ticket_expires(
        store: rasa_locks.LockStore, wait: float) -> None:
    waited = asyncio.run(asyncio.wait_for(_acquire_after_dead_holder(store, wait), 3))
    assert LIFETIME * 0.9 <= waited <= LIFETIME + 2 * wait + 0.5


def test_holders_of_one_conversation_never_overlap_and_all_get_their_turn(store: rasa_locks.LockStore) -> None:
    conversation = uuid.uuid4().hex
    spans: List[Tuple[float, float]] = []

    async def turn() -> None:
        async with store.lock(conversation, lock_lifetime=5, wait_time_in_seconds=0.01):
            start = time.monotonic()
            await asyncio.sleep(0.03)
            spans.append((start, time.monotonic()))

    async def all_turns() -> None:
        await asyncio.gather(*(turn() for _ in range(8)))

    asyncio.run(asyncio.wait_for(all_turns(), 10))
    spans.sort()
    assert len(spans) == 8
    assert all(end <= next_start for (_, end), (next_start, _) in zip(spans, spans[1:]))
    assert store.get_lock(conversation) is None  # the last one out removed the lock


@pytest.mark.parametrize("backend, expected", [("in_memory", lock_store.InMemoryLockStore),
                                               ("redis", lock_store.RedisLockStore)])
def test_endpoints_yml_names_these_stores(backend: str, expected: type, monkeypatch: pytest.MonkeyPatch) -> None:
    environment = {"CODECARE_DB_URL": "sqlite://", "CODECARE_ACTION_URL": "http://127.0.0.1:5055/webhook",
                   "CODECARE_ACTION_TOKEN": "t", "CODECARE_LOCK_STORE": backend, "CODECARE_REDIS_HOST": "127.0.0.1",
                   "CODECARE_REDIS_PORT": "6379", "CODECARE_REDIS_PASSWORD": ""}
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert type(configured_lock_store(ROOT / "deploy" / "endpoints.yml")) is expected
    if backend == "in_memory":
        assert type(configured_lock_store(ROOT / "endpoints.yml")) is expected
