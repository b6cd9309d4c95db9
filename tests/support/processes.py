"""Local server processes: a free loopback port, and stopping what was started.

Shared by `make bench` and the tests, which both start real Rasa and action servers.
"""
from __future__ import annotations

import socket
import subprocess
from typing import Iterable


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop(procs: Iterable[subprocess.Popen], seconds: float = 20) -> None:
    """Terminate the processes, killing any that have not stopped within `seconds`."""
    procs = list(procs)
    for proc in procs:
        proc.terminate()
    for proc in procs:
        try:
            proc.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            proc.kill()
