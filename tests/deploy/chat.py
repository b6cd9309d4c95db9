"""Chat turns over HTTP and the turns PostgreSQL stored, for the deploy tests."""
from __future__ import annotations

import json
import time
from typing import List, Tuple

import sqlalchemy as sa

from tests.deploy.conftest import Cluster
from tests.deploy.servers import bearer, http


def say(url: str, sender: str, message: str) -> Tuple[int, List[dict], float]:
    """(status, messages, seconds) of one chat turn of the signed-in user `sender`."""
    started = time.monotonic()
    status, body = http(url, {"sender": sender, "message": message}, timeout=60, headers=bearer(sender))
    return status, (json.loads(body) if status == 200 else []), time.monotonic() - started


def answers(cluster: Cluster, sender: str) -> List[Tuple[str, str]]:
    """(user text, answer_id) of every stored turn of one conversation, in order."""
    query = sa.text("SELECT type_name, data FROM events WHERE sender_id = :sender "
                    "AND type_name IN ('user', 'bot') ORDER BY id")
    turns: List[Tuple[str, str]] = []
    with cluster.engine().connect() as connection:
        for kind, data in connection.execute(query, {"sender": sender}):
            event = json.loads(data)
            if kind == "user":
                turns.append((event["text"], ""))
            elif turns and not turns[-1][1]:
                turns[-1] = (turns[-1][0], (event.get("metadata") or {}).get("answer_id", ""))
    return turns
