"""However the server is started: a Rasa server without one of Code & Care's safety layers
(here Rasa's own `rest` channel and Rasa's in-memory tracker store, started with plain
`rasa run`) answers 503 on readiness, saying only "not ready", and names each layer and
why in its log."""
from __future__ import annotations

import json
from pathlib import Path

from tests.security.conftest import request
from tests.support.rasa_cli import servers


def test_a_missing_safety_layer_makes_readiness_503_and_is_logged(trained_model: Path, tmp_path: Path) -> None:
    credentials = tmp_path / "credentials.yml"
    credentials.write_text("rest:\nserver.channels.health.HealthChannel:\n")
    with servers(trained_model, tmp_path, credentials=credentials, endpoints={"tracker_store": None}) as started:
        status, body = request(f"{started.base}/webhooks/health/ready")
        log = started.rasa_log.read_text(errors="replace")
    assert status == 503 and json.loads(body) == {"status": "not ready"}, body
    not_ready = [line for line in log.splitlines() if "NOT READY:" in line]
    assert not_ready, log[-3000:]
    for problem in ("redaction in the tracker store: conversations are kept by InMemoryTrackerStore",
                    "message limits: the 'rest' channel is rasa.core.channels.rest.RestInput",
                    "body limit:"):
        assert problem in not_ready[0], not_ready[0]
    assert "SAFETY LAYER MISSING: redaction in the tracker store" in log
    assert "SAFETY LAYER MISSING: message limits: the 'rest' channel" in log
