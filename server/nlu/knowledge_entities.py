"""Rasa NLU component that adds the knowledge module's entities to each message."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from carekb import load_knowledge
from codecare import settings
from carekb.patterns import entity_patterns
from server.nlu.entity_matcher import EntityMatcher


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class KnowledgeEntityExtractor(GraphComponent, EntityExtractorMixin):
    """Finds roles, backgrounds, topics, aspects, references and medical terms.

    Patterns are read from the knowledge folder when the model loads, so an edited
    synonym takes effect on restart. The folder is `codecare.settings.knowledge_dir()`
    unless the `knowledge_dir` setting names one.
    """

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"knowledge_dir": None}

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "KnowledgeEntityExtractor":
        folder = Path(config["knowledge_dir"]) if config.get("knowledge_dir") else settings.knowledge_dir()
        return cls(config, EntityMatcher(entity_patterns(load_knowledge(folder))))

    def __init__(self, config: Dict[Text, Any], matcher: EntityMatcher) -> None:
        self.component_config = config
        self.matcher = matcher

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not text:
                continue
            found = [
                {"entity": f.label, "value": f.value, "start": f.start, "end": f.end, "confidence": 1.0}
                for f in self.matcher.find(text)
            ]
            entities = message.get(ENTITIES, []) + self.add_extractor_name(found)
            message.set(ENTITIES, entities, add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Training data keeps its own annotations; the matcher only runs on live messages."""
        return training_data
