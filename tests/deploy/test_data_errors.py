"""One client's bad data cannot take a replica out of service (PostgreSQL).

A sender id longer than the events table's 255-character column makes every save of that
conversation fail with a DataError. That is the request's fault, not the database's: the
store must stay healthy and readiness 200, however many such saves there are. It is sent
past the channels (which refuse long senders themselves): through the HTTP API of a
replica, and to the tracker store directly.
"""
from __future__ import annotations

import asyncio
import json
import logging
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import FailSafeTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet

from server.stores.tracker_store import HealthAwareSQLTrackerStore
from tests.conftest import ROOT
from tests.deploy.conftest import Cluster
from tests.deploy.servers import STARTUP_SECONDS, http, wait_until

API_TOKEN = "data-errors-api-token-0123456789"
PROBES = 40


def long_sender() -> str:
    return "x" * 300 + uuid.uuid4().hex


def test_a_sender_too_long_for_the_column_fails_its_save_only(cluster: Cluster,
                                                               caplog: pytest.LogCaptureFixture) -> None:
    store = HealthAwareSQLTrackerStore(domain=Domain.load(str(ROOT / "domain.yml")), host=cluster.postgres.url)
    failsafe = FailSafeTrackerStore(store)
    sender = long_sender()
    tracker = asyncio.run(failsafe.get_or_create_tracker(sender))
    tracker.update(SlotSet("role", "ai_ethicist"))
    with caplog.at_level(logging.WARNING):
        with pytest.raises(Exception) as raised:
            asyncio.run(store.save(tracker))
        asyncio.run(failsafe.save(tracker))  # Rasa's wrapper: logs, keeps it in memory
    assert "DataError" in str(raised.value) and sender not in str(raised.value)
    assert store.health().healthy, store.health()
    assert "TRACKER STORE DEGRADED" not in caplog.text
    assert sender not in caplog.text, "the statement's parameters are not logged"
    with sa.create_engine(cluster.postgres.url).connect() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM events WHERE sender_id LIKE 'xxxx%'")).scalar() == 0


def test_readiness_stays_200_while_a_client_sends_senders_too_long_for_the_database(cluster: Cluster) -> None:
    replica = cluster.new_replica("rasa-api", api_token=API_TOKEN)
    replica.start()
    try:
        wait_until(replica.ready, "rasa-api ready", STARTUP_SECONDS, replica)

        def bad_write(_: int) -> int:
            url = f"{replica.base}/conversations/{long_sender()}/tracker/events?token={API_TOKEN}"
            return http(url, {"event": "slot", "name": "role", "value": "ai_ethicist"}, timeout=30)[0]

        def probe(_: int) -> tuple:
            status, body = http(f"{replica.base}/webhooks/health/ready", timeout=10)
            return status, json.loads(body)

        with ThreadPoolExecutor(8) as pool:
            writes = pool.map(bad_write, range(PROBES))
            probes = list(pool.map(probe, range(PROBES)))
            writes = list(writes)
        assert all(status == 200 for status in writes), writes  # Rasa kept them in memory
        assert probes == [(200, {"status": "ready"})] * PROBES
        log = replica.log.read_text(errors="replace")
        assert log.count("one save refused by the postgresql database (DataError)") >= PROBES
        assert "TRACKER STORE DEGRADED" not in log
        assert "x" * 300 not in log, "no sender or statement parameters in the log"
    finally:
        replica.stop()
