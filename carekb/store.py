"""Lookups over loaded, validated knowledge."""
from __future__ import annotations

from dataclasses import dataclass, field
from itertools import permutations
from typing import Dict, FrozenSet, Mapping, Sequence

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

    def listed_in(self, answer_id: str) -> Sequence[str]:
        """The roles an answer lists without recommending one, in its order."""
        return tuple(self.entries[answer_id].lists) if answer_id in self.entries else ()

    def names(self) -> FrozenSet[str]:
        """Every string this knowledge puts in a reply's metadata or an entity by itself:
        ids, labels, titles and source sections. They are no one's personal data, so a
        redactor may leave them as they are."""
        from carekb.patterns import entity_patterns  # patterns build on this module

        found = {x for p in entity_patterns(self) for x in (p.label, p.value)}
        for answer_id, entry in self.entries.items():
            found |= {answer_id, entry.title, "; ".join(entry.source), *entry.source}
        sections = [role.section for role in self.vocabulary.roles]
        found |= {"; ".join(pair) for pair in permutations(sections, 2)}
        found |= {role.name for role in self.vocabulary.roles} | set(self.roles) | set(self.backgrounds)
        return frozenset(found)

    def source_line(self, sections: Sequence[str], basis: str) -> str:
        """How an answer names where it comes from: 'Source: <document> › <sections>'."""
        note = " (advice built on the document)" if basis == "derived" else ""
        return f"Source: {self.sources.title} › {'; '.join(sections)}{note}"
