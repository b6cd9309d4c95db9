"""The Code & Care web channel: the widget's files, and its messages as JSON over HTTP.

Register it in credentials.yml:

    server.channels.codecare.CodeCareInput:
      allowed_origins: ["https://intranet.example-hospital.org"]

Routes, under /webhooks/codecare/:
  GET  widget.js, widget.css   the widget (one origin is all a host page must allow)
  GET  demo/                   a mock intranet page under the strict CSP (`demo: false` hides it)
  POST webhook                 {"sender", "message"} -> {"sender", "messages": [...]}

Each returned message carries `text`, `buttons` ({title, payload}) and, when the answer
has them, `answer_id`, `source`, `roles` and (for `handoff.human`) `contact`: the metadata the answer action attaches.

With CODECARE_JWT_SECRET (HS256) or CODECARE_JWT_PUBLIC_KEY (RS256) set, every request
must carry a JWT (`Authorization: Bearer`, or a `token` field so that browsers can post
without a CORS preflight) and the sender id is its identity, by the rule every channel
shares (server/channels/auth.py: `identify`); `jwt_audience` and `jwt_issuer` in the
credentials override CODECARE_JWT_AUDIENCE / CODECARE_JWT_ISSUER, `require_token: true`
refuses to start without a key. Webhook replies carry `Cache-Control: no-store`.
"""
from __future__ import annotations

import json
import logging
import re
from typing import Any, Awaitable, Callable, Dict, List, Optional, Sequence, Text
from urllib.parse import urlsplit

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from sanic_cors.core import SANIC_CORS_EVALUATED

from server.channels.assets import DEMO_CSP, Asset, load_assets
from server.channels.auth import Refused, TokenVerifier, bearer, identify, channel_verifier
from server.channels.guard import MessageGuard

logger = logging.getLogger(__name__)

METADATA_KEYS = ("answer_id", "source", "roles", "contact")
ORIGIN = re.compile(r"https?://(\[[0-9A-Fa-f:]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?")


class ClientError(Exception):
    """A request the channel refuses, with the HTTP status and a message for the client."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class CollectingOutput(OutputChannel):
    """Keeps the bot's messages of one request, with buttons and the answer's metadata.

    Rasa hands `send_response` the bot event's data and metadata in one dict (see
    BotUttered.message()); the standard collector drops the metadata, this one keeps it.
    """

    @classmethod
    def name(cls) -> Text:
        return CodeCareInput.name()

    def __init__(self) -> None:
        self.messages: List[Dict[str, Any]] = []

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        buttons = message.get("buttons") or message.get("quick_replies") or []
        if not message.get("text") and not buttons:
            return
        out: Dict[str, Any] = {
            "text": message.get("text") or "",
            "buttons": [{"title": str(b.get("title", "")), "payload": str(b.get("payload", ""))}
                        for b in buttons],
        }
        out.update({key: message[key] for key in METADATA_KEYS if message.get(key) is not None})
        self.messages.append(out)


class CodeCareInput(InputChannel):
    """Serves the widget and takes its messages; checks origins and, if configured, tokens.

    Messages pass the same guard as every channel (server/channels/guard.py); one over
    the limit is refused with 413 before the model, and the widget says so.
    """

    codecare_guarded = True  # readiness (server/channels/health.py) looks for this

    @classmethod
    def name(cls) -> Text:
        return "codecare"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        credentials = credentials or {}
        verifier = channel_verifier(credentials, cls.name())
        return cls(credentials.get("allowed_origins") or [], verifier,
                   demo=bool(credentials.get("demo", True)))

    def __init__(self, allowed_origins: Sequence[str] = (),
                 verifier: Optional[TokenVerifier] = None, demo: bool = True) -> None:
        for origin in allowed_origins:
            if not ORIGIN.fullmatch(origin):
                raise ValueError(f"allowed_origins: {origin!r} is not an origin like "
                                 "https://intranet.example.org (no wildcards, no path)")
        self.allowed_origins = frozenset(allowed_origins)
        self.guard = MessageGuard()
        self.verifier = verifier
        self.assets = {name: asset for name, asset in load_assets().items()
                       if demo or not name.startswith("demo/")}
        logger.info("codecare channel: origins %s, tokens %s", sorted(self.allowed_origins) or "same only",
                    verifier.algorithm if verifier else "off")

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        bp = Blueprint("codecare_webhook", __name__)
        on_new_message = self.guard.wrap(on_new_message, answer_too_long=False)

        @bp.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok", "tokens": bool(self.verifier)})

        @bp.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            # allowed_origins alone decide here: Rasa's global CORS (its --cors, kept for
            # Socket.IO widgets) must not add a second Access-Control-Allow-Origin.
            setattr(request.ctx, SANIC_CORS_EVALUATED, "1")
            cors = self._cors_headers(request)
            if cors is not None:
                cors["Cache-Control"] = "no-store"  # answers are personal: no cache keeps them
            if cors is None:
                return response.json({"error": "this page's origin is not allowed to use the assistant"},
                                     status=403, headers={"Vary": "Origin", "Cache-Control": "no-store"})
            try:
                body = self._body(request)
                sender = self._sender(request, body)
                text = self._message(body)
            except ClientError as error:
                headers = dict(cors)
                if error.status == 401:
                    reason = str(error).replace('"', "'")
                    headers["WWW-Authenticate"] = f'Bearer error="invalid_token", error_description="{reason}"'
                return response.json({"error": str(error)}, status=error.status, headers=headers)
            output = CollectingOutput()
            try:
                await on_new_message(UserMessage(text, output, sender, input_channel=self.name()))
            except Exception:  # the widget shows a failure; the details belong in the log
                logger.exception("codecare: could not handle a message of %s", sender)
                return response.json({"error": "the assistant could not answer"}, status=500,
                                     headers=cors)
            return response.json({"sender": sender, "messages": output.messages}, headers=cors)

        for name, asset in self.assets.items():
            bp.add_route(self._serve(asset), f"/{name}", methods=["GET"],
                         name="asset_" + re.sub(r"\W", "_", name))
        return self.guard.attach(bp)

    def _cors_headers(self, request: Request) -> Optional[Dict[str, str]]:
        """Headers for an allowed origin; None for a page the configuration does not allow.

        Browsers send Origin with every cross-origin POST, so refusing here (not only by
        withholding the CORS header) means another site cannot post as a visitor.
        """
        origin = request.headers.get("origin")
        if not origin or urlsplit(origin).netloc == request.host:
            return {"Vary": "Origin"}
        if origin in self.allowed_origins:
            return {"Access-Control-Allow-Origin": origin, "Vary": "Origin"}
        return None

    @staticmethod
    def _body(request: Request) -> Dict[str, Any]:
        """JSON whatever the Content-Type: the widget posts text/plain to stay CORS-simple."""
        try:
            body = json.loads(request.body or b"")
        except ValueError:
            raise ClientError(400, "the request body must be JSON") from None
        except RecursionError:  # e.g. thousands of nested lists, well under the body limit
            raise ClientError(400, "the request body is nested too deeply") from None
        if not isinstance(body, dict):
            raise ClientError(400, "the request body must be a JSON object")
        return body

    def _sender(self, request: Request, body: Dict[str, Any]) -> str:
        token = bearer(request.headers.get("authorization"))
        if token is None and isinstance(body.get("token"), str) and body["token"]:
            token = body["token"]
        try:
            return identify(self.verifier, token, body.get("sender"))
        except Refused as refused:
            raise ClientError(refused.status, str(refused)) from None

    def _message(self, body: Dict[str, Any]) -> str:
        text = body.get("message")
        if not isinstance(text, str) or not text.strip():
            raise ClientError(400, "'message' must be a non-empty string")
        if len(text) > self.guard.limit:
            raise ClientError(413, f"'message' is longer than {self.guard.limit} characters")
        return text.strip()

    @staticmethod
    def _serve(asset: Asset) -> Callable[[Request], Awaitable[HTTPResponse]]:
        headers = {"ETag": asset.etag, "Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"}
        if asset.content_type.startswith("text/html"):
            headers.update({"Content-Security-Policy": DEMO_CSP, "Referrer-Policy": "no-referrer"})

        async def serve(request: Request) -> HTTPResponse:
            if request.headers.get("if-none-match") == asset.etag:
                return response.empty(status=304, headers=headers)
            return response.raw(asset.body, content_type=asset.content_type, headers=headers)

        return serve
