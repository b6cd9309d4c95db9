"""Start the real action server and Rasa server, with the codecare channel, on free ports.

Shared by tests/channels and tests/web; each test module starts its own pair (about 20 s)
with the configuration it is about: plain, token-protected, or a doctored knowledge copy.
"""
from __future__ import annotations

import json
import shutil
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from typing import Any, Dict, Iterator, Optional, Sequence, Tuple

import yaml

from tests.conftest import ROOT
from codecare.launch import wait_for as _wait
from tests.support.rasa_cli import servers

CHANNEL = "server.channels.codecare.CodeCareInput"
SOCKETIO = "server.channels.socketio.SocketIOInput"


@dataclass(frozen=True)
class Servers:
    base: str  # the Rasa server, e.g. http://127.0.0.1:41234
    logs: Path
    api_token: str  # of Rasa's HTTP API

    def tracker_url(self, sender: str) -> str:
        return f"{self.base}/conversations/{sender}/tracker?token={self.api_token}"

    @property
    def channel(self) -> str:
        return f"{self.base}/webhooks/codecare/"

    @property
    def demo(self) -> str:
        return f"{self.base}/webhooks/codecare/demo/"


def credentials(work: Path, allowed_origins: Sequence[str] = ()) -> Path:
    """The project's credentials.yml, with the allowed origins of the widget's channel and of
    Socket.IO (a third-party widget's) set for a test."""
    config = yaml.safe_load((ROOT / "credentials.yml").read_text())
    assert CHANNEL in config and "server.channels.rest.RestInput" in config and SOCKETIO in config, config
    for channel in (CHANNEL, SOCKETIO):
        config[channel] = {**(config[channel] or {}), "allowed_origins": list(allowed_origins)}
    path = work / "credentials.yml"
    path.write_text(yaml.safe_dump(config))
    return path


def doctored_knowledge(work: Path, answer_id: str, text: str) -> Path:
    """A copy of knowledge/ in which one answer says `text`: how a test makes the real bot
    send a message of its choosing (e.g. hostile markup) through the whole pipeline."""
    copy = work / "knowledge"
    shutil.copytree(ROOT / "knowledge", copy)
    for path in (copy / "answers").glob("*.yml"):
        data = yaml.safe_load(path.read_text())
        for entry in data["entries"]:
            if entry["answer_id"] == answer_id:
                entry["text"] = text
                path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
                return copy
    raise KeyError(answer_id)


@contextmanager
def running(model: Path, work: Path, *, allowed_origins: Sequence[str] = (),
            extra_env: Optional[Dict[str, str]] = None, knowledge: Optional[Path] = None,
            api_token: Optional[str] = None, rasa_cors: Sequence[str] = ()) -> Iterator[Servers]:
    """Both servers for the duration of the block, started as `make run` starts them
    (codecare/launch.py); `api_token` protects Rasa's HTTP API; `rasa_cors` is Rasa's own
    --cors, which third-party widgets on other sites need."""
    environment = dict(extra_env or {})
    if knowledge:
        environment["CODECARE_KNOWLEDGE_DIR"] = str(knowledge)
    with servers(model, work, env=environment, auth_token=api_token,
                 rasa_args=["--cors", *rasa_cors] if rasa_cors else [],
                 credentials=credentials(work, allowed_origins),
                 endpoints={"tracker_store": {"url": f"sqlite:///{work / 'trackers.db'}"}}) as started:
        _wait(f"{started.base}/webhooks/codecare/", started.rasa, started.rasa_log, want='"ok"')
        yield Servers(started.base, work, started.api_token or "")


def request(url: str, body: Optional[bytes] = None,
            headers: Optional[Dict[str, str]] = None) -> Tuple[int, Message, bytes]:
    """Status, headers (case-insensitive) and body, for error statuses too."""
    req = urllib.request.Request(url, data=body, headers=headers or {},
                                 method="POST" if body is not None else "GET")
    try:
        with urllib.request.urlopen(req, timeout=60) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def post(servers: Servers, payload: Any, headers: Optional[Dict[str, str]] = None
         ) -> Tuple[int, Message, Dict[str, Any]]:
    """POST to the codecare webhook as the widget does: JSON in a text/plain body."""
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    status, response_headers, raw = request(servers.channel + "webhook", body,
                                            {"Content-Type": "text/plain;charset=UTF-8", **(headers or {})})
    return status, response_headers, json.loads(raw)
