"""Closed-loop load over the REST channel: each worker runs whole conversations back to back."""
from __future__ import annotations

import asyncio
import statistics
import time
import uuid
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence

import aiohttp

# Ten turns of a real conversation: a role, follow-ups on it, a comparison, a background.
CONVERSATION = (
    "hi",
    "what does a clinical informaticist do?",
    "what skills do they need?",
    "and for data scientists?",
    "give me an example",
    "how is that different from an ethicist?",
    "which role fits me?",
    "I studied biology",
    "what is alert fatigue",
    "thanks!",
)


@dataclass
class Run:
    """Latencies (ms) of the turns answered, and how many failed."""

    latencies: List[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def pct(self, q: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies) if self.latencies else float("nan")


async def turn(session: aiohttp.ClientSession, base: str, sender: str, text: str) -> float:
    """One user message; returns its latency in ms, raises on any failure or empty reply."""
    start = time.perf_counter()
    async with session.post(f"{base}/webhooks/rest/webhook", json={"sender": sender, "message": text}) as r:
        body = await r.json(content_type=None)
        if r.status != 200 or not body:
            raise RuntimeError(f"HTTP {r.status}: {body!r:.80}")
    return (time.perf_counter() - start) * 1000


async def closed_loop(base: str, users: int, seconds: float, script: Sequence[str] = CONVERSATION) -> Run:
    """`users` workers, each sending its next turn as soon as the last is answered, for `seconds`."""
    run = Run()
    deadline = time.perf_counter() + seconds
    timeout = aiohttp.ClientTimeout(total=30)
    connector = aiohttp.TCPConnector(limit=users)

    async def worker(session: aiohttp.ClientSession) -> None:
        while time.perf_counter() < deadline:
            sender = f"bench-{uuid.uuid4().hex[:12]}"
            for text in script:
                if time.perf_counter() >= deadline:
                    return
                try:
                    run.latencies.append(await turn(session, base, sender, text))
                except Exception:  # noqa: BLE001 - any failure is counted, the load goes on
                    run.errors += 1

    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        start = time.perf_counter()
        await asyncio.gather(*(worker(session) for _ in range(users)))
        run.seconds = time.perf_counter() - start
    return run


async def long_conversation(base: str, token: str, turns: int, blocks: Sequence[int], script: Sequence[str] = CONVERSATION,
                            sender: Optional[str] = None) -> Dict[int, List[float]]:
    """One sender, `turns` turns long: latencies (ms) of the real turns in each block.

    Each block is len(script) real turns starting at that turn number (1-based). The turns
    between blocks are copies of the first block's events appended through Rasa's HTTP API
    (`--enable-api`): the tracker is as long as if every turn had been sent, without
    spending minutes sending them to a slow configuration.
    """
    sender = sender or f"bench-long-{uuid.uuid4().hex[:8]}"
    size = len(script)
    tracker_url = f"{base}/conversations/{sender}/tracker"
    api = {"token": token}  # Rasa's HTTP API is never on without one
    latencies: Dict[int, List[float]] = {}
    done, filler = 0, []
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as session:
        for start in blocks:
            while done + size < start:
                async with session.post(f"{tracker_url}/events?include_events=NONE", json=filler, params=api) as r:
                    if r.status != 200:
                        raise RuntimeError(f"appending events: HTTP {r.status}: {await r.text():.200}")
                done += size
            if done + 1 != start:
                raise ValueError(f"block at turn {start} does not follow whole blocks of {size} turns")
            latencies[start] = [await turn(session, base, sender, text) for text in script]
            done += size
            if not filler:
                filler = await _turn_events(session, tracker_url, api)
        async with session.get(f"{tracker_url}?include_events=ALL", params=api) as r:
            stored = sum(e["event"] == "user" for e in (await r.json())["events"])
    if stored != turns or done != turns:
        raise RuntimeError(f"the long conversation has {stored} user turns, not {turns}")
    return latencies


async def _turn_events(session: aiohttp.ClientSession, tracker_url: str, api: Dict[str, str]) -> List[dict]:
    """The conversation's events from its first user message on, to be appended again."""
    async with session.get(f"{tracker_url}?include_events=ALL", params=api) as r:
        events = (await r.json())["events"]
    first = next(i for i, e in enumerate(events) if e["event"] == "user")
    return [{k: v for k, v in e.items() if k != "timestamp"} for e in events[first:]]
