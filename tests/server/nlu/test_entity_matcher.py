"""The spaCy matcher finds names in any case, number and with common typos."""
from __future__ import annotations

from typing import List, Tuple

import pytest

from carekb import Knowledge
from carekb.patterns import Pattern, entity_patterns
from server.nlu.entity_matcher import EntityMatcher


@pytest.fixture(scope="module")
def matcher(knowledge: Knowledge) -> EntityMatcher:
    return EntityMatcher(entity_patterns(knowledge))


def found(matcher: EntityMatcher, text: str) -> List[Tuple[str, str]]:
    return [(f.label, f.value) for f in matcher.find(text)]


@pytest.mark.parametrize("text, expected", [
    ("What does a Clinical Informaticist do?", ("role", "clinical_informaticist")),
    ("what do AI ENGINEERS do", ("role", "ai_ml_engineer")),
    ("AI/ML engineers?", ("role", "ai_ml_engineer")),
    ("tell me about data scientists", ("role", "medical_data_scientist")),
    ("and the AI liaisons?", ("role", "clinical_informaticist")),
    ("what do compliance specialists do", ("role", "regulatory_specialist")),
    ("how do data sceintists work", ("role", "medical_data_scientist")),
    ("informatisist", ("role", "clinical_informaticist")),
    ("I'm a nurse", ("background", "clinical")),
    ("we are Pharmacists", ("background", "clinical")),
    ("I studied biology", ("background", "life_sciences")),
    ("software developer here", ("background", "computing")),
    ("what is alert fatigue", ("topic", "concept.alert_fatigue")),
    ("I have a fever", ("medical", "medical")),
])
def test_finds_names(matcher: EntityMatcher, text: str, expected: Tuple[str, str]) -> None:
    assert expected in found(matcher, text)


def test_offsets_point_at_the_words(matcher: EntityMatcher) -> None:
    text = "is an ethicist like a Regulatory Specialist?"
    spans = {(f.value, text[f.start:f.end]) for f in matcher.find(text) if f.label == "role"}
    assert spans == {("ai_ethicist", "ethicist"), ("regulatory_specialist", "Regulatory Specialist")}


def test_longest_name_wins(matcher: EntityMatcher) -> None:
    """'software developer' is a background, not the role hidden in 'developer'; 'alert fatigue' is no symptom."""
    assert found(matcher, "I'm a software developer") == [("background", "computing")]
    assert found(matcher, "explain alert fatigue") == [("topic", "concept.alert_fatigue")]


def test_real_words_are_not_corrected_into_names(matcher: EntityMatcher) -> None:
    assert found(matcher, "how do models interpret things") == []


def test_patterns_come_from_data() -> None:
    matcher = EntityMatcher([Pattern("role", "astronaut", "space pilot")])
    assert found(matcher, "Space Pilots rock") == [("role", "astronaut")]
    assert found(matcher, "what is alert fatigue") == []
