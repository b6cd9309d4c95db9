"""Shared fixtures: the real knowledge folder, loaded once."""
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
