"""Redact every string inside a JSON-like value (message metadata, parse data), within bounds.

Metadata comes from the client (REST, Socket.IO) or Rasa's HTTP API, so its shape is
hostile until proven otherwise: the walk stops at MAX_DEPTH levels and MAX_ITEMS values,
and what lies beyond is replaced by "[TRUNCATED]" rather than copied unredacted.
Dict keys are kept as they are (they name fields; values carry the data), and so are the
values that are machine names (IDENTIFIER).
"""
from __future__ import annotations

import re
from typing import AbstractSet, Any, Dict, Optional

from privacy.redact import redact

MAX_DEPTH = 20
MAX_ITEMS = 10_000
TRUNCATED = "[TRUNCATED]"
# Machine names carry no personal data: intents, actions and answer ids (lower-case words
# joined by "_", ".", ":" or "/", without digits: "role.clinical_informaticist.duties"),
# hexadecimal ids with a letter in them (Rasa's model and message ids) and class names of
# three or more capitalised parts ("KnowledgeEntityExtractor").
IDENTIFIER = re.compile(r"[a-z]+(?:[_.:/][a-z]+)+|(?=\d*[a-f])[0-9a-f]{16,64}|[A-Z][a-z]+(?:[A-Z][a-z]+){2,}")


def redact_data(value: Any, keep: AbstractSet[str] = frozenset(),
                memo: Optional[Dict[str, str]] = None) -> Any:
    """A copy of value with every string redacted; numbers, booleans and None as they are.

    Strings in `keep` are the caller's own vocabulary (its intents, entity labels and
    values) and are kept as they are. Each distinct string is redacted once; pass `memo`
    to share that work between calls for one event (a message's text is also in its parse
    data). The memo lives as long as the caller keeps it: only for one event."""
    walk = _Walk(keep, {} if memo is None else memo)
    return walk(value, 0)


class _Walk:
    """One bounded walk: the items left, the vocabulary kept, the strings redacted so far."""

    def __init__(self, keep: AbstractSet[str], memo: Dict[str, str]) -> None:
        self.budget = MAX_ITEMS
        self.keep = keep
        self.memo = memo

    def __call__(self, value: Any, depth: int) -> Any:
        self.budget -= 1
        if self.budget < 0 or depth > MAX_DEPTH:
            return TRUNCATED
        if value is None or isinstance(value, (bool, int, float)):
            return value
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            out = {}
            for key, item in value.items():
                if self.budget <= 0:
                    out[key] = TRUNCATED
                    break
                out[key] = self(item, depth + 1)
            return out
        if isinstance(value, (list, tuple)):
            items = []
            for item in value:
                if self.budget <= 0:
                    items.append(TRUNCATED)
                    break
                items.append(self(item, depth + 1))
            return items
        return self.text(str(value))  # not JSON: its text, redacted

    def text(self, value: str) -> str:
        if value in self.keep or IDENTIFIER.fullmatch(value):
            return value
        if value not in self.memo:
            self.memo[value] = redact(value)
        return self.memo[value]
