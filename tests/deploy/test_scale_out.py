"""Scale-out on one machine: many conversations through nginx over two Rasa replicas.

Phase 1: 60 concurrent six-turn conversations (users pause briefly to read each answer);
nginx's round-robin sends consecutive turns of a conversation to different replicas, and
every follow-up must still be answered about the right role (the context slots live in
PostgreSQL, the turn locks in Redis).
Phase 2: 60 more; one replica is SIGKILLed mid-run. Only turns it was answering may fail,
with a 5xx; the user's retry is answered by the survivor; later turns all go there.
Phase 3: the killed replica is restarted and serves the phase-2 conversations again.
After each phase every turn must be stored exactly once, in order, with the answer the
user saw. The figures are printed and written to test-artifacts/scale-out.json.
"""
from __future__ import annotations

import asyncio
import json
import random
import statistics
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass
from typing import Dict, List, Optional, Sequence, Tuple

import aiohttp
import pytest
import sqlalchemy as sa

from tests.conftest import ROOT
from tests.deploy.conftest import Cluster
from tests.deploy.servers import NGINX_FAIL_TIMEOUT, bearer, http, wait_until

CONVERSATIONS = 60
RETRIES = 3
CLIENT_TIMEOUT = 60
THINK_SECONDS = (0.1, 0.5)  # a user reads the answer before the next turn
KILL_AFTER_FRACTION = 0.35
FIGURES = ROOT / "test-artifacts" / "scale-out.json"

ROLES = {
    "clinical_informaticist": ("a clinical informaticist", "clinical informaticists"),
    "ai_ml_engineer": ("an AI engineer", "AI engineers"),
    "medical_data_scientist": ("a medical data scientist", "data scientists"),
    "ai_ethicist": ("an AI ethicist", "AI ethicists"),
    "regulatory_specialist": ("a regulatory specialist", "regulatory specialists"),
}
ROLE_IDS = sorted(ROLES)


def script(index: int) -> List[Tuple[str, str]]:
    """Six turns whose answers depend on the context: a role, its follow-ups, a switch."""
    role = ROLE_IDS[index % len(ROLE_IDS)]
    other = ROLE_IDS[(index + 1 + index // len(ROLE_IDS)) % len(ROLE_IDS)]
    if other == role:
        other = ROLE_IDS[(index + 1) % len(ROLE_IDS)]
    return [
        (f"what does {ROLES[role][0]} do?", f"role.{role}.duties"),
        ("which skills are needed for it?", f"role.{role}.skills"),
        ("can you give an example?", f"role.{role}.example"),
        (f"and {ROLES[other][1]}?", f"role.{other}.example"),
        ("what skills do they need?", f"role.{other}.skills"),
        ("what do they do?", f"role.{other}.duties"),
    ]


def continuation(turns: Sequence[Tuple[str, str]]) -> List[Tuple[str, str]]:
    """Two more turns about the role the conversation ended on."""
    role = turns[-1][1].split(".")[1]
    return [("which skills are needed for it?", f"role.{role}.skills"),
            ("can you give an example?", f"role.{role}.example")]


@dataclass
class Attempt:
    sender: str
    turn: int
    attempt: int
    request_id: str
    started: float
    finished: float
    status: int
    text: Optional[str]

    @property
    def answered(self) -> bool:
        return self.status == 200 and self.text is not None


@dataclass
class Conversation:
    sender: str
    turns: List[Tuple[str, str]]


class Driver:
    """Sends turns like a user: waits for each answer, retries a failed turn a few times."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.random = random.Random(7)
        self.attempts: List[Attempt] = []
        self.answered = 0

    async def turn(self, session: aiohttp.ClientSession, sender: str, turn: int, text: str) -> None:
        for attempt in range(1, RETRIES + 1):
            request_id = f"{sender}/{turn}/{attempt}"
            started = time.time()
            status, reply = 0, None
            try:
                async with session.post(self.url, json={
                        "sender": sender, "message": text, "metadata": {"turn": turn, "attempt": attempt}},
                        headers={"X-Request-Id": request_id, **bearer(sender)}) as response:
                    status = response.status
                    if status == 200:
                        messages = await response.json()
                        reply = messages[0]["text"] if messages else None
            except (aiohttp.ClientError, asyncio.TimeoutError):
                status = 0
            record = Attempt(sender, turn, attempt, request_id, started, time.time(), status, reply)
            self.attempts.append(record)
            if record.answered:
                self.answered += 1
                return
            await asyncio.sleep(0.5)

    async def converse(self, session: aiohttp.ClientSession, conversation: Conversation, first: int) -> None:
        for offset, (text, _) in enumerate(conversation.turns[first:]):
            await self.turn(session, conversation.sender, first + offset, text)
            await asyncio.sleep(self.random.uniform(*THINK_SECONDS))

    async def run(self, conversations: Sequence[Conversation], first: int = 0,
                  during: Optional[object] = None) -> float:
        """Drive every conversation at once from turn `first`; return the wall time."""
        timeout = aiohttp.ClientTimeout(total=CLIENT_TIMEOUT)
        connector = aiohttp.TCPConnector(limit=len(conversations))
        start = time.monotonic()
        async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
            tasks = [self.converse(session, c, first) for c in conversations]
            if during is not None:
                tasks.append(during)
            await asyncio.gather(*tasks)
        return time.monotonic() - start


def stored(cluster: Cluster, prefix: str) -> Dict[str, List[dict]]:
    """User turns as stored: per sender, in storage order, with the answer that followed."""
    query = sa.text("SELECT sender_id, type_name, data FROM events "
                    "WHERE sender_id LIKE :prefix AND type_name IN ('user', 'bot') ORDER BY id")
    turns: Dict[str, List[dict]] = defaultdict(list)
    with cluster.engine().connect() as connection:
        for sender, kind, data in connection.execute(query, {"prefix": f"{prefix}%"}):
            event = json.loads(data)
            if kind == "user":
                meta = event.get("metadata") or {}
                turns[sender].append({"key": (meta.get("turn"), meta.get("attempt")), "answer_id": None,
                                      "text": None, "bots": 0})
            elif turns[sender]:
                last = turns[sender][-1]
                last["bots"] += 1
                last["answer_id"] = last["answer_id"] or (event.get("metadata") or {}).get("answer_id")
                last["text"] = last["text"] or event.get("text")
    return turns


def check_storage_and_context(cluster: Cluster, prefix: str, conversations: Sequence[Conversation],
                              attempts: Sequence[Attempt]) -> None:
    """Every answered turn stored once, in order, with the answer the user saw and expected."""
    by_sender = stored(cluster, prefix)
    answered = {(a.sender, a.turn): a for a in attempts if a.answered}
    tried = {(a.sender, a.turn, a.attempt) for a in attempts}
    wrong_context = []
    for conversation in conversations:
        events = by_sender.get(conversation.sender, [])
        keys = [e["key"] for e in events]
        assert len(keys) == len(set(keys)), f"{conversation.sender}: a turn stored twice: {keys}"
        assert keys == sorted(keys), f"{conversation.sender}: turns stored out of order: {keys}"
        assert all((conversation.sender, *k) in tried for k in keys), f"{conversation.sender}: unknown turn"
        for turn, (_, expected) in enumerate(conversation.turns):
            attempt = answered.get((conversation.sender, turn))
            assert attempt, f"{conversation.sender} turn {turn} was never answered"
            matches = [e for e in events if e["key"] == (turn, attempt.attempt)]
            assert len(matches) == 1, f"{conversation.sender} turn {turn}: answered but stored {len(matches)}x"
            event = matches[0]
            assert event["bots"] == 1 and event["text"] == attempt.text, (
                f"{conversation.sender} turn {turn}: stored answer differs from the one the user saw")
            if event["answer_id"] != expected:
                wrong_context.append((conversation.sender, turn, expected, event["answer_id"]))
    assert not wrong_context, f"follow-ups answered about the wrong thing: {wrong_context[:10]}"


def served_by(cluster: Cluster) -> Dict[str, str]:
    """Request id -> the replica (name) that answered it, from nginx's access log."""
    names = {f"127.0.0.1:{r.port}": r.name for r in cluster.replicas}
    result = {}
    for entry in cluster.nginx.requests():
        upstream = entry.get("upstream", "").split(",")[-1].strip()
        if entry.get("id", "-") != "-" and upstream in names:
            result[entry["id"]] = names[upstream]
    return result


def latency(attempts: Sequence[Attempt]) -> Dict[str, float]:
    values = sorted(a.finished - a.started for a in attempts if a.answered)
    return {"p50_s": round(statistics.median(values), 3),
            "p95_s": round(values[int(0.95 * (len(values) - 1))], 3),
            "max_s": round(values[-1], 3)}


def crossings(attempts: Sequence[Attempt], served: Dict[str, str]) -> Tuple[int, int]:
    """(consecutive answered turns answered by different replicas, consecutive pairs)."""
    replica_by_turn: Dict[str, List[Tuple[int, str]]] = defaultdict(list)
    for a in attempts:
        if a.answered and a.request_id in served:
            replica_by_turn[a.sender].append((a.turn, served[a.request_id]))
    crossed = pairs = 0
    for turns in replica_by_turn.values():
        turns.sort()
        for (_, first), (_, second) in zip(turns, turns[1:]):
            pairs += 1
            crossed += first != second
    return crossed, pairs


def conversations(prefix: str) -> List[Conversation]:
    return [Conversation(f"{prefix}{i:03d}", script(i)) for i in range(CONVERSATIONS)]


def test_conversations_keep_context_across_replicas_and_survive_a_replica_kill(
        cluster: Cluster, capsys: pytest.CaptureFixture) -> None:
    run = uuid.uuid4().hex[:6]
    survivor, victim = cluster.replicas
    figures: Dict[str, object] = {"conversations_per_phase": CONVERSATIONS, "turns_per_conversation": 6,
                                  "replicas": len(cluster.replicas), "action_servers": len(cluster.actions)}

    # Phase 1: steady state, both replicas.
    steady = conversations(f"scale-{run}-a-")
    driver = Driver(cluster.chat_url)
    seconds = asyncio.run(driver.run(steady))
    assert all(a.answered for a in driver.attempts), [asdict(a) for a in driver.attempts if not a.answered][:5]
    check_storage_and_context(cluster, f"scale-{run}-a-", steady, driver.attempts)
    served = served_by(cluster)
    share = Counter(served[a.request_id] for a in driver.attempts if a.request_id in served)
    crossed, pairs = crossings(driver.attempts, served)
    assert len(share) == 2 and min(share.values()) >= 0.3 * sum(share.values()), share
    assert crossed >= 0.25 * pairs, f"only {crossed}/{pairs} consecutive turns changed replica"
    figures["steady"] = {"turns": len(driver.attempts), "seconds": round(seconds, 1),
                         "turns_per_second": round(len(driver.attempts) / seconds, 1),
                         **latency(driver.attempts), "served": dict(share),
                         "consecutive_turns_on_different_replicas": f"{crossed}/{pairs}",
                         "follow_ups_correct": "all"}

    # Phase 2: SIGKILL one replica while conversations are in flight.
    killed = conversations(f"scale-{run}-b-")
    driver = Driver(cluster.chat_url)
    total = sum(len(c.turns) for c in killed)
    kill: Dict[str, float] = {}

    async def kill_mid_run() -> None:
        while driver.answered < KILL_AFTER_FRACTION * total:
            await asyncio.sleep(0.02)
        kill["at"] = time.time()
        victim.kill()

    seconds = asyncio.run(driver.run(killed, during=kill_mid_run()))
    failed = [a for a in driver.attempts if not a.answered]
    assert failed, "the kill happened between turns; no turn was in flight"
    assert all(500 <= a.status < 600 for a in failed), [asdict(a) for a in failed]
    assert all(a.started <= kill["at"] for a in failed), ("a turn sent after the kill failed", kill["at"],
                                                          [asdict(a) for a in failed if a.started > kill["at"]])
    served = served_by(cluster)
    after = [a for a in driver.attempts if a.started > kill["at"] + 0.1 and a.answered]
    assert after and all(served.get(a.request_id) == survivor.name for a in after), Counter(
        served.get(a.request_id) for a in after)
    check_storage_and_context(cluster, f"scale-{run}-b-", killed, driver.attempts)
    retried = [a for a in driver.attempts if a.attempt > 1 and a.answered]
    figures["replica_killed"] = {
        "turns": total, "seconds": round(seconds, 1), "killed_after_answers": int(KILL_AFTER_FRACTION * total),
        "failed_in_flight": len(failed), "failure_statuses": dict(Counter(a.status for a in failed)),
        "answered_on_retry": len(retried),
        "slowest_retry_s": round(max((a.finished - a.started for a in retried), default=0), 1),
        "turns_after_kill_on_survivor": f"{len(after)}/{len(after)}", **latency(driver.attempts),
        "lost_or_duplicated_answered_turns": 0}

    # Phase 3: the killed replica comes back and serves the same conversations. nginx tries a
    # failed server again after fail_timeout, with one request; until that one succeeds it
    # sends the rest elsewhere, so wait for it before measuring the share.
    restart = cluster.restart(victim)
    started = time.monotonic()

    def back_in_rotation() -> bool:
        probe = f"warm-{run}-{uuid.uuid4().hex[:4]}"
        http(cluster.chat_url, {"sender": probe, "message": "hello"}, headers={"X-Request-Id": probe, **bearer(probe)})
        return served_by(cluster).get(probe) == victim.name

    wait_until(back_in_rotation, "restarted replica back in nginx's rotation", 4 * NGINX_FAIL_TIMEOUT)
    rotation = time.monotonic() - started
    resumed = [Conversation(c.sender, c.turns + continuation(c.turns)) for c in killed]
    seconds = asyncio.run(driver.run(resumed, first=6))
    new = [a for a in driver.attempts if a.turn >= 6]
    assert all(a.answered for a in new), [asdict(a) for a in new if not a.answered][:5]
    served = served_by(cluster)
    share = Counter(served.get(a.request_id) for a in new)
    assert share[victim.name] >= 0.3 * len(new), share
    check_storage_and_context(cluster, f"scale-{run}-b-", resumed, driver.attempts)
    figures["replica_restarted"] = {"ready_after_s": round(restart, 1),
                                    "back_in_nginx_rotation_after_s": round(rotation, 1), "turns": len(new),
                                    "seconds": round(seconds, 1), "served": dict(share)}

    FIGURES.parent.mkdir(parents=True, exist_ok=True)
    FIGURES.write_text(json.dumps(figures, indent=2) + "\n")
    with capsys.disabled():
        print("\nscale-out figures:\n" + json.dumps(figures, indent=2))
