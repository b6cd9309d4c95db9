"""One production-shaped cluster on loopback, shared by the scale-out and fault tests.

PostgreSQL (tracker store) + Redis (lock store) + nginx (round-robin) in front of two Rasa
replicas and two action servers, all configured through the repository's endpoints.yml,
credentials.yml, deploy/endpoints.yml and deploy/nginx, exactly as deploy/ runs them.
"""
from __future__ import annotations

import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterator, List, Optional

import pytest
import sqlalchemy as sa

from tests.conftest import ROOT
from tests.deploy.servers import (REDIS_PASSWORD, SIGN_ON, STARTUP_SECONDS, ActionServer, Nginx, Postgres,
                                  RasaServer, Redis, Server, free_port, need, wait_until)

ARTIFACTS = ROOT / "test-artifacts" / "deploy"
# A replica that dies mid-turn keeps that conversation's Redis lock until its ticket
# expires; deploy/ sets the same value.
TICKET_LOCK_LIFETIME = "15"
ACTION_TOKEN = "deploy-test-action-secret-0123456789"


@dataclass
class Cluster:
    root: Path
    postgres: Postgres
    redis: Redis
    nginx: Nginx
    actions: List[ActionServer]
    replicas: List[RasaServer]
    environment: Dict[str, str]
    servers: List[Server] = field(default_factory=list)

    @property
    def chat_url(self) -> str:
        return f"http://127.0.0.1:{self.nginx.port}/webhooks/rest/webhook"

    def engine(self) -> sa.engine.Engine:
        return sa.create_engine(self.postgres.url)

    def new_replica(self, name: str, api_token: Optional[str] = None, **environment: str) -> RasaServer:
        """A further Rasa server (not behind nginx), e.g. to start one while the database is
        down, or one with the HTTP API (and its token) to write past the channels."""
        server = RasaServer(self.root, name, free_port(), {**self.environment, **environment}, api_token)
        self.servers.append(server)
        return server

    def restart(self, server: Server, ready: bool = True) -> float:
        """Start a stopped server again; return the seconds until it is ready."""
        server.start()
        return wait_until(server.ready, f"{server.name} ready", STARTUP_SECONDS, server) if ready else 0.0


def _start_all(servers: List[Server]) -> None:
    for server in servers:
        server.start()
    with ThreadPoolExecutor(len(servers)) as pool:
        list(pool.map(lambda s: wait_until(s.ready, f"{s.name} ready", STARTUP_SECONDS, s), servers))


@pytest.fixture(scope="session")
def cluster(trained_model: Path) -> Iterator[Cluster]:
    for binary in ("initdb", "pg_ctl"):
        need(binary, Postgres.binary(binary))
    need("redis-server")
    need("nginx")
    root = Path(tempfile.mkdtemp(prefix="codecare-deploy-"))
    root.chmod(0o755)  # PostgreSQL's user and nginx's workers must reach their directories
    postgres = Postgres(root, free_port())
    redis = Redis(root, free_port())
    action_ports, rasa_ports = [free_port(), free_port()], [free_port(), free_port()]
    nginx = Nginx(root, free_port(), free_port(), rasa_ports, action_ports)
    environment = {
        "CODECARE_DB_URL": postgres.url,
        "CODECARE_ACTION_URL": f"http://127.0.0.1:{nginx.actions_port}/webhook",
        "CODECARE_LOCK_STORE": "redis",
        "CODECARE_REDIS_HOST": "127.0.0.1",
        "CODECARE_REDIS_PORT": str(redis.port),
        "CODECARE_REDIS_PASSWORD": REDIS_PASSWORD,
        "TICKET_LOCK_LIFETIME": TICKET_LOCK_LIFETIME,
        "CODECARE_ACTION_TOKEN": ACTION_TOKEN,
        **SIGN_ON,
    }
    actions = [ActionServer(root, f"actions-{i}", p, environment) for i, p in enumerate(action_ports, 1)]
    replicas = [RasaServer(root, f"rasa-{i}", p, environment) for i, p in enumerate(rasa_ports, 1)]
    cluster = Cluster(root, postgres, redis, nginx, actions, replicas, environment,
                      [redis, nginx, *actions, *replicas])
    try:
        postgres.init()
        redis.start()
        wait_until(redis.ready, "redis ready", 30, redis)
        nginx.start()
        wait_until(lambda: nginx.access_log.exists() or (nginx.dir / "nginx.pid").exists(),
                   "nginx started", 30, nginx)
        _start_all([*actions, *replicas])
        yield cluster
    finally:
        for server in reversed(cluster.servers):
            server.stop()
        if postgres.running():
            postgres.stop()
        shutil.rmtree(ARTIFACTS, ignore_errors=True)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        for log in root.rglob("*.log"):
            shutil.copy(log, ARTIFACTS / "-".join(log.relative_to(root).parts))
        shutil.rmtree(root, ignore_errors=True)
