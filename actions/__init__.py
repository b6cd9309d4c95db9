"""Rasa custom actions: thin adapters from tracker state to the knowledge module.

The action server (`rasa run actions`, or `python -m actions.server` with a shared secret)
loads this package; from then on its log records are redacted like the Rasa server's.
"""
from privacy import log_filter

log_filter.install()
