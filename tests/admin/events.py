"""Rasa `events` rows written straight into an SQLite tracker store, at chosen times."""
from __future__ import annotations

import json
from typing import Dict, Iterable, List, Optional

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore

from admin.db import EVENTS


def engine_at(url: str) -> sa.engine.Engine:
    engine = sa.create_engine(url)
    SQLTrackerStore.Base.metadata.create_all(engine)
    return engine


def session(at: float) -> List[Dict]:
    return [{"event": "action", "name": "action_session_start", "timestamp": at},
            {"event": "session_started", "timestamp": at + 0.001},
            {"event": "action", "name": "action_listen", "timestamp": at + 0.002}]


def turn(at: float, text: str, answer_id: str, intent: str = "ask_about",
         confidence: float = 0.9) -> List[Dict]:
    return [{"event": "user", "text": text, "timestamp": at,
             "parse_data": {"intent": {"name": intent, "confidence": confidence}}},
            {"event": "action", "name": "action_answer", "timestamp": at + 0.01},
            {"event": "bot", "text": f"answer {answer_id}", "timestamp": at + 0.02,
             "metadata": {"answer_id": answer_id}},
            {"event": "action", "name": "action_listen", "timestamp": at + 0.03}]


def insert(engine: sa.engine.Engine, sender: str, events: Iterable[Dict]) -> None:
    with engine.begin() as connection:
        for event in events:
            connection.execute(EVENTS.insert().values(
                sender_id=sender, type_name=event["event"], timestamp=event["timestamp"],
                action_name=event.get("name"), data=json.dumps(event)))


def count(engine: sa.engine.Engine, sender: Optional[str] = None) -> int:
    query = sa.select(sa.func.count()).select_from(EVENTS)
    if sender is not None:
        query = query.where(EVENTS.c.sender_id == sender)
    with engine.connect() as connection:
        return connection.execute(query).scalar_one()


def rating(at: float, answer_id: str, helpful: bool, comment: Optional[str] = None,
           counted: bool = True) -> List[Dict]:
    """A rating as the channels store it, and the action's reply when it counted it."""
    values = {"answer_id": answer_id, "helpful": helpful, **({"comment": comment} if comment else {})}
    text = "/rate" + json.dumps(values)
    events = [{"event": "user", "text": text, "timestamp": at,
               "parse_data": {"intent": {"name": "rate", "confidence": 1.0},
                              "entities": [{"entity": k, "value": v} for k, v in values.items()]}},
              {"event": "action", "name": "action_answer", "timestamp": at + 0.01}]
    if counted:
        events.append({"event": "bot", "text": "thanks", "timestamp": at + 0.02,
                       "metadata": {"answer_id": "feedback.thanks" if helpful else "feedback.offer_human",
                                    "rated": {"answer_id": answer_id, "helpful": helpful}}})
    return events + [{"event": "action", "name": "action_listen", "timestamp": at + 0.03}]
