"""Retention and erasure of stored conversations, straight on Rasa's `events` table.

- `purge(days)`: a conversation whose last message is older than the cutoff is deleted
  whole; in a conversation still in use, the earlier sessions older than the cutoff are
  deleted too, so nothing said before the cutoff remains except inside the session that
  is still open (Rasa rebuilds a conversation from its latest session; cutting into that
  one would change what the assistant remembers mid-conversation).
- `erase(sender_id)`: every event of one conversation (GDPR-style erasure). With the Redis
  lock store it first takes Rasa's lock on that conversation, so a turn being answered
  cannot write the conversation back right after it was erased.
- `stored_id(identity)`: the id a request names (a conversation id, or a signed-in user's
  email address) as the store knows it: an email is kept only as its keyed hash
  (server/channels/auth.py, CODECARE_SENDER_HASH_KEY), so erasure hashes it the same way.
"""
from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Optional

import sqlalchemy as sa
from rasa.core.lock_store import LockStore
from rasa.shared.core.constants import ACTION_SESSION_START_NAME
from sqlalchemy.engine import Engine

from admin.db import EVENTS
from codecare import settings
from server.channels.auth import AuthError, conversation_key

DAY = 86400.0


@dataclass(frozen=True)
class PurgeResult:
    cutoff: float
    conversations_deleted: int
    events_deleted: int


def purge(engine: Engine, days: float, now: Optional[float] = None) -> PurgeResult:
    """Delete what was said more than `days` days ago (see the module docstring)."""
    if days < 0:
        raise ValueError("days must be zero or more")
    cutoff = (time.time() if now is None else now) - days * DAY
    stale = (sa.select(EVENTS.c.sender_id).group_by(EVENTS.c.sender_id)
             .having(sa.func.max(EVENTS.c.timestamp) < cutoff))
    later = EVENTS.alias("later")
    open_session_start = (sa.select(sa.func.max(later.c.timestamp))
                          .where(later.c.sender_id == EVENTS.c.sender_id,
                                 later.c.action_name == ACTION_SESSION_START_NAME)
                          .scalar_subquery())
    with engine.begin() as connection:
        senders = connection.execute(sa.select(sa.func.count()).select_from(stale.subquery())).scalar_one()
        whole = connection.execute(EVENTS.delete().where(EVENTS.c.sender_id.in_(stale))).rowcount
        earlier = connection.execute(EVENTS.delete().where(
            EVENTS.c.timestamp < cutoff, EVENTS.c.timestamp < open_session_start)).rowcount
    return PurgeResult(cutoff, senders, whole + earlier)


def stored_id(identity: str) -> str:
    """The conversation key of `identity`; ValueError for an email without the hash key."""
    try:
        return conversation_key(identity.strip(), settings.sender_hash_key())
    except AuthError:
        raise ValueError(f"{identity!r} is an email address: set CODECARE_SENDER_HASH_KEY "
                         "(the server's) to find its conversation") from None


def erase(engine: Engine, sender_id: str, locks: Optional[LockStore] = None) -> int:
    """Delete one conversation; return how many events were deleted."""
    def delete() -> int:
        with engine.begin() as connection:
            return connection.execute(EVENTS.delete().where(EVENTS.c.sender_id == sender_id)).rowcount

    if locks is None:
        return delete()

    async def under_lock() -> int:
        async with locks.lock(sender_id):
            return delete()

    return asyncio.run(under_lock())
