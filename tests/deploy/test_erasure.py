"""Erasure and retention on the production setup: PostgreSQL, with Redis turn locks."""
from __future__ import annotations

import subprocess
import sys
import uuid

from tests.conftest import ROOT
from tests.deploy.chat import answers, say
from tests.deploy.conftest import Cluster
from tests.support.rasa_cli import env


def ops(cluster: Cluster, *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "admin", "--endpoints", str(ROOT / "deploy" / "endpoints.yml"), *args],
                          cwd=ROOT, capture_output=True, text=True,
                          env={**env(), **cluster.environment}, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_an_erased_conversation_is_gone_and_starts_afresh(cluster: Cluster) -> None:
    user = f"erase-{uuid.uuid4().hex[:6]}"
    say(cluster.chat_url, user, "what does an AI ethicist do?")
    say(cluster.chat_url, user, "which skills are needed for it?")
    assert len(answers(cluster, user)) == 2
    assert f"conversation '{user}':" in ops(cluster, "erase", user)
    assert answers(cluster, user) == []
    say(cluster.chat_url, user, "which skills are needed for it?")
    [(_, answer_id)] = answers(cluster, user)
    assert answer_id != "role.ai_ethicist.skills", "the erased context came back"


def test_purge_runs_on_postgresql_and_keeps_recent_conversations(cluster: Cluster) -> None:
    user = f"purge-{uuid.uuid4().hex[:6]}"
    say(cluster.chat_url, user, "hello")
    out = ops(cluster, "purge", "--days", "30")
    assert out.startswith("postgresql://codecare:***@") and "conversations removed entirely" in out
    assert len(answers(cluster, user)) == 1
