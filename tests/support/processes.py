"""Local server processes for the tests and the bench: a free loopback port, and stopping
what was started (the launcher's own `stop`, codecare/launch.py)."""
from __future__ import annotations

import socket

from codecare.launch import stop  # noqa: F401 - one way to stop servers, re-exported


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
