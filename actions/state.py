"""Translate between Rasa's tracker and the advisor's plain Turn, Context and Reply."""
from __future__ import annotations

import json
from typing import Any, Dict, List

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

from carekb.advisor import Context, Reply, Suggestion, Turn
from carekb.contract import COMPARE

CONTEXT_SLOTS = ("role", "aspect", "last_answer", "awaiting", "offered")


def turn_from(tracker: Tracker) -> Turn:
    """The latest user message as the advisor sees it."""
    message = tracker.latest_message or {}
    intent = message.get("intent") or {}
    entities = [e for e in message.get("entities") or []
                if e.get("entity") and e.get("value") is not None]
    return Turn(
        intent=intent.get("name") or "nlu_fallback",
        confidence=float(intent.get("confidence") or 0.0),
        entities=tuple((e["entity"], str(e["value"])) for e in entities),
        starts=tuple(int(e.get("start") or 0) for e in entities),
        ends=tuple(int(e.get("end") or e.get("start") or 0) for e in entities),
        ranking=tuple(
            (i["name"], float(i.get("confidence") or 0.0))
            for i in message.get("intent_ranking") or []
            if i.get("name")
        ),
        text=message.get("text") or "",
    )


def context_from(tracker: Tracker) -> Context:
    values = {name: tracker.get_slot(name) for name in CONTEXT_SLOTS}
    offered = values.pop("offered") or ()
    return Context(**values, offered=tuple(str(r) for r in offered if isinstance(r, str)))


def context_events(before: Context, after: Context) -> List[EventType]:
    """SlotSet events for the context fields that changed (tuples stored as lists)."""
    events: List[EventType] = []
    for name in CONTEXT_SLOTS:
        value = getattr(after, name)
        if value != getattr(before, name):
            events.append(SlotSet(name, list(value) if isinstance(value, tuple) else value))
    return events


def payload(suggestion: Suggestion) -> str:
    """A button payload that asks for exactly this answer, bypassing intent classification."""
    if suggestion.answer_id == COMPARE:
        return "/compare_roles" + json.dumps({"role": list(suggestion.roles)})
    return "/ask_about" + json.dumps({"topic": suggestion.answer_id})


def message_kwargs(reply: Reply) -> Dict[str, Any]:
    """utter_message arguments; extra keys become the bot event's metadata."""
    kwargs: Dict[str, Any] = {
        "text": reply.text,
        "buttons": [{"title": s.title, "payload": payload(s)} for s in reply.suggestions],
        "answer_id": reply.answer_id,
        "source": reply.source,
        "rule": reply.rule,
    }
    if reply.roles:
        kwargs["roles"] = list(reply.roles)
    if reply.contact:
        kwargs["contact"] = dict(reply.contact)
    return kwargs
