"""The tracker store's database for the command-line tools, configured like the server.

The tools read the same endpoints.yml (and environment) as the Rasa server, so `make
purge` and `make report` act on exactly the conversations the server keeps.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import sqlalchemy as sa
from rasa.core.lock_store import LockStore
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.utils.common import class_from_module_path
from rasa.utils.endpoints import EndpointConfig, read_endpoint_config
from sqlalchemy.engine import Engine

from codecare.settings import ROOT


ENDPOINTS = ROOT / "endpoints.yml"
EVENTS: sa.Table = SQLTrackerStore.SQLEvent.__table__
URL_KEYS = ("dialect", "port", "db", "username", "password", "login_db", "query")


class StoreConfigError(RuntimeError):
    """endpoints.yml does not describe an SQL tracker store these tools can read."""


def _endpoint(endpoints: Path, name: str) -> Optional[EndpointConfig]:
    return read_endpoint_config(str(endpoints), name)


def database_url(endpoints: Path = ENDPOINTS) -> sa.engine.URL:
    config = _endpoint(endpoints, "tracker_store")
    kind = (config.type or "") if config else ""
    if not (kind.lower() == "sql" or "." in kind and issubclass(class_from_module_path(kind), SQLTrackerStore)):
        raise StoreConfigError(f"{endpoints}: tracker_store is not an SQL tracker store ({kind or 'none'})")
    url = SQLTrackerStore.get_db_url(host=config.url,
                                     **{k: v for k, v in config.kwargs.items() if k in URL_KEYS})
    return sa.engine.make_url(url)


def connect(endpoints: Path = ENDPOINTS) -> Engine:
    """An engine on the store's database, with Rasa's `events` table in place."""
    url = database_url(endpoints)
    if url.get_backend_name() == "sqlite" and url.database:
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(url, **create_engine_kwargs(url))
    SQLTrackerStore.Base.metadata.create_all(engine)
    return engine


def lock_store(endpoints: Path = ENDPOINTS) -> LockStore:
    """The server's lock store, so that erasure waits for a turn in progress."""
    return LockStore.create(_endpoint(endpoints, "lock_store"))
