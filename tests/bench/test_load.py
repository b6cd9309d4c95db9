"""The bench's long conversation, against a real server set up as `make bench` sets up
Code & Care (codecare.launch's commands, the root endpoints.yml on a SQLite file): the stored conversation is
as long as asked, and the timed turns are real turns, answered in order."""
from __future__ import annotations

import asyncio
import json
import urllib.request
import uuid
from pathlib import Path
from typing import Iterator

import pytest

from bench.load import CONVERSATION, long_conversation
from bench.run import CONFIGS, Serving, serve, start_actions
from tests.support.processes import stop


@pytest.fixture(scope="module")
def serving(trained_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Serving]:
    work = tmp_path_factory.mktemp("bench")
    running = serve(CONFIGS[0], work, trained_model, 0.0, start_actions(CONFIGS[0], work))
    try:
        yield running
    finally:
        stop(running.procs)


def test_the_long_conversation_is_as_long_as_asked_and_times_real_turns(serving: Serving) -> None:
    sender = f"test-long-{uuid.uuid4().hex[:8]}"
    latencies = asyncio.run(long_conversation(serving.base, serving.api_token, 60, (1, 31, 51), sender=sender))
    assert sorted(latencies) == [1, 31, 51]
    assert all(len(block) == len(CONVERSATION) and min(block) > 0 for block in latencies.values())

    with urllib.request.urlopen(f"{serving.base}/conversations/{sender}/tracker?include_events=ALL&token={serving.api_token}") as r:
        events = json.load(r)["events"]
    users = [e for e in events if e["event"] == "user"]
    assert [u["text"] for u in users] == list(CONVERSATION) * 6
    # Every turn, appended or real, has its answer; the last real turn was answered last.
    answers = [e for e in events if e["event"] == "bot"]
    assert len(answers) >= 60 and events.index(answers[-1]) > events.index(users[-1])


def test_blocks_must_start_on_whole_conversations(serving: Serving) -> None:
    with pytest.raises(ValueError, match="turn 15"):
        asyncio.run(long_conversation(serving.base, serving.api_token, 40, (1, 15)))

