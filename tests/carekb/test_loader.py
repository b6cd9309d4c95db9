"""The knowledge files load, keep the answer-id contract, and bad edits fail clearly."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Callable

import pytest
import yaml

from carekb import Knowledge, KnowledgeError, load_knowledge
from carekb import contract
from carekb.model import MAX_WORDS
from tests.conftest import KNOWLEDGE_DIR, ROOT

CONTRACT_TABLE = """
field.overview field.outlook field.ethics_regulation roles.overview role.compare
skills.overview skills.technical skills.clinical skills.soft
path.steps path.foundations path.domain_knowledge path.portfolio path.certification
concept.nlp concept.medical_imaging concept.predictive_analytics concept.algorithmic_bias
concept.alert_fatigue concept.ehr concept.health_data_regulation concept.fda_approval
advice.background.clinical advice.background.computing advice.background.life_sciences
advice.background.policy_law ask.background fallback.out_of_scope fallback.clarify
fallback.medical_advice bot.help
""".split()
ROLES = ["ai_ml_engineer", "clinical_informaticist", "medical_data_scientist", "ai_ethicist",
         "regulatory_specialist"]


def test_every_answer_id_of_the_contract_exists(knowledge: Knowledge) -> None:
    ids = set(CONTRACT_TABLE) | {f"role.{r}.{a}" for r in ROLES for a in ("duties", "skills", "example")}
    assert ids <= set(knowledge.entries)
    assert ids <= contract.required_ids()


@pytest.mark.parametrize("role", ROLES)
def test_every_role_has_duties_skills_and_an_example(knowledge: Knowledge, role: str) -> None:
    for aspect in ("duties", "skills", "example"):
        entry = knowledge.entry(f"role.{role}.{aspect}")
        assert entry.text.strip() and entry.source, f"{entry.answer_id} needs text and a source"
    assert knowledge.roles[role].synonyms


def test_answers_are_chat_sized_cite_real_sections_and_offer_follow_ups(knowledge: Knowledge) -> None:
    document = (KNOWLEDGE_DIR / knowledge.sources.document).read_text(encoding="utf-8").splitlines()
    for entry in knowledge.entries.values():
        assert len(entry.text.split()) <= MAX_WORDS
        for section in entry.source:
            assert section in document, f"{entry.answer_id} cites {section!r}"
        if entry.basis != "assistant":
            assert 2 <= len(entry.related) <= 3, f"{entry.answer_id} should offer 2-3 follow-ups"


def test_advice_beyond_the_document_is_marked_derived(knowledge: Knowledge) -> None:
    for background in contract.BACKGROUNDS:
        assert knowledge.entry(contract.background_answer(background)).basis == "derived"
    assert knowledge.entry(contract.COMPARE).basis == "derived"


def test_no_invented_figures(knowledge: Knowledge) -> None:
    """The document gives no salaries or statistics, so no answer may carry numbers or currency."""
    for entry in knowledge.entries.values():
        assert not re.search(r"[$€£]|\d+\s*%|\b\d{2,}\b", entry.text), entry.answer_id


def test_the_cli_validates_the_real_folder() -> None:
    done = subprocess.run([sys.executable, "-m", "carekb", "validate", str(KNOWLEDGE_DIR)],
                          cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "all valid" in done.stdout


# Bad edits: each must fail with the file, the entry and the reason.

def _edit(tmp_path: Path, file: str, change: Callable[[dict], None]) -> Path:
    folder = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, folder)
    path = folder / file
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return folder


def _entry(data: dict, answer_id: str) -> dict:
    return next(e for e in data["entries"] if e["answer_id"] == answer_id)


def _problem(folder: Path) -> str:
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(folder)
    return str(caught.value)


@pytest.mark.parametrize("file, change, expected", [
    ("answers/concepts.yml", lambda d: _entry(d, "concept.nlp").pop("title"),
     ["answers/concepts.yml", "concept.nlp", "`title` is missing"]),
    ("answers/concepts.yml", lambda d: _entry(d, "concept.nlp").update(titel="NLP"),
     ["concept.nlp", "`titel` is not a known field"]),
    ("answers/concepts.yml", lambda d: _entry(d, "concept.nlp").update(related=["concept.nope"]),
     ["concept.nlp", "'concept.nope' is not an answer_id"]),
    ("answers/concepts.yml", lambda d: _entry(d, "concept.nlp").update(source="Chapter 9"),
     ["concept.nlp", "source 'Chapter 9' is not a section"]),
    ("answers/concepts.yml", lambda d: _entry(d, "concept.nlp").update(text="word " * 130),
     ["concept.nlp", "has 130 words"]),
    ("answers/concepts.yml", lambda d: _entry(d, "concept.nlp").update(basis="opinion"),
     ["concept.nlp", "`basis`"]),
    ("answers/concepts.yml", lambda d: _entry(d, "concept.nlp").update(source=[]),
     ["concept.nlp", "`source` is required when basis is document"]),
    ("answers/concepts.yml", lambda d: _entry(d, "concept.ehr").update(answer_id="concept.nlp"),
     ["concept.nlp", "already used"]),
    ("answers/concepts.yml", lambda d: d["entries"].remove(_entry(d, "concept.ehr")),
     ["concept.ehr", "required by the answer-id contract"]),
    ("answers/concepts.yml", lambda d: _entry(d, "concept.ehr").update(keywords=["alert fatigue"]),
     ["topic phrase 'alert fatigue' also names"]),
    ("vocabulary.yml", lambda d: d["roles"][0].pop("synonyms"),
     ["vocabulary.yml", "roles[1] (ai_ml_engineer)", "`roles.0.synonyms` is missing"]),
    ("vocabulary.yml", lambda d: d["roles"][0].update(as_background="astronomy"),
     ["role ai_ml_engineer", "as_background 'astronomy' is not a background id"]),
    ("vocabulary.yml", lambda d: d["roles"][1]["synonyms"].append(d["roles"][0]["synonyms"][0]),
     ["role phrase", "also names role"]),
    ("sources.yml", lambda d: d["sections"].append("A Heading Not In The Text"),
     ["sources.yml", "A Heading Not In The Text", "is not a heading line"]),
])
def test_a_bad_edit_names_file_entry_and_reason(tmp_path: Path, file: str, change: Callable,
                                                expected: list) -> None:
    message = _problem(_edit(tmp_path, file, change))
    for part in expected:
        assert part in message, f"{part!r} not in:\n{message}"


def test_broken_yaml_says_where(tmp_path: Path) -> None:
    folder = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, folder)
    path = folder / "answers" / "field.yml"
    path.write_text(path.read_text(encoding="utf-8") + "\n  - answer_id: [unclosed\n", encoding="utf-8")
    message = _problem(folder)
    assert "answers/field.yml" in message and "is not valid YAML at line" in message


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    def two_faults(data: dict) -> None:
        _entry(data, "concept.nlp").pop("title")
        _entry(data, "concept.ehr").update(related=["concept.missing"])
    message = _problem(_edit(tmp_path, "answers/concepts.yml", two_faults))
    assert "concept.nlp" in message and "concept.missing" in message


def test_the_cli_fails_with_the_reason(tmp_path: Path) -> None:
    folder = _edit(tmp_path, "answers/path.yml", lambda d: _entry(d, "path.steps").update(related=["x.y"]))
    done = subprocess.run([sys.executable, "-m", "carekb", "validate", str(folder)],
                          cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 1
    assert "path.steps" in done.stderr and "'x.y' is not an answer_id" in done.stderr
