"""The one choke point for bad input: every message, from every channel, passes here.

Every Rasa channel (rest, socketio, the codecare widget, the HTTP API's
`/conversations/{id}/messages`, `rasa shell`) builds a `rasa.core.channels.channel.UserMessage`
before anything is parsed, stored or logged. `install()` wraps its constructor so that:

- the text is a string (a JSON number, list or object in "message" becomes its text rather
  than an exception: Rasa 3.6 calls `text.strip()`), without NUL and other control
  characters (PostgreSQL refuses NUL in text; they are never meaningful here);
- a text longer than `CODECARE_MAX_MESSAGE_CHARS` (2,000) is not parsed at all: it is
  replaced by a short note, and the processor answers it with the knowledge's
  `fallback.too_long` text (answer_id `fallback.too_long`), with no model run;
- personal data is redacted (`privacy.redact`: emails, phone numbers, SSNs, medical record
  numbers, dates of birth, names introduced as such), so the tracker store, the logs and
  the NLU only ever see `[EMAIL]`, `[PHONE]`, ... The question around it is still answered.

Rasa's REST channel answers 500 to a body that is empty, a JSON list, or has a sender,
message or metadata of the wrong type; `install()` makes those 400 (`rest_body`).
The body size of a request is Sanic's REQUEST_MAX_SIZE, set through the environment
(`SANIC_REQUEST_MAX_SIZE`, scripts/run.sh and deploy/): a larger body gets 413.
`ops.launch` calls `install()` before starting Rasa's CLI.
"""
from __future__ import annotations

import functools
import logging
import os
import re
from pathlib import Path
from typing import Any, Dict, List, Optional

from rasa.core.actions.action import create_bot_utterance
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic.exceptions import InvalidUsage
from sanic.request import Request
from rasa.core.processor import MessageProcessor
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted, UserUttered

from carekb import contract, load_knowledge
from ops import settings
from privacy import redact

logger = logging.getLogger(__name__)

DEFAULT_MAX_CHARS = 2000
TOO_LONG_INTENT = "message_too_long"
ACTION_NAME = "action_answer"
# C0 controls except tab, newline, carriage return; DEL; C1 controls.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
SURROGATE = re.compile(r"[\ud800-\udfff]")  # lone halves: not encodable as UTF-8 (logs, PostgreSQL)
_FLAG = "_codecare_too_long"


def max_chars() -> int:
    """CODECARE_MAX_MESSAGE_CHARS: the longest message the model is run on."""
    return int(os.environ.get("CODECARE_MAX_MESSAGE_CHARS") or DEFAULT_MAX_CHARS)


def clean(text: Any, limit: int) -> tuple:
    """(text to keep, original length if over the limit else 0) for any incoming text."""
    if text is None:
        return None, 0
    if not isinstance(text, str):
        text = str(text)
    text = SURROGATE.sub("\ufffd", CONTROL.sub("", text))
    if len(text.strip()) > limit:
        return f"[message of {len(text)} characters, over the {limit} character limit]", len(text)
    return redact(text), 0


class _State:
    limit = DEFAULT_MAX_CHARS
    too_long_text = ""
    installed = False


def _wrap_user_message() -> None:
    original = UserMessage.__init__

    @functools.wraps(original)
    def __init__(self: UserMessage, text: Optional[str] = None, *args: Any, **kwargs: Any) -> None:
        text, too_long = clean(text, _State.limit)
        original(self, text, *args, **kwargs)
        setattr(self, _FLAG, too_long)
        if too_long:
            logger.info("Message of %d characters from %s over the limit; answering %s.",
                        too_long, self.sender_id, contract.TOO_LONG)

    UserMessage.__init__ = __init__


def _wrap_processor() -> None:
    original = MessageProcessor.handle_message

    @functools.wraps(original)
    async def handle_message(self: MessageProcessor, message: UserMessage) -> Optional[List[Dict[str, Any]]]:
        if not getattr(message, _FLAG, 0):
            return await original(self, message)
        # the polite reply, recorded like any other turn, without parsing or predicting
        tracker = await self.fetch_tracker_and_update_session(
            message.sender_id, message.output_channel, message.metadata)
        tracker.update(UserUttered(
            message.text, intent={"name": TOO_LONG_INTENT, "confidence": 1.0},
            parse_data={"text": message.text, "intent": {"name": TOO_LONG_INTENT, "confidence": 1.0},
                        "entities": []},
            input_channel=message.input_channel, message_id=message.message_id, metadata=message.metadata))
        reply = create_bot_utterance({"text": _State.too_long_text, "answer_id": contract.TOO_LONG})
        tracker.update(ActionExecuted(ACTION_NAME, policy="ops.guard", confidence=1.0))
        tracker.update(reply)
        tracker.update(ActionExecuted(ACTION_LISTEN_NAME, policy="ops.guard", confidence=1.0))
        await message.output_channel.send_response(message.sender_id, reply.message())
        await self.save_tracker(tracker)
        if isinstance(message.output_channel, CollectingOutputChannel):
            return message.output_channel.messages
        return None

    MessageProcessor.handle_message = handle_message


def rest_body(request: Request) -> Dict[str, Any]:
    """The REST channel's body, checked: Rasa 3.6 answers 500 to an empty body, a JSON list,
    or a sender, message or metadata of the wrong type. These get 400 instead."""
    body = request.json  # Sanic: 400 for a body that is not JSON
    if not isinstance(body, dict):
        raise InvalidUsage("the body must be a JSON object like {\"sender\": \"me\", \"message\": \"hi\"}")
    if not isinstance(body.get("message"), str):
        raise InvalidUsage("'message' must be a string")
    if body.get("sender") is not None and not isinstance(body["sender"], (str, int)):
        raise InvalidUsage("'sender' must be a string")
    if body.get("metadata") is not None and not isinstance(body["metadata"], dict):
        raise InvalidUsage("'metadata' must be a JSON object")
    if body.get("input_channel") is not None and not isinstance(body["input_channel"], str):
        raise InvalidUsage("'input_channel' must be a string")
    return body


def _wrap_rest_channel() -> None:
    async def _extract_sender(self: RestInput, req: Request) -> Optional[str]:
        sender = rest_body(req).get("sender")
        return None if sender is None else str(sender)

    RestInput._extract_sender = _extract_sender
    RestInput._extract_message = lambda self, req: rest_body(req)["message"]
    RestInput._extract_input_channel = lambda self, req: rest_body(req).get("input_channel") or self.name()
    RestInput.get_metadata = lambda self, req: rest_body(req).get("metadata")


def install(knowledge_dir: Optional[Path] = None) -> None:
    """Wrap UserMessage and the processor once (idempotent)."""
    _State.limit = max_chars()
    _State.too_long_text = load_knowledge(knowledge_dir or settings.knowledge_dir()).entry(
        contract.TOO_LONG).text.strip()
    if _State.installed:
        return
    _wrap_user_message()
    _wrap_processor()
    _wrap_rest_channel()
    _State.installed = True
