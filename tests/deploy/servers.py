"""Real servers for the deploy tests, on loopback ports, in one temporary directory.

PostgreSQL, Redis and nginx come from Debian's packages (`make system-deps`, which .ci/run
uses); the Rasa servers and action servers are started with the launcher's commands
(codecare/launch.py) and deploy/endpoints.yml, the way deploy/ starts them. Missing
binaries skip these tests on a developer machine and fail them in CI (CI=true).
"""
from __future__ import annotations

import glob
import json
import os
import pwd
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
from dataclasses import dataclass
import urllib.request
from pathlib import Path
from string import Template
from typing import Callable, Dict, Iterable, List, Optional, Sequence, Tuple

import jwt
import pytest

from codecare import launch
from tests.conftest import IN_CI, MODEL, ROOT
from tests.support.processes import free_port  # noqa: F401 - re-exported for the deploy tests
from tests.support.rasa_cli import env as rasa_env

DEPLOY_ENDPOINTS = ROOT / "deploy" / "endpoints.yml"
DEPLOY_CREDENTIALS = ROOT / "deploy" / "credentials.yml"
# deploy/credentials.yml requires sign-on: the settings docker-compose.yml gives the replicas.
JWT_SECRET = "deploy-test-jwt-secret-0123456789abcdef"
SIGN_ON = {"CODECARE_JWT_SECRET": JWT_SECRET, "CODECARE_SENDER_HASH_KEY": "deploy-test-sender-hash-key",
           "CODECARE_WIDGET_ORIGIN": "https://intranet.example-hospital.org"}

PYTHON = sys.executable
DB_USER = "codecare-db"  # PostgreSQL refuses to run as root
DB_NAME = "codecare"
DB_PASSWORD = "pg-test-secret"
REDIS_PASSWORD = "redis-test-secret"
NGINX_TEMPLATE = ROOT / "deploy" / "nginx" / "codecare.conf.template"
STARTUP_SECONDS = 180
NGINX_FAIL_TIMEOUT = 5
ACCESS_LINE = re.compile(r'^\S+ id=(?P<id>\S+) "(?P<request>[^"]*)" (?P<status>\d+) \S+ '
                         r'upstream=(?P<upstream>.*) upstream_status=(?P<upstream_status>.*)$')


def need(binary: str, path: Optional[str] = None) -> str:
    """The binary's path; fail in CI, skip elsewhere, when it is not installed."""
    found = path if path and os.access(path, os.X_OK) else shutil.which(binary)
    if not found:
        message = f"{binary} is not installed (make system-deps)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return found


def wait_until(check: Callable[[], bool], what: str, seconds: float,
               process: Optional["Server"] = None) -> float:
    """Poll `check` until it is true; return the seconds it took."""
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        if process is not None and not process.alive():
            raise AssertionError(f"{what}: process exited\n{process.tail()}")
        try:
            if check():
                return time.monotonic() - start
        except OSError:
            pass
        time.sleep(0.25)
    raise AssertionError(f"{what}: not within {seconds} s" + (f"\n{process.tail()}" if process else ""))


def bearer(sender: str) -> Dict[str, str]:
    """The header of a signed-in user `sender`, as the hospital's sign-on would issue it."""
    now = int(time.time())
    token = jwt.encode({"sub": sender, "iat": now, "exp": now + 3600}, JWT_SECRET, algorithm="HS256")
    return {"Authorization": f"Bearer {token}"}


def http(url: str, body: Optional[dict] = None, timeout: float = 10,
         headers: Optional[Dict[str, str]] = None) -> Tuple[int, str]:
    """(status, body) of a GET, or of a POST when `body` is given; never raises on 4xx/5xx."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json",
                                                               **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


class Server:
    """One child process with its log file."""

    def __init__(self, name: str, args: Sequence[str], log: Path, env: Optional[Dict[str, str]] = None,
                 cwd: Path = ROOT) -> None:
        self.name, self.args, self.log, self.env, self.cwd = name, list(args), log, env, cwd
        self.process: Optional[subprocess.Popen] = None

    def start(self) -> "Server":
        with self.log.open("a") as out:
            self.process = subprocess.Popen(self.args, cwd=self.cwd, env=self.env, stdout=out,
                                            stderr=subprocess.STDOUT, start_new_session=True)
        return self

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def signal(self, number: int) -> None:
        if self.alive():
            self.process.send_signal(number)

    def kill(self) -> None:
        """SIGKILL: the process dies mid-request, as on a crash or an OOM kill."""
        if self.alive():
            self.process.kill()
            self.process.wait(timeout=10)

    def stop(self, seconds: float = 20) -> None:
        if not self.alive():
            return
        self.process.send_signal(signal.SIGCONT)  # in case a test paused it
        self.process.terminate()
        try:
            self.process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def tail(self, lines: int = 40) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return f"--- {self.name} ({self.log}) ---\n" + "\n".join(text.splitlines()[-lines:])


class Postgres:
    """A private PostgreSQL cluster (initdb + pg_ctl) owned by a dedicated system user."""

    def __init__(self, root: Path, port: int) -> None:
        self.dir, self.port = root / "postgres", port
        self.data, self.log = self.dir / "data", self.dir / "postgres.log"
        self.initdb = need("initdb", self.binary("initdb"))
        self.pg_ctl = need("pg_ctl", self.binary("pg_ctl"))

    @staticmethod
    def binary(name: str) -> Optional[str]:
        """Debian keeps PostgreSQL's server programs off PATH, per major version."""
        versions = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
                          key=lambda p: int(Path(p).parts[-3]))
        return versions[-1] if versions else shutil.which(name)

    def _run(self, *args: str) -> None:
        command = list(args)
        if os.geteuid() == 0:
            command = ["runuser", "-u", DB_USER, "--", *command]
        done = subprocess.run(command, cwd=self.dir, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, f"{' '.join(command)}:\n{done.stdout}\n{done.stderr}\n" + (
            self.log.read_text()[-2000:] if self.log.exists() else "")

    def init(self) -> "Postgres":
        self.dir.mkdir(mode=0o755)
        if os.geteuid() == 0:
            _ensure_user(DB_USER)
            shutil.chown(self.dir, DB_USER, DB_USER)
        password = self.dir / "password"
        password.write_text(DB_PASSWORD)
        if os.geteuid() == 0:
            shutil.chown(password, DB_USER, DB_USER)
        self._run(self.initdb, "-D", str(self.data), "-U", "codecare", "-E", "UTF8",
                  "--auth-host=scram-sha-256", "--auth-local=trust", f"--pwfile={password}")
        password.unlink()
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write(f"listen_addresses = '127.0.0.1'\nport = {self.port}\n"
                       f"unix_socket_directories = '{self.dir}'\nfsync = off\nmax_connections = 200\n")
        self.start()
        self._run(self.binary("createdb") or "createdb", "-h", str(self.dir), "-p", str(self.port),
                  "-U", "codecare", DB_NAME)
        return self

    def start(self) -> None:
        self._run(self.pg_ctl, "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60", "start")

    def stop(self) -> None:
        self._run(self.pg_ctl, "-D", str(self.data), "-m", "fast", "-w", "stop")

    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    @property
    def url(self) -> str:
        return (f"postgresql://codecare:{DB_PASSWORD}@127.0.0.1:{self.port}/{DB_NAME}"
                "?connect_timeout=3")


def _ensure_user(name: str) -> None:
    try:
        pwd.getpwnam(name)
    except KeyError:
        subprocess.run(["useradd", "--system", "--user-group", "--no-create-home",
                        "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin", name],
                       check=True, capture_output=True)


class Redis(Server):
    def __init__(self, root: Path, port: int) -> None:
        self.port = port
        binary = need("redis-server")
        super().__init__("redis", [binary, "--bind", "127.0.0.1", "--port", str(port),
                                   "--requirepass", REDIS_PASSWORD, "--save", "",
                                   "--appendonly", "no", "--dir", str(root)], root / "redis.log")

    def ready(self) -> bool:
        import redis

        try:
            return bool(redis.Redis(host="127.0.0.1", port=self.port, password=REDIS_PASSWORD,
                                    socket_timeout=1).ping())
        except redis.exceptions.ConnectionError:
            return False


def self_signed(folder: Path, host: str = "127.0.0.1") -> Tuple[Path, Path]:
    """A fresh self-signed certificate and key for `host` (the `cryptography` package)."""
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
                   .public_key(key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(now - datetime.timedelta(minutes=5))
                   .not_valid_after(now + datetime.timedelta(days=1))
                   .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(host))]),
                                  critical=False)
                   .sign(key, hashes.SHA256()))
    cert, private = folder / "codecare.crt", folder / "codecare.key"
    cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    private.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
    return cert, private


@dataclass(frozen=True)
class Limits:
    """(rate, burst) per client address and per bearer token."""

    per_address: Tuple[str, int]
    per_identity: Tuple[str, int]


# The scale-out cluster's users all come from 127.0.0.1: limits it never reaches.
UNLIMITED = Limits(("100000r/s", 100000), ("100000r/s", 100000))
# deploy/docker-compose.yml's.
DEPLOYED = Limits(("10r/s", 20), ("2r/s", 10))


def render_site(access_log: Path, listen: str, tls_listen: str, actions_listen: str, rasa_upstream: str,
                actions_upstream: str, certificate: Path, key: Path, limits: "Limits") -> str:
    """deploy/nginx's template with every variable set, as the nginx image's envsubst renders it."""
    return Template(NGINX_TEMPLATE.read_text()).safe_substitute(
        CODECARE_LISTEN=listen, CODECARE_TLS_LISTEN=tls_listen, CODECARE_ACTIONS_LISTEN=actions_listen,
        CODECARE_RASA_UPSTREAM=rasa_upstream, CODECARE_ACTIONS_UPSTREAM=actions_upstream,
        CODECARE_ACCESS_LOG=str(access_log), CODECARE_TLS_CERTIFICATE=str(certificate),
        CODECARE_TLS_KEY=str(key), CODECARE_RATE_PER_ADDRESS=limits.per_address[0],
        CODECARE_BURST_PER_ADDRESS=str(limits.per_address[1]), CODECARE_RATE_PER_IDENTITY=limits.per_identity[0],
        CODECARE_BURST_PER_IDENTITY=str(limits.per_identity[1]))


class Nginx(Server):
    """nginx with deploy/nginx's configuration, rendered for loopback ports, with a
    self-signed certificate. The scale-out cluster's limits are high (all its users share
    127.0.0.1); the rate-limit test starts one with deploy-like limits."""

    def __init__(self, root: Path, port: int, actions_port: int, rasa_ports: Iterable[int],
                 action_ports: Iterable[int], name: str = "nginx", limits: Limits = UNLIMITED) -> None:
        self.port, self.actions_port, self.tls_port = port, actions_port, free_port()
        self.dir = root / name
        self.dir.mkdir(mode=0o755)
        self.access_log = self.dir / "access.log"
        self.certificate, key = self_signed(self.dir)
        upstream = lambda ports: " ".join(f"server 127.0.0.1:{p} max_fails=1 fail_timeout={NGINX_FAIL_TIMEOUT}s;" for p in ports)
        site = render_site(self.access_log, f"127.0.0.1:{port}", f"127.0.0.1:{self.tls_port}",
                           f"127.0.0.1:{actions_port}", upstream(rasa_ports), upstream(action_ports),
                           self.certificate, key, limits)
        (self.dir / "codecare.conf").write_text(site)
        conf = self.dir / "nginx.conf"
        conf.write_text(
            f"daemon off;\nworker_processes 1;\npid {self.dir}/nginx.pid;\n"
            f"error_log {self.dir}/error.log warn;\nevents {{ worker_connections 1024; }}\n"
            f"http {{\n  access_log off;\n"
            + "".join(f"  {kind}_temp_path {self.dir}/{kind}_temp;\n"
                      for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
            + f"  include {self.dir}/codecare.conf;\n}}\n")
        binary = need("nginx")
        super().__init__(name, [binary, "-p", str(self.dir), "-c", str(conf)], self.dir / "nginx.out")

    def requests(self) -> List[Dict[str, str]]:
        """The access log (deploy/nginx's `codecare` format): id, request, status, upstream."""
        return [match.groupdict() for match in map(ACCESS_LINE.match, self.access_log.read_text().splitlines())
                if match]


class ActionServer(Server):
    """An action server as deploy/ runs it: actions.server, requiring the shared secret."""

    def __init__(self, root: Path, name: str, port: int, environment: Dict[str, str]) -> None:
        self.port = port
        super().__init__(name, launch.actions_command(port), root / f"{name}.log",
                         {**rasa_env(), "CODECARE_ACTION_TOKEN": environment["CODECARE_ACTION_TOKEN"],
                          "CODECARE_ACTIONS_REQUIRE_TOKEN": "true"})

    def ready(self) -> bool:
        return http(f"http://127.0.0.1:{self.port}/health", timeout=2)[0] == 200


class RasaServer(Server):
    """A Rasa server replica as deploy/ runs it: plain `rasa run`, deploy/endpoints.yml and
    deploy/credentials.yml, no HTTP API."""

    def __init__(self, root: Path, name: str, port: int, environment: Dict[str, str],
                 api_token: Optional[str] = None) -> None:
        self.port, self.api_token = port, api_token
        self.base = f"http://127.0.0.1:{port}"
        super().__init__(name, launch.rasa_command(MODEL, port, DEPLOY_ENDPOINTS, DEPLOY_CREDENTIALS,
                                                   api=bool(api_token), auth_token=api_token),
                         root / f"{name}.log", {**rasa_env(), **environment})

    def readiness(self) -> Tuple[int, dict]:
        status, body = http(f"{self.base}/webhooks/health/ready", timeout=10)
        return status, json.loads(body)

    def not_ready_reasons(self) -> str:
        """The last `NOT READY: ...` line of the log: the details the public page leaves out."""
        lines = [line for line in self.log.read_text(errors="replace").splitlines() if "NOT READY: " in line]
        return lines[-1] if lines else ''

    def ready(self) -> bool:
        return self.readiness()[0] == 200
