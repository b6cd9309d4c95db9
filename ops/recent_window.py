"""Work on the recent part of a long conversation; keep all of it in the database.

For every turn Rasa rebuilds the tracker of the whole session: it deserialises every
event, turns every past turn into policy states, and posts every event to the action
server. Latency grows with the length of the conversation (8.9x from turn 10 to turn 400
in Rasa's default recipe). Code & Care decides each turn from the latest message and its
context slots, so the tracker a turn works on needs only the last few turns plus the
slots' current values. This mixin for Rasa's SQLTrackerStore loads at most the last
`window` events of the session (starting at a user message) and puts a SlotSet for each
slot value set before them in front; the database keeps every event, and
`retrieve_full_tracker` (the HTTP API, reports, erasure) still returns them all.
"""
from __future__ import annotations

import itertools
import json
import os
from typing import Any, Dict, Iterator, List, Optional, Text, Tuple

import sqlalchemy as sa
from rasa.shared.core.events import SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

DEFAULT_WINDOW = 24  # events: about three turns (user, action, bot, slots, listen)
STORED = "_codecare_stored_events"  # how many of the tracker's events the database holds


def window_size() -> int:
    """CODECARE_TRACKER_WINDOW: events a turn loads (0 loads the whole session, as Rasa does)."""
    return int(os.environ.get("CODECARE_TRACKER_WINDOW") or DEFAULT_WINDOW)


class RecentWindowMixin:
    """For a subclass of Rasa's SQLTrackerStore: retrieve a window, save only what is new."""

    window = window_size()

    async def _retrieve(self, sender_id: Text,
                        fetch_events_from_all_sessions: bool) -> Optional[DialogueStateTracker]:
        if fetch_events_from_all_sessions or not self.window or not self.domain:
            return await super()._retrieve(sender_id, fetch_events_from_all_sessions)  # type: ignore[misc]
        with self.session_scope() as session:  # type: ignore[attr-defined]
            rows, truncated = self._recent_rows(session, sender_id)
            if not rows:
                return None
            earlier = self._slots_before(session, sender_id, rows[0].id) if truncated else []
            events = earlier + [json.loads(r.data) for r in rows]
        tracker = DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        setattr(tracker, STORED, len(tracker.events))
        return tracker

    def _recent_rows(self, session: Any, sender_id: Text) -> Tuple[List[Any], bool]:
        """The session's last `window` events, oldest first, starting at a user message;
        and whether earlier events were left out."""
        event = self.SQLEvent  # type: ignore[attr-defined]
        query = self._event_query(session, sender_id, fetch_events_from_all_sessions=False)  # type: ignore[attr-defined]
        rows = query.order_by(None).order_by(event.id.desc()).limit(self.window + 1).all()
        rows.reverse()
        if len(rows) <= self.window:
            return rows, False
        rows = rows[1:]
        first_user = next((i for i, r in enumerate(rows) if r.type_name == UserUttered.type_name), 0)
        return rows[first_user:], True

    def _slots_before(self, session: Any, sender_id: Text, first_id: int) -> List[Dict[str, Any]]:
        """The latest SlotSet of each slot set earlier in the session, in two queries
        (Rasa stores a SlotSet's slot name in the `action_name` column)."""
        event = self.SQLEvent  # type: ignore[attr-defined]
        earlier = self._event_query(session, sender_id, fetch_events_from_all_sessions=False).filter(  # type: ignore[attr-defined]
            event.id < first_id, event.type_name == SlotSet.type_name).order_by(None)
        latest = earlier.with_entities(sa.func.max(event.id)).group_by(event.action_name).subquery()
        rows = session.query(event).filter(event.id.in_(sa.select(latest))).order_by(event.id).all()
        return [json.loads(r.data) for r in rows]

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator:
        stored = getattr(tracker, STORED, None)
        if stored is None:  # a tracker that did not come from a windowed retrieve
            return super()._additional_events(session, tracker)  # type: ignore[misc]
        return itertools.islice(tracker.events, stored, len(tracker.events))

    async def save(self, tracker: DialogueStateTracker) -> None:
        await super().save(tracker)  # type: ignore[misc]
        if hasattr(tracker, STORED):
            setattr(tracker, STORED, len(tracker.events))
