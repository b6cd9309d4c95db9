"""Run the Rasa CLI from the venv for tests, with the servers' environment (codecare/launch.py)."""
from __future__ import annotations

import subprocess
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional

import pytest

from codecare import launch
from tests.conftest import ROOT
from tests.support.processes import free_port, stop  # noqa: F401 - the tests' helpers, from one place

RASA = launch.RASA
API_TOKEN = "tests-api-token-0123456789abcdef"  # Rasa's HTTP API of the servers tests start


def env() -> dict:
    return launch.environment()


def rasa(*args: str, timeout: int = 900) -> subprocess.CompletedProcess:
    return subprocess.run([RASA, *args], cwd=ROOT, env=env(), capture_output=True, text=True,
                          timeout=timeout)


def tail(done: subprocess.CompletedProcess, lines: int = 40) -> str:
    return "\n".join((done.stdout + done.stderr).splitlines()[-lines:])


@contextmanager
def servers(model: Path, logs: Path, **options: object) -> Iterator[launch.Servers]:
    """Both servers through the launcher on free ports, for a fixture; a failed start fails the test.
    The HTTP API has `API_TOKEN` unless the test gives its own `auth_token`."""
    options = {**options, "auth_token": options.get("auth_token") or API_TOKEN}
    try:
        started = launch.start(model, rasa_port=free_port(), actions_port=free_port(), logs=logs, **options)
    except launch.StartError as error:
        pytest.fail(str(error))
    try:
        yield started
    finally:
        started.stop()


def tracker(base: str, sender: str, token: str = API_TOKEN) -> dict:
    import json
    import urllib.request

    """One conversation as Rasa's HTTP API gives it (events, slots)."""
    with urllib.request.urlopen(f"{base}/conversations/{sender}/tracker?token={token}", timeout=30) as response:
        return json.loads(response.read())


def tracker_events(base: str, sender: str, token: str = API_TOKEN) -> list:
    return tracker(base, sender, token)["events"]


__all__ = ["API_TOKEN", "RASA", "env", "rasa", "tail", "servers", "tracker", "tracker_events", "free_port", "stop"]
