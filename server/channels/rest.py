"""Rasa's `rest` channel with Code & Care's guard (server/channels/guard.py) in front.

Register it in credentials.yml in place of Rasa's `rest:`; its name and routes are the same
(`POST /webhooks/rest/webhook`):

    server.channels.rest.RestInput:

Besides the guard's length limit, redaction and body limit, it answers 400 where Rasa 3.6
answers 500: an empty body, a JSON list, or a sender, message, metadata or input_channel
of the wrong type.
"""
from __future__ import annotations

from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels import rest
from rasa.core.channels.channel import UserMessage
from sanic import Blueprint
from sanic.exceptions import InvalidUsage
from sanic.request import Request

from server.channels.guard import MessageGuard


def rest_body(request: Request) -> Dict[str, Any]:
    """The REST channel's body, checked: a JSON object with a string `message`."""
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


class RestInput(rest.RestInput):
    """Rasa's RestInput, guarded: limits, redaction and 400 for malformed bodies."""

    codecare_guarded = True  # readiness (server/channels/health.py) looks for this

    @classmethod
    def name(cls) -> Text:
        return "rest"

    def __init__(self) -> None:
        self.guard = MessageGuard()

    async def _extract_sender(self, req: Request) -> Optional[Text]:
        sender = rest_body(req).get("sender")
        return None if sender is None else str(sender)

    def _extract_message(self, req: Request) -> Optional[Text]:
        return rest_body(req)["message"]

    def _extract_input_channel(self, req: Request) -> Text:
        return rest_body(req).get("input_channel") or self.name()

    def get_metadata(self, request: Request) -> Optional[Dict[Text, Any]]:
        return rest_body(request).get("metadata")

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        return self.guard.attach(super().blueprint(self.guard.wrap(on_new_message)))
