"""What every Code & Care channel does to a message before Rasa parses, stores or logs it.

The channels (`rest`, `socketio` and the widget's `codecare`, all in server/channels/)
are Rasa input channels loaded by name from credentials.yml; each passes its messages
through `MessageGuard`:

- the text is a string without NUL and other control characters (PostgreSQL refuses NUL
  in text; they are never meaningful here), lone surrogates replaced;
- a text longer than `codecare.settings.max_message_chars()` (CODECARE_MAX_MESSAGE_CHARS,
  1,000) is not parsed at all: `rest` and `socketio` answer it with the knowledge's
  `fallback.too_long` text (answer_id `fallback.too_long`), recorded as a turn of intent
  `message_too_long` with a short note instead of the text and no model run; the widget's
  channel refuses it with a 413 the widget shows;
- personal data is redacted in the text and the metadata (`privacy.redact`, `redact_data`),
  so the NLU, the logs and the tracker store only ever see `[EMAIL]`, `[PHONE]`, ... The question around it is still answered;
- a payload (`/intent{...}`, which Rasa would take as the intent itself, skipping the NLU
  and its medical guard) is kept only when it is one of the buttons of the assistant's
  latest message in that conversation, `/restart`, or a well-formed rating
  (`/rate{"answer_id": "...", "helpful": true|false, "comment": "..."}`, whose action checks
  the answer id); any other is read as ordinary text without its leading '/';
- a sender id that is not `auth.SENDER` is dropped with a warning (the channels refuse it
  with 400 first; this is the backstop before the tracker store);
- request bodies larger than `codecare.settings.max_body_bytes()` (CODECARE_MAX_BODY,
  64 KiB) get 413 from Sanic (its REQUEST_MAX_SIZE, set when the server starts).

The tracker store (server/stores/tracker_store.py) and the log filter (privacy/log_filter.py)
redact again whatever enters another way (Rasa's HTTP API, `rasa shell`).
"""
from __future__ import annotations

import json
import logging
import re
from typing import Any, Awaitable, Callable, FrozenSet, Optional, Set, Tuple

from rasa.core.actions.action import create_bot_utterance
from rasa.core.channels.channel import UserMessage
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from sanic import Blueprint

from carekb import contract, load_knowledge
from codecare import settings
from privacy import log_filter, redact, redact_data
from server.channels.auth import valid_sender

logger = logging.getLogger(__name__)

TOO_LONG_INTENT = "message_too_long"
ACTION_NAME = "action_answer"
# C0 controls except tab, newline, carriage return; DEL; C1 controls.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
SURROGATE = re.compile(r"[\ud800-\udfff]")  # lone halves: not encodable as UTF-8 (logs, PostgreSQL)

RESTART = "/restart"
RATE = re.compile(r"/rate(\{.*\})", re.DOTALL)
RATE_FIELDS = {"answer_id": str, "helpful": bool, "comment": str}

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


def clean(text: Any, limit: int) -> Tuple[Optional[str], int]:
    """(text to keep, original length if over the limit else 0) for any incoming text."""
    if text is None:
        return None, 0
    if not isinstance(text, str):
        text = str(text)
    text = SURROGATE.sub("\ufffd", CONTROL.sub("", text))
    if len(text.strip()) > limit:
        return f"[message of {len(text)} characters, over the {limit} character limit]", len(text)
    return redact(text), 0


def is_rating(payload: str) -> bool:
    """A `/rate{...}` payload with a string answer_id, a boolean `helpful` and at most a
    string comment: any conversation may send one (the action checks the answer id)."""
    match = RATE.fullmatch(payload)
    if not match:
        return False
    try:
        fields = json.loads(match.group(1))
    except (ValueError, RecursionError):
        return False
    return (isinstance(fields, dict) and {"answer_id", "helpful"} <= fields.keys() <= RATE_FIELDS.keys()
            and all(type(fields[name]) is RATE_FIELDS[name] for name in fields))


def offered_payloads(events: Any) -> FrozenSet[str]:
    """The button payloads of the assistant's latest answer among `events`, and of the
    replies to ratings given since."""
    offered: Set[str] = set()
    for event in reversed(list(events)):
        if isinstance(event, BotUttered):
            offered.update(str(b.get("payload")) for b in event.data.get("buttons") or []
                           if isinstance(b, dict) and b.get("payload"))
            if (event.metadata or {}).get("answer_id") not in contract.RATING_REPLIES:
                break
    return frozenset(offered)


def as_text(payload: str) -> str:
    """A payload nobody offered, as the words a user typed: the NLU and its guards see it."""
    return payload.lstrip().lstrip("/").strip()


def too_long_text() -> str:
    return load_knowledge(settings.knowledge_dir()).entry(contract.TOO_LONG).text.strip()


class MessageGuard:
    """One channel's guard: wraps its `on_new_message` and sets the body limit on start."""

    def __init__(self) -> None:
        from server import patches  # the tracker store installs them too; whichever Rasa loads first

        log_filter.install()
        patches.install()
        self.limit = settings.max_message_chars()
        self.body_limit = settings.max_body_bytes()
        self.reply = too_long_text()
        self.app: Any = None

    def attach(self, blueprint: Blueprint) -> Blueprint:
        """Remember the app (for the agent) and cap Sanic's body size when the server starts."""
        @blueprint.listener("before_server_start")
        async def limit_bodies(app: Any, _loop: Any) -> None:
            self.app = app
            if app.config.REQUEST_MAX_SIZE > self.body_limit:
                app.config.REQUEST_MAX_SIZE = self.body_limit

        return blueprint

    def wrap(self, on_new_message: OnNewMessage, answer_too_long: bool = True) -> OnNewMessage:
        async def guarded(message: UserMessage) -> Any:
            if not valid_sender(message.sender_id):
                logger.warning("Ignored a message whose sender id is not a valid id.")
                return None
            text, too_long = clean(message.text, self.limit)
            message.metadata = redact_data(message.metadata)
            if text is not None and not too_long and text.lstrip().startswith("/"):
                text = await self.payload_or_text(message.sender_id, text)
            message.text = text
            if not too_long:
                return await on_new_message(message)
            logger.info("Message of %d characters from %s over the limit; answering %s.",
                        too_long, message.sender_id, contract.TOO_LONG)
            if answer_too_long:
                await self.answer_too_long(message)
            return None

        return guarded

    async def payload_or_text(self, sender_id: str, text: str) -> str:
        """`text` if it is a payload this conversation may send now, else `as_text(text)`."""
        payload = text.strip()
        if payload == RESTART or is_rating(payload):
            return payload
        agent = getattr(getattr(self.app, "ctx", None), "agent", None)
        store = getattr(agent, "tracker_store", None)
        tracker = await store.retrieve(sender_id) if store is not None else None
        if tracker is not None and payload in offered_payloads(tracker.events):
            return payload
        logger.info("A payload that was not offered in this conversation is read as text.")
        return as_text(payload)

    async def answer_too_long(self, message: UserMessage) -> None:
        """The polite reply, recorded like any other turn, without parsing or predicting
        (Rasa's public processor and lock store API, as Agent.handle_message uses them)."""
        agent = getattr(getattr(self.app, "ctx", None), "agent", None)
        if agent is None or not agent.is_ready():
            logger.info("Ignoring message as there is no agent to handle it.")
            return
        async with agent.lock_store.lock(message.sender_id):
            processor = agent.processor
            tracker = await processor.fetch_tracker_and_update_session(
                message.sender_id, message.output_channel, message.metadata)
            intent = {"name": TOO_LONG_INTENT, "confidence": 1.0}
            tracker.update(UserUttered(
                message.text, intent=intent,
                parse_data={"text": message.text, "intent": intent, "entities": []},
                input_channel=message.input_channel, message_id=message.message_id,
                metadata=message.metadata))
            reply = create_bot_utterance({"text": self.reply, "answer_id": contract.TOO_LONG})
            tracker.update(ActionExecuted(ACTION_NAME, policy=__name__, confidence=1.0))
            tracker.update(reply)
            tracker.update(ActionExecuted(ACTION_LISTEN_NAME, policy=__name__, confidence=1.0))
            await message.output_channel.send_response(message.sender_id, reply.message())
            await processor.save_tracker(tracker)
