"""The redactor's word lists: built from the packages once, then read back from the cache."""
from __future__ import annotations

from pathlib import Path

import pytest

from privacy import lexicon as module


def test_the_cache_gives_the_lists_that_were_built_and_a_bad_cache_is_rebuilt(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(module.CACHE_ENV, str(tmp_path))
    built = module.lexicon.__wrapped__()
    [cached] = tmp_path.glob("lexicon-*.json")
    assert module.lexicon.__wrapped__() == built  # read back from the file
    assert "priya" in built.first and "nurse" in built.common

    cached.write_text('{"first": ["nurse"]}', encoding="utf-8")  # another version's, or damaged
    assert module.lexicon.__wrapped__() == built
    assert module.lexicon.__wrapped__() == built  # and stored again whole


def test_an_unwritable_cache_only_costs_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv(module.CACHE_ENV, str(blocked / "cache"))
    assert "priya" in module.lexicon.__wrapped__().first
