"""Question shapes on their own: a question for a figure, the words that describe a
who-question's work, a message that opens with the writer's background."""
from __future__ import annotations

import pytest

from carekb.advisor import Turn, introduces_self
from carekb.shapes import (NAMING, asked_from, asks_for_figure, describing_work, names_place, people_doing,
                           place_pattern, plain_question, work_described)
from carekb.store import Knowledge


@pytest.mark.parametrize("text", [
    "how much does a clinical informaticist earn in ireland",
    "how much they pay in Brazil for this",
    "what would it pay in the UK roughly?",
    "ok and what do they earn in the netherlands roughly",
    "how many years would that take me",
    "how long does it take to become an informaticist",
    "is that band 6 or what band?",
])
def test_a_question_for_a_figure(text: str) -> None:
    assert asks_for_figure(text)


@pytest.mark.parametrize("text", [
    "how much coding do I need for this?",
    "how many roles are about ethics",
    "is the pay competitive?",
    "what does an ethicist do?",
    "which role makes the most of my python?",
])
def test_not_a_question_for_a_figure(text: str) -> None:
    assert not asks_for_figure(text)


def test_words_after_a_who_phrase_describe_the_work_until_the_clause_ends() -> None:
    text = "what do you call the job where you turn scans into code a computer can learn from?"
    assert describing_work(text, [0], text.index("learn"))
    asked = "the people who forecast readmissions - what skills do they need?"
    who = asked.index("the people who")
    assert not describing_work(asked, [who], asked.index("skills"))
    assert describing_work(asked, [who], asked.index("readmissions"))
    before = "what skills does the person who builds scan models need"
    assert not describing_work(before, [before.index("the person who")], before.index("skills"))


def _turn(text: str, phrase: str) -> Turn:
    return Turn("career_match", entities=(("background", "clinical"),), text=text, starts=(text.index(phrase),))


@pytest.mark.parametrize("text, phrase", [
    ("hi, community pharmacist here, 4 years qualified. what roles would suit?", "pharmacist"),
    ("paramedic, 5 yrs on the road. is there anywhere for me in AI healthcare", "paramedic"),
    ("evening. band 5 staff nurse on a surgical ward, thinking about informatics", "nurse"),
])
def test_a_message_opening_with_a_background_introduces_the_writer(text: str, phrase: str) -> None:
    assert introduces_self(_turn(text, phrase))


@pytest.mark.parametrize("text, phrase", [
    ("why do nurses hate the new alerts?", "nurses"),
    ("the one that sits between IT and the clinicians, what do they need to know", "clinicians"),
    ("whos the person that makes sure the alerts dont drive the nurses mad", "nurses"),
    ("what roles are there? I'm asking for the nurses on my ward", "nurses"),
])
def test_a_background_mentioned_is_not_one_told(text: str, phrase: str) -> None:
    assert not introduces_self(_turn(text, phrase))


def test_without_offsets_nothing_is_read_as_an_introduction() -> None:
    assert not introduces_self(Turn("career_match", entities=(("background", "clinical"),), text="nurse here"))


def test_the_work_a_who_question_describes_runs_to_the_end_of_its_sentence() -> None:
    text = "radiographer here. Which job is it that cleans and analyses the image data? I'd like that"
    assert work_described(text, [text.index("Which job")]) == "Which job is it that cleans and analyses the image data"
    assert work_described(text, []) == ""


@pytest.mark.parametrize("text", [
    "evening. band 5 staff nurse on a surgical ward. is that a realistic route for me?",
    "I work in IT support. would i have a shot at AI healthcare stuff?",
    "dentist, 12 years in practice. could i work in this?",
])
def test_a_question_about_nothing_but_moving_in_is_plain(text: str) -> None:
    assert plain_question(text)


@pytest.mark.parametrize("text", [
    "could i do it part time while finishing med school",
    "will my UK nursing degree be enough to get a health AI job in australia?",
])
def test_a_question_naming_a_circumstance_is_not_plain(text: str) -> None:
    assert not plain_question(text)


def test_the_question_is_the_last_sentence_that_asks() -> None:
    text = "I fix the odd EHR login. would i have a shot at AI? just curious."
    assert text[asked_from(text):].startswith("would i have a shot at AI?")
    aside = "what would go in a portfolio? like actual projects? thanks"
    assert asked_from(aside) == 0
    told = "how would i get started? I fix the odd EHR login for the ward. what skills? and how long?"
    assert told[asked_from(told):] == "what skills? and how long?"
    story = "no question here. just a story"
    assert story[asked_from(story):].strip() == "just a story"


def test_backgrounds_named_in_a_question_can_be_left_out_of_what_it_asks() -> None:
    text = "is there anywhere for me in AI healthcare or is it all doctors and coders"
    assert not plain_question(text)
    assert plain_question(text, frozenset({"doctor", "coder"}))


def test_people_named_by_what_they_do_open_a_who_question() -> None:
    doing = people_doing(["person", "people", "folks", "role", "job"])
    text = "people checking models for bias - what do they need to know?"
    assert [m.start(1) for m in doing.finditer(text)] == [0]
    assert doing.search("hi. the folks building scan models, what skills?")
    assert not doing.search("the job involving models")      # a role noun naming a thing
    assert not doing.search("I like working with people")   # people not opening a clause


@pytest.mark.parametrize("text", ["what is her job called in english?", "whats the proper term for that",
                                  "what's it called when someone does that"])
def test_a_question_for_a_name(text: str) -> None:
    assert NAMING.search(text)


def test_not_a_question_for_a_name() -> None:
    assert not NAMING.search("what is a clinical informaticist?")


@pytest.mark.parametrize("text, place", [
    ("what's the pay like in germany", True),
    ("typical salary for an ethicist in London?", True),
    ("pay in the NHS?", True),
    ("is the pay good in AI?", False),
    ("how much do they earn in Python roles", False),
    ("is the money good for us", False),
])
def test_a_place_is_named(knowledge: Knowledge, text: str, place: bool) -> None:
    assert names_place(text, place_pattern(knowledge.vocabulary.places)) is place


def test_a_place_added_to_the_knowledge_is_named() -> None:
    assert not names_place("what's the pay like in lagos", place_pattern(["germany"]))
    assert names_place("what's the pay like in lagos", place_pattern(["germany", "lagos"]))
