"""Shared fixtures: the real knowledge folder, loaded once; the trained model; an SQLite URL."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from carekb import Knowledge, load_knowledge

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE_DIR = ROOT / "knowledge"
MODEL = ROOT / "models" / "codecare.tar.gz"
IN_CI = os.environ.get("CI", "").lower() == "true"

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


@pytest.fixture(scope="session")
def knowledge() -> Knowledge:
    return load_knowledge(KNOWLEDGE_DIR)


@pytest.fixture(scope="session")
def trained_model() -> Path:
    """The model `make train` builds; the tests that need it say so plainly when it is missing."""
    if not MODEL.exists():
        pytest.fail(f"{MODEL} is missing: run `make train` (or `make test`, which trains first)")
    return MODEL


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A tracker store URL in a fresh folder (the store creates the folder)."""
    return f"sqlite:///{tmp_path / 'db' / 'codecare.db'}"


# What makes a test a system test (not in `make test-unit`): it needs the trained model
# (and with it, usually, real servers), a real Redis, PostgreSQL or nginx, or Chromium.
SYSTEM_FIXTURES = {"trained_model", "redis_port", "cluster", "chromium"}


def pytest_collection_modifyitems(config: pytest.Config, items: list) -> None:
    for item in items:
        if SYSTEM_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.system)
