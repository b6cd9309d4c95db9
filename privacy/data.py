"""Redact every string inside a JSON-like value (message metadata, parse data), within bounds.

Metadata comes from the client (REST, Socket.IO) or Rasa's HTTP API, so its shape is
hostile until proven otherwise: the walk stops at MAX_DEPTH levels and MAX_ITEMS values,
and what lies beyond is replaced by "[TRUNCATED]" rather than copied unredacted.
Dict keys are kept as they are (they name fields; values carry the data), and so are the
values that are machine names (IDENTIFIER).
"""
from __future__ import annotations

import re
from typing import Any, List

from privacy.redact import redact

MAX_DEPTH = 20
MAX_ITEMS = 10_000
TRUNCATED = "[TRUNCATED]"
# Machine names carry no personal data: intents, actions and answer ids (lower-case words
# joined by "_", ".", ":" or "/", without digits: "role.clinical_informaticist.duties") and
# hexadecimal ids with a letter in them (Rasa's model and message ids).
IDENTIFIER = re.compile(r"[a-z]+(?:[_.:/][a-z]+)+|(?=\d*[a-f])[0-9a-f]{16,64}")


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
        return value if IDENTIFIER.fullmatch(value) else redact(value)
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
