"""`make run` on one machine (python -m codecare run, the root endpoints.yml with its SQLite
file moved into a temporary folder): conversations survive a restart, and `make report`,
`make purge`, `make erase` work on that store; Rasa's HTTP API is on with a new random token
printed at each start, the conversations' folder and file are private."""
from __future__ import annotations

import argparse
import json
import os
import re
import signal
import stat
import sqlite3
import subprocess
import uuid
from pathlib import Path
from typing import Dict, Iterator, List

import pytest
from rasa.cli.arguments.run import add_server_arguments

from codecare import launch
from tests.conftest import MODEL, ROOT
from tests.deploy.servers import STARTUP_SECONDS, free_port, http, wait_until

TOKEN_LINE = re.compile(r"HTTP API: +token (\S+) ")


class RunScript:
    """`make run`'s launcher in its own session, stopped the way Ctrl-C stops it."""

    def __init__(self, environment: Dict[str, str], log: Path) -> None:
        self.environment, self.log = environment, log
        self.process: subprocess.Popen = None  # type: ignore[assignment]

    def __enter__(self) -> "RunScript":
        with self.log.open("w") as out:
            command = ["make", "-s", "run", f"ENDPOINTS={self.environment['ENDPOINTS']}"]
            self.process = subprocess.Popen(command, cwd=ROOT, env=self.environment, stdout=out,
                                            stderr=subprocess.STDOUT, start_new_session=True)
        url = f"http://127.0.0.1:{self.environment['CODECARE_PORT']}/webhooks/health/ready"

        def ready() -> bool:
            if self.process.poll() is not None:
                raise AssertionError(f"make run exited:\n{self.log.read_text()[-3000:]}")
            return "Code & Care is running." in self.log.read_text() and http(url, timeout=5)[0] == 200

        wait_until(ready, "make run ready", STARTUP_SECONDS)
        return self

    def api_token(self) -> str:
        [token] = TOKEN_LINE.findall(self.log.read_text())
        return token

    def api(self, path: str) -> int:
        return http(f"http://127.0.0.1:{self.environment['CODECARE_PORT']}{path}", timeout=30)[0]

    def say(self, sender: str, message: str) -> None:
        url = f"http://127.0.0.1:{self.environment['CODECARE_PORT']}/webhooks/rest/webhook"
        assert http(url, {"sender": sender, "message": message}, timeout=60)[0] == 200

    def __exit__(self, *exc: object) -> None:
        os.killpg(self.process.pid, signal.SIGINT)  # as Ctrl-C: make and the launcher
        self.process.wait(timeout=60)


@pytest.fixture
def environment(tmp_path: Path) -> Iterator[Dict[str, str]]:
    endpoints = tmp_path / "endpoints.yml"
    (tmp_path / "data").mkdir()
    endpoints.write_text((ROOT / "endpoints.yml").read_text().replace(
        "sqlite:///var/codecare.db", f"sqlite:///{tmp_path / 'data' / 'codecare.db'}"))
    yield {**{k: v for k, v in os.environ.items() if not k.startswith("CODECARE_")},
           "CODECARE_PORT": str(free_port()), "CODECARE_ACTIONS_PORT": str(free_port()),
           "CODECARE_DATA_DIR": str(tmp_path / "data"), "ENDPOINTS": str(endpoints)}


def answer_ids(database: Path, sender: str) -> List[str]:
    with sqlite3.connect(database) as connection:
        rows = connection.execute("SELECT data FROM events WHERE sender_id = ? AND type_name = 'bot' "
                                  "ORDER BY id", (sender,)).fetchall()
    return [json.loads(data)["metadata"]["answer_id"] for (data,) in rows]


def make(environment: Dict[str, str], *args: str) -> str:
    done = subprocess.run(["make", "-s", *args], cwd=ROOT, env=environment, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return done.stdout


def test_conversations_survive_a_restart_and_the_make_targets_work_on_them(
        trained_model: Path, environment: Dict[str, str], tmp_path: Path) -> None:
    user = f"single-{uuid.uuid4().hex[:6]}"
    tokens = []
    with RunScript(environment, tmp_path / "first-run.log") as run:
        run.say(user, "what does a clinical informaticist do?")
        run.say(user, "which skills are needed for it?")
        tokens.append(run.api_token())
        assert run.api(f"/conversations/{user}/tracker") == 401
        assert run.api(f"/conversations/{user}/tracker?token=wrong") == 401
        assert run.api(f"/conversations/{user}/tracker?token={tokens[0]}") == 200
        assert f"curl -s \"http://127.0.0.1:{environment['CODECARE_PORT']}/conversations/me/tracker?token={tokens[0]}\"" \
            in run.log.read_text(), "an example call with the token"
    with RunScript(environment, tmp_path / "second-run.log") as run:
        run.say(user, "can you give an example?")
        run.say(user, "tell me about the football scores")
        tokens.append(run.api_token())
        assert run.api(f"/conversations/{user}/tracker?token={tokens[0]}") == 401, "the old token is gone"
    assert len(tokens[0]) >= 40 and tokens[0] != tokens[1]
    database = tmp_path / "data" / "codecare.db"
    assert stat.S_IMODE((tmp_path / "data").stat().st_mode) == 0o700
    assert stat.S_IMODE(database.stat().st_mode) == 0o600
    assert answer_ids(database, user)[:3] == [f"role.clinical_informaticist.{a}" for a in ("duties", "skills", "example")]

    assert "report/index.html" in make(environment, "report")
    html = (tmp_path / "data" / "report" / "index.html").read_text()
    assert "<code>role.clinical_informaticist.duties</code>" in html  # a most asked topic
    assert "tell me about the football scores" in html

    assert "deleted 0 events" in make(environment, "purge", "DAYS=30")
    assert f"conversation '{user}':" in make(environment, "erase", f"ID={user}")
    assert answer_ids(database, user) == []


def test_the_launcher_never_starts_the_http_api_without_a_token(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="never started without --auth-token"):
        launch.rasa_command(MODEL, 5005, ROOT / "endpoints.yml", api=True)
    with pytest.raises(ValueError, match="never started without --auth-token"):
        launch.rasa_command(MODEL, 5005, ROOT / "endpoints.yml", extra=["--enable-api"])
    assert "--enable-api" not in launch.rasa_command(MODEL, 5005, ROOT / "endpoints.yml")
    command = launch.rasa_command(MODEL, 5005, ROOT / "endpoints.yml", api=True, auth_token="-t0ken")
    assert command[command.index("--enable-api"):][:2] == ["--enable-api", "--auth-token=-t0ken"]
    # A token that begins with "-" once stopped `make run`: Rasa's own parser must read it as the value.
    parser = argparse.ArgumentParser()
    add_server_arguments(parser)
    assert parser.parse_args(["--enable-api", "--auth-token=-t0ken"]).auth_token == "-t0ken"
    assert all(c in "0123456789abcdef" for c in launch.new_token())
