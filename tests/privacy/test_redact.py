"""The redactor on labelled corpora: recall over every labelled item, precision over redactions.

pii_corpus.yml was written with the redactor. The independent_*.yml corpora were each written
by a helper who never saw the redactor (English and German, chat style, a quarter with
nothing to redact), one after another: each was measured before anyone read it, then a
later round of work was tuned on it (the first run of each is in docs/security.md).
independent_reserved.yml (the first corpus's held-out third), independent_seventh.yml and
independent_eighth.yml were never read: their figures are the honest ones.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from privacy import PLACEHOLDERS, find, redact
from privacy.redact import MAX_SCAN, TRUNCATED

CORPORA = {name: yaml.safe_load(Path(__file__).with_name(name).read_text(encoding="utf-8"))["examples"]
           for name in ("pii_corpus.yml", "independent_dev.yml", "independent_reserved.yml",
                        "independent_fresh.yml", "independent_third.yml", "independent_fourth.yml",
                        "independent_fifth.yml", "independent_sixth.yml", "independent_seventh.yml",
                        "independent_eighth.yml")}
EXAMPLES = CORPORA["pii_corpus.yml"]
# (recall, precision) floors, a little under what each measured last (docs/security.md).
FLOORS = {"pii_corpus.yml": (0.98, 0.98), "independent_dev.yml": (0.98, 0.98),
          "independent_reserved.yml": (0.97, 0.93), "independent_fresh.yml": (0.97, 0.97),
          "independent_third.yml": (0.98, 0.99), "independent_fourth.yml": (0.98, 0.98),
          "independent_fifth.yml": (0.97, 0.97), "independent_sixth.yml": (0.98, 0.99),
          "independent_seventh.yml": (0.96, 0.95), "independent_eighth.yml": (0.96, 0.96)}


def _score(examples):
    labelled = caught = made = right = 0
    misses, wrong = [], []
    for example in examples:
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


@pytest.mark.parametrize("corpus", sorted(CORPORA))
def test_recall_and_precision(corpus: str) -> None:
    labelled, caught, made, right, misses, wrong = _score(CORPORA[corpus])
    recall, precision = caught / labelled, right / made
    print(f"{corpus}: PII recall {caught}/{labelled} = {recall:.3f}; precision {right}/{made} = {precision:.3f}")
    recall_min, precision_min = FLOORS[corpus]
    assert recall >= recall_min, misses
    assert precision >= precision_min, wrong


# Each negative of the first two corpora; the later ones count through their precision floors.
@pytest.mark.parametrize("example", [e for name in ("pii_corpus.yml", "independent_dev.yml")
                                     for e in CORPORA[name] if not e["pii"]],
                         ids=lambda e: e["text"][:30])
def test_negatives_are_left_alone(example) -> None:
    assert redact(example["text"]) == example["text"]


def test_the_question_around_the_redaction_stays() -> None:
    assert redact("my email is dana@x.org, what does a data scientist do?") == \
        "my email is [EMAIL], what does a data scientist do?"


def test_hostile_and_odd_input_is_safe() -> None:
    for text in ["", "\x00" * 50, "a@" * 5000, "1" * 20000, "\u202e" + "x" * 100, "My name is " * 2000]:
        assert isinstance(redact(text), str)


@pytest.mark.parametrize("text, value", [
    ("i'm dana smith, what does a data scientist do?", "dana smith"),
    ("this is dana", "dana"),
    ("hi im kwame, a nurse", "kwame"),
    ("ich bin lena und arbeite in der Pflege", "lena"),
    ("my mentor Priya Raghunathan said to ask", "Priya Raghunathan"),
    ("Regards, Dr. Ngozi Eze", "Ngozi Eze"),
    ("call me on 07700 900123", "07700 900123"),
    ("UK office 020 7946 0958", "020 7946 0958"),
    ("Handy 0171 1234567", "0171 1234567"),
    ("Tel. +49 (0)89 12345678", "+49 (0)89 12345678"),
    ("my SSN is 123.45.6789", "123.45.6789"),
    ("MRN 7731", "7731"),
    ("born on the 2nd of January 1980", "2nd of January 1980"),
    ("geboren am 5. März 1980", "5. März 1980"),
    ("Ich bin am 5.3.1992 geboren", "5.3.1992"),
])
def test_the_forms_the_security_review_found_are_redacted(text: str, value: str) -> None:
    assert value not in redact(text), redact(text)


@pytest.mark.parametrize("text", [
    "I'm a nurse", "i'm looking for a job", "I am interested in radiology", "i'm will", "i'm sure",
    "Ich bin Krankenschwester", "I'm English", "what does a Clinical Informaticist do?",
    "is warfarin or Metformin data used for ML?", "Python 3.12 or R 4.3?", "born in 1990",
    "Epic and Cerner in 2024", "the meeting is on 03/04/2026", "Die Fortbildung ist am 12. Mai 2026",
])
def test_ordinary_words_years_roles_and_drugs_are_left_alone(text: str) -> None:
    assert redact(text) == text


def test_a_text_over_the_scan_limit_is_cut_and_marked_not_left_unredacted() -> None:
    text = "x " * MAX_SCAN + "dana@x.org"
    assert "dana@x.org" not in redact(text) and redact(text).endswith(TRUNCATED)


@pytest.mark.parametrize("text, value", [
    ("Sister Okafor told me to ask about informatics", "Okafor"),
    ("Matron O'Connor recommended the course", "O'Connor"),
])
def test_a_surname_after_a_job_title_used_as_a_form_of_address_is_redacted(text: str, value: str) -> None:
    assert value not in redact(text)


@pytest.mark.parametrize("text", ["ask Nurse Practitioner colleagues", "the Nurse Informaticist role",
                                  "I'm Senior Nurse on ward 4", "Doctor Who fan here"])
def test_a_job_title_before_a_role_word_is_left_alone(text: str) -> None:
    assert redact(text) == text


@pytest.mark.parametrize("text, value", [
    ("would Faith be able to retrain?", "Faith"),  # a first name capitalised inside an English sentence
    ("I asked if Grace could join us", "Grace"),
    ("thanks\nAmara Okoye\nStaff Nurse\namara@x.org", "Amara Okoye"),  # a signature's name line
    ("see below.\nOla Nordmann\nAnalyst", "Ola Nordmann"),  # after a full stop and a line break
    ("he's Kofi Mensah from pharmacy", "Kofi Mensah"),  # introduced by a pronoun
    ("Mein Betreuer heißt Nowak, kennst du ihn?", "Nowak"),
    ("it's Hope again, any news?", "Hope"),
    ("Frag die Katrin, sie weiß das", "Katrin"),  # a German article before a first name
    ("Schwester Krüger hat gesagt, ich soll fragen", "Krüger"),  # a surname that is also a noun
    ("born in march 1985", "march 1985"),  # a month and a year after a cue
    ("geboren im Juli 1979 in Leipzig", "Juli 1979"),
    ("geboren am dritten mai neunzehnhundertachtzig", "dritten mai neunzehnhundertachtzig"),  # all words
    ("DOB the fourth of July nineteen eighty-two", "fourth of July nineteen eighty-two"),
    ("UMID 0111-2345678-9 please", "0111-2345678-9"),  # any long number
    ("PAN card AAAPL1234C", "AAAPL1234C"),
    ("tax file number 123 456 782", "123 456 782"),
    ("passport FB123456, can I still apply?", "FB123456"),  # a code of letters and digits
    ("the lady in bay 3 (0456712K) opted out", "0456712K"),
    ("Reisepass FE 483921 liegt vor", "FE 483921"),
    ("did anyone record Fiona's talk?", "Fiona"),  # a possessive inside a sentence
    ("can HR call maria gonzalez back?", "maria gonzalez"),  # first name and surname in lower case
    ("Ich bin Oksana Melnyk, Ärztin aus Kyjiw", "Oksana"),  # Cyrillic names, romanised
    ("Bitte an lena punkt maier at web punkt de schicken", "lena punkt maier at web punkt de"),
])
def test_the_general_rules_find_new_phrasings(text: str, value: str) -> None:
    assert value not in redact(text), redact(text)


@pytest.mark.parametrize("text", [
    "I work on Ward 12 nights", "the Grace Hopper conference", "Is Python or R better?", "we use Cerner and Epic",
    "Hilfe! Ich brauche Rat", "ticket 2025-0417 is open", "SNOMED concept 22298006", "Budget 12.500.000 Euro",
    "from 2019-2023 I was a nurse", "a model with 175000000 parameters", "Ticketnummer 2025041712 geht nicht",
    "INC0048213 is still open", "we follow ISO 13485 and IEC 62304", "is CVE-2024-49375 fixed?",
    "module 7HDS0012 at King's", "which role pays 120000 per year?", "Beste Grüße aus Köln",
    "Is Guy's and St Thomas' hiring?", "Guten Tag, wie werde ich Data Scientist?",
    "message_id 3f2a9c1b7d4e4a1b9c3d123456789012 failed",
])
def test_long_numbers_that_say_what_they_are_and_capitals_of_things_are_left_alone(text: str) -> None:
    assert redact(text) == text
