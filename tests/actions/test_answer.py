"""The answer action with real rasa_sdk trackers and dispatcher."""
from __future__ import annotations

import asyncio
import json
from typing import Any, Dict, List, Optional

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answer import ActionAnswer
from actions.state import CONTEXT_SLOTS


@pytest.fixture(scope="module")
def action() -> ActionAnswer:
    return ActionAnswer()


def tracker(text: str, intent: str, entities: List[Dict[str, Any]] = (),
            slots: Optional[Dict[str, Any]] = None, confidence: float = 0.98) -> Tracker:
    message = {
        "text": text,
        "intent": {"name": intent, "confidence": confidence},
        "intent_ranking": [{"name": intent, "confidence": confidence}],
        "entities": list(entities),
    }
    return Tracker("user-1", {**{s: None for s in CONTEXT_SLOTS}, **(slots or {})}, message,
                   [], False, None, None, "action_listen")


def run(action: ActionAnswer, t: Tracker) -> tuple[Dict[str, Any], List[Dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, t, {}))
    assert len(dispatcher.messages) == 1, "one answer per turn"
    return dispatcher.messages[0], events


def test_answers_with_answer_id_source_and_buttons(action: ActionAnswer) -> None:
    message, events = run(action, tracker(
        "what does an ai ethicist do", "ask_about",
        [{"entity": "role", "value": "ai_ethicist", "start": 14, "end": 25}]))
    assert message["answer_id"] == "role.ai_ethicist.duties"
    assert message["source"] == "AI Ethicists and Policy Experts"
    assert "Source:" in message["text"]
    assert 2 <= len(message["buttons"]) <= 3
    assert SlotSet("role", "ai_ethicist") in events
    assert SlotSet("aspect", "duties") in events
    assert SlotSet("last_answer", "role.ai_ethicist.duties") in events
    assert events[-1] == FollowupAction("action_listen"), "the turn ends without another policy run"


def test_button_payloads_parse_to_an_intent_and_entities(action: ActionAnswer) -> None:
    message, _ = run(action, tracker("what is nlp", "ask_about",
                                     [{"entity": "topic", "value": "concept.nlp"}]))
    for button in message["buttons"]:
        intent, _, entities = button["payload"].partition("{")
        assert intent in ("/ask_about", "/compare_roles")
        assert json.loads("{" + entities)


def test_follow_up_reads_the_role_from_the_slots(action: ActionAnswer) -> None:
    slots = {"role": "regulatory_specialist", "aspect": "duties",
             "last_answer": "role.regulatory_specialist.duties"}
    message, events = run(action, tracker("give me an example", "ask_example", slots=slots))
    assert message["answer_id"] == "role.regulatory_specialist.example"
    assert SlotSet("role", "regulatory_specialist") not in events, "unchanged slots are not set again"


def test_comparison_records_both_roles(action: ActionAnswer) -> None:
    message, _ = run(action, tracker("data scientist vs informaticist", "compare_roles", [
        {"entity": "role", "value": "medical_data_scientist"},
        {"entity": "role", "value": "clinical_informaticist"}]))
    assert message["answer_id"] == "role.compare"
    assert sorted(message["roles"]) == ["clinical_informaticist", "medical_data_scientist"]


def test_medical_question_is_declined(action: ActionAnswer) -> None:
    message, _ = run(action, tracker("I have a fever, what should I take?", "medical_advice"))
    assert message["answer_id"] == "fallback.medical_advice"
    assert message["source"] is None


def test_low_confidence_clarifies_with_suggestions(action: ActionAnswer) -> None:
    message, _ = run(action, tracker("hmm blorp", "nlu_fallback", confidence=0.2))
    assert message["answer_id"] == "fallback.clarify"
    assert 2 <= len(message["buttons"]) <= 3


def test_ask_background_sets_awaiting(action: ActionAnswer) -> None:
    message, events = run(action, tracker("which role fits me", "career_match"))
    assert message["answer_id"] == "ask.background"
    assert SlotSet("awaiting", "background") in events


def test_roles_offered_are_kept_as_a_list_slot_and_read_back(action: ActionAnswer) -> None:
    nurse = [{"entity": "background", "value": "clinical", "start": 4, "end": 9}]
    message, events = run(action, tracker("I'm a nurse", "inform_background", nurse))
    assert message["answer_id"] == "advice.background.clinical"
    assert message["rule"] == "inform_background:background"
    assert SlotSet("offered", ["clinical_informaticist", "ai_ethicist"]) in events
    second = [{"entity": "ordinal", "value": "2", "start": 4, "end": 14}]
    slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    message, _ = run(action, tracker("the second one", "help", second, slots=slots))
    assert message["answer_id"] == "role.ai_ethicist.duties"
