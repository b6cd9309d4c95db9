"""The readiness route Kubernetes probes: is this replica fit to take conversations?

Rasa's own `GET /` only says the process is up (liveness). A replica is *ready* when a
model is loaded, its tracker store reaches the shared database (not Rasa's in-memory
fallback) and, when configured, its Redis lock store answers, and when every safety layer
is in force, however the server was started (`safety_problems()`):

- conversations are stored by the redacting tracker store (server/stores/tracker_store.py);
- log records are redacted (privacy/log_filter.py);
- every channel that takes messages is a guarded one (server/channels/: length limit,
  redaction before the model), and request bodies are capped (CODECARE_MAX_BODY);
- the patches of server/patches.py (action-server fallback, graph runner) are installed.

Anything else returns 503, so Kubernetes stops sending it conversations. The page is
reachable by anyone who can reach the server, so it says only `ready` or `not ready`; the
reasons (database errors, hosts, ports, missing layers) go to the log, as `NOT READY: ...`
whenever they change and `Ready again` when they clear. The missing safety layers are also
logged as `SAFETY LAYER MISSING: ...` when the server starts.

Rasa adds routes through input channels; register this one in credentials.yml:

    server.channels.health.HealthChannel:

Route: GET /webhooks/health/ready -> 200 {"status": "ready"} or 503 {"status": "not ready"}
"""
from __future__ import annotations

import asyncio
import logging
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text, Tuple

from rasa.core.agent import Agent
from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.lock_store import InMemoryLockStore, LockStore, RedisLockStore
from rasa.core.tracker_store import TrackerStore
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from codecare import settings
from privacy import log_filter
from server import patches
from server.stores.tracker_store import HealthAwareSQLTrackerStore

logger = logging.getLogger(__name__)

CHECK_SECONDS = 3.0


def primary_store(store: TrackerStore) -> TrackerStore:
    """The configured store inside Rasa's FailSafe (and Awaitable) wrappers."""
    while hasattr(store, "_tracker_store"):
        store = store._tracker_store  # Rasa 3.6 exposes no public accessor
    return store


async def _lock_store_report(lock_store: LockStore) -> Tuple[Dict[str, Any], Optional[str]]:
    report: Dict[str, Any] = {"type": type(lock_store).__name__}
    if isinstance(lock_store, RedisLockStore):
        try:
            await asyncio.wait_for(asyncio.to_thread(lock_store.red.ping), CHECK_SECONDS)
            report["reachable"] = True
        except Exception as error:  # noqa: BLE001 - any failure is reported
            report["reachable"] = False
            return report, f"Redis lock store unreachable: {type(error).__name__}: {error}"
    elif isinstance(lock_store, InMemoryLockStore):
        report["note"] = "in-memory locks are only safe with a single Rasa replica"
    return report, None


def safety_problems(app: Any) -> List[str]:
    """Each safety layer that is not in force in this server, and why."""
    problems: List[str] = []
    agent = getattr(app.ctx, "agent", None) if app is not None else None
    if agent is not None:
        store = primary_store(agent.tracker_store)
        if not isinstance(store, HealthAwareSQLTrackerStore):
            problems.append(f"redaction in the tracker store: conversations are kept by "
                            f"{type(store).__name__}, not {HealthAwareSQLTrackerStore.__name__}, "
                            "so personal data would be stored as typed")
    if not log_filter.installed():
        problems.append("redaction in the logs: privacy.log_filter is not installed, so personal "
                        "data in messages would be logged")
    for channel in getattr(app.ctx, "input_channels", None) or [] if app is not None else []:
        if not getattr(channel, "codecare_guarded", False) and not isinstance(channel, HealthChannel):
            problems.append(f"message limits: the '{channel.name()}' channel is "
                            f"{type(channel).__module__}.{type(channel).__name__}, which neither limits "
                            "nor redacts messages before the model (use the channels in server/channels/)")
    if app is not None and app.config.REQUEST_MAX_SIZE > settings.max_body_bytes():
        problems.append(f"body limit: requests up to {app.config.REQUEST_MAX_SIZE} bytes are read, over "
                        f"CODECARE_MAX_BODY ({settings.max_body_bytes()}); no guarded channel is registered")
    for patch, why in patches.problems().items():
        problems.append(f"{patch}: {why}")
    return problems


async def readiness(agent: Optional[Agent], app: Any = None) -> Tuple[int, Dict[str, Any]]:
    """HTTP status and the full report of the readiness check (for the log, not the page)."""
    problems: List[str] = list(safety_problems(app)) if app is not None else []
    body: Dict[str, Any] = {"model_loaded": bool(agent and agent.is_ready())}
    if not body["model_loaded"]:
        problems.append("no model loaded yet")
    if agent is not None:
        store = primary_store(agent.tracker_store)
        if isinstance(store, HealthAwareSQLTrackerStore):
            health = await store.check(CHECK_SECONDS)
            body["tracker_store"] = {"type": type(store).__name__, **health.as_dict()}
            if not health.healthy:
                problems.append(f"tracker store degraded, answering from memory: {health.error}")
        else:
            body["tracker_store"] = {"type": type(store).__name__}
            problems.append(f"conversations are kept by {type(store).__name__}, not by "
                            f"{HealthAwareSQLTrackerStore.__name__}: they are not known to persist")
        body["lock_store"], problem = await _lock_store_report(agent.lock_store)
        if problem:
            problems.append(problem)
    body["status"] = "degraded" if problems else "ready"
    if problems:
        body["problems"] = problems
    return (503 if problems else 200), body


class _ProblemLog:
    """Logs the reasons a replica is not ready when they change, not at every probe."""

    def __init__(self) -> None:
        self.last: Optional[List[str]] = None

    def record(self, problems: List[str]) -> None:
        if problems == (self.last or []):
            self.last = problems
            return
        if problems:
            logger.error("NOT READY: %s. Readiness (/webhooks/health/ready) answers 503.", "; ".join(problems))
        elif self.last:
            logger.warning("Ready again: readiness (/webhooks/health/ready) answers 200.")
        self.last = problems


class HealthChannel(InputChannel):
    """An input channel that takes no messages; it only adds the readiness route."""

    def __init__(self) -> None:
        log_filter.install()
        patches.install()
        self._problems = _ProblemLog()

    @classmethod
    def name(cls) -> Text:
        return "health"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        health = Blueprint("codecare_health", __name__)

        @health.route("/ready", methods=["GET"])
        async def ready(request: Request) -> HTTPResponse:
            status, report = await readiness(getattr(request.app.ctx, "agent", None), request.app)
            self._problems.record(report.get("problems", []))
            return response.json({"status": "ready" if status == 200 else "not ready"}, status=status)

        @health.listener("after_server_start")
        async def report_safety(app: Any, _loop: Any) -> None:
            for problem in safety_problems(app):
                logger.error("SAFETY LAYER MISSING: %s. Readiness (/webhooks/health/ready) answers 503.", problem)

        return health
