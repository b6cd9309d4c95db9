"""However the server is started: a Rasa server without one of Code & Care's safety layers
(here Rasa's own `rest` channel and Rasa's in-memory tracker store, started with plain
`rasa run`) says so in its log and answers 503 on readiness, naming each layer and why."""
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
        problems = json.loads(body)["problems"]
        log = started.rasa_log.read_text(errors="replace")
    assert status == 503
    assert any(p.startswith("redaction in the tracker store: conversations are kept by InMemoryTrackerStore")
               for p in problems), problems
    assert any(p.startswith("message limits: the 'rest' channel is rasa.core.channels.rest.RestInput")
               for p in problems), problems
    assert any(p.startswith("body limit:") for p in problems), problems
    assert "SAFETY LAYER MISSING: redaction in the tracker store" in log
    assert "SAFETY LAYER MISSING: message limits: the 'rest' channel" in log
