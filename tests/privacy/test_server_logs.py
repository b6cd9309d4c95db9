"""A real Rasa server (the launcher, --debug logs to a file): messages starting with "/" cannot
forge log lines nor leave their text in a WARNING, and metadata is stored redacted."""
from __future__ import annotations

import re
import sqlite3
import uuid

from privacy.log_filter import WITHHELD
from tests.security.conftest import API_TOKEN, Servers, post_json

FORGED = "ERROR forged admin login"
SECRET = "dana.forged@example.org"
HOSTILE = ["/{\"role\": 1}\n" + FORGED + " " + SECRET,
           "/greet{not json\n" + FORGED + " " + SECRET + "}",
           "/\r\n" + FORGED + " \x1b[2J " + SECRET]


def test_slash_messages_neither_forge_lines_nor_show_their_text_in_warnings(servers: Servers) -> None:
    who = f"logs-{uuid.uuid4().hex[:8]}"
    for text in HOSTILE:
        # A channel reads a payload nobody offered as text; Rasa's HTTP API (token-protected)
        # passes it to Rasa's payload parser, which warns, quoting it.
        status, _ = post_json(f"{servers.base}/webhooks/rest/webhook", {"sender": who, "message": text})
        assert status == 200
        status, _ = post_json(f"{servers.base}/conversations/{who}/messages?token={API_TOKEN}",
                              {"text": text, "sender": "user"})
        assert status == 200
    log = servers.rasa_log.read_text(errors="replace")
    lines = log.splitlines()
    assert WITHHELD in log  # Rasa did warn about the payloads
    assert not [line for line in lines if line.startswith(FORGED)], "a forged log line"
    assert "\x1b[2J" not in log and SECRET not in log
    warnings = [line for line in lines if re.match(r"\S+ \S+ +(WARNING|ERROR|INFO) ", line)]
    assert not [line for line in warnings if "forged" in line.lower()], "message text at the normal level"


def test_metadata_from_a_channel_is_stored_redacted(servers: Servers) -> None:
    who = f"meta-{uuid.uuid4().hex[:8]}"
    status, _ = post_json(f"{servers.base}/webhooks/rest/webhook",
                          {"sender": who, "message": "what does a data scientist do?",
                           "metadata": {"contact": SECRET, "phone": "415-555-0132"}})
    assert status == 200
    with sqlite3.connect(servers.db) as db:
        stored = "\n".join(row[0] for row in db.execute("SELECT data FROM events WHERE sender_id = ?", (who,)))
    assert "[EMAIL]" in stored and "[PHONE]" in stored
    assert SECRET not in stored and "415-555-0132" not in stored
