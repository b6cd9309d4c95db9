"""Start Rasa's own CLI with the action-server fallback installed.

    python -m ops.launch run --model models/codecare.tar.gz --enable-api ...
    python -m ops.launch shell --model models/codecare.tar.gz

Same arguments as `rasa`; scripts/run.sh, the Dockerfile and the tests start the Rasa
server this way so that a down or hung action server gets the user a polite reply,
every message is length-limited and redacted before it is parsed, stored or logged, and
the model's graph runs without dask's per-run overhead (ops/graph_runner.py).
"""
from __future__ import annotations

from rasa.__main__ import main as rasa_main

from ops import action_fallback, actions, graph_runner, guard


def main() -> None:
    action_fallback.install()
    guard.install()  # message length limit and PII redaction (ops/guard.py)
    actions.install_client()  # CODECARE_ACTION_TOKEN to the action server (ops/actions.py)
    graph_runner.install()  # the prediction graph in plain Python (ops/graph_runner.py)
    rasa_main()


if __name__ == "__main__":
    main()
