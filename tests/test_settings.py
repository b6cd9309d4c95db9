"""One settings module; the root endpoints.yml literal, deploy/endpoints.yml from the environment."""
from __future__ import annotations

import re
from pathlib import Path

import yaml

from codecare import settings
from tests.conftest import ROOT
from tests.deploy.manifests import endpoint_variables

PYTHON_DIRS = ("actions", "admin", "bench", "carekb", "codecare", "privacy", "server")


def test_the_root_endpoints_yml_is_literal_and_single_host() -> None:
    assert endpoint_variables(ROOT / "endpoints.yml") == set()
    config = yaml.safe_load((ROOT / "endpoints.yml").read_text())
    assert config["action_endpoint"]["url"] == "http://localhost:5055/webhook"
    assert config["tracker_store"]["url"] == "sqlite:///var/codecare.db"
    assert config["lock_store"]["type"] == "server.stores.lock_store.InMemoryLockStore"


def test_deploy_endpoints_yml_reads_the_environment_and_sends_the_action_token() -> None:
    config = yaml.safe_load((ROOT / "deploy" / "endpoints.yml").read_text())
    assert config["action_endpoint"]["headers"] == {"X-Codecare-Action-Token": "${CODECARE_ACTION_TOKEN}"}
    assert {"CODECARE_ACTION_URL", "CODECARE_DB_URL", "CODECARE_LOCK_STORE"} <= endpoint_variables(
        ROOT / "deploy" / "endpoints.yml")


def test_only_the_settings_module_reads_codecare_variables() -> None:
    reader = re.compile(r"(environ|getenv)[^\n]{0,40}[\"']CODECARE_")
    offenders = [str(path.relative_to(ROOT)) for folder in PYTHON_DIRS for path in (ROOT / folder).rglob("*.py")
                 if path != ROOT / "codecare" / "settings.py" and reader.search(path.read_text())]
    assert offenders == []


def test_settings_defaults_and_overrides() -> None:
    assert settings.knowledge_dir({}) == ROOT / "knowledge"
    assert settings.knowledge_dir({"CODECARE_KNOWLEDGE_DIR": "/srv/k"}) == Path("/srv/k")
    assert settings.max_message_chars({}) == 1000 and settings.max_message_chars({"CODECARE_MAX_MESSAGE_CHARS": "50"}) == 50
    assert settings.max_body_bytes({}) == 65536
    assert settings.action_timeout({}) == 4.0
    assert settings.tracker_cache({"CODECARE_TRACKER_CACHE": "0"}) == 0
