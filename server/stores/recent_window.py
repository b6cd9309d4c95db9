"""Work on the recent part of a conversation, kept in memory between turns; store it all.

For every turn Rasa's SQL tracker store reads the whole session from the database,
deserialises every event and, on save, counts the stored events again. Latency grows with
the length of the conversation (8.9x from turn 10 to turn 400 in Rasa's default recipe) and
even a short turn spends a third of its CPU in storage. Code & Care decides each turn from
the latest message and its context slots, so this mixin for Rasa's SQLTrackerStore:

- loads at most the last `window` events of the session (starting at a user message), with
  a SlotSet in front for each slot value set before them;
- keeps that window in memory after each turn, for the next one, and checks it against
  the database with one indexed look-up of the conversation's newest event id. Another
  replica's turn, `make erase` or `make purge` change that id, and the window is read
  from the database again, so the cache never answers with events the database no longer
  holds or misses ones it gained;
- saves only the events a turn added.

The database keeps every event; `retrieve_full_tracker` (the HTTP API, reports, erasure)
returns them all. CODECARE_TRACKER_WINDOW=0 turns all of this off.
"""
from __future__ import annotations

import itertools
import json
from collections import OrderedDict
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Dict, Iterable, List, NamedTuple, Optional, Sequence, Text, Type

import sqlalchemy as sa
from rasa.shared.core.events import Event, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from rasa.shared.utils.common import all_subclasses

from codecare import settings

LOADED = "_codecare_loaded"  # on a tracker: the Loaded it was built from


class StoredEvent(NamedTuple):
    """One event as the `events` table holds it: enough to cut a window without parsing it."""

    type_name: str
    name: Optional[str]  # the action's name, or a SlotSet's slot
    data: str  # the event as JSON


@dataclass
class Window:
    """A conversation's recent events, and the database id of the newest one."""

    last_id: int
    events: List[StoredEvent]


@dataclass
class Loaded:
    """What a tracker was built from: its window, and how many of its events are stored."""

    window: Window
    stored: int


def cut(events: Sequence[StoredEvent], window: int) -> List[StoredEvent]:
    """The current session's last `window` events, starting at a user message, after a
    SlotSet carrying the latest value of each slot set before them."""
    starts = [i for i, e in enumerate(events) if e.type_name == SessionStarted.type_name]
    events = events[starts[-1]:] if starts else events
    first = first_kept(events, window)
    slots = {e.name: i for i, e in enumerate(events[:first]) if e.type_name == SlotSet.type_name}
    return [events[i] for i in sorted(slots.values())] + list(events[first:])


def first_kept(events: Sequence[Any], window: int) -> int:
    """Index of the first event a window keeps: `window` from the end, moved forward to the
    next user message so that no turn is cut in half."""
    if len(events) <= window:
        return 0
    start = len(events) - window
    return next((i for i in range(start, len(events)) if events[i].type_name == UserUttered.type_name), start)


# Rasa's Event.from_parameters looks each event's class up by walking every Event subclass;
# for a window of events that walk was most of the cost of reading a tracker.
_EVENT_TYPES: Dict[str, Type[Event]] = {}
for _cls in all_subclasses(Event):
    _EVENT_TYPES.setdefault(_cls.type_name, _cls)


def deserialise(events: Iterable[StoredEvent]) -> List[Event]:
    """Events from their stored JSON, as Rasa's `deserialise_events` makes them."""
    result = []
    for stored in events:
        data = json.loads(stored.data)
        cls = _EVENT_TYPES.get(data.get("event"))
        event = cls._from_parameters(data) if cls else Event.from_parameters(data)
        if event:
            result.append(event)
    return result


class RecentWindowMixin:
    """For a subclass of Rasa's SQLTrackerStore: retrieve a cached window, save only what is new."""

    window = settings.tracker_window()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._windows: "OrderedDict[Text, Window]" = OrderedDict()
        self.cache_size = settings.tracker_cache()

    async def _retrieve(self, sender_id: Text,
                        fetch_events_from_all_sessions: bool) -> Optional[DialogueStateTracker]:
        if fetch_events_from_all_sessions or not self.window or not self.domain:
            return await super()._retrieve(sender_id, fetch_events_from_all_sessions)  # type: ignore[misc]
        with self.session_scope() as session:  # type: ignore[attr-defined]
            last_id = self._last_id(session, sender_id)
            cached = self._windows.get(sender_id)
            if last_id is None:
                self._forget(sender_id)
                return None
            if cached is None or cached.last_id != last_id:
                cached = self._read_window(session, sender_id)
        self._remember(sender_id, cached)
        tracker = DialogueStateTracker.from_events(sender_id, deserialise(cached.events), self.domain.slots)
        setattr(tracker, LOADED, Loaded(cached, len(tracker.events)))
        return tracker

    def _last_id(self, session: Any, sender_id: Text) -> Optional[int]:
        # One statement, built once and run on the session's connection: an ORM query built
        # per call cost six times as much (~240 µs against ~35 µs), twice a turn.
        return session.connection().execute(self._last_id_query, {"sender_id": sender_id}).scalar()

    @cached_property
    def _last_id_query(self) -> sa.sql.Select:
        events = self.SQLEvent.__table__  # type: ignore[attr-defined]
        return sa.select(sa.func.max(events.c.id)).where(events.c.sender_id == sa.bindparam("sender_id"))

    def _read_window(self, session: Any, sender_id: Text) -> Window:
        """The window from the database: the session's last events, then the slots before them."""
        event = self.SQLEvent  # type: ignore[attr-defined]
        query = self._event_query(session, sender_id, fetch_events_from_all_sessions=False)  # type: ignore[attr-defined]
        rows = query.order_by(None).order_by(event.id.desc()).limit(self.window + 1).all()
        rows.reverse()
        last_id = rows[-1].id if rows else 0
        if len(rows) > self.window:
            rows = rows[first_kept(rows[1:], self.window) + 1:]
            rows = self._slots_before(session, sender_id, rows[0].id) + rows
        return Window(last_id, [StoredEvent(r.type_name, r.action_name, r.data) for r in rows])

    def _slots_before(self, session: Any, sender_id: Text, first_id: int) -> List[Any]:
        """The latest SlotSet of each slot set earlier in the session, in one query
        (Rasa stores a SlotSet's slot name in the `action_name` column)."""
        event = self.SQLEvent  # type: ignore[attr-defined]
        earlier = self._event_query(session, sender_id, fetch_events_from_all_sessions=False).filter(  # type: ignore[attr-defined]
            event.id < first_id, event.type_name == SlotSet.type_name).order_by(None)
        latest = earlier.with_entities(sa.func.max(event.id)).group_by(event.action_name).subquery()
        return session.query(event).filter(event.id.in_(sa.select(latest))).order_by(event.id).all()

    def _remember(self, sender_id: Text, window: Window) -> None:
        if not self.cache_size:
            return
        self._windows[sender_id] = window
        self._windows.move_to_end(sender_id)
        while len(self._windows) > self.cache_size:
            self._windows.popitem(last=False)

    def _forget(self, sender_id: Text) -> None:
        self._windows.pop(sender_id, None)

    async def save(self, tracker: DialogueStateTracker) -> None:
        loaded: Optional[Loaded] = getattr(tracker, LOADED, None)
        if loaded is None:  # a tracker that did not come from a windowed retrieve
            self._forget(tracker.sender_id)
            await super().save(tracker)  # type: ignore[misc]
            return
        await self.stream_events(tracker)  # type: ignore[attr-defined]
        rows = [self._row(tracker.sender_id, e) for e in itertools.islice(tracker.events, loaded.stored, None)]
        if not rows:
            return
        with self.session_scope() as session:  # type: ignore[attr-defined]
            session.execute(sa.insert(self.SQLEvent.__table__), rows)  # type: ignore[attr-defined]
            last_id = self._last_id(session, tracker.sender_id)  # ours: the conversation is locked
            session.commit()
        added = [StoredEvent(r["type_name"], r["action_name"], r["data"]) for r in rows]
        window = Window(last_id, cut(loaded.window.events + added, self.window))
        setattr(tracker, LOADED, Loaded(window, len(tracker.events)))
        self._remember(tracker.sender_id, window)

    @staticmethod
    def _row(sender_id: Text, event: Event) -> Dict[str, Any]:
        """The `events` row Rasa's SQLTrackerStore.save writes for an event."""
        data = event.as_dict()
        return {"sender_id": sender_id, "type_name": event.type_name, "timestamp": data.get("timestamp"),
                "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
                "action_name": data.get("name"), "data": json.dumps(data)}
