"""The security tests' real servers (started by codecare/launch.py), for the log and metadata tests here."""
from tests.security.conftest import servers  # noqa: F401 - a fixture, used by name
