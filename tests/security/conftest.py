"""Real servers for the security tests: the action server (python -m actions.server, with a
shared secret) and the Rasa server (python -m admin.launch, token-protected HTTP API,
SQLite tracker store, debug logs to a file), on free loopback ports."""
from __future__ import annotations

import json
import subprocess
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Optional, Tuple

import pytest

from tests.conftest import ROOT
from tests.support.rasa_cli import env, free_port, stop, wait_until

ACTION_TOKEN = "test-action-secret-0123456789abcdef"
API_TOKEN = "test-api-token-0123456789abcdef"
MAX_BODY = 65536






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


def start(args: list, log: Path, extra_env: dict) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, *args], cwd=ROOT, env={**env(), **extra_env},
                            stdout=log.open("w"), stderr=subprocess.STDOUT)


@pytest.fixture(scope="session")
def servers(trained_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    work = tmp_path_factory.mktemp("security")
    action_port, rasa_port = free_port(), free_port()
    db = work / "trackers.db"
    endpoints = work / "endpoints.yml"
    endpoints.write_text(f'action_endpoint:\n  url: "http://127.0.0.1:{action_port}/webhook"\n'
                         f'tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: "{db}"\n')
    common = {"CODECARE_ACTION_TOKEN": ACTION_TOKEN, "SANIC_REQUEST_MAX_SIZE": str(MAX_BODY)}
    procs = []
    try:
        actions_log = work / "actions.log"
        procs.append(start(["-m", "actions.server", "--port", str(action_port)], actions_log,
                           {**common, "CODECARE_ACTIONS_REQUIRE_TOKEN": "true"}))
        wait_until(f"http://127.0.0.1:{action_port}/health", procs[-1], actions_log)
        rasa_log = work / "rasa.log"
        procs.append(start(["-m", "ops.launch", "run", "--model", str(trained_model), "--enable-api",
                            "--auth-token", API_TOKEN, "--interface", "127.0.0.1", "--port", str(rasa_port),
                            "--endpoints", str(endpoints), "--credentials", str(ROOT / "credentials.yml"),
                            "--debug"], rasa_log, common))
        wait_until(f"http://127.0.0.1:{rasa_port}/status?token={API_TOKEN}", procs[-1], rasa_log,
                   want='"model_id"')
        yield Servers(f"http://127.0.0.1:{rasa_port}", f"http://127.0.0.1:{action_port}", procs[-1], procs[0],
                      rasa_log, db)
    finally:
        stop(procs)
