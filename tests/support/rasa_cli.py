"""Run the Rasa CLI and the project's servers from the venv for tests, with the project's environment."""
from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import List

import pytest

from tests.support.processes import free_port, stop  # noqa: F401 - the tests' helpers, from one place
from tests.conftest import ROOT

RASA = str(Path(sys.executable).with_name("rasa"))


def env() -> dict:
    return {**os.environ, "PYTHONPATH": str(ROOT), "RASA_TELEMETRY_ENABLED": "false",
            "TF_CPP_MIN_LOG_LEVEL": "2", "SQLALCHEMY_SILENCE_UBER_WARNING": "1"}


def rasa(*args: str, timeout: int = 900) -> subprocess.CompletedProcess:
    return subprocess.run([RASA, *args], cwd=ROOT, env=env(), capture_output=True, text=True,
                          timeout=timeout)


def tail(done: subprocess.CompletedProcess, lines: int = 40) -> str:
    return "\n".join((done.stdout + done.stderr).splitlines()[-lines:])


def popen(args: List[str], log: Path) -> subprocess.Popen:
    """`rasa ARGS`, or `python -m MODULE ...` when ARGS start with "-m"."""
    command = [sys.executable, *args] if args[:1] == ["-m"] else [RASA, *args]
    return subprocess.Popen(command, cwd=ROOT, env=env(), stdout=log.open("w"), stderr=subprocess.STDOUT)


STARTUP_SECONDS = 180


def wait_until(url: str, proc: subprocess.Popen, log: Path, want: str = "") -> None:
    """Poll `url` until it answers with `want` in its body; fail with the server's log if it dies or stalls."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"server exited early:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if want in response.read().decode():
                    return
        except OSError:
            pass
        time.sleep(0.3)
    pytest.fail(f"{url} not ready after {STARTUP_SECONDS} s:\n{log.read_text()[-3000:]}")
