"""Rasa's `socketio` channel (for third-party widgets such as rasa-webchat) with Code &
Care's guard (server/channels/guard.py) and sign-on in front. Register it in
credentials.yml in place of Rasa's `socketio:`, with the same settings:

    server.channels.socketio.SocketIOInput:
      user_message_evt: user_uttered
      bot_message_evt: bot_uttered
      session_persistence: false
      allowed_origins: []     # exact origins of pages on other sites; `null` never
      require_token: false    # true: refuse to start without a signing key

Who is speaking is decided on connect, not per message. With a signing key
(server/channels/auth.py) the connect's `auth` must be {"token": "<JWT>"}: the socket is
refused without a valid one, and every `user_uttered` of that socket speaks as the token's
identity whatever `session_id` it claims (Rasa 3.6's own `jwt_key` checks the token but
then takes the sender from the socket or the client). Every connect's `Origin` must be
this server, one of `allowed_origins`, or absent (a client that is not a browser); `null`
and other sites are refused. Without a key the sender is the socket id, or the
`session_id` with session persistence, which must be an `auth.SENDER` id.

A `user_uttered` payload that is not a JSON object, or whose `message` is not text, is
turned into text (a number) or ignored with a warning (a list, a bool, an object), where
Rasa 3.6's handler raises; string metadata that is not JSON is dropped.
"""
from __future__ import annotations

import json
import logging
import uuid
from typing import Any, Awaitable, Callable, Dict, Optional, Sequence, Text
from urllib.parse import urlsplit

from rasa.core.channels import socketio
from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint
from socketio.exceptions import ConnectionRefusedError

from server.channels.auth import Refused, TokenVerifier, identify, channel_verifier, valid_sender
from server.channels.codecare import ORIGIN
from server.channels.guard import MessageGuard

logger = logging.getLogger(__name__)


class SocketOutput(socketio.SocketIOOutput):
    """Sends to the one socket that asked, not to a room named after the sender id (which
    is now the user's identity, shared by all of that user's sockets)."""

    def __init__(self, sio: Any, bot_message_evt: Text, sid: Text) -> None:
        super().__init__(sio, bot_message_evt)
        self.sid = sid

    async def _send_message(self, socket_id: Text, response: Any) -> None:
        await self.sio.emit(self.bot_message_evt, response, room=self.sid)

    async def send_custom_json(self, recipient_id: Text, json_message: Dict[Text, Any], **kwargs: Any) -> None:
        await self._send_message(recipient_id, {k: v for k, v in json_message.items() if k != "room"})


class SocketIOInput(socketio.SocketIOInput):
    """Rasa's SocketIOInput, guarded: identity bound on connect, Origin checked, limits,
    redaction, malformed payloads ignored."""

    codecare_guarded = True  # readiness (server/channels/health.py) looks for this

    @classmethod
    def name(cls) -> Text:
        return "socketio"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        credentials = dict(credentials or {})
        if credentials.get("jwt_key"):
            raise ValueError("socketio: jwt_key is replaced by CODECARE_JWT_SECRET / CODECARE_JWT_PUBLIC_KEY, "
                             "which bind the sender to the token")
        verifier = channel_verifier(credentials, cls.name())
        channel = super().from_credentials(credentials)
        assert isinstance(channel, SocketIOInput)
        channel.configure(verifier, credentials.get("allowed_origins") or [])
        return channel

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.guard = MessageGuard()
        self.configure(None, [])

    def configure(self, verifier: Optional[TokenVerifier], allowed_origins: Sequence[str]) -> None:
        for origin in allowed_origins:
            if not ORIGIN.fullmatch(origin):
                raise ValueError(f"socketio allowed_origins: {origin!r} is not an origin like "
                                 "https://intranet.example.org (no wildcards, no path)")
        self.verifier = verifier
        self.allowed_origins = frozenset(allowed_origins)
        self.senders: Dict[Text, Text] = {}  # sid -> verified conversation key

    def origin_allowed(self, environ: Dict[str, Any]) -> bool:
        """Same rule as the widget's channel: this host, a listed origin, or no Origin at all
        (not a browser, so no other site's page is speaking through a visitor)."""
        origin = environ.get("HTTP_ORIGIN")
        if origin is None:
            return True
        return origin in self.allowed_origins or (
            origin != "null" and urlsplit(origin).netloc == environ.get("HTTP_HOST"))

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = super().blueprint(on_new_message)  # its handlers are all replaced below
        sio = self.sio
        guarded = self.guard.wrap(on_new_message)

        async def connect(sid: Text, environ: Dict[str, Any], auth: Optional[Dict[str, Any]] = None) -> None:
            if not self.origin_allowed(environ):
                logger.warning("socketio: refused a connection from origin %r", environ.get("HTTP_ORIGIN"))
                raise ConnectionRefusedError("this page's origin is not allowed to use the assistant")
            if self.verifier is None:
                return
            token = auth.get("token") if isinstance(auth, dict) else None
            try:
                self.senders[sid] = identify(self.verifier, token if isinstance(token, str) else None, None)
            except Refused as refused:
                logger.info("socketio: refused a connection: %s", refused)
                raise ConnectionRefusedError(str(refused)) from None

        async def disconnect(sid: Text) -> None:
            self.senders.pop(sid, None)

        async def session_request(sid: Text, data: Any = None, *_extra: Any) -> None:
            session_id = self.senders.get(sid) if self.verifier else None
            if session_id is None:
                claimed = data.get("session_id") if isinstance(data, dict) else None
                if claimed is not None and not valid_sender(claimed):
                    logger.warning("socketio: ignored a session_request with an invalid session_id from %s", sid)
                    return
                session_id = claimed or uuid.uuid4().hex
            if self.session_persistence:
                await sio.enter_room(sid, session_id)
            await sio.emit("session_confirm", session_id, room=sid)

        async def handle_message(sid: Text, data: Any = None, *_extra: Any) -> None:
            if not isinstance(data, dict):
                logger.warning("socketio: ignored a %s payload from %s", type(data).__name__, sid)
                return
            message = data.get("message", "")
            if isinstance(message, (int, float)) and not isinstance(message, bool):
                message = str(message)
            elif message is not None and not isinstance(message, str):
                logger.warning("socketio: ignored a message of type %s from %s", type(message).__name__, sid)
                return
            sender = self.sender_of(sid, data)
            if sender is None:
                return
            await guarded(UserMessage(message or "", SocketOutput(sio, self.bot_message_evt, sid), sender,
                                      input_channel=self.name(), metadata=self.metadata_of(data)))

        self.no_store_on_register(blueprint)
        for event, handler in (("connect", connect), ("disconnect", disconnect),
                               ("session_request", session_request), (self.user_message_evt, handle_message)):
            sio.on(event, handler, namespace=self.namespace)
        return self.guard.attach(blueprint)

    def no_store_on_register(self, blueprint: Blueprint) -> None:
        """`Cache-Control: no-store` on the Socket.IO polling responses (they carry answers).
        python-socketio adds its routes to the app itself, past the blueprint's middleware,
        so the header is set by an app middleware added when the server starts."""
        path = "/" + (self.socketio_path or "socket.io").strip("/")

        async def no_store(request: Any, response: Any) -> None:
            if request.path.rstrip("/") == path:
                response.headers["Cache-Control"] = "no-store"

        @blueprint.listener("before_server_start")
        async def add_no_store(app: Any, _loop: Any) -> None:
            app.register_middleware(no_store, "response")

    def sender_of(self, sid: Text, data: Dict[str, Any]) -> Optional[Text]:
        """The verified identity of the socket; without sign-on its id or a valid session_id."""
        if self.verifier is not None:
            sender = self.senders.get(sid)
            if sender is None:
                logger.warning("socketio: ignored a message from %s, which has no verified identity", sid)
            return sender
        if not self.session_persistence:
            return sid
        session_id = data.get("session_id")
        if not valid_sender(session_id):
            logger.warning("socketio: ignored a message from %s without a valid session_id", sid)
            return None
        return session_id

    def metadata_of(self, data: Dict[str, Any]) -> Dict[str, Any]:
        metadata = data.get(self.metadata_key)
        if isinstance(metadata, str):
            try:
                metadata = json.loads(metadata)
            except (ValueError, RecursionError):
                return {}
        return metadata if isinstance(metadata, dict) else {}
