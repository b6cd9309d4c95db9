"""The edge of the scale-out set-up: deploy/nginx's template in a real nginx, in front of the
cluster's replicas. Only the channels' paths, no version, TLS 1.2+ with a certificate made
for the test, and rate limits per client address and per bearer token that answer 429 to
the client that floods while others are still served (loopback has the whole 127/8, so a
client bound to 127.0.0.2 is another address)."""
from __future__ import annotations

from http import client as httpclient
import json
import ssl
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Tuple

import pytest

from tests.deploy.conftest import Cluster
from tests.deploy.servers import DEPLOYED, Nginx, bearer, free_port, http, wait_until

PROBE = "/webhooks/rest/"  # the REST channel's own status route: cheap for the replicas


def get(port: int, path: str, source: str = "127.0.0.1", token: Optional[str] = None) -> Tuple[int, Dict[str, str]]:
    connection = httpclient.HTTPConnection("127.0.0.1", port, timeout=30, source_address=(source, 0))
    try:
        connection.request("GET", path, headers={"Authorization": f"Bearer {token}"} if token else {})
        response = connection.getresponse()
        response.read()
        return response.status, dict(response.getheaders())
    finally:
        connection.close()


def flood(port: int, count: int, source: str, token: Optional[str] = None) -> Counter:
    with ThreadPoolExecutor(count) as pool:
        return Counter(status for status, _ in pool.map(lambda _: get(port, PROBE, source, token), range(count)))


@pytest.fixture(scope="module")
def limited(cluster: Cluster) -> Iterator[Nginx]:
    """A second nginx with docker-compose.yml's limits, in front of the same replicas."""
    nginx = Nginx(cluster.root, free_port(), free_port(), [r.port for r in cluster.replicas],
                  [a.port for a in cluster.actions], name="nginx-limited", limits=DEPLOYED)
    nginx.start()
    try:
        wait_until(lambda: get(nginx.port, PROBE)[0] == 200, "limited nginx up", 30, nginx)
        yield nginx
    finally:
        nginx.stop()


def test_a_flood_from_one_address_gets_429_while_another_address_is_served(limited: Nginx) -> None:
    rate, burst = DEPLOYED.per_address
    statuses = flood(limited.port, 3 * burst, "127.0.0.1")
    assert set(statuses) <= {200, 429}, statuses
    assert statuses[429] >= burst // 2 and statuses[200] >= burst, statuses
    assert get(limited.port, PROBE, "127.0.0.2")[0] == 200, "another client is still served"
    # nginx refills `rate` slots a second, so a single request may find one refilled on a slow
    # machine; another burst must not all pass unless `burst / rate` seconds went by.
    assert flood(limited.port, burst, "127.0.0.1")[429] >= 1, "the flooding client is still limited"


def test_a_flood_with_one_token_gets_429_while_another_token_from_that_address_is_served(limited: Nginx) -> None:
    rate, burst = DEPLOYED.per_identity
    statuses = flood(limited.port, burst + 6, "127.0.0.3", token="alice-token")
    assert statuses[429] >= 3 and statuses[200] >= burst, statuses
    assert get(limited.port, PROBE, "127.0.0.3", token="bob-token")[0] == 200
    assert flood(limited.port, burst, "127.0.0.3", token="alice-token")[429] >= 1


def test_only_the_channels_are_served_without_a_version(cluster: Cluster) -> None:
    port = cluster.nginx.port
    status, headers = get(port, "/")
    assert status == 404 and headers.get("Server") == "nginx", headers  # no Rasa version, no nginx version
    for path in ("/status", "/conversations/anyone/tracker", "/model/parse", "/version"):
        assert get(port, path)[0] == 404, path
    status, body = http(f"http://127.0.0.1:{port}/webhooks/health/ready")
    assert (status, json.loads(body)) == (200, {"status": "ready"})


def tls_context(certificate: Path, version: ssl.TLSVersion = ssl.TLSVersion.TLSv1_2,
                maximum: Optional[ssl.TLSVersion] = None) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=str(certificate))
    context.minimum_version = version
    if maximum:
        context.maximum_version = maximum
        context.set_ciphers("DEFAULT:@SECLEVEL=0")  # let this client offer the old protocol
    return context


def test_chat_over_tls_with_modern_protocols_only(cluster: Cluster) -> None:
    nginx = cluster.nginx
    connection = httpclient.HTTPSConnection("127.0.0.1", nginx.tls_port, timeout=60,
                                             context=tls_context(nginx.certificate))
    connection.request("POST", "/webhooks/rest/webhook", body=json.dumps({"sender": "tls-user", "message": "hello"}),
                       headers={"Content-Type": "application/json", **bearer("tls-user")})
    response = connection.getresponse()
    messages: List[dict] = json.loads(response.read())
    assert response.status == 200 and messages, messages
    assert connection.sock.version() in ("TLSv1.2", "TLSv1.3")
    assert response.getheader("Strict-Transport-Security", "").startswith("max-age=")
    connection.close()
    for old in (ssl.TLSVersion.TLSv1, ssl.TLSVersion.TLSv1_1):
        connection = httpclient.HTTPSConnection("127.0.0.1", nginx.tls_port, timeout=10,
                                                 context=tls_context(nginx.certificate, old, old))
        with pytest.raises(ssl.SSLError, match="(?i)alert protocol version"):  # the server refused it
            connection.request("GET", PROBE)
        connection.close()
