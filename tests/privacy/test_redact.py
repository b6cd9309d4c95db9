"""The redactor on a labelled corpus: recall over every labelled item, precision over redactions."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from privacy import PLACEHOLDERS, find, redact

CORPUS = Path(__file__).with_name("pii_corpus.yml")
RECALL_MIN = 0.95
PRECISION_MIN = 0.95
EXAMPLES = yaml.safe_load(CORPUS.read_text(encoding="utf-8"))["examples"]


def _score():
    labelled = caught = made = right = 0
    misses, wrong = [], []
    for example in EXAMPLES:
        text, items = example["text"], [(k, str(v)) for k, v in example["pii"]]
        findings = find(text)
        spans = [(f.kind, text[f.start:f.end]) for f in findings]
        for kind, value in items:
            labelled += 1
            # caught: some redaction covers the labelled value entirely
            hit = any(f.start <= text.find(value) and text.find(value) + len(value) <= f.end for f in findings)
            caught += hit
            if not hit:
                misses.append((text, kind, value, spans))
        for kind, value in spans:
            made += 1
            good = any(value.strip(" .,") in v or v in value for _, v in items)
            right += good
            if not good:
                wrong.append((text, kind, value))
    return labelled, caught, made, right, misses, wrong


def test_corpus_is_big_enough_with_every_kind_and_negatives() -> None:
    assert len(EXAMPLES) >= 100
    kinds = {k for e in EXAMPLES for k, _ in e["pii"]}
    assert kinds == set(PLACEHOLDERS)
    assert sum(1 for e in EXAMPLES if not e["pii"]) >= 30


def test_recall_and_precision() -> None:
    labelled, caught, made, right, misses, wrong = _score()
    recall, precision = caught / labelled, right / made
    print(f"PII recall {caught}/{labelled} = {recall:.3f}; precision {right}/{made} = {precision:.3f}")
    assert recall >= RECALL_MIN, misses
    assert precision >= PRECISION_MIN, wrong


@pytest.mark.parametrize("example", [e for e in EXAMPLES if not e["pii"]], ids=lambda e: e["text"][:30])
def test_negatives_are_left_alone(example) -> None:
    assert redact(example["text"]) == example["text"]


def test_the_question_around_the_redaction_stays() -> None:
    assert redact("my email is dana@x.org, what does a data scientist do?") == \
        "my email is [EMAIL], what does a data scientist do?"


def test_hostile_and_odd_input_is_safe() -> None:
    for text in ["", "\x00" * 50, "a@" * 5000, "1" * 20000, "\u202e" + "x" * 100, "My name is " * 2000]:
        assert isinstance(redact(text), str)
