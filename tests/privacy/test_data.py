"""redact_data on hostile JSON, and the tracker store redacting what reaches it another way (Rasa's HTTP API)."""
from __future__ import annotations

import asyncio
import json
import sqlite3
from pathlib import Path

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet, UserUttered

from privacy import redact_data
from privacy.data import MAX_DEPTH, MAX_ITEMS, TRUNCATED
from server.stores.tracker_store import HealthAwareSQLTrackerStore

ROOT = Path(__file__).resolve().parents[2]
PII = ("dana.smith@example.org", "Dana Smith", "415-555-0132", "123-45-6789")


def test_every_string_is_redacted_and_the_rest_kept() -> None:
    value = {"from": "dana.smith@example.org", "n": 3, "ok": True, "none": None, "x": 1.5,
             "nested": [{"note": "I'm Dana Smith, call 415-555-0132"}, "SSN 123-45-6789"],
             "role": "clinical_informaticist"}
    out = redact_data(value)
    assert out == {"from": "[EMAIL]", "n": 3, "ok": True, "none": None, "x": 1.5,
                   "nested": [{"note": "I'm [NAME], call [PHONE]"}, "SSN [SSN]"],
                   "role": "clinical_informaticist"}
    assert value["from"] == "dana.smith@example.org"  # a copy: the input is untouched


def test_hostile_depth_and_size_are_cut_not_copied_unredacted() -> None:
    deep: object = "dana@x.org"
    for _ in range(MAX_DEPTH * 50):
        deep = [deep]
    out = json.dumps(redact_data(deep))
    assert "dana@x.org" not in out and TRUNCATED in out
    wide = {str(i): "dana@x.org" for i in range(MAX_ITEMS * 3)}
    out_wide = redact_data(wide)
    assert "dana@x.org" not in json.dumps(out_wide) and len(out_wide) <= MAX_ITEMS + 1


def test_scalars_and_non_json_values() -> None:
    assert redact_data("call 415-555-0132") == "call [PHONE]"
    assert redact_data(7) == 7 and redact_data(None) is None
    assert redact_data(("dana@x.org",)) == ["[EMAIL]"]
    assert redact_data({"b": b"dana@x.org"})["b"].endswith("[EMAIL]'")  # not JSON: its text, redacted


def test_the_tracker_store_redacts_text_parse_data_and_every_events_metadata(sqlite_url: str, tmp_path: Path) -> None:
    (tmp_path / "db").mkdir()
    domain = Domain.load(str(ROOT / "domain.yml"))
    store = HealthAwareSQLTrackerStore(domain=domain, host=sqlite_url)
    tracker = asyncio.run(store.get_or_create_tracker("api-user"))
    text = "I'm Dana Smith, dana.smith@example.org, what does a data scientist do?"
    tracker.update(UserUttered(text, intent={"name": "ask_role", "confidence": 0.9},
                               entities=[{"entity": "person", "value": "Dana Smith", "start": 4, "end": 14}],
                               parse_data={"text": text},
                               metadata={"phone": "415-555-0132", "who": {"ssn": "123-45-6789"}}))
    tracker.update(SlotSet("role", "data_scientist", metadata={"note": "dana.smith@example.org"}))
    tracker.update(SlotSet("session_started_metadata", {"phone": "415-555-0132"}))
    asyncio.run(store.save(tracker))

    rows = sqlite3.connect(sqlite_url.removeprefix("sqlite:///")).execute("SELECT data FROM events").fetchall()
    stored = " ".join(row[0] for row in rows)
    assert stored and not [pii for pii in PII if pii in stored], stored
    assert "what does a data scientist do?" in stored and "data_scientist" in stored


def test_machine_names_are_kept_and_everything_else_is_redacted() -> None:
    parse = {"intent": {"name": "ask_role"}, "answer": "role.clinical_informaticist.duties",
             "model_id": "8a8b1167ac3143d8b58e3eb7947e3077", "card": "4111111111111111",
             "record": "mrn-1234567", "who": "Dana Smith", "text": "ask dr patel"}
    redacted = redact_data(parse)
    assert redacted == {**parse, "card": redacted["card"], "record": "mrn-[MRN]", "who": "[NAME]", "text": "ask dr [NAME]"}
    assert redacted["card"] != parse["card"]  # digits alone are never taken for an id


def test_the_callers_vocabulary_is_kept_and_each_string_redacted_once(monkeypatch) -> None:
    import privacy.data

    seen = []
    original = privacy.data.redact

    def counted(text: str) -> str:
        seen.append(text)
        return original(text)

    monkeypatch.setattr(privacy.data, "redact", counted)
    value = {"entities": [{"extractor": "KnowledgeEntityExtractor", "entity": "background", "value": "clinical"}] * 3,
             "text": "I'm Dana Smith", "again": "I'm Dana Smith", "who": "Sabine"}
    redacted = redact_data(value, keep=frozenset({"background", "clinical"}))
    assert redacted["entities"][2] == value["entities"][0]
    assert redacted["text"] == redacted["again"] == "I'm [NAME]" and redacted["who"] == "[NAME]"
    assert sorted(seen) == ["I'm Dana Smith", "Sabine"]
    # a name in the vocabulary kept would be kept, so the store keeps only its own names
    assert redact_data("Sabine", keep=frozenset({"background"})) == "[NAME]"


def test_the_store_keeps_only_the_assistants_own_names() -> None:
    from server.stores.tracker_store import machine_names

    names = machine_names(Domain.load(str(ROOT / "domain.yml")))
    assert {"ask_skills", "background", "clinical", "action_answer", "role.compare"} <= names
    assert not {"Dana Smith", "Sabine", "dana.smith@example.org"} & names
