"""Retention (`purge`) and erasure on a real SQLite tracker store, and through the CLI."""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from admin.__main__ import main
from admin.retention import DAY, erase, purge
from tests.conftest import ROOT
from tests.admin.events import count, engine_at, insert, session, turn

NOW = time.time()
OLD, RECENT = NOW - 40 * DAY, NOW - 1 * DAY


@pytest.fixture
def store(sqlite_url: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    (tmp_path / "db").mkdir()
    engine = engine_at(sqlite_url)
    insert(engine, "gone", session(OLD) + turn(OLD + 1, "hello", "bot.greet"))
    insert(engine, "returning", session(OLD) + turn(OLD + 1, "old question", "field.overview")
           + session(RECENT) + turn(RECENT + 1, "new question", "roles.overview"))
    insert(engine, "long-session", session(OLD) + turn(OLD + 1, "asked long ago", "field.overview")
           + turn(RECENT, "asked again", "field.overview"))
    insert(engine, "fresh", session(RECENT) + turn(RECENT + 1, "hi", "bot.greet"))
    return engine


def test_purge_deletes_old_conversations_and_old_sessions_but_not_the_open_one(store) -> None:  # type: ignore[no-untyped-def]
    before = {s: count(store, s) for s in ("returning", "long-session", "fresh")}
    result = purge(store, days=30, now=NOW)
    assert result.conversations_deleted == 1
    assert count(store, "gone") == 0
    assert count(store, "returning") == before["returning"] - 7  # its first session
    assert count(store, "long-session") == before["long-session"]  # one session, still open
    assert count(store, "fresh") == before["fresh"]
    assert result.events_deleted == 7 + 7
    assert purge(store, days=30, now=NOW).events_deleted == 0


def test_purge_zero_days_deletes_every_finished_conversation(store) -> None:  # type: ignore[no-untyped-def]
    purge(store, days=0, now=NOW + 1)
    assert count(store) == 0


def test_erase_deletes_one_whole_conversation(store) -> None:  # type: ignore[no-untyped-def]
    others = count(store) - count(store, "returning")
    assert erase(store, "returning") == 14
    assert count(store, "returning") == 0 and count(store) == others
    assert erase(store, "nobody") == 0


def test_cli_purges_and_erases_the_store_endpoints_yml_names(
        store, sqlite_url: str, tmp_path, capsys: pytest.CaptureFixture) -> None:  # type: ignore[no-untyped-def]
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text((ROOT / "endpoints.yml").read_text().replace("sqlite:///var/codecare.db", sqlite_url))
    assert main(["--endpoints", str(endpoints), "purge", "--days", "30"]) == 0
    assert "1 conversations removed entirely" in capsys.readouterr().out
    assert main(["--endpoints", str(endpoints), "erase", "fresh", "nobody"]) == 0
    out = capsys.readouterr().out
    assert "conversation 'fresh': 7 events deleted" in out and "'nobody': 0 events" in out
    with pytest.raises(SystemExit):
        main(["--endpoints", str(endpoints), "purge"])
