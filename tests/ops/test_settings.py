"""Single-host defaults: every variable endpoints.yml needs, and nothing that is already set."""
from __future__ import annotations

import subprocess

from ops.settings import ROOT, local_defaults, shell_exports
from tests.deploy.manifests import endpoint_variables


def test_defaults_cover_every_variable_endpoints_yml_reads() -> None:
    assert endpoint_variables() == set(local_defaults({}))


def test_defaults_keep_conversations_in_the_data_dir() -> None:
    assert local_defaults({})["CODECARE_DB_URL"] == f"sqlite:///{ROOT / 'var' / 'codecare.db'}"
    assert local_defaults({"CODECARE_DATA_DIR": "/srv/cc"})["CODECARE_DB_URL"] == "sqlite:////srv/cc/codecare.db"


def test_shell_exports_only_fill_in_what_is_unset_and_are_valid_shell() -> None:
    exports = shell_exports({"CODECARE_LOCK_STORE": "redis"})
    assert "CODECARE_LOCK_STORE" not in exports
    done = subprocess.run(["bash", "-c", exports + '\necho "[$CODECARE_REDIS_PASSWORD]"'],
                          capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
