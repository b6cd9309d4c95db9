"""Rasa's SQL tracker store, made to redact what it stores and to report when Rasa falls back to memory.

Rasa wraps every tracker store in its FailSafeTrackerStore: when the database fails, the
conversation is answered from a fresh in-memory tracker and saved only in this process's
memory, with one log line per failure and nothing a probe can see. With several replicas
that silently splits state. This subclass keeps Rasa's storage code and adds:

- redaction: before a turn's events are stored (or kept in memory by the FailSafe
  wrapper), personal data in each user message's text and parse data and in every event's
  metadata is replaced (`privacy.redact`, `privacy.redact_data`), whichever channel or API
  it came through; the
  store also puts the redacting log filter (`privacy.log_filter`) and the patches Rasa
  has no extension point for (`server.patches`) in place when Rasa creates it, before
  the model is loaded;

- a health record (`health()`, `ping()`) for the readiness route in `server.channels.health`, and one
  clear ERROR when storage degrades and one WARNING when it recovers. Only failures of the
  database itself (unreachable, connection lost, timed out: `CONNECTION_ERRORS`) degrade
  it; an error caused by one request's data (a sender id too long for its column, a
  constraint) fails that request only, so one client cannot take a replica out of service;
- an SQLite file readable by its owner only (0600; SQLite gives its -wal and -shm files
  the same mode);
- no infinite wait and no missing tables when the database is down at start: tables are
  created on the first operation that reaches the database;
- no writes of a tracker that was rebuilt blind: after a failed `retrieve`, Rasa builds a
  new tracker for that conversation; writing it over the stored one would append events
  out of place, so such saves are refused (and kept in memory by the FailSafe wrapper)
  until a `retrieve` of that conversation succeeds again.

Configure it in endpoints.yml as `type: server.stores.tracker_store.HealthAwareSQLTrackerStore` with
`url:` a full SQLAlchemy URL, e.g. `sqlite:////data/codecare.db` or
`postgresql://user:password@db:5432/codecare?connect_timeout=3`.
"""
from __future__ import annotations

import asyncio
import itertools
import logging
import os
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import AbstractSet, Any, Awaitable, Callable, Dict, FrozenSet, Iterable, Optional, Set, Text, TypeVar

import sqlalchemy as sa
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.orm import sessionmaker

from carekb import load_knowledge
from codecare import settings
from privacy import log_filter, redact, redact_data

from server.stores.recent_window import LOADED, RecentWindowMixin

logger = logging.getLogger(__name__)
T = TypeVar("T")

# What says the database (not the request) is at fault. Everything else from SQLAlchemy,
# e.g. DataError or IntegrityError, is one request's problem.
CONNECTION_ERRORS = (sa.exc.OperationalError, sa.exc.InterfaceError, sa.exc.DisconnectionError,
                     sa.exc.TimeoutError, TimeoutError, OSError)


def redact_event(event: Event, keep: AbstractSet[str] = frozenset()) -> None:
    """Personal data out of an event, in place: any event's metadata (the HTTP API lets a
    client attach it to any event), slot values (Rasa copies a message's metadata into the
    `session_started_metadata` slot) and a user message's text and parse data. Strings in
    `keep` (`machine_names`) are kept; the text is redacted once, for the parse data too."""
    memo: Dict[str, str] = {}
    if event.metadata:
        event.metadata = redact_data(event.metadata, keep, memo)
    if isinstance(event, SlotSet) and event.value is not None:
        event.value = redact_data(event.value, keep, memo)
    if not isinstance(event, UserUttered):
        return
    if isinstance(event.text, str):
        if event.text not in memo:
            memo[event.text] = redact(event.text)
        event.text = memo[event.text]
    if event.parse_data:
        event.parse_data = redact_data(event.parse_data, keep, memo)


def machine_names(domain: Optional[Domain]) -> FrozenSet[str]:
    """What the assistant itself writes into events: the domain's intents, entities, slots
    and actions, and the knowledge's ids, labels, titles and sections (`Knowledge.names`).
    None of it is personal data, and redacting it was most of the cost of storing a turn."""
    names: Set[str] = set()
    try:
        names |= load_knowledge(settings.knowledge_dir()).names()
    except Exception as error:  # noqa: BLE001 - then everything is redacted, as before
        logger.warning("Tracker store: the knowledge's names are unknown (%s); redacting them all.", error)
    if domain is not None:
        names |= {*domain.intents, *domain.entities, *(slot.name for slot in domain.slots),
                  *domain.action_names_or_texts}
    return frozenset(names)


def unsaved_events(tracker: DialogueStateTracker) -> Iterable[Event]:
    """The events a save may write: those after the window the tracker was built from, else all."""
    loaded = getattr(tracker, LOADED, None)
    return itertools.islice(tracker.events, loaded.stored, None) if loaded else tracker.events


def summary(error: BaseException) -> str:
    """The error's type and the database driver's own first line, without SQLAlchemy's
    statement and parameters."""
    cause = getattr(error, "orig", None) or error
    detail = (str(cause).strip().splitlines() or [""])[0][:300]
    return f"{type(error).__name__}: {detail}"


class StorageError(RuntimeError):
    """A storage operation failed; the message names the operation and the cause only."""


class BlindTrackerError(RuntimeError):
    """A tracker rebuilt while the database was unreachable must not overwrite the stored one."""


@dataclass
class StoreHealth:
    """What the readiness route reports about the tracker store."""

    healthy: bool
    dialect: str
    error: Optional[str] = None
    degraded_since: Optional[float] = None
    saves_kept_in_memory: int = 0

    def as_dict(self) -> Dict[str, Any]:
        return asdict(self)


# Rasa indexes `events` by sender only. Every turn also looks up the conversation's newest
# event (server.stores.recent_window), and on a cache miss its session start and the latest value of
# each slot; these indexes answer both without scanning the history.
LOOKUP_INDEXES = (
    sa.Index("ix_events_sender_id_id", SQLTrackerStore.SQLEvent.sender_id, SQLTrackerStore.SQLEvent.id),
    sa.Index("ix_events_sender_type_name", SQLTrackerStore.SQLEvent.sender_id,
             SQLTrackerStore.SQLEvent.type_name, SQLTrackerStore.SQLEvent.action_name),
)


def _sqlite_wal(connection: Any, _record: Any) -> None:
    """WAL with synchronous=NORMAL: a turn's commit no longer waits for an fsync.

    Committed turns survive a crash of the process; a power cut may lose the last
    moments, which a single-host SQLite store accepts (production uses PostgreSQL).
    Readers (make report) no longer block the server either.
    """
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _private_sqlite_file(url: sa.engine.URL) -> None:
    """Create the SQLite file 0600 (or tighten an existing one of ours) before SQLite opens it.

    A missing folder is left missing: that is an outage to report, not a new empty store."""
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return
    path = Path(url.database)
    if not path.parent.is_dir():
        return
    try:
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        if path.stat().st_uid == os.geteuid() and path.stat().st_mode & 0o077:
            path.chmod(0o600)
            logger.warning("Tracker store: %s was readable by other users; now 0600.", path)
    except OSError as error:
        logger.warning("Tracker store: could not make %s private: %s", path, error)


def _engine(url: sa.engine.URL) -> sa.engine.Engine:
    """A pooled engine. For SQLite files SQLAlchemy 1.4 pools nothing: every turn opened the
    file twice and set its pragmas again (a tenth of a turn's CPU). Elsewhere pool_pre_ping:
    after a database restart pooled connections are dead, and without it the first turn on
    each would fail and be answered from memory."""
    if url.get_backend_name() != "sqlite":
        return sa.create_engine(url, pool_pre_ping=True, **create_engine_kwargs(url))
    if url.database in (None, "", ":memory:"):
        engine = sa.create_engine(url)
    else:
        engine = sa.create_engine(url, poolclass=sa.pool.QueuePool,
                                  connect_args={"check_same_thread": False})
        _check_file_on_checkout(engine, url.database)
    sa.event.listen(engine, "connect", _sqlite_wal)
    return engine


def _check_file_on_checkout(engine: sa.engine.Engine, path: str) -> None:
    """SQLite's pre-ping: a pooled connection keeps its file open even after the file is
    moved or deleted, and would go on writing where nobody reads. Before each use, check
    that the file at `path` is still the one the connection opened; if not, reconnect (and
    report the store degraded if that fails)."""
    def connected(_connection: Any, record: Any) -> None:
        record.info["inode"] = os.stat(path).st_ino

    def checkout(_connection: Any, record: Any, _proxy: Any) -> None:
        try:
            same = os.stat(path).st_ino == record.info.get("inode")
        except OSError:
            same = False
        if not same:
            raise sa.exc.DisconnectionError(f"the SQLite file {path} was moved or replaced")

    sa.event.listen(engine, "connect", connected)
    sa.event.listen(engine, "checkout", checkout)


class HealthAwareSQLTrackerStore(RecentWindowMixin, SQLTrackerStore):
    """SQLTrackerStore with a health record, lazy table creation, the blind-write guard,
    and turns that load only the recent part of a long conversation (server.stores.recent_window)."""

    def __init__(self, domain: Optional[Domain] = None, host: Optional[Text] = None,
                 event_broker: Optional[EventBroker] = None, **kwargs: Any) -> None:
        log_filter.install()
        from server import patches  # imports Rasa's action and engine modules

        patches.install()
        if host and "://" in host:
            _private_sqlite_file(sa.engine.make_url(host))
        # Without `login_db`, Rasa's constructor never blocks: it logs when the tables
        # cannot be created and carries on; `_ensure_schema` creates them later.
        super().__init__(domain=domain, host=host, event_broker=event_broker, **kwargs)
        url = self.engine.url
        self.engine.dispose()
        self.engine = _engine(url)
        self.sessionmaker = sessionmaker(bind=self.engine)
        self._lock = threading.Lock()
        self._schema_ready = False
        self._blind: Set[Text] = set()
        self._names: Optional[FrozenSet[str]] = None
        self._names_for: Optional[Domain] = None
        self._health = StoreHealth(healthy=True, dialect=self.engine.dialect.name)
        try:
            self.ping()
            logger.info("Tracker store: %s database reachable at %s.", self._health.dialect,
                        url.render_as_string(hide_password=True))
        except Exception as error:  # noqa: BLE001 - any failure means degraded, reported
            self._degraded("connecting at start", error)

    def _machine_names(self) -> FrozenSet[str]:
        """`machine_names` for the domain Rasa gave this store (it sets it after creating it)."""
        if self._names is None or self._names_for is not self.domain:
            self._names, self._names_for = machine_names(self.domain), self.domain
        return self._names

    # health

    def health(self) -> StoreHealth:
        with self._lock:
            return StoreHealth(**asdict(self._health))

    def ping(self) -> None:
        """Reach the database (and create the tables if they are missing); raise if not."""
        self._ensure_schema()
        with self.engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
        self._recovered()

    async def check(self, timeout: float = 3.0) -> StoreHealth:
        """Ping in a worker thread, bounded, so a hung database never stalls the server."""
        try:
            await asyncio.wait_for(asyncio.to_thread(self.ping), timeout)
        except asyncio.TimeoutError:
            self._degraded("health check", TimeoutError(f"no answer within {timeout} s"))
        except Exception as error:  # noqa: BLE001 - any failure means degraded, reported
            self._degraded("health check", error)
        return self.health()

    def _ensure_schema(self) -> None:
        if self._schema_ready:
            return
        try:
            self.Base.metadata.create_all(self.engine)
            for index in LOOKUP_INDEXES:
                index.create(self.engine, checkfirst=True)
        except (sa.exc.ProgrammingError, sa.exc.IntegrityError):
            # Replicas starting together race to create the tables; losing that race is fine.
            if not sa.inspect(self.engine).has_table(self.SQLEvent.__tablename__):
                raise
        self._schema_ready = True

    def _degraded(self, operation: str, error: BaseException) -> None:
        with self._lock:
            first = self._health.healthy
            self._health.healthy = False
            self._health.error = f"{operation}: {summary(error)}"
            if first:
                self._health.degraded_since = time.time()
        if first:
            logger.error(
                "TRACKER STORE DEGRADED: %s. Rasa's FailSafeTrackerStore now answers from memory "
                "on this replica only: conversation context is lost and turns are not stored. "
                "Readiness (/webhooks/health/ready) reports 503 until the %s database is "
                "reachable again.", self._health.error, self._health.dialect)

    def _kept_in_memory(self) -> None:
        with self._lock:
            self._health.saves_kept_in_memory += 1

    def _recovered(self) -> None:
        with self._lock:
            if self._health.healthy:
                return
            lasted = time.time() - (self._health.degraded_since or time.time())
            lost = self._health.saves_kept_in_memory
            self._health = StoreHealth(healthy=True, dialect=self._health.dialect)
        logger.warning(
            "Tracker store recovered: the %s database is reachable again after %.0f s. %d "
            "save(s) during the outage went to this replica's memory only and are not in the "
            "database.", self._health.dialect, lasted, lost)

    async def _guarded(self, operation: str, method: Callable[..., Awaitable[T]], *args: Any) -> T:
        """Run one of Rasa's storage methods, recording a database failure or recovery.

        Errors are raised again as a `StorageError` naming only the driver's message: the
        original's text lists the statement's parameters, i.e. what the user said, and
        Rasa's FailSafeTrackerStore logs the error it gets."""
        try:
            self._ensure_schema()
            result = await method(*args)
        except CONNECTION_ERRORS as error:
            self._degraded(operation, error)
            raise StorageError(f"{operation}: {summary(error)}") from None
        except Exception as error:
            # The database answered: the store is as healthy as it was.
            logger.warning("Tracker store: one %s refused by the %s database (%s); the store "
                           "stays in service.", operation, self._health.dialect, type(error).__name__)
            raise StorageError(f"{operation}: {summary(error)}") from None
        self._recovered()
        return result

    # Rasa's TrackerStore interface

    async def retrieve(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        try:
            tracker = await self._guarded("retrieve", super().retrieve, sender_id)
        except Exception:
            with self._lock:
                self._blind.add(sender_id)
            raise
        with self._lock:
            self._blind.discard(sender_id)
        return tracker

    async def retrieve_full_tracker(self, conversation_id: Text) -> Optional[DialogueStateTracker]:
        return await self._guarded("retrieve_full_tracker", super().retrieve_full_tracker,
                                   conversation_id)

    async def keys(self) -> Iterable[Text]:
        return await self._guarded("keys", super().keys)

    async def save(self, tracker: DialogueStateTracker) -> None:
        keep = self._machine_names()
        for event in unsaved_events(tracker):
            redact_event(event, keep)
        with self._lock:
            blind = tracker.sender_id in self._blind
        if blind:
            self._kept_in_memory()
            raise BlindTrackerError(
                "this conversation's stored tracker could not be read at the start of the "
                "turn; not writing the rebuilt one over it")
        try:
            await self._guarded("save", super().save, tracker)
        except Exception:
            self._kept_in_memory()
            raise
