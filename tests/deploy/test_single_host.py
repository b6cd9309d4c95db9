"""`make run` on one machine (python -m codecare run, the root endpoints.yml with its SQLite
file moved into a temporary folder): conversations survive a restart, and `make report`,
`make purge`, `make erase` work on that store."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import uuid
from pathlib import Path
from typing import Dict, Iterator, List

import pytest

from tests.conftest import ROOT
from tests.deploy.servers import STARTUP_SECONDS, free_port, http, wait_until


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
    with RunScript(environment, tmp_path / "first-run.log") as run:
        run.say(user, "what does a clinical informaticist do?")
        run.say(user, "which skills are needed for it?")
    with RunScript(environment, tmp_path / "second-run.log") as run:
        run.say(user, "can you give an example?")
        run.say(user, "tell me about the football scores")
    database = tmp_path / "data" / "codecare.db"
    assert answer_ids(database, user)[:3] == [f"role.clinical_informaticist.{a}" for a in ("duties", "skills", "example")]

    assert "report/index.html" in make(environment, "report")
    html = (tmp_path / "data" / "report" / "index.html").read_text()
    assert "<code>role.clinical_informaticist.duties</code>" in html  # a most asked topic
    assert "tell me about the football scores" in html

    assert "deleted 0 events" in make(environment, "purge", "DAYS=30")
    assert f"conversation '{user}':" in make(environment, "erase", f"ID={user}")
    assert answer_ids(database, user) == []
