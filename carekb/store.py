"""Lookups over loaded, validated knowledge."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, Mapping, Sequence

from carekb.model import Background, Contact, Entry, Role, Sources, Vocabulary


@dataclass(frozen=True)
class Knowledge:
    """Every answer, keyed by answer_id, and the vocabulary that names things."""

    entries: Mapping[str, Entry]
    vocabulary: Vocabulary
    sources: Sources
    contact: Contact
    roles: Dict[str, Role] = field(init=False)
    backgrounds: Dict[str, Background] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "roles", {r.id: r for r in self.vocabulary.roles})
        object.__setattr__(self, "backgrounds", {b.id: b for b in self.vocabulary.backgrounds})

    def __contains__(self, answer_id: object) -> bool:
        return answer_id in self.entries

    def entry(self, answer_id: str) -> Entry:
        return self.entries[answer_id]

    def roles_of(self, answer_id: str) -> Sequence[str]:
        """The roles an answer is about or recommends, best first (a role answer: its role)."""
        parts = answer_id.split(".")
        if parts[0] == "role" and len(parts) == 3:
            return (parts[1],)
        return tuple(self.entries[answer_id].roles) if answer_id in self.entries else ()

    def source_line(self, sections: Sequence[str], basis: str) -> str:
        """How an answer names where it comes from: 'Source: <document> › <sections>'."""
        note = " (advice built on the document)" if basis == "derived" else ""
        return f"Source: {self.sources.title} › {'; '.join(sections)}{note}"
