"""Entity patterns generated from the knowledge, so a new synonym needs no code change."""
from __future__ import annotations

from typing import Iterator, NamedTuple

from carekb.store import Knowledge

ROLE = "role"
BACKGROUND = "background"
TOPIC = "topic"
ASPECT = "aspect"
REFERENCE = "reference"
MEDICAL = "medical"
FOLLOW_UP = "follow_up"
ORDINAL = "ordinal"
WHO = "who"
MEDICAL_REQUEST = "medical_request"
PARTIAL = "partial"
LABELS = (ROLE, BACKGROUND, TOPIC, ASPECT, REFERENCE, MEDICAL, FOLLOW_UP, ORDINAL, WHO,
          MEDICAL_REQUEST, PARTIAL)


class Pattern(NamedTuple):
    """A phrase that, when it appears in a message, means entity `label` with `value`."""

    label: str
    value: str
    phrase: str


def entity_patterns(knowledge: Knowledge) -> Iterator[Pattern]:
    vocabulary = knowledge.vocabulary
    for role in vocabulary.roles:
        for phrase in vocabulary.role_phrases(role):
            yield Pattern(ROLE, role.id, phrase)
    for background in vocabulary.backgrounds:
        for phrase in background.synonyms:
            yield Pattern(BACKGROUND, background.id, phrase)
    for answer_id, entry in knowledge.entries.items():
        for phrase in entry.keywords:
            yield Pattern(TOPIC, answer_id, phrase)
        for phrase in entry.covers_partly:
            yield Pattern(PARTIAL, answer_id, phrase)
    for aspect, phrases in vocabulary.aspects.items():
        for phrase in phrases:
            yield Pattern(ASPECT, aspect, phrase)
    for phrase in vocabulary.references:
        yield Pattern(REFERENCE, "previous", phrase)
    for phrase in vocabulary.medical_terms:
        yield Pattern(MEDICAL, "medical", phrase)
    for phrase in vocabulary.follow_ups:
        yield Pattern(FOLLOW_UP, "same_question", phrase)
    for number, phrases in vocabulary.ordinals.items():
        for phrase in phrases:
            yield Pattern(ORDINAL, number, phrase)
    for phrase in vocabulary.who_questions:
        yield Pattern(WHO, "which_role", phrase)
    for phrase in vocabulary.medical_requests:
        yield Pattern(MEDICAL_REQUEST, "advice", phrase)
