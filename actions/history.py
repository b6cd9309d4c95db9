"""What a conversation's Rasa events say about ratings and offers of a person.

Plain functions over event dicts as Rasa stores them and sends them to the action server
(`{"event": "bot", "metadata": {"answer_id": ...}, "data": {"buttons": [...]}}`): the
answer action reads its tracker's events with them, the report the stored ones.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Iterable, List, Mapping, Optional, Sequence

from actions.state import payload
from carekb import contract
from carekb.advisor import History, Suggestion

# A comment is kept to this many characters (the channels cut longer ones too).
COMMENT_MAX = 300
# The bot message metadata key that marks the reply to a counted rating.
RATED = "rated"
HUMAN_PAYLOAD = payload(Suggestion(contract.HANDOFF))

Event = Mapping[str, Any]


@dataclass(frozen=True)
class Rating:
    """'Was this helpful?' for one earlier answer, with an optional comment."""

    answer_id: str
    helpful: bool
    comment: str = ""


def _helpful(value: Any) -> Optional[bool]:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return None


def rating_from(message: Mapping[str, Any]) -> Optional[Rating]:
    """The rating a parsed user message carries (`/rate{"answer_id": ..., "helpful": ...}`),
    or None when it is none or lacks either: then it is answered as any other message."""
    if ((message.get("intent") or {}).get("name")) != contract.RATE:
        return None
    values = {e.get("entity"): e.get("value") for e in message.get("entities") or []}
    answer_id, helpful = values.get("answer_id"), _helpful(values.get("helpful"))
    if not isinstance(answer_id, str) or not answer_id or helpful is None:
        return None
    comment = values.get("comment")
    comment = comment.strip()[:COMMENT_MAX] if isinstance(comment, str) else ""
    return Rating(answer_id, helpful, comment)


def stored_comment(text: str) -> Optional[str]:
    """The comment in a stored rating's text (the tracker store redacts the text it keeps)."""
    _, brace, rest = text.partition("{")
    try:
        value = json.loads(brace + rest).get("comment") if brace else None
    except (ValueError, AttributeError):
        return None
    return value.strip()[:COMMENT_MAX] if isinstance(value, str) else None


def whole_session(events: Sequence[Event]) -> bool:
    """Whether the events reach back to the session's start: the tracker store may load
    only a recent window of a long conversation (server/stores/recent_window.py)."""
    return any(e.get("event") == "session_started" for e in events)


def current_session(events: Sequence[Event]) -> Sequence[Event]:
    """The events since the latest session start: a conversation as the assistant sees it."""
    for i in range(len(events) - 1, -1, -1):
        if events[i].get("event") == "session_started":
            return events[i + 1:]
    return events


def answer_id(event: Event) -> Optional[str]:
    """The answer a bot event gave; None for other events and for replies to ratings."""
    if event.get("event") != "bot":
        return None
    metadata = event.get("metadata") or {}
    return None if metadata.get(RATED) else metadata.get("answer_id")


def answers(events: Iterable[Event]) -> List[str]:
    return [a for a in (answer_id(e) for e in events) if a]


def was_given(events: Iterable[Event], rated: str) -> bool:
    return rated in answers(events)


def _offers_human(event: Event) -> bool:
    if event.get("event") != "bot":
        return False
    buttons = (event.get("data") or {}).get("buttons") or []
    return ((event.get("metadata") or {}).get("answer_id") == contract.HANDOFF
            or any(isinstance(b, Mapping) and b.get("payload") == HUMAN_PAYLOAD for b in buttons))


def history_from(events: Sequence[Event]) -> History:
    """Clarifications in a row at the end (ratings' replies aside) and whether a person was
    offered, in the conversation's current session."""
    session = current_session(events)
    given = answers(session)
    in_row = 0
    for given_id in reversed(given):
        if given_id != contract.CLARIFY:
            break
        in_row += 1
    return History(clarified_in_row=in_row, human_offered=any(_offers_human(e) for e in session))
