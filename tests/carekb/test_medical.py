"""The shape of a request for care (carekb.medical), on messages written for this test:
none is in the training data or the boundary sets."""
from __future__ import annotations

import pytest

from carekb.medical import asks_for_care, clauses, drug_like


@pytest.mark.parametrize("text", [
    "should my uncle keep taking his ticagrelor before his dental work?",
    "as an aspiring informaticist: is it ok to crush my 5mg tablets into jam?",
    "is 165/100 too high for a 50 year old?",
    "what does my brother's echo report mean, it says 'mild LV impairment'",
    "can ondansetron be taken with sertraline",
    "I'm learning python, but honestly, my toddler has a rash and a fever, does she need hospital?",
    "what should I do if a resident falls and hits their head?",
    "how many puffs of the blue inhaler can he have in an hour",
    "her creatinine came back at 180, is that bad?",
])
def test_requests_for_care_have_the_shape(text: str) -> None:
    assert asks_for_care(text, medical=False) or asks_for_care(text, medical=True)


@pytest.mark.parametrize("text", [
    "should I take a masters in health informatics first?",
    "is it safe to leave a nursing job for a career in AI?",
    "what does my background in biochemistry mean for my options?",
    "which course should I take to become an AI engineer?",
    "can you give me an example?",
    "how would I start if I want to work on seizure prediction?",
    "what skills do you need for an AI that recommends insulin doses?",
    "is 45 too old to retrain?",
])
def test_career_questions_do_not(text: str) -> None:
    assert not asks_for_care(text, medical=True)


def test_off_topic_questions_do_not() -> None:
    assert not asks_for_care("how many days of annual leave do I have left", medical=False)
    assert not asks_for_care("should I change my password every month?", medical=False)


def test_loose_shapes_need_something_medical() -> None:
    assert not asks_for_care("what could it be?", medical=False)
    assert asks_for_care("what could it be?", medical=True)


def test_career_talk_in_another_clause_does_not_hide_a_request() -> None:
    text = "I'm a data analyst hoping to move into AI, but should my dad stop his digoxin?"
    assert len(clauses(text)) >= 2
    assert asks_for_care(text)


def test_drug_names_and_measurements_are_counted_by_their_shape() -> None:
    assert drug_like("she was switched from candesartan to nebivolol") == 2
    assert drug_like("BP 150/95 and 2.5mg a day") == 2
    assert drug_like("I have 10 years of experience and a 2:1 degree") == 0


@pytest.mark.parametrize("text", [
    "which cough syrup would you recommend for my little one?",
    "my puppy swallowed a sock an hour ago, is that dangerous?",
    "is it normal for my 3 month old to be this sleepy?",
    "the home wants to know if a resident can have her capsules opened into custard",
    "my potassium of 5.9, does that need treatment?",
    "how long after drinking can you take a sleeping tablet safely?",
    "her elbow is swollen and hot since the fall, normal?",
    "troponin 52 ng/L on the second draw, is it an MI?",
    "my little boy has a cough and I'm due at my bootcamp. honey or cough mixture?",
    "what's the normal sodium level? my dashboard needs the cut-offs",
    "my latest ECG came back odd, is that serious?",
    "the app told my mum to halve her tablets, should she just do it?",
    "should I ask my GP for amitriptyline?",
])
def test_requests_known_by_a_body_a_medicine_or_an_event(text: str) -> None:
    """Shapes that name a kind of medicine, a part of a body, a pet, or something that
    happened to someone, rather than a listed drug or condition."""
    assert asks_for_care(text)


@pytest.mark.parametrize("text", [
    "which medicine-related datasets would a data scientist work with?",
    "what vaccine data do epidemiology teams model?",
    "my back-end skills are rusty, could I still become an ML engineer?",
    "is my background in pharmacy right for informatics?",
    "python or R?",
    "what's a normal week like for a clinical informaticist?",
    "should I just do it and apply for the data science job?",
])
def test_career_questions_with_those_words_do_not(text: str) -> None:
    assert not asks_for_care(text, medical=True)


def test_a_sentence_does_not_end_at_the_point_of_a_number() -> None:
    assert clauses("as a future data scientist, explain whether my cholesterol of 7.4 needs statins") == [
        "as a future data scientist", "explain whether my cholesterol of 7.4 needs statins"]


def test_a_listed_request_in_a_clause_about_work_asks_nothing() -> None:
    from carekb.medical import career_clause
    text = "how is AI changing the way cancer is diagnosed"
    assert career_clause(text, text.index("diagnosed"))
    text = "as an AI student is it safe to take ibuprofen with naproxen?"
    assert not career_clause(text, text.index("is it safe"))
    assert asks_for_care(text)
    text = "I'm learning python, but is my ankle broken?"
    assert not career_clause(text, text.index("broken"))
