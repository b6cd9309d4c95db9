"""The featurizers read a long message's question twice, after Rasa's own tokenizer."""
from __future__ import annotations

from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from server.nlu.question_focus import QuestionFocus

STORY = ("Hiya. I've been a data analyst at a supermarket chain for five years, mostly forecasting "
         "stock and doing dashboards. My mum was in hospital a lot last year and I got chatting to "
         "one of the registrars about how they use data. ")
QUESTION = "What does a data scientist in a hospital do all day? Sorry this is long"


def tokens(tmp_path, text: str, focus: bool = True) -> list:
    message = Message.build(text=text)
    context = ExecutionContext(None, "test")
    WhitespaceTokenizer.create(WhitespaceTokenizer.get_default_config(), LocalModelStorage(tmp_path),
                               Resource("tokens"), context).process([message])
    if focus:
        QuestionFocus.create({}, LocalModelStorage(tmp_path), Resource("focus"), context).process([message])
    return [t.text for t in message.get("text_tokens")]


def test_a_long_message_has_its_question_read_twice(tmp_path) -> None:
    whole, question = tokens(tmp_path, STORY + QUESTION, focus=False), tokens(tmp_path, QUESTION, focus=False)
    assert tokens(tmp_path, STORY + QUESTION) == whole + question


def test_a_short_message_is_left_as_tokenized(tmp_path) -> None:
    text = "I'm a nurse, what roles suit me? Sorry this is long"
    assert tokens(tmp_path, text) == tokens(tmp_path, text, focus=False)


def test_training_examples_get_the_same_tokens(tmp_path) -> None:
    example = Message.build(text=STORY + QUESTION, intent="ask_about")
    WhitespaceTokenizer.create(WhitespaceTokenizer.get_default_config(), LocalModelStorage(tmp_path),
                               Resource("tokens"), ExecutionContext(None, "test")).process([example])
    QuestionFocus.create({}, LocalModelStorage(tmp_path), Resource("focus"),
                         ExecutionContext(None, "test")).process_training_data(TrainingData([example]))
    assert [t.text for t in example.get("text_tokens")] == tokens(tmp_path, STORY + QUESTION)


def test_the_cache_key_follows_the_code_that_finds_the_question(monkeypatch) -> None:
    before = QuestionFocus.fingerprint_addon({})
    assert before and before == QuestionFocus.fingerprint_addon({})

    def question_start(text: str) -> int:  # another way of finding the question
        return len(text) // 2

    monkeypatch.setattr("server.nlu.question_focus.question_start", question_start)
    assert QuestionFocus.fingerprint_addon({}) != before
