"""Run the Rasa CLI from the project's venv for tests, with the project's environment."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import List

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
    return subprocess.Popen([RASA, *args], cwd=ROOT, env=env(), stdout=log.open("w"),
                            stderr=subprocess.STDOUT)
