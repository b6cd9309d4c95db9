"""The Rasa component adds the matcher's entities to real Rasa messages."""
from __future__ import annotations

from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from server.nlu.knowledge_entities import KnowledgeEntityExtractor
from tests.conftest import KNOWLEDGE_DIR


def make(tmp_path) -> KnowledgeEntityExtractor:
    config = {**KnowledgeEntityExtractor.get_default_config(), "knowledge_dir": str(KNOWLEDGE_DIR)}
    return KnowledgeEntityExtractor.create(
        config, LocalModelStorage(tmp_path), Resource("entities"), ExecutionContext(None, "test"))


def test_process_adds_entities_with_offsets_and_extractor(tmp_path) -> None:
    component = make(tmp_path)
    message = Message.build(text="data scientist vs clinical informaticist?")
    component.process([message])
    entities = message.get("entities")
    assert [(e["entity"], e["value"]) for e in entities] == [
        ("role", "medical_data_scientist"), ("role", "clinical_informaticist")]
    assert entities[0]["start"] == 0 and entities[0]["end"] == len("data scientist")
    assert {e["extractor"] for e in entities} == {"KnowledgeEntityExtractor"}


def test_process_keeps_entities_found_earlier(tmp_path) -> None:
    component = make(tmp_path)
    earlier = {"entity": "topic", "value": "path.portfolio", "start": 0, "end": 1}
    message = Message.build(text="nurse", entities=[earlier])
    component.process([message])
    assert message.get("entities")[0] == earlier
    assert message.get("entities")[1]["value"] == "clinical"


def test_training_data_is_left_alone(tmp_path) -> None:
    data = TrainingData([Message.build(text="I am a nurse", intent="inform_background")])
    assert make(tmp_path).process_training_data(data) is data
    assert data.training_examples[0].get("entities") is None
