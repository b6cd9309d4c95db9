"""Fixtures for the Rasa server extensions' tests: the project's domain."""
from __future__ import annotations

import pytest
from rasa.shared.core.domain import Domain

from tests.conftest import ROOT


@pytest.fixture(scope="session")
def domain() -> Domain:
    return Domain.load(str(ROOT / "domain.yml"))
