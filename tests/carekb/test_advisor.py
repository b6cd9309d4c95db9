"""The dialogue logic: which answer a turn gets, given what came before."""
from __future__ import annotations

from typing import List, Optional, Sequence, Tuple

import pytest

from carekb import Knowledge
from carekb.advisor import Advisor, Context, Reply, Turn


@pytest.fixture(scope="module")
def advisor(knowledge: Knowledge) -> Advisor:
    return Advisor(knowledge)


def turn(intent: str, *entities: Tuple[str, str], ranking: Sequence[Tuple[str, float]] = ()) -> Turn:
    return Turn(intent=intent, entities=entities, ranking=ranking)


def talk(advisor: Advisor, *turns: Turn, context: Optional[Context] = None) -> List[Reply]:
    """Run turns in order, carrying the context as the action's slots would."""
    context = context or Context()
    replies = []
    for t in turns:
        reply = advisor.reply(t, context)
        replies.append(reply)
        context = reply.context
    return replies


def ids(replies: List[Reply]) -> List[str]:
    return [r.answer_id for r in replies]


def test_role_question_answers_that_role(advisor: Advisor) -> None:
    reply = advisor.reply(turn("ask_about", ("role", "clinical_informaticist")), Context())
    assert reply.answer_id == "role.clinical_informaticist.duties"
    assert reply.source == "2. The Interpreters: Clinical Informaticists and AI Liaisons"
    assert reply.text.endswith("Source: The Convergence of Code and Care › " + reply.source)
    assert 2 <= len(reply.suggestions) <= 3
    assert all(s.title for s in reply.suggestions)


def test_follow_ups_keep_the_role_and_then_the_aspect(advisor: Advisor) -> None:
    replies = talk(
        advisor,
        turn("ask_about", ("role", "ai_ethicist")),
        turn("ask_skills", ("reference", "previous")),
        turn("inform_role", ("role", "regulatory_specialist")),
        turn("ask_example"),
        turn("compare_roles", ("role", "medical_data_scientist")),
    )
    assert ids(replies) == [
        "role.ai_ethicist.duties",
        "role.ai_ethicist.skills",
        "role.regulatory_specialist.skills",
        "role.regulatory_specialist.example",
        "role.compare",
    ]
    assert replies[-1].roles == ("regulatory_specialist", "medical_data_scientist")


def test_general_skills_question_without_a_role_in_focus(advisor: Advisor) -> None:
    assert advisor.reply(turn("ask_skills"), Context()).answer_id == "skills.overview"
    both = turn("ask_skills", ("topic", "skills.technical"), ("topic", "skills.soft"))
    assert advisor.reply(both, Context()).answer_id == "skills.overview"
    soft = turn("ask_skills", ("topic", "skills.soft"))
    assert advisor.reply(soft, Context()).answer_id == "skills.soft"


def test_skills_question_right_after_a_role_answer_is_about_that_role(advisor: Advisor) -> None:
    after_role = Context(role="ai_ethicist", aspect="duties", last_answer="role.ai_ethicist.duties")
    assert advisor.reply(turn("ask_skills"), after_role).answer_id == "role.ai_ethicist.skills"
    after_topic = Context(role="ai_ethicist", last_answer="concept.nlp")
    assert advisor.reply(turn("ask_skills"), after_topic).answer_id == "skills.overview"


def test_comparison_of_two_named_roles_records_both(advisor: Advisor) -> None:
    reply = advisor.reply(turn("compare_roles", ("role", "medical_data_scientist"),
                               ("role", "clinical_informaticist")), Context())
    assert reply.answer_id == "role.compare"
    assert reply.roles == ("medical_data_scientist", "clinical_informaticist")
    assert "Medical Data Scientist" in reply.text and "Clinical Informaticist" in reply.text
    assert "{" not in reply.text
    assert reply.source == "3. The Analysts: Medical Data Scientists; 2. The Interpreters: Clinical Informaticists and AI Liaisons"


def test_comparison_with_one_role_and_no_context_offers_pairs(advisor: Advisor) -> None:
    reply = advisor.reply(turn("compare_roles", ("role", "ai_ethicist")), Context())
    assert reply.answer_id == "fallback.clarify"
    assert [s.roles[0] for s in reply.suggestions] == ["ai_ethicist"] * 3
    assert all(" vs " in s.title for s in reply.suggestions)


def test_which_role_fits_me_asks_for_the_background_then_advises(advisor: Advisor) -> None:
    replies = talk(advisor, turn("career_match"), turn("inform_background", ("background", "life_sciences")))
    assert ids(replies) == ["ask.background", "advice.background.life_sciences"]
    assert replies[0].context.awaiting == "background"
    assert replies[1].context.awaiting is None


def test_background_in_the_first_message_is_answered_at_once(advisor: Advisor) -> None:
    reply = advisor.reply(turn("career_match", ("background", "clinical")), Context())
    assert reply.answer_id == "advice.background.clinical"


def test_background_reply_is_understood_even_when_the_intent_is_unsure(advisor: Advisor) -> None:
    waiting = Context(awaiting="background")
    unsure = turn("nlu_fallback", ("background", "policy_law"), ranking=[("greet", 0.3)])
    assert advisor.reply(unsure, waiting).answer_id == "advice.background.policy_law"


def test_a_role_stands_for_a_background_when_no_background_is_named(advisor: Advisor) -> None:
    reply = advisor.reply(turn("inform_background", ("role", "regulatory_specialist")), Context())
    assert reply.answer_id == "advice.background.policy_law"


@pytest.mark.parametrize("t", [
    Turn("medical_advice", text="should she keep going with them"),
    turn("ask_path", ("medical", "medical")),
    turn("ask_about", ("medical", "medical"), ("aspect", "duties")),
])
def test_medical_questions_are_declined(advisor: Advisor, t: Turn) -> None:
    reply = advisor.reply(t, Context(role="ai_ethicist"))
    assert reply.answer_id == "fallback.medical_advice"
    assert "emergency" in reply.text.lower()


def test_medical_words_in_a_career_question_do_not_decline_it(advisor: Advisor) -> None:
    reply = advisor.reply(turn("ask_about", ("role", "medical_data_scientist"), ("medical", "medical")), Context())
    assert reply.answer_id == "role.medical_data_scientist.duties"


def test_unsure_turn_answers_when_the_likeliest_readings_agree(advisor: Advisor) -> None:
    t = turn("nlu_fallback", ("role", "ai_ml_engineer"), ranking=[("inform_role", 0.3), ("ask_about", 0.28)])
    assert advisor.reply(t, Context()).answer_id == "role.ai_ml_engineer.duties"


def test_unsure_turn_that_readings_disagree_on_clarifies_with_them(advisor: Advisor) -> None:
    t = turn("nlu_fallback", ranking=[("ask_skills", 0.3), ("ask_path", 0.28)])
    reply = advisor.reply(t, Context())
    assert reply.answer_id == "fallback.clarify"
    assert [s.answer_id for s in reply.suggestions] == ["skills.overview", "path.steps", "roles.overview"]


def test_unsure_turn_naming_one_role_answers_about_it(advisor: Advisor) -> None:
    t = turn("nlu_fallback", ("role", "ai_ml_engineer"), ranking=[("ask_skills", 0.3), ("ask_example", 0.28)])
    assert advisor.reply(t, Context()).answer_id == "role.ai_ml_engineer.duties"
    asks_skills = turn("nlu_fallback", ("aspect", "skills"), ("role", "ai_ethicist"), ranking=[("roles_overview", 0.3)])
    assert advisor.reply(asks_skills, Context()).answer_id == "role.ai_ethicist.skills"


def test_off_topic_says_what_the_assistant_can_do(advisor: Advisor) -> None:
    reply = advisor.reply(turn("out_of_scope"), Context())
    assert reply.answer_id == "fallback.out_of_scope"
    assert reply.source is None and reply.suggestions


def test_a_button_names_its_answer_directly(advisor: Advisor) -> None:
    reply = advisor.reply(turn("ask_about", ("topic", "role.ai_ethicist.example")), Context())
    assert reply.answer_id == "role.ai_ethicist.example"
    assert reply.context.role == "ai_ethicist"


def test_unknown_entity_values_are_ignored(advisor: Advisor) -> None:
    reply = advisor.reply(turn("ask_about", ("topic", "no.such.answer"), ("role", "astronaut")), Context())
    assert reply.answer_id == "fallback.clarify"


def test_what_about_repeats_the_last_aspect_for_the_new_role(advisor: Advisor) -> None:
    after_skills = Context(role="medical_data_scientist", aspect="skills",
                           last_answer="role.medical_data_scientist.skills")
    t = turn("ask_about", ("follow_up", "same_question"), ("role", "regulatory_specialist"))
    assert advisor.reply(t, after_skills).answer_id == "role.regulatory_specialist.skills"


def test_hesitant_medical_intent_with_a_role_and_no_medical_word_is_a_career_question(advisor: Advisor) -> None:
    t = Turn("medical_advice", 0.6, (("role", "clinical_informaticist"),),
             (("medical_advice", 0.6), ("ask_about", 0.2)))
    assert advisor.reply(t, Context()).answer_id == "role.clinical_informaticist.duties"
    confident = Turn("medical_advice", 0.95, (("role", "clinical_informaticist"),))
    assert advisor.reply(confident, Context()).answer_id == "fallback.medical_advice"
    with_symptom = Turn("medical_advice", 0.6, (("role", "clinical_informaticist"), ("medical", "medical")),
                        (("medical_advice", 0.6), ("ask_about", 0.2)))
    assert advisor.reply(with_symptom, Context()).answer_id == "fallback.medical_advice"


def test_unsure_turn_leaning_medical_declines(advisor: Advisor) -> None:
    t = Turn("nlu_fallback", 0.35, (), (("nlu_fallback", 0.35), ("medical_advice", 0.3), ("ask_about", 0.28)),
             text="is that normal for him")
    assert advisor.reply(t, Context()).answer_id == "fallback.medical_advice"


def test_hesitant_broad_intent_yields_to_a_named_concept(advisor: Advisor) -> None:
    t = Turn("field_ethics", 0.4, (("topic", "concept.health_data_regulation"),))
    assert advisor.reply(t, Context()).answer_id == "concept.health_data_regulation"
    sure = Turn("field_ethics", 0.95, (("topic", "concept.algorithmic_bias"),))
    assert advisor.reply(sure, Context()).answer_id == "field.ethics_regulation"


def test_medical_words_outnumbering_career_topics_decline(advisor: Advisor) -> None:
    personal = turn("ask_about", ("topic", "concept.medical_imaging"), ("medical", "medical"), ("medical", "medical"))
    assert advisor.reply(personal, Context()).answer_id == "fallback.medical_advice"
    concept = turn("ask_about", ("topic", "concept.medical_imaging"), ("medical", "medical"))
    assert advisor.reply(concept, Context()).answer_id == "concept.medical_imaging"


def test_a_hesitant_pleasantry_around_a_request_is_read_as_the_request(advisor: Advisor) -> None:
    wrapped = Turn("greet", 0.55, (), (("greet", 0.55), ("help", 0.45)))
    assert advisor.reply(wrapped, Context()).answer_id == "bot.help"
    just_hello = Turn("greet", 0.7, (), (("greet", 0.7), ("help", 0.1)))
    assert advisor.reply(just_hello, Context()).answer_id == "bot.greet"
    sure = Turn("greet", 0.9, (), (("greet", 0.9), ("help", 0.1)))
    assert advisor.reply(sure, Context()).answer_id == "bot.greet"
    between_pleasantries = Turn("thanks", 0.5, (), (("thanks", 0.5), ("goodbye", 0.5)))
    assert advisor.reply(between_pleasantries, Context()).answer_id == "bot.thanks"


def test_a_role_and_one_aspect_named_outright_decide_the_answer(advisor: Advisor) -> None:
    day_to_day = Turn("ask_example", 0.99, (("aspect", "duties"), ("role", "regulatory_specialist")))
    assert advisor.reply(day_to_day, Context()).answer_id == "role.regulatory_specialist.duties"
    broad = Turn("field_ethics", 0.9, (("role", "regulatory_specialist"), ("aspect", "duties")))
    assert advisor.reply(broad, Context()).answer_id == "role.regulatory_specialist.duties"
    no_aspect = Turn("ask_example", 0.99, (("role", "regulatory_specialist"),))
    assert advisor.reply(no_aspect, Context()).answer_id == "role.regulatory_specialist.example"
    two_roles = Turn("compare_roles", 0.99, (("role", "ai_ethicist"), ("role", "regulatory_specialist"),
                                             ("aspect", "duties")))
    assert advisor.reply(two_roles, Context()).answer_id == "role.compare"


def test_a_hesitant_skills_question_beside_one_named_topic_is_about_it(advisor: Advisor) -> None:
    hesitant = Turn("ask_skills", 0.79, (("aspect", "skills"), ("topic", "path.foundations")))
    assert advisor.reply(hesitant, Context()).answer_id == "path.foundations"
    sure = Turn("ask_skills", 0.95, (("aspect", "skills"), ("topic", "path.foundations")))
    assert advisor.reply(sure, Context()).answer_id == "skills.overview"
