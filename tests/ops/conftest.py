"""Fixtures for the ops tests: the project's domain and an SQLite tracker store URL."""
from __future__ import annotations

from pathlib import Path

import pytest
from rasa.shared.core.domain import Domain

from tests.conftest import ROOT


@pytest.fixture(scope="session")
def domain() -> Domain:
    return Domain.load(str(ROOT / "domain.yml"))


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'db' / 'codecare.db'}"
