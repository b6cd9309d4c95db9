"""The one answer action: every intent comes here and leaves with one knowledge answer."""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.interfaces import ACTION_LISTEN_NAME

from actions.history import (RATED, Rating, current_session, history_from, rating_from, was_given,
                             whole_session)
from actions.state import context_events, context_from, message_kwargs, turn_from
from carekb import load_knowledge
from carekb.advisor import Advisor
from codecare import settings

KNOWLEDGE_DIR = settings.knowledge_dir()

logger = logging.getLogger(__name__)


class ActionAnswer(Action):
    """Reads the turn and the context slots, asks the advisor, utters its reply."""

    def __init__(self) -> None:
        self.advisor = Advisor(load_knowledge(KNOWLEDGE_DIR))

    def name(self) -> Text:
        return "action_answer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        rating = rating_from(tracker.latest_message or {})
        if rating is not None:
            self.rate(dispatcher, tracker, rating)
            return [FollowupAction(ACTION_LISTEN_NAME)]
        before = context_from(tracker)
        reply = self.advisor.reply(turn_from(tracker), before, history_from(tracker.events))
        dispatcher.utter_message(**message_kwargs(reply))
        # Every answer ends the turn: saying so spares Rasa a third run of its policy graph
        # just to predict the listen that always follows (0.4 ms of an 11 ms turn here, more
        # with neural policies: bench/RESULTS.md).
        return [*context_events(before, reply.context), FollowupAction(ACTION_LISTEN_NAME)]

    def rate(self, dispatcher: CollectingDispatcher, tracker: Tracker, rating: Rating) -> None:
        """Reply to a rating without touching the context: no slot is set, so the next
        answer is the one it would have been. The reply's `rated` metadata is what the
        report counts; a rating of an answer this conversation was not given gets none.
        An answer older than the recent window the tracker store loaded is not seen here:
        a rating of a known answer then gets its reply, and the report, reading the whole
        conversation, counts it only if the answer was given."""
        session = current_session(tracker.events)
        known = rating.answer_id in self.advisor.knowledge
        if not was_given(session, rating.answer_id) and (not known or whole_session(tracker.events)):
            logger.warning("Rating ignored: conversation %s was not given the answer it rates (%s).",
                           tracker.sender_id, rating.answer_id if known else "an unknown answer id")
            return
        reply = self.advisor.rate(rating.helpful, context_from(tracker), history_from(session))
        dispatcher.utter_message(**message_kwargs(reply),
                                 **{RATED: {"answer_id": rating.answer_id, "helpful": rating.helpful}})
