"""Rasa's ticket locks, with waiters that keep their place in the queue.

Rasa gives each message a ticket on its conversation's lock; a ticket expires
`lock_lifetime` seconds after it was issued, so a replica that dies mid-turn holds the
conversation for at most that long. But a waiting ticket expires on the same clock: when
a retry waits behind a dead replica's ticket and looks again only after both have expired,
the lock is empty, Rasa's `now_serving` reads 0, and the retry polls forever. The
scale-out test found it: a retry after a replica kill hung until nginx's 60 s timeout,
and nginx then took the healthy replica out of rotation as well.

Here a waiter renews its ticket each time it looks, so the lifetime bounds how long a
holder may keep the lock, never how long a waiter may wait; a ticket that expired anyway
is replaced by a new one at the back of the queue. Storage is Rasa's, unchanged.

endpoints.yml names `server.stores.lock_store.${CODECARE_LOCK_STORE}`, i.e. `redis` or `in_memory`.
"""
from __future__ import annotations

import asyncio
import time
from contextlib import asynccontextmanager
from typing import AsyncGenerator, Optional, Text

from rasa.core import lock_store as rasa_locks
from rasa.core.lock import Ticket, TicketLock
from rasa.utils.endpoints import EndpointConfig


class _WaitersKeepTheirPlace(rasa_locks.LockStore):
    """Rasa's `LockStore.lock`, with the waiting loop above."""

    @asynccontextmanager
    async def lock(self, conversation_id: Text, lock_lifetime: float = rasa_locks.LOCK_LIFETIME,
                   wait_time_in_seconds: float = 1) -> AsyncGenerator[TicketLock, None]:
        ticket = self.issue_ticket(conversation_id, lock_lifetime)
        try:
            while True:
                lock = self.get_or_create_lock(conversation_id)
                lock.remove_expired_tickets()
                mine = _ticket(lock, ticket)
                if mine is None:  # expired while this waiter was not looking
                    ticket = lock.issue_ticket(lock_lifetime)
                    self.save_lock(lock)
                    continue
                if min(t.number for t in lock.tickets) == ticket:
                    break
                mine.expires = time.time() + lock_lifetime
                self.save_lock(lock)
                await asyncio.sleep(wait_time_in_seconds)
            yield lock
        finally:
            self.cleanup(conversation_id, ticket)


def _ticket(lock: TicketLock, number: int) -> Optional[Ticket]:
    return next((t for t in lock.tickets if t.number == number), None)


class RedisLockStore(_WaitersKeepTheirPlace, rasa_locks.RedisLockStore):
    """Rasa's Redis lock store (several replicas), configured as Rasa's `redis` type is."""

    def __init__(self, endpoint_config: EndpointConfig) -> None:
        super().__init__(host=endpoint_config.url, **endpoint_config.kwargs)


class InMemoryLockStore(_WaitersKeepTheirPlace, rasa_locks.InMemoryLockStore):
    """Rasa's in-memory lock store (one Rasa server); ignores the Redis settings."""

    def __init__(self, endpoint_config: Optional[EndpointConfig] = None) -> None:
        super().__init__()


# The names endpoints.yml reaches through ${CODECARE_LOCK_STORE}.
redis = RedisLockStore
in_memory = InMemoryLockStore
