"""Ratings through the answer action, with real rasa_sdk trackers and dispatcher."""
from __future__ import annotations

import asyncio
import logging
from typing import Any, Dict, List, Optional

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions.answer import ActionAnswer
from actions.history import HUMAN_PAYLOAD, RATED, history_from, rating_from
from actions.state import CONTEXT_SLOTS
from carekb import contract

SKILLS = "role.clinical_informaticist.skills"
SLOTS = {"role": "clinical_informaticist", "aspect": "skills", "last_answer": SKILLS}


@pytest.fixture(scope="module")
def action() -> ActionAnswer:
    return ActionAnswer()


def bot(answer_id: str, buttons: List[Dict[str, str]] = (), **metadata: Any) -> Dict[str, Any]:
    return {"event": "bot", "text": f"answer {answer_id}", "data": {"buttons": list(buttons)},
            "metadata": {"answer_id": answer_id, **metadata}}


def rate_message(answer_id: str, helpful: Any, comment: Optional[str] = None) -> Dict[str, Any]:
    entities = [{"entity": "answer_id", "value": answer_id}, {"entity": "helpful", "value": helpful}]
    if comment is not None:
        entities.append({"entity": "comment", "value": comment})
    return {"text": "/rate{...}", "intent": {"name": "rate", "confidence": 1.0},
            "intent_ranking": [{"name": "rate", "confidence": 1.0}], "entities": entities}


def tracker(message: Dict[str, Any], events: List[Dict[str, Any]], slots: Optional[Dict] = None) -> Tracker:
    user = {"event": "user", "text": message["text"], "parse_data": message}
    return Tracker("rater-1", {**{s: None for s in CONTEXT_SLOTS}, **(slots or {})}, message,
                   [{"event": "session_started"}, *events, user], False, None, None, "action_listen")


def run(action: ActionAnswer, t: Tracker) -> tuple[List[Dict[str, Any]], List[Dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, t, {}))
    return dispatcher.messages, events


def test_not_helpful_apologises_offers_a_person_and_sets_no_slot(action: ActionAnswer) -> None:
    messages, events = run(action, tracker(rate_message(SKILLS, False, "nothing about pay"),
                                           [bot(SKILLS)], SLOTS))
    assert len(messages) == 1
    reply = messages[0]
    assert reply["answer_id"] == contract.FEEDBACK_OFFER_HUMAN
    assert [b["payload"] for b in reply["buttons"]] == [HUMAN_PAYLOAD]
    assert reply[RATED] == {"answer_id": SKILLS, "helpful": False}
    assert events == [FollowupAction("action_listen")], "a rating changes no slot"


def test_the_person_is_offered_once(action: ActionAnswer) -> None:
    earlier = [bot(SKILLS), bot(contract.FEEDBACK_OFFER_HUMAN, [{"title": "Talk to a person", "payload": HUMAN_PAYLOAD}],
                                rated={"answer_id": SKILLS, "helpful": False})]
    messages, _ = run(action, tracker(rate_message(SKILLS, False), earlier, SLOTS))
    assert messages[0]["answer_id"] == contract.FEEDBACK_NOTED and not messages[0]["buttons"]
    given = [bot(SKILLS), bot(contract.HANDOFF)]
    messages, _ = run(action, tracker(rate_message(SKILLS, "false"), given, SLOTS))
    assert messages[0]["answer_id"] == contract.FEEDBACK_NOTED


def test_helpful_is_thanked(action: ActionAnswer) -> None:
    messages, events = run(action, tracker(rate_message(SKILLS, True), [bot(SKILLS)], SLOTS))
    assert [m["answer_id"] for m in messages] == [contract.FEEDBACK_THANKS]
    assert messages[0]["buttons"] == [] and events == [FollowupAction("action_listen")]


def test_a_rating_of_an_answer_not_given_is_ignored_and_logged(
        action: ActionAnswer, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="actions.answer"):
        messages, events = run(action, tracker(rate_message("concept.nlp", False, "secret words"), [bot(SKILLS)]))
        before_session = tracker(rate_message(SKILLS, False), [])
        before_session.events.insert(0, bot(SKILLS))  # given in an earlier session
        later, _ = run(action, before_session)
    assert messages == [] and later == [] and events == [FollowupAction("action_listen")]
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 2 and "rater-1" in warnings[0] and "concept.nlp" in warnings[0]
    assert not any("secret" in w or "/rate" in w for w in warnings), "no message text in the log"


def test_a_known_answer_older_than_the_loaded_window_is_left_to_the_report(
        action: ActionAnswer, caplog: pytest.LogCaptureFixture) -> None:
    window = tracker(rate_message(SKILLS, False), [bot("roles.overview")], SLOTS)
    window.events.pop(0)  # a recent window: the session's start is not among the events
    messages, _ = run(action, window)
    assert [m["answer_id"] for m in messages] == [contract.FEEDBACK_OFFER_HUMAN]
    unknown = tracker(rate_message("no.such.answer", False), [bot("roles.overview")])
    unknown.events.pop(0)
    with caplog.at_level(logging.WARNING, logger="actions.answer"):
        assert run(action, unknown)[0] == []
    assert "an unknown answer id" in caplog.text


def test_an_unknown_id_is_not_repeated_in_the_log(action: ActionAnswer, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="actions.answer"):
        run(action, tracker(rate_message("<script>x</script>", False), [bot(SKILLS)]))
    assert "an unknown answer id" in caplog.text and "<script>" not in caplog.text


def test_a_rate_intent_without_a_rating_is_answered_as_any_message(action: ActionAnswer) -> None:
    message = {"text": "rate this", "intent": {"name": "rate", "confidence": 0.5},
               "intent_ranking": [{"name": "rate", "confidence": 0.5}], "entities": []}
    assert rating_from(message) is None
    messages, _ = run(action, tracker(message, []))
    assert len(messages) == 1 and not messages[0]["answer_id"].startswith("feedback.")


def test_the_handoff_message_carries_the_contact(action: ActionAnswer) -> None:
    message = {"text": "can I speak to a person", "intent": {"name": "request_human", "confidence": 0.99},
               "intent_ranking": [{"name": "request_human", "confidence": 0.99}], "entities": []}
    messages, _ = run(action, tracker(message, []))
    contact = messages[0]["contact"]
    assert messages[0]["answer_id"] == contract.HANDOFF
    assert {"team", "email", "phone", "link", "hours", "placeholder"} == set(contact)
    assert contact["email"] in messages[0]["text"]


def test_second_clarification_offers_a_person_ratings_in_between_aside(action: ActionAnswer) -> None:
    unclear = {"text": "hmm blorp", "intent": {"name": "nlu_fallback", "confidence": 0.2},
               "intent_ranking": [{"name": "nlu_fallback", "confidence": 0.2}], "entities": []}
    thanks = bot(contract.FEEDBACK_THANKS, rated={"answer_id": contract.CLARIFY, "helpful": True})
    messages, _ = run(action, tracker(unclear, [bot(contract.CLARIFY), thanks]))
    assert messages[0]["answer_id"] == contract.CLARIFY
    assert HUMAN_PAYLOAD in [b["payload"] for b in messages[0]["buttons"]]
    messages, _ = run(action, tracker(unclear, [bot(contract.CLARIFY), bot("roles.overview")]))
    assert HUMAN_PAYLOAD not in [b["payload"] for b in messages[0]["buttons"]]


def test_history_counts_the_current_session_only() -> None:
    events = [bot(contract.HANDOFF), bot(contract.CLARIFY), {"event": "session_started"}, bot(contract.CLARIFY)]
    history = history_from(events)
    assert history.clarified_in_row == 1 and not history.human_offered


def test_a_long_comment_is_cut() -> None:
    rating = rating_from(rate_message(SKILLS, False, "x" * 1000))
    assert rating is not None and len(rating.comment) == 300
