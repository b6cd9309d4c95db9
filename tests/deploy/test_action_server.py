"""The action server as the actions image runs it: a failing action gets a generic 500, and
neither the answer nor the log repeats the conversation."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

from codecare import launch
from tests.deploy.servers import Server, free_port, http, wait_until
from tests.support.rasa_cli import env

TOKEN = "action-server-test-token-0123456789"
SECRET = "my private worry about my manager Ms Quill"


def test_a_failing_action_answers_a_generic_500_and_logs_no_message_text(tmp_path: Path) -> None:
    port = free_port()
    server = Server("actions", launch.actions_command(port), tmp_path / "actions.log",
                    {**env(), "CODECARE_ACTION_TOKEN": TOKEN, "CODECARE_ACTIONS_REQUIRE_TOKEN": "true"})
    server.start()
    try:
        wait_until(lambda: http(f"http://127.0.0.1:{port}/health", timeout=2)[0] == 200, "actions up", 60, server)
        # A latest message that is not an object: the action fails inside, on the user's words.
        body = {"next_action": "action_answer", "sender_id": "u1",
                "tracker": {"sender_id": "u1", "latest_message": SECRET}, "domain": {}}
        status, answer = http(f"http://127.0.0.1:{port}/webhook", body, headers={"X-Codecare-Action-Token": TOKEN})
    finally:
        server.stop()
    log = server.log.read_text()
    assert status == 500, answer
    assert json.loads(answer) == {"error": "internal error"}
    assert "Action server: action_answer failed on POST /webhook" in log
    assert SECRET not in log and "Quill" not in log
