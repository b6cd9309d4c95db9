"""The one launcher: how `make run`, `make shell`, the tests and the bench start the servers.

Both servers are started with Rasa's own commands and this repository's files, exactly as
a Rasa user would start them by hand (`rasa run actions`-compatible action server, then
`rasa run --endpoints endpoints.yml --credentials credentials.yml`): every safety layer is
loaded by name from those files, nothing is patched here. A test or the bench only changes
ports, the log folder and, through `endpoints=`, values of endpoints.yml (e.g. another
SQLite file); the file it starts from is the root endpoints.yml unless told otherwise.

Rasa's HTTP API (`--enable-api`) is never started without `--auth-token`: `rasa_command`
refuses, `start` makes a random token when none is given (`Servers.api_token`), and
`make run` prints its new token at each start with an example call.

    python -m codecare run     both servers in the foreground until Ctrl-C
    python -m codecare shell   the action server in the background, `rasa shell` here
    python -m codecare train   `rasa train` with its steps shown and its output in the log
"""
from __future__ import annotations

import argparse
import os
import re
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Sequence

import yaml

from codecare import settings

ROOT = settings.ROOT
BIN = Path(sys.executable).parent
RASA = str(BIN / "rasa")
PYTHON = sys.executable
ENDPOINTS = ROOT / "endpoints.yml"
CREDENTIALS = ROOT / "credentials.yml"
STARTUP_SECONDS = 180


def environment(extra: Optional[Mapping[str, str]] = None) -> Dict[str, str]:
    """The servers' environment: this repository importable, no telemetry, quiet libraries."""
    return {**os.environ, "PYTHONPATH": str(ROOT), "RASA_TELEMETRY_ENABLED": "false",
            "TF_CPP_MIN_LOG_LEVEL": "2", "SQLALCHEMY_SILENCE_UBER_WARNING": "1", **(extra or {})}


def endpoints_file(work: Path, action_url: str, changes: Optional[Dict[str, Any]] = None,
                   base: Path = ENDPOINTS, name: str = "endpoints.yml") -> Path:
    """`base` (the root endpoints.yml) with the action server's URL and `changes` applied:
    {"tracker_store": {"url": ...}} replaces that value, {"lock_store": None} drops an entry."""
    config = yaml.safe_load(base.read_text()) or {}
    config.setdefault("action_endpoint", {})["url"] = action_url
    for key, value in (changes or {}).items():
        if value is None:
            config.pop(key, None)
        elif isinstance(value, dict) and isinstance(config.get(key), dict) and not value.get("type"):
            config[key] = {**config[key], **value}
        else:
            config[key] = value
    path = work / name
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path


def actions_command(port: int, host: str = settings.ACTIONS_HOST) -> List[str]:
    return [PYTHON, "-m", "actions.server", "--actions", "actions", "--host", host, "--port", str(port)]


def new_token() -> str:
    """A random API token; hex, so that no command line reads it as an option."""
    return secrets.token_hex(32)


def rasa_command(model: Path, port: int, endpoints: Path, credentials: Path = CREDENTIALS,
                 host: str = settings.RASA_HOST, api: bool = False, auth_token: Optional[str] = None,
                 extra: Sequence[str] = ()) -> List[str]:
    """`rasa run` with this repository's files; the HTTP API only with a token."""
    if api and not auth_token:
        raise ValueError("Rasa's HTTP API is never started without --auth-token")
    if "--enable-api" in extra and not (auth_token or any(a.split("=")[0] == "--auth-token" for a in extra)):
        raise ValueError("Rasa's HTTP API is never started without --auth-token")
    command = [RASA, "run", "--model", str(model), "--interface", host, "--port", str(port),
               "--endpoints", str(endpoints), "--credentials", str(credentials)]
    if api:
        command.append("--enable-api")
    if auth_token:
        command.append(f"--auth-token={auth_token}")  # a token may begin with "-"
    return command + list(extra)


def get(url: str, timeout: float = 2) -> tuple:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode(errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


class StartError(RuntimeError):
    """A server exited or did not become ready; the message ends with its log's tail."""


def wait_for(url: str, process: subprocess.Popen, log: Path, want: str = "",
             seconds: float = STARTUP_SECONDS) -> float:
    """Poll `url` until its body contains `want`; the seconds it took."""
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        if process.poll() is not None:
            raise StartError(f"{process.args[:3]} exited with {process.returncode}:\n{tail(log)}")
        try:
            status, body = get(url)
            if status < 500 or want:
                if want in body:
                    return time.monotonic() - start
        except OSError:
            pass
        time.sleep(0.3)
    raise StartError(f"{url} not ready after {seconds:.0f} s:\n{tail(log)}")


def tail(log: Path, lines: int = 30) -> str:
    text = log.read_text(errors="replace") if log.exists() else ""
    return "\n".join(text.splitlines()[-lines:])


@dataclass
class Servers:
    """Both servers of one start, their URLs and logs."""

    base: str
    actions_url: str
    rasa_log: Path
    actions_log: Path
    endpoints: Path
    api_token: Optional[str] = None
    processes: List[subprocess.Popen] = field(default_factory=list)

    @property
    def rasa(self) -> subprocess.Popen:
        return self.processes[-1]

    @property
    def action(self) -> subprocess.Popen:
        return self.processes[0]

    def stop(self, seconds: float = 20) -> None:
        stop(self.processes, seconds)

    def __enter__(self) -> "Servers":
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def stop(processes: Sequence[subprocess.Popen], seconds: float = 20) -> None:
    """Terminate the processes, killing any that have not stopped within `seconds`."""
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def start(model: Path, *, rasa_port: int, actions_port: int, logs: Path,
          endpoints: Optional[Dict[str, Any]] = None, endpoints_base: Path = ENDPOINTS,
          credentials: Path = CREDENTIALS, api: bool = True, auth_token: Optional[str] = None,
          rasa_args: Sequence[str] = (), env: Optional[Mapping[str, str]] = None,
          actions_env: Optional[Mapping[str, str]] = None, rasa_env: Optional[Mapping[str, str]] = None,
          host: str = settings.RASA_HOST) -> Servers:
    """Start the action server, wait for it, start the Rasa server, wait for its model.

    With `api` (Rasa's HTTP API) and no `auth_token`, a random token is made."""
    logs.mkdir(parents=True, exist_ok=True)
    if api and not auth_token:
        auth_token = new_token()
    action_url = f"http://127.0.0.1:{actions_port}/webhook"
    if endpoints is None and endpoints_base == ENDPOINTS and actions_port == settings.ACTIONS_PORT:
        endpoints_path = ENDPOINTS
    else:
        endpoints_path = endpoints_file(logs, action_url, endpoints, endpoints_base)
    servers = Servers(f"http://{host}:{rasa_port}", f"http://127.0.0.1:{actions_port}",
                      logs / "rasa.log", logs / "actions.log", endpoints_path, auth_token if api else None)
    base_env = environment(env)
    try:
        servers.processes.append(_spawn(actions_command(actions_port), servers.actions_log,
                                        {**base_env, **(actions_env or {})}))
        wait_for(f"{servers.actions_url}/health", servers.action, servers.actions_log)
        servers.processes.append(_spawn(
            rasa_command(model, rasa_port, endpoints_path, credentials, host, api, auth_token, rasa_args),
            servers.rasa_log, {**base_env, **(rasa_env or {})}))
        # Rasa loads the model before it listens: once `/` answers, the model is loaded.
        wait_for(servers.base + "/", servers.rasa, servers.rasa_log, want="Hello from Rasa")
    except BaseException:
        servers.stop()
        raise
    return servers


def _spawn(command: List[str], log: Path, env: Mapping[str, str]) -> subprocess.Popen:
    with log.open("a") as out:  # the child keeps its own copy of the handle
        return subprocess.Popen(command, cwd=ROOT, env=dict(env), stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)


def _step(text: str) -> None:
    print(f"==> {text}", flush=True)


def private_folder(path: Path) -> None:
    """The data folder (conversations, logs, reports) for its owner only."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    if path.stat().st_uid == os.geteuid():
        path.chmod(0o700)


def run(model: Path, host: str, port: int, actions_port: int, logs: Path, endpoints: Path = ENDPOINTS) -> int:
    private_folder(logs.parent)
    token = new_token()
    _step(f"Starting the action server on 127.0.0.1:{actions_port} and the Rasa server on "
          f"{host}:{port} (logs: {logs.relative_to(ROOT) if logs.is_relative_to(ROOT) else logs}/)")
    began = time.monotonic()
    try:
        servers = start(model, rasa_port=port, actions_port=actions_port, logs=logs, host=host,
                        endpoints_base=endpoints.resolve(), api=True, auth_token=token)
    except StartError as error:
        print(f"Could not start: {error}", file=sys.stderr)
        return 1
    status, _ = get(servers.base + "/webhooks/health/ready", timeout=10)
    _step(f"Ready in {time.monotonic() - began:.0f} s" + ("" if status == 200 else
          f", but not ready: the reasons are in {servers.rasa_log} (NOT READY: ...)"))
    print(f"""
Code & Care is running.
  Chat in the browser:   http://{host}:{port}/webhooks/codecare/demo/   (mock intranet page, strict CSP)
  Chat in the terminal:  make shell   (in another terminal: it starts its own servers)
  REST channel:          curl -s -XPOST http://{host}:{port}/webhooks/rest/webhook \\
                           -d '{{"sender": "me", "message": "what does a clinical informaticist do?"}}'
  HTTP API:              token {token}   (new at each start, printed here only)
                         curl -s "http://{host}:{port}/conversations/me/tracker?token={token}"
  Logs:                  {logs}/
  Conversations:         kept across restarts (make report, make purge DAYS=N, make erase ID=...)
Press Ctrl-C to stop.""", flush=True)
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    try:
        while all(p.poll() is None for p in servers.processes):
            time.sleep(0.5)
        print("A server stopped; see the logs.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        _step("Stopping")
        return 0
    finally:
        servers.stop()


def shell(model: Path, actions_port: int, logs: Path) -> int:
    logs.mkdir(parents=True, exist_ok=True)
    log = logs / "actions.log"
    _step(f"Starting the action server on 127.0.0.1:{actions_port} (log: {log})")
    action = _spawn(actions_command(actions_port), log, environment())
    try:
        wait_for(f"http://127.0.0.1:{actions_port}/health", action, log)
        endpoints = ENDPOINTS if actions_port == settings.ACTIONS_PORT else endpoints_file(
            logs, f"http://127.0.0.1:{actions_port}/webhook")
        _step(f"Loading the model for rasa shell (its log: {logs / 'shell.log'})")
        with (logs / "shell.log").open("a") as err:
            return subprocess.call([RASA, "shell", "--model", str(model), "--endpoints", str(endpoints)],
                                   cwd=ROOT, env=environment(), stderr=err)
    except StartError as error:
        print(f"Could not start: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    finally:
        stop([action])


TRAINING_STEP = re.compile(r"(Starting to train component '([^']+)'|Finished training component '([^']+)'"
                           r"|Restored component '([^']+)' from cache|Started validating domain"
                           r"|Your Rasa model is trained)")


def train(out: Path, logs: Path) -> int:
    """`rasa train`; its steps on the terminal, everything it prints in logs/train.log."""
    logs.mkdir(parents=True, exist_ok=True)
    log = logs / "train.log"
    _step(f"Training the model (rasa train; full output in {log})")
    began = time.monotonic()
    with log.open("w") as out_log:
        process = subprocess.Popen([RASA, "train", "--fixed-model-name", "codecare", "--out", str(out)],
                                   cwd=ROOT, env=environment(), stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True, bufsize=1)
        assert process.stdout is not None
        for line in process.stdout:
            out_log.write(line)
            match = TRAINING_STEP.search(line)
            if not match:
                continue
            if match.group(2):
                print(f"    training {match.group(2)} ...", end="", flush=True)
            elif match.group(3):
                print(" done", flush=True)
            elif match.group(4):
                print(f"    {match.group(4)}: unchanged, from the cache", flush=True)
            elif "validating" in match.group(1):
                print("    validating the domain and the training data", flush=True)
        code = process.wait()
    if code:
        print(f"rasa train failed ({code}); the end of {log}:\n{tail(log)}", file=sys.stderr)
        return code
    _step(f"Model trained in {time.monotonic() - began:.0f} s: {out / 'codecare.tar.gz'}")
    return 0


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m codecare", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    run_parser = commands.add_parser("run", help="both servers in the foreground until Ctrl-C")
    run_parser.add_argument("--endpoints", type=Path, default=ENDPOINTS,
                            help="the endpoints.yml to start from (default: the root one)")
    commands.add_parser("shell", help="the action server, then rasa shell")
    commands.add_parser("train", help="rasa train, with its steps shown")
    args = parser.parse_args(argv)
    logs = settings.data_dir() / "log"
    if args.command == "train":
        return train(ROOT / "models", logs)
    model = settings.model_path()
    if args.command == "shell":
        return shell(model, settings.actions_port(), logs)
    return run(model, settings.rasa_host(), settings.rasa_port(), settings.actions_port(), logs, args.endpoints)
