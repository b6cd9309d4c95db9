"""Redact every string inside a JSON-like value (message metadata, parse data), within bounds.

Metadata comes from the client (REST, Socket.IO) or Rasa's HTTP API, so its shape is
hostile until proven otherwise: the walk stops at MAX_DEPTH levels and MAX_ITEMS values,
and what lies beyond is replaced by "[TRUNCATED]" rather than copied unredacted.
Dict keys are kept as they are (they name fields; values carry the data).
"""
from __future__ import annotations

from typing import Any, List

from privacy.redact import redact

MAX_DEPTH = 20
MAX_ITEMS = 10_000
TRUNCATED = "[TRUNCATED]"


def redact_data(value: Any) -> Any:
    """A copy of value with every string redacted; numbers, booleans and None as they are."""
    budget = [MAX_ITEMS]
    return _walk(value, 0, budget)


def _walk(value: Any, depth: int, budget: List[int]) -> Any:
    budget[0] -= 1
    if budget[0] < 0 or depth > MAX_DEPTH:
        return TRUNCATED
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if budget[0] <= 0:
                out[key] = TRUNCATED
                break
            out[key] = _walk(item, depth + 1, budget)
        return out
    if isinstance(value, (list, tuple)):
        items = []
        for item in value:
            if budget[0] <= 0:
                items.append(TRUNCATED)
                break
            items.append(_walk(item, depth + 1, budget))
        return items
    return redact(str(value))  # not JSON: its text, redacted
