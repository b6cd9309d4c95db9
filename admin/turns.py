"""Read the conversation store into turns (a question and its answer) and counted ratings.

One pass over Rasa's `events` table, conversation by conversation in stored order. A
rating counts when the answer action replied to it with `rated` metadata (it does only for
an answer that session was given, actions/answer.py); its question is the user message the
rated answer replied to. Ratings are not turns: they are not questions asked.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from actions.history import RATED, rating_from, stored_comment
from admin.db import EVENTS
from privacy import redact

# How far before the start of a date range a rated answer and its question are looked for:
# a session ends after an hour without a message, so a day covers any session in progress.
LOOKBACK_SECONDS = 86400


@dataclass(frozen=True)
class Turn:
    """One user message and the answer the assistant gave to it (None: no answer stored)."""

    timestamp: float
    text: str
    answer_id: Optional[str]
    intent: Optional[str] = None
    confidence: Optional[float] = None


@dataclass(frozen=True)
class Rating:
    """A counted rating of one answer given in one conversation."""

    timestamp: float
    answer_id: str
    helpful: bool
    comment: str
    question: Optional[str]
    # The rated answer (conversation, session, position): a later rating of it replaces this one.
    key: Tuple[str, int, int]


@dataclass
class Record:
    turns: List[Turn] = field(default_factory=list)
    ratings: List[Rating] = field(default_factory=list)


@dataclass
class _Conversation:
    """Reading state of one conversation."""

    sender: str
    session: int = 0
    given: List[Tuple[str, str]] = field(default_factory=list)  # (answer_id, question) this session
    pending: Optional[Tuple[float, Dict[str, Any]]] = None        # the user event awaiting its answer


def _user_turn(timestamp: float, event: Dict[str, Any], answer_id: Optional[str]) -> Turn:
    intent = (event.get("parse_data") or {}).get("intent") or {}
    return Turn(timestamp, event.get("text") or "", answer_id, intent.get("name"), intent.get("confidence"))


def _rating(c: _Conversation, timestamp: float, user: Dict[str, Any], rated: Dict[str, Any]) -> Optional[Rating]:
    answer_id, helpful = rated.get("answer_id"), rated.get("helpful")
    if not isinstance(answer_id, str) or not isinstance(helpful, bool):
        return None
    found = [i for i, (given, _) in enumerate(c.given) if given == answer_id]
    if not found:  # the action saw it in this session; the store no longer holds it (purged)
        return None
    text = user.get("text") or ""
    parsed = rating_from(user.get("parse_data") or {})
    comment = stored_comment(text)
    if comment is None:  # an entity the store did not redact: redact it here
        comment = redact(parsed.comment) if parsed else ""
    return Rating(timestamp, answer_id, helpful, comment, c.given[found[-1]][1] or None,
                  (c.sender, c.session, found[-1]))


def read(engine: Engine, since: Optional[float] = None, until: Optional[float] = None) -> Record:
    """Turns and ratings with `since <= timestamp < until` (either open)."""
    query = (sa.select(EVENTS.c.sender_id, EVENTS.c.type_name, EVENTS.c.timestamp, EVENTS.c.data)
             .where(EVENTS.c.type_name.in_(("user", "bot", "session_started")))
             .order_by(EVENTS.c.sender_id, EVENTS.c.id))
    if since is not None:
        query = query.where(EVENTS.c.timestamp >= since - LOOKBACK_SECONDS)
    if until is not None:
        query = query.where(EVENTS.c.timestamp < until)
    record, c = Record(), None

    def in_range(timestamp: float) -> bool:
        return since is None or timestamp >= since

    def flush() -> None:
        if c and c.pending and rating_from((c.pending[1].get("parse_data") or {})) is None \
                and in_range(c.pending[0]):
            record.turns.append(_user_turn(*c.pending, None))

    with engine.connect() as connection:
        for sender, kind, timestamp, data in connection.execution_options(stream_results=True).execute(query):
            event, timestamp = json.loads(data), timestamp or 0.0
            if c is None or sender != c.sender:
                flush()
                c = _Conversation(sender)
            if kind == "session_started":
                flush()
                c.session, c.given, c.pending = c.session + 1, [], None
            elif kind == "user":
                flush()
                c.pending = (timestamp, event)
            elif c.pending and (event.get("metadata") or {}).get("answer_id"):
                metadata = event["metadata"]
                asked_at, user = c.pending
                c.pending = None
                if isinstance(metadata.get(RATED), dict):
                    rating = _rating(c, asked_at, user, metadata[RATED])
                    if rating and in_range(asked_at):
                        record.ratings.append(rating)
                elif rating_from(user.get("parse_data") or {}) is None:
                    c.given.append((metadata["answer_id"], user.get("text") or ""))
                    if in_range(asked_at):
                        record.turns.append(_user_turn(asked_at, user, metadata["answer_id"]))
        flush()
    return record
