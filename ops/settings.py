"""Single-host defaults for the environment variables endpoints.yml reads.

Rasa substitutes `${VAR}` in endpoints.yml but has no defaults, so every entry point we
own on one machine (`scripts/run.sh`, `python -m ops ...`) fills in the same values from
here. Docker Compose and Kubernetes set every variable themselves: a missing one there
must fail loudly instead of quietly giving each replica its own SQLite file.
"""
from __future__ import annotations

import os
import shlex
from pathlib import Path
from typing import Dict, Mapping, Optional

ROOT = Path(__file__).resolve().parent.parent
DB_FILE = "codecare.db"


def data_dir(env: Mapping[str, str] = os.environ) -> Path:
    """Where conversations live on one machine: git-ignored `var/` unless told otherwise."""
    return Path(env.get("CODECARE_DATA_DIR") or ROOT / "var").resolve()


def knowledge_dir(env: Mapping[str, str] = os.environ) -> Path:
    """The knowledge folder, overridable like the action server's (actions/answer.py)."""
    return Path(env.get("CODECARE_KNOWLEDGE_DIR") or ROOT / "knowledge")


def local_defaults(env: Mapping[str, str] = os.environ) -> Dict[str, str]:
    """Every variable endpoints.yml needs, for one Rasa server with SQLite and no Redis."""
    return {
        "CODECARE_DB_URL": f"sqlite:///{data_dir(env) / DB_FILE}",
        "CODECARE_ACTION_URL": "http://127.0.0.1:5055/webhook",
        "CODECARE_LOCK_STORE": "in_memory",
        "CODECARE_REDIS_HOST": "127.0.0.1",
        "CODECARE_REDIS_PORT": "6379",
        "CODECARE_REDIS_PASSWORD": "",
    }


def apply_local_defaults(env: Optional[Dict[str, str]] = None) -> Dict[str, str]:
    """Set the variables that are not set yet; return the ones that were filled in."""
    target = os.environ if env is None else env
    filled = {k: v for k, v in local_defaults(target).items() if k not in target}
    target.update(filled)
    return filled


def shell_exports(env: Mapping[str, str] = os.environ) -> str:
    """`export` lines for the variables still unset, for `eval` in scripts/run.sh."""
    return "\n".join(f"export {k}={shlex.quote(v)}" for k, v in local_defaults(env).items()
                     if k not in env)
