"""Rasa's `rest` channel with Code & Care's guard (server/channels/guard.py) and sign-on.

Register it in credentials.yml in place of Rasa's `rest:`; its name and routes are the same
(`POST /webhooks/rest/webhook`):

    server.channels.rest.RestInput:
      require_token: false   # true: refuse to start without a signing key

With a signing key (server/channels/auth.py) every request needs `Authorization: Bearer
<JWT>` (401 without a valid one) and the sender is the token's identity; a body whose
`sender` names someone else gets 403. Without a key the body's `sender` must be an id of
`auth.SENDER` (400 otherwise). `input_channel` is always "rest": a client cannot make its
turns look as if they came from another channel. Besides the guard's limits it answers 400
where Rasa 3.6 answers 500 (an empty body, a JSON list, fields of the wrong type), and
every reply carries `Cache-Control: no-store`.
"""
from __future__ import annotations

from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels import rest
from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint
from sanic.exceptions import Forbidden, InvalidUsage, Unauthorized
from sanic.request import Request
from sanic.response import HTTPResponse

from server.channels.auth import Refused, TokenVerifier, bearer, identify, channel_verifier
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
    return body


def verified_sender(verifier: Optional[TokenVerifier], request: Request, claimed: Any) -> str:
    """auth.identify with its refusals as Sanic's 400, 401 and 403."""
    try:
        return identify(verifier, bearer(request.headers.get("authorization")), claimed)
    except Refused as refused:
        if refused.status == 401:
            raise Unauthorized(str(refused)) from None
        raise (Forbidden if refused.status == 403 else InvalidUsage)(str(refused)) from None


class RestInput(rest.RestInput):
    """Rasa's RestInput, guarded and signed-on: limits, redaction, identity, 400 for
    malformed bodies."""

    codecare_guarded = True  # readiness (server/channels/health.py) looks for this

    @classmethod
    def name(cls) -> Text:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        credentials = credentials or {}
        verifier = channel_verifier(credentials, cls.name())
        return cls(verifier)

    def __init__(self, verifier: Optional[TokenVerifier] = None) -> None:
        self.guard = MessageGuard()
        self.verifier = verifier

    async def _extract_sender(self, req: Request) -> Optional[Text]:
        sender = rest_body(req).get("sender")
        claimed = None if sender is None else str(sender)
        if self.verifier is None and claimed is None:
            return None  # Rasa's "default" conversation, as Rasa's own channel does
        return verified_sender(self.verifier, req, claimed)

    def _extract_message(self, req: Request) -> Optional[Text]:
        return rest_body(req)["message"]

    def _extract_input_channel(self, req: Request) -> Text:
        return self.name()

    def get_metadata(self, request: Request) -> Optional[Dict[Text, Any]]:
        return rest_body(request).get("metadata")

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        blueprint = super().blueprint(self.guard.wrap(on_new_message))

        @blueprint.middleware("response")
        async def no_store(_: Request, response: HTTPResponse) -> None:
            response.headers["Cache-Control"] = "no-store"
            if response.status == 401:  # Sanic's error page drops the exception's own headers here
                response.headers.setdefault("WWW-Authenticate", 'Bearer error="invalid_token"')

        return self.guard.attach(blueprint)
