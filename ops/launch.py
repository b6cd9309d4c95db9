"""Start Rasa's own CLI with the action-server fallback installed.

    python -m ops.launch run --model models/codecare.tar.gz --enable-api ...
    python -m ops.launch shell --model models/codecare.tar.gz

Same arguments as `rasa`; scripts/run.sh, the Dockerfile and the tests start the Rasa
server this way so that a down or hung action server gets the user a polite reply, and
every message is length-limited and redacted before it is parsed, stored or logged.
"""
from __future__ import annotations

from rasa.__main__ import main as rasa_main

from ops import action_fallback, actions, guard


def main() -> None:
    action_fallback.install()
    guard.install()  # message length limit and PII redaction (ops/guard.py)
    actions.install_client()  # CODECARE_ACTION_TOKEN to the action server (ops/actions.py)
    rasa_main()


if __name__ == "__main__":
    main()
