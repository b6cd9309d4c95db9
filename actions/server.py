"""The action server, on an internal interface, with a shared secret on its webhook.

    python -m actions.server [--host 127.0.0.1] [--port 5055] [--actions actions]

On one machine plain `rasa run actions` serves the same actions too (on every interface,
without a token); this is what `make run`, the tests and the images start.

rasa-sdk's own `rasa run actions` listens on every interface (0.0.0.0), allows CORS from
`*` and accepts any caller. This runs the same rasa-sdk app (`rasa_sdk.endpoint.create_app`)
but:

- binds `CODECARE_ACTIONS_HOST` (default 127.0.0.1; a container sets 0.0.0.0 and relies on
  its network policy as well);
- when `CODECARE_ACTION_TOKEN` is set, every request except `GET /health` (the probe) must
  carry it, in the `X-Codecare-Action-Token` header (what deploy/endpoints.yml's
  `action_endpoint: headers:` sends) or as `?token=` (Rasa's `action_endpoint: token:`);
  anything else gets 401. Tokens are compared in constant time;
- `CODECARE_ACTIONS_REQUIRE_TOKEN=true` refuses to start without a token (production);
- no CORS headers: only the Rasa server calls it, never a browser;
- an action that fails answers 500 `{"error": "internal error"}`: rasa-sdk's own handler
  echoes the whole request (the conversation) and the exception's text, and logs both.
  Here the log gets the action's name, the exception's type and where it was raised
  (file, line, function), never message text.
"""
from __future__ import annotations

import argparse
import hmac
import logging
import traceback
from typing import Any, Optional

from sanic import Sanic, response
from sanic.request import Request

from codecare import settings
from privacy import log_filter

HEADER = "X-Codecare-Action-Token"
OPEN_PATHS = {"/health"}

logger = logging.getLogger(__name__)


def token_from_env() -> str:
    return settings.action_token()


def authorized(request: Request, token: str) -> bool:
    given = request.headers.get(HEADER) or request.args.get("token") or ""
    return hmac.compare_digest(given.encode(), token.encode())


def create_app(actions: str = "actions", token: Optional[str] = None) -> Sanic:
    """rasa-sdk's app with the shared-secret check in front of it."""
    from rasa_sdk.endpoint import create_app as sdk_app

    token = token_from_env() if token is None else token
    app = sdk_app(actions, cors_origins=None)

    @app.on_request
    async def check_token(request: Request):  # noqa: ANN202 - Sanic middleware
        if not token or request.path in OPEN_PATHS:
            return None
        if not authorized(request, token):
            logger.warning("Action server: refused %s %s from %s (no or wrong token)",
                           request.method, request.path, request.ip)
            return response.json({"error": "unauthorized"}, status=401)
        return None

    app.error_handler.add(Exception, internal_error)
    return app


def internal_error(request: Request, exception: Exception) -> Any:
    """A generic 500; the log names the action and where it failed, not what was said."""
    try:
        action = (request.json or {}).get("next_action", "?")
    except Exception:  # noqa: BLE001 - an unreadable body has no action name
        action = "?"
    where = " <- ".join(f"{frame.filename.rsplit('/', 1)[-1]}:{frame.lineno} {frame.name}"
                        for frame in reversed(traceback.extract_tb(exception.__traceback__)[-5:]))
    logger.error("Action server: %s failed on %s %s: %s at %s", action, request.method, request.path,
                 type(exception).__name__, where or "?")
    return response.json({"error": "internal error"}, status=500)


def main(argv: Optional[list] = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m actions.server", description=__doc__.splitlines()[0])
    parser.add_argument("--host", default=settings.actions_host())
    parser.add_argument("--port", type=int, default=settings.actions_port())
    parser.add_argument("--actions", default="actions")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s - %(message)s")
    log_filter.install()
    token = token_from_env()
    if not token:
        if settings.actions_require_token():
            raise SystemExit("CODECARE_ACTION_TOKEN is not set and CODECARE_ACTIONS_REQUIRE_TOKEN=true")
        logger.warning("CODECARE_ACTION_TOKEN is not set: the action server accepts any caller on %s",
                       args.host)
    app = create_app(args.actions, token)
    logger.info("Action server on http://%s:%d (token %s)", args.host, args.port, "on" if token else "off")
    app.run(host=args.host, port=args.port, workers=1, access_log=False, motd=False)


if __name__ == "__main__":
    main()
