"""A polite "temporarily unavailable" reply, within seconds, when the action server fails.

Rasa 3.6 calls the action server with a fixed 300 s timeout (`DEFAULT_REQUEST_TIMEOUT`,
not configurable) and, when the call fails, its processor logs the error and carries on
with no reply at all: the user sees silence, or waits five minutes on a hung server.
This subclass of Rasa's RemoteAction bounds the call and turns any failure into the
knowledge's `fallback.unavailable` answer, with that answer_id in the bot event's
metadata like every other answer. Nothing is cached: the next turn calls the action
server again, so service resumes by itself when it is back. The context slots are left
as they were, so follow-ups still refer to the right role afterwards.

`install()` points Rasa's action factory at the subclass; `ops.launch` calls it before
starting Rasa's CLI.
"""
from __future__ import annotations

import asyncio
import functools
import logging
import os
from pathlib import Path
from typing import Any, Dict, List, Optional, Text

import rasa.core.actions.action as rasa_action
from jsonschema import ValidationError
from jsonschema.validators import validator_for
from rasa.core.actions.action import ActionExecutionRejection, RemoteAction, create_bot_utterance
from rasa.core.channels.channel import OutputChannel
from rasa.core.nlg import NaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker

from carekb import contract, load_knowledge
from ops import settings

logger = logging.getLogger(__name__)

DEFAULT_TIMEOUT_SECONDS = 4.0


def timeout_seconds() -> float:
    """CODECARE_ACTION_TIMEOUT, in seconds: the longest a user waits for a custom action."""
    return float(os.environ.get("CODECARE_ACTION_TIMEOUT") or DEFAULT_TIMEOUT_SECONDS)


def unavailable_text(knowledge_dir: Path) -> str:
    """The knowledge's own words for "try again later" (edited there, not here)."""
    return load_knowledge(knowledge_dir).entry(contract.UNAVAILABLE).text.strip()


class ResilientRemoteAction(RemoteAction):
    """RemoteAction with a bounded call and a polite reply instead of silence on failure."""

    unavailable = ""
    timeout = DEFAULT_TIMEOUT_SECONDS

    def _validate_action_result(self, result: Dict[Text, Any]) -> bool:
        """Rasa's check of the action server's reply: same schema, same verdict, faster.

        Rasa calls `jsonschema.validate`, which re-checks the large events schema against
        its meta-schema on every call, then tries every event against all 23 branches of
        the schema's `oneOf`: most of a short turn's CPU (bench/RESULTS.md).
        """
        try:
            _response_validator().validate(result)
            return True
        except ValidationError as error:
            error.message += (". Failed to validate Action server response from API, make sure "
                              "your response from the Action endpoint is valid.")
            raise error

    async def run(self, output_channel: OutputChannel, nlg: NaturalLanguageGenerator,
                  tracker: DialogueStateTracker, domain: Domain) -> List[Event]:
        try:
            return await asyncio.wait_for(super().run(output_channel, nlg, tracker, domain),
                                          self.timeout)
        except ActionExecutionRejection:
            raise  # the action server answered and declined: Rasa's own handling applies
        except Exception as error:  # noqa: BLE001 - down, hung, 5xx or a malformed reply
            if isinstance(error, asyncio.TimeoutError):
                reason = f"no answer within {self.timeout:g} s"
            else:
                reason = f"{error}; {error.__cause__}" if error.__cause__ else str(error)
            logger.error("Action server unavailable for '%s' (%s); replying '%s'.",
                         self.name(), reason, contract.UNAVAILABLE)
            return [create_bot_utterance({"text": self.unavailable, "answer_id": contract.UNAVAILABLE})]


class ResponseValidator:
    """RemoteAction.action_response_format_spec, checked event by event against the one
    branch of the event schema's `oneOf` that the event's name selects.

    Every branch fixes `event` to a different constant, so an event satisfies exactly one
    branch (as `oneOf` demands) if and only if it satisfies the one named by its `event`;
    an unknown or missing name satisfies none. Built once, from Rasa's own schema.
    """

    def __init__(self, spec: Dict[Text, Any]) -> None:
        event_schema = spec["properties"]["events"]["items"]
        common = {k: v for k, v in event_schema.items() if k != "oneOf"}
        envelope = {**spec, "properties": {**spec["properties"], "events": {"type": "array"}}}
        self.envelope = _compiled(envelope)
        self.common = _compiled(common)
        self.branches: Dict[str, Any] = {}
        for branch in event_schema["oneOf"]:
            name = branch["properties"]["event"]["const"]
            if name in self.branches:
                raise ValueError(f"two branches of the events schema are named {name!r}")
            self.branches[name] = _compiled(branch)  # checked after `common`

    def validate(self, result: Any) -> None:
        """Raise jsonschema's ValidationError where Rasa's check would fail."""
        self.envelope.validate(result)
        for event in result.get("events") or []:
            self.common.validate(event)
            branch = self.branches.get(event["event"])
            if branch is None:
                raise ValidationError(f"{event!r} is not valid under any of the given schemas")
            branch.validate(event)


def _compiled(schema: Dict[Text, Any]) -> Any:
    validator = validator_for(schema)
    validator.check_schema(schema)
    return validator(schema)


@functools.lru_cache(maxsize=1)
def _response_validator() -> ResponseValidator:
    return ResponseValidator(RemoteAction.action_response_format_spec())


def install(knowledge_dir: Optional[Path] = None) -> None:
    """Make every custom action Rasa creates from here on a ResilientRemoteAction."""
    ResilientRemoteAction.unavailable = unavailable_text(knowledge_dir or settings.knowledge_dir())
    ResilientRemoteAction.timeout = timeout_seconds()
    # Rasa builds custom actions through this module-level name (action_for_name_or_text).
    rasa_action.RemoteAction = ResilientRemoteAction
