"""Personal data out of what the assistant stores and logs (pure Python, no Rasa imports)."""
from privacy.data import redact_data
from privacy.redact import PLACEHOLDERS, Finding, find, redact

__all__ = ["PLACEHOLDERS", "Finding", "find", "redact", "redact_data"]
