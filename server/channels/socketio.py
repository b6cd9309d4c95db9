"""Rasa's `socketio` channel (for third-party widgets such as rasa-webchat) with Code &
Care's guard (server/channels/guard.py) in front. Register it in credentials.yml in place
of Rasa's `socketio:`, with the same settings:

    server.channels.socketio.SocketIOInput:
      user_message_evt: user_uttered
      bot_message_evt: bot_uttered
      session_persistence: false

A `user_uttered` payload that is not a JSON object, or whose `message` is not text, is
turned into text (a number) or ignored with a warning (a list, a bool, an object), where
Rasa 3.6's handler raises; string metadata that is not JSON is dropped.
"""
from __future__ import annotations

import json
import logging
from typing import Any, Awaitable, Callable, Text

from rasa.core.channels import socketio
from rasa.core.channels.channel import UserMessage
from sanic import Blueprint

from server.channels.guard import MessageGuard

logger = logging.getLogger(__name__)


class SocketIOInput(socketio.SocketIOInput):
    """Rasa's SocketIOInput, guarded: limits, redaction, malformed payloads ignored."""

    codecare_guarded = True  # readiness (server/channels/health.py) looks for this

    @classmethod
    def name(cls) -> Text:
        return "socketio"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.guard = MessageGuard()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = super().blueprint(self.guard.wrap(on_new_message))
        namespace = self.namespace or "/"
        rasa_handler = self.sio.handlers[namespace][self.user_message_evt]

        async def handle_message(sid: Text, data: Any) -> None:
            if not isinstance(data, dict):
                logger.warning("socketio: ignored a %s payload from %s", type(data).__name__, sid)
                return
            message = data.get("message", "")
            if isinstance(message, (int, float)) and not isinstance(message, bool):
                data = {**data, "message": str(message)}
            elif message is not None and not isinstance(message, str):
                logger.warning("socketio: ignored a message of type %s from %s", type(message).__name__, sid)
                return
            metadata = data.get(self.metadata_key)
            if isinstance(metadata, str):
                try:
                    json.loads(metadata)
                except ValueError:
                    data = {**data, self.metadata_key: {}}
            elif metadata is not None and not isinstance(metadata, dict):
                data = {**data, self.metadata_key: {}}
            await rasa_handler(sid, data)

        self.sio.on(self.user_message_evt, handle_message, namespace=self.namespace)
        return self.guard.attach(blueprint)
