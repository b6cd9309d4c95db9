"""Real servers for the security tests, started by the launcher (codecare/launch.py): the
action server (python -m actions.server, with a shared secret) and the Rasa server (plain
`rasa run` with the project's credentials.yml and endpoints.yml on a SQLite file, the action
token as a header, a token-protected HTTP API, debug logs to a file), on free loopback ports."""
from __future__ import annotations

import json
import subprocess
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Optional, Tuple

import pytest

from tests.support.rasa_cli import servers as running

ACTION_TOKEN = "test-action-secret-0123456789abcdef"
API_TOKEN = "test-api-token-0123456789abcdef"
MAX_BODY = 65536  # codecare.settings.MAX_BODY_BYTES


def request(url: str, body: Optional[bytes] = None, headers: Optional[dict] = None,
            method: Optional[str] = None, timeout: float = 60) -> Tuple[int, bytes]:
    req = urllib.request.Request(url, data=body, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def post_json(url: str, payload: dict, headers: Optional[dict] = None) -> Tuple[int, object]:
    status, body = request(url, json.dumps(payload).encode(), {"Content-Type": "application/json", **(headers or {})})
    return status, json.loads(body) if body else None


@dataclass
class Servers:
    base: str
    actions: str
    rasa: subprocess.Popen
    action: subprocess.Popen
    rasa_log: Path
    db: Path

    def tracker(self, sender: str) -> dict:
        status, body = request(f"{self.base}/conversations/{sender}/tracker?token={API_TOKEN}")
        assert status == 200, body
        return json.loads(body)


@pytest.fixture(scope="session")
def servers(trained_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    work = tmp_path_factory.mktemp("security")
    db = work / "trackers.db"
    # deploy/endpoints.yml's shape on one machine: the action token sent as a header
    endpoints = {"tracker_store": {"url": f"sqlite:///{db}"},
                 "action_endpoint": {"headers": {"X-Codecare-Action-Token": ACTION_TOKEN}}}
    with running(trained_model, work, endpoints=endpoints, auth_token=API_TOKEN, rasa_args=["--debug"],
                 actions_env={"CODECARE_ACTION_TOKEN": ACTION_TOKEN, "CODECARE_ACTIONS_REQUIRE_TOKEN": "true"}
                 ) as started:
        yield Servers(started.base, started.actions_url, started.rasa, started.action, started.rasa_log, db)
