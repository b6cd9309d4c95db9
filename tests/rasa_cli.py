"""Kept for the tests that import it from here; the helpers live in tests/support/rasa_cli.py."""
from tests.support.rasa_cli import RASA, env, free_port, rasa, stop, tail  # noqa: F401
