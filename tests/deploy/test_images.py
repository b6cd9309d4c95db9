"""The images, started from their file sets: deploy/rasa.Dockerfile and deploy/actions.Dockerfile.

No Docker engine runs here (the client exists, `docker build` has no daemon). Each image's
files are built into an empty folder from its Dockerfile's COPY lines and .dockerignore
(tests/deploy/images.py); the build stage's venv is stood in for by this repository's .venv
(same pinned packages: the file set is what is tested, not `pip install`). Each CMD is
started from its folder with the image's ENV and WORKDIR and the environment
deploy/docker-compose.yml gives it (a real SQLite file for the conversations), with nothing
of this process's environment and the repository not importable; `--port` is mapped to a
free port as `docker run -p` would. Not reproduced: USER 1001 (the stand-in venv's
interpreter lives under /root, 0700), so the files' modes are checked instead.

The Rasa image then answers a signed-in user's question (deploy/credentials.yml requires
sign-on) over its REST channel through the action server image, passes readiness, has no demo page and keeps its SQLite file private. With one COPY
line dropped (privacy/), each image fails to start.
"""
from __future__ import annotations

import json
import sqlite3
import stat
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterator, List

import pytest

from carekb import contract
from tests.conftest import ROOT
from tests.deploy.images import Image, build
from tests.deploy.manifests import DEPLOY, documents
from tests.deploy.servers import SIGN_ON, STARTUP_SECONDS, Server, bearer, free_port, http, wait_until

STAND_INS = {"/opt/venv": ROOT / ".venv"}
ACTION_TOKEN = "image-test-action-secret-0123456789"


def compose_environment(service: str) -> Dict[str, str]:
    """The variables docker-compose.yml sets for a service (the values are this test's)."""
    [compose] = documents(DEPLOY / "docker-compose.yml")
    return dict.fromkeys(compose["services"][service].get("environment") or {}, "")


def rasa_environment(database: Path, actions_port: int) -> Dict[str, str]:
    values = {"CODECARE_DB_URL": f"sqlite:///{database}",
              "CODECARE_ACTION_URL": f"http://127.0.0.1:{actions_port}/webhook",
              "CODECARE_LOCK_STORE": "in_memory", "CODECARE_REDIS_HOST": "", "CODECARE_REDIS_PORT": "",
              "CODECARE_REDIS_PASSWORD": "", "TICKET_LOCK_LIFETIME": "15", "CODECARE_ACTION_TOKEN": ACTION_TOKEN,
              **SIGN_ON}
    expected = compose_environment("rasa")
    assert set(values) == set(expected), "the test sets exactly what docker-compose.yml sets"
    return values


def start(image: Image, name: str, port: int, inside_port: int, environment: Dict[str, str]) -> Server:
    """The image's CMD from its WORKDIR, with its environment only."""
    return Server(name, image.command({inside_port: port}), image.root.parent / f"{name}.log",
                  image.environment(environment), cwd=image.workdir).start()


@dataclass
class Running:
    rasa: Image
    actions: Image
    base: str
    actions_port: int
    database: Path
    servers: List[Server]


def start_both(tmp: Path) -> Running:
    actions = build(DEPLOY / "actions.Dockerfile", ROOT, tmp / "actions-image", STAND_INS)
    rasa = build(DEPLOY / "rasa.Dockerfile", ROOT, tmp / "rasa-image", STAND_INS)
    data = tmp / "data"
    data.mkdir(mode=0o700)
    actions_port, rasa_port = free_port(), free_port()
    action_server = start(actions, "actions-image", actions_port, 5055, {"CODECARE_ACTION_TOKEN": ACTION_TOKEN})
    assert set(compose_environment("actions")) == {"CODECARE_ACTION_TOKEN"}
    servers = [action_server]
    running = Running(rasa, actions, f"http://127.0.0.1:{rasa_port}", actions_port, data / "codecare.db", servers)
    servers.append(start(rasa, "rasa-image", rasa_port, 5005, rasa_environment(running.database, actions_port)))
    return running


@pytest.fixture(scope="module")
def images(trained_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    running = start_both(tmp_path_factory.mktemp("images"))
    action_server, rasa = running.servers
    try:
        wait_until(lambda: http(f"http://127.0.0.1:{running.actions_port}/health", timeout=2)[0] == 200,
                   "actions image up", 60, action_server)
        wait_until(lambda: http(f"{running.base}/webhooks/health/ready", timeout=5)[0] == 200,
                   "rasa image ready", STARTUP_SECONDS, rasa)
        yield running
    finally:
        for server in reversed(running.servers):
            server.stop()


def test_the_image_folder_alone_is_importable(images: Running) -> None:
    probe = ("import json, sys, carekb, server, privacy; "
             "print(json.dumps({'path': sys.path, 'carekb': carekb.__file__}))")
    python = images.rasa.path("/opt/venv/bin/python")
    done = subprocess.run([str(python), "-c", probe], cwd=images.rasa.workdir, capture_output=True, text=True,
                          env=images.rasa.environment({}), timeout=120)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert found["carekb"].startswith(str(images.rasa.workdir))
    elsewhere = [p for p in found["path"] if p and Path(p) != images.rasa.workdir and (Path(p) / "carekb").exists()]
    assert not elsewhere, f"the repository is importable from {elsewhere}"
    assert not any(Path(p).resolve() == ROOT for p in found["path"] if p)


@pytest.mark.parametrize("image", ["rasa", "actions"])
def test_every_file_is_readable_by_the_images_non_root_user(images: Running, image: str) -> None:
    built: Image = getattr(images, image)
    assert built.stage.user == "1001:1001"
    for path in built.workdir.rglob("*"):
        mode = path.stat().st_mode
        assert mode & stat.S_IROTH and (not path.is_dir() or mode & stat.S_IXOTH), f"{path}: {oct(mode)}"


def test_the_rasa_image_answers_through_the_action_server_image_and_is_ready(images: Running) -> None:
    status, body = http(f"{images.base}/webhooks/rest/webhook",
                        {"sender": "image-user", "message": "what does a clinical informaticist do?"}, timeout=60,
                        headers=bearer("image-user"))
    assert status == 200 and json.loads(body)[0]["text"], body
    with sqlite3.connect(images.database) as db:
        answers = [json.loads(data).get("metadata", {}).get("answer_id")
                   for (data,) in db.execute("SELECT data FROM events WHERE sender_id = 'image-user' "
                                             "AND type_name = 'bot'")]
    # The role's duties come from the action server; without it the answer is UNAVAILABLE.
    assert answers == ["role.clinical_informaticist.duties"], (answers, contract.UNAVAILABLE)
    status, body = http(f"{images.base}/webhooks/health/ready")
    assert (status, json.loads(body)) == (200, {"status": "ready"})


def test_the_rasa_image_takes_no_message_without_a_signed_in_user(images: Running) -> None:
    question = {"sender": "anyone", "message": "what does a clinical informaticist do?"}
    assert http(f"{images.base}/webhooks/rest/webhook", question)[0] == 401
    assert http(f"{images.base}/webhooks/codecare/webhook", question)[0] == 401
    assert http(f"{images.base}/webhooks/rest/webhook", question, headers=bearer("someone-else"))[0] == 403
    assert http(f"{images.base}/socket.io/?EIO=4&transport=polling")[0] == 404, "Socket.IO is closed"


def test_the_rasa_image_has_no_demo_page_and_a_private_database(images: Running) -> None:
    assert http(f"{images.base}/webhooks/codecare/demo/")[0] == 404
    assert http(f"{images.base}/webhooks/codecare/widget.js")[0] == 200, "the widget itself is served"
    assert http(f"{images.base}/")[0] == 200, "liveness, on the pod"
    for path in images.database.parent.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, f"{path.name}: {oct(path.stat().st_mode)}"


@pytest.mark.parametrize("image, dockerfile_name, inside_port, error", [
    # Rasa reports the channel module it could not import, not why.
    ("rasa", "rasa.Dockerfile", 5005, "Failed to find input channel class for 'server.channels."),
    ("actions", "actions.Dockerfile", 5055, "No module named 'privacy'")])
def test_an_image_without_one_of_its_copy_lines_does_not_start(
        trained_model: Path, tmp_path: Path, image: str, dockerfile_name: str, inside_port: int, error: str) -> None:
    built = build(DEPLOY / dockerfile_name, ROOT, tmp_path / "image", STAND_INS, drop=["COPY privacy"])
    assert not built.path("/app/privacy").exists()
    port = free_port()
    environment = ({"CODECARE_ACTION_TOKEN": ACTION_TOKEN} if image == "actions"
                   else rasa_environment(tmp_path / "codecare.db", free_port()))
    server = start(built, f"{image}-image", port, inside_port, environment)
    try:
        server.process.wait(timeout=STARTUP_SECONDS)
    except subprocess.TimeoutExpired:
        path = "/health" if image == "actions" else "/webhooks/health/ready"
        status = http(f"http://127.0.0.1:{port}{path}", timeout=5)[0]
        server.stop()
        pytest.fail(f"started without privacy/ (readiness {status})\n{server.tail()}")
    assert server.process.returncode != 0
    assert error in server.log.read_text(), server.tail()
    module = "server.channels.rest" if image == "rasa" else "actions.server"
    why = subprocess.run([str(built.path("/opt/venv/bin/python")), "-c", f"import {module}"],
                         cwd=built.workdir, env=built.environment({}), capture_output=True, text=True, timeout=120)
    assert "No module named 'privacy'" in why.stderr, why.stderr[-2000:]
