"""Every CODECARE_* setting, read here and nowhere else (pure Python, no Rasa imports).

Each function reads the environment when it is called, so a test or a launcher can set a
variable for a child process. Rasa's own files name the rest: the root `endpoints.yml`
holds literal single-host values (this machine's action server, SQLite under `var/`,
in-memory locks); `deploy/endpoints.yml` reads `CODECARE_DB_URL`, `CODECARE_ACTION_URL`,
`CODECARE_ACTION_TOKEN`, `CODECARE_LOCK_STORE` and `CODECARE_REDIS_*` through Rasa's
`${VAR}`, which fails loudly when one is missing.

| variable | default | read by |
| --- | --- | --- |
| CODECARE_KNOWLEDGE_DIR | `knowledge/` of this repository | NLU component, action, patches, admin |
| CODECARE_MAX_MESSAGE_CHARS | 1000 | every channel (server/channels/guard.py), the widget's input |
| CODECARE_MAX_BODY | 65536 bytes | every channel: Sanic's request size limit (413 above it) |
| CODECARE_ACTION_TIMEOUT | 4 s | server/patches.py: the polite reply when the action server fails |
| CODECARE_TRACKER_WINDOW, CODECARE_TRACKER_CACHE | 24 events, 1000 conversations | server/stores/recent_window.py |
| CODECARE_JWT_SECRET, CODECARE_JWT_PUBLIC_KEY | unset (no sign-on) | server/channels/auth.py: every channel |
| CODECARE_JWT_AUDIENCE, CODECARE_JWT_ISSUER | unset (not checked) | server/channels/auth.py: required `aud`, `iss` (a channel's credentials may override) |
| CODECARE_JWT_MAX_LIFETIME | 43200 s (12 h) | server/channels/auth.py: longest `exp - iat` accepted |
| CODECARE_SENDER_HASH_KEY | unset (email-like `sub` refused) | server/channels/auth.py, admin erase: HMAC key for email identities |
| CODECARE_ACTION_TOKEN | unset (no shared secret) | actions/server.py (deploy/endpoints.yml sends it) |
| CODECARE_ACTIONS_HOST, CODECARE_ACTIONS_PORT | 127.0.0.1, 5055 | actions/server.py |
| CODECARE_ACTIONS_REQUIRE_TOKEN | false | actions/server.py: refuse to start without a token |
| CODECARE_DATA_DIR | `var/` of this repository | admin report output, the launcher's logs |
| CODECARE_HOST, CODECARE_PORT, CODECARE_MODEL | 127.0.0.1, 5005, models/codecare.tar.gz | codecare/launch.py (`make run`) |
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Mapping, Optional

ROOT = Path(__file__).resolve().parent.parent

MAX_MESSAGE_CHARS = 1000
MAX_BODY_BYTES = 64 * 1024
ACTION_TIMEOUT_SECONDS = 4.0
TRACKER_WINDOW = 24  # events: about three turns (user, action, bot, slots, listen)
TRACKER_CACHE = 1000  # conversations whose window stays in memory between turns
JWT_MAX_LIFETIME_SECONDS = 12 * 3600  # a working shift: longer-lived tokens are refused
ACTIONS_HOST = "127.0.0.1"
ACTIONS_PORT = 5055
RASA_HOST = "127.0.0.1"
RASA_PORT = 5005


def _get(name: str, env: Optional[Mapping[str, str]] = None) -> str:
    return ((os.environ if env is None else env).get(name) or "").strip()


def knowledge_dir(env: Optional[Mapping[str, str]] = None) -> Path:
    """The knowledge folder: the one resolver every reader uses."""
    return Path(_get("CODECARE_KNOWLEDGE_DIR", env) or ROOT / "knowledge").resolve()


def data_dir(env: Optional[Mapping[str, str]] = None) -> Path:
    """Where this machine keeps conversations, logs and reports: git-ignored `var/`."""
    return Path(_get("CODECARE_DATA_DIR", env) or ROOT / "var").resolve()


def max_message_chars(env: Optional[Mapping[str, str]] = None) -> int:
    """The longest message any channel passes to the model."""
    return int(_get("CODECARE_MAX_MESSAGE_CHARS", env) or MAX_MESSAGE_CHARS)


def max_body_bytes(env: Optional[Mapping[str, str]] = None) -> int:
    """The largest request body the Rasa server reads (Sanic's REQUEST_MAX_SIZE)."""
    return int(_get("CODECARE_MAX_BODY", env) or MAX_BODY_BYTES)


def action_timeout(env: Optional[Mapping[str, str]] = None) -> float:
    """Seconds a user waits for the action server before the polite "unavailable" reply."""
    return float(_get("CODECARE_ACTION_TIMEOUT", env) or ACTION_TIMEOUT_SECONDS)


def tracker_window(env: Optional[Mapping[str, str]] = None) -> int:
    """Events a turn loads (0 loads the whole session, as Rasa does)."""
    return int(_get("CODECARE_TRACKER_WINDOW", env) or TRACKER_WINDOW)


def tracker_cache(env: Optional[Mapping[str, str]] = None) -> int:
    """Conversations whose window stays in memory between turns (0: none)."""
    value = _get("CODECARE_TRACKER_CACHE", env)
    return TRACKER_CACHE if value == "" else int(value)


def jwt_secret(env: Optional[Mapping[str, str]] = None) -> str:
    return _get("CODECARE_JWT_SECRET", env)


def jwt_public_key(env: Optional[Mapping[str, str]] = None) -> str:
    return _get("CODECARE_JWT_PUBLIC_KEY", env)


def jwt_audience(env: Optional[Mapping[str, str]] = None) -> str:
    return _get("CODECARE_JWT_AUDIENCE", env)


def jwt_issuer(env: Optional[Mapping[str, str]] = None) -> str:
    return _get("CODECARE_JWT_ISSUER", env)


def jwt_max_lifetime(env: Optional[Mapping[str, str]] = None) -> int:
    """Seconds a token may be valid for (exp - iat): a leaked token cannot live for years."""
    return int(_get("CODECARE_JWT_MAX_LIFETIME", env) or JWT_MAX_LIFETIME_SECONDS)


def sender_hash_key(env: Optional[Mapping[str, str]] = None) -> str:
    """The HMAC key that turns an email identity into its conversation key ('' for none)."""
    return _get("CODECARE_SENDER_HASH_KEY", env)


def action_token(env: Optional[Mapping[str, str]] = None) -> str:
    """The shared secret between the Rasa server and the action server ('' for none)."""
    return _get("CODECARE_ACTION_TOKEN", env)


def actions_require_token(env: Optional[Mapping[str, str]] = None) -> bool:
    return _get("CODECARE_ACTIONS_REQUIRE_TOKEN", env).lower() == "true"


def actions_host(env: Optional[Mapping[str, str]] = None) -> str:
    return _get("CODECARE_ACTIONS_HOST", env) or ACTIONS_HOST


def actions_port(env: Optional[Mapping[str, str]] = None) -> int:
    return int(_get("CODECARE_ACTIONS_PORT", env) or ACTIONS_PORT)


def rasa_host(env: Optional[Mapping[str, str]] = None) -> str:
    return _get("CODECARE_HOST", env) or RASA_HOST


def rasa_port(env: Optional[Mapping[str, str]] = None) -> int:
    return int(_get("CODECARE_PORT", env) or RASA_PORT)


def model_path(env: Optional[Mapping[str, str]] = None) -> Path:
    return Path(_get("CODECARE_MODEL", env) or ROOT / "models" / "codecare.tar.gz")
