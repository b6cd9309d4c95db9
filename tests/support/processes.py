"""Local server processes for the tests and the bench: a free loopback port, and stopping
what was started (the launcher's own `stop`, codecare/launch.py)."""
from __future__ import annotations

import random
import socket
from pathlib import Path
from typing import Set

from codecare.launch import stop  # noqa: F401 - one way to stop servers, re-exported

LOWEST = 10000
_handed_out: Set[int] = set()


def _ephemeral_low() -> int:
    """Where the kernel's ports for outgoing connections start: a port given out above it
    can be taken by any client's connection (Chromium's, say) before the server binds it."""
    try:
        return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now, below the ephemeral range
    and never the same twice in one process."""
    high = _ephemeral_low() - 1
    for _ in range(200):
        port = random.randint(LOWEST, high)
        if port in _handed_out:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
        _handed_out.add(port)
        return port
    raise RuntimeError(f"no free port between {LOWEST} and {high}")
