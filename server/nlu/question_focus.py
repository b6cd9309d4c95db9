"""Rasa NLU component: the featurizers read a long message's question twice.

A long message is mostly story ("I've been a data analyst for five years, my mum was in
hospital a lot...") with the question at its end. Classified on every word alike, it is
read as whatever the story is about; the question is what the person asks. Placed after
the tokenizer and the entity extractor, this component appends the question's tokens
(`carekb.advisor.question_start`) once more, in training as at run time, so the bag of
words the intent classifier reads weighs the question double. The story still counts
(it tells who is asking: on the question alone, "what would suit me?" reads as small
talk), and the text and the entities are left whole for the advisor and the guards.
"""
from __future__ import annotations

import hashlib
import inspect
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from carekb import shapes
from carekb.advisor import question_start


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class QuestionFocus(GraphComponent):
    """Repeats a long message's question tokens for the featurizers after it."""

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "QuestionFocus":
        return cls()

    @classmethod
    def fingerprint_addon(cls, config: Dict[str, Any]) -> Optional[str]:
        """The code that finds the question: an edit of it changes what the featurizers see,
        so Rasa's training cache must not reuse their old output."""
        code = "".join(inspect.getsource(f) for f in (focus, question_start, shapes.asked_from, shapes.sentences))
        return hashlib.sha256(code.encode()).hexdigest()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            focus(message)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for example in training_data.training_examples:
            focus(example)
        return training_data


def focus(message: Message) -> None:
    """The message's tokens, then those of its question again, when it is long."""
    text, tokens = message.get(TEXT), message.get(TOKENS_NAMES[TEXT])
    if not text or not tokens:
        return
    since = question_start(text)
    kept = [token for token in tokens if token.start >= since]
    if since and kept:
        message.set(TOKENS_NAMES[TEXT], tokens + kept)
