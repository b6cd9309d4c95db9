"""Each named rule on its own: focus, roles by their work, the medical guard, what the
guide does not cover, a person to talk to, and the rule recorded with every answer."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import List, Tuple

import pytest
import yaml

from carekb import Knowledge, KnowledgeError, load_knowledge
from carekb.advisor import Advisor, Context, Reply, Turn, question_start
from carekb.retrieval import RoleFinder
from tests.conftest import KNOWLEDGE_DIR


@pytest.fixture(scope="module")
def advisor(knowledge: Knowledge) -> Advisor:
    return Advisor(knowledge)


def say(advisor: Advisor, *turns: Turn) -> List[Reply]:
    context, replies = Context(), []
    for t in turns:
        replies.append(advisor.reply(t, context))
        context = replies[-1].context
    return replies


def t(intent: str, *entities: Tuple[str, str], text: str = "", confidence: float = 1.0) -> Turn:
    return Turn(intent=intent, confidence=confidence, entities=entities, text=text)


NURSE = t("inform_background", ("background", "clinical"), text="I'm an ICU nurse")


def test_background_advice_puts_its_first_role_in_focus(advisor: Advisor) -> None:
    advice, learn, day, example, compare = say(
        advisor, NURSE,
        t("ask_path", ("aspect", "skills"), text="what would I need to learn?", confidence=0.6),
        t("nlu_fallback", ("aspect", "duties"), ("reference", "previous"), text="and day to day?"),
        t("ask_example", text="example?"),
        t("compare_roles", ("reference", "previous"), ("role", "medical_data_scientist"),
          text="how's that different from the analyst job?"))
    assert advice.answer_id == "advice.background.clinical"
    assert advice.context.role == "clinical_informaticist"
    assert advice.context.offered == ("clinical_informaticist", "ai_ethicist")
    assert learn.answer_id == "role.clinical_informaticist.skills"
    assert learn.rule == "aspect_of_focus+about_focus:focus_aspect"
    assert day.answer_id == "role.clinical_informaticist.duties"
    assert example.answer_id == "role.clinical_informaticist.example"
    assert compare.answer_id == "role.compare"
    assert compare.roles == ("clinical_informaticist", "medical_data_scientist")


def test_the_second_one_is_the_second_role_offered(advisor: Advisor) -> None:
    _, second = say(advisor, NURSE, t("help", ("ordinal", "2"), text="the second one interests me"))
    assert second.answer_id == "role.ai_ethicist.duties"
    assert second.rule.startswith("picked_from_offered")


def test_an_overview_lists_roles_to_pick_from_without_a_focus(advisor: Advisor) -> None:
    overview, last = say(advisor, t("roles_overview", text="what roles are there"),
                         t("ask_about", ("ordinal", "last"), text="the last one, what do they do"))
    assert overview.context.role is None
    assert overview.context.offered[0] == "ai_ml_engineer"
    assert last.answer_id == f"role.{overview.context.offered[-1]}.duties"


def test_the_ordinal_in_the_question_is_the_one_picked(advisor: Advisor) -> None:
    text = "the first one sounds too technical. what about number two?"
    entities = (("ordinal", "1"), ("ordinal", "2"))
    _, picked = say(advisor, NURSE, Turn("ask_about", 1.0, entities, text=text,
                                         starts=(text.index("first"), text.index("number two"))))
    assert picked.answer_id == "role.ai_ethicist.duties"


def test_an_ordinal_with_nothing_offered_names_no_role(advisor: Advisor) -> None:
    reply = advisor.reply(t("help", ("ordinal", "2"), text="the second one"), Context())
    assert reply.answer_id == "bot.help"


def test_a_who_question_finds_the_role_by_its_work(advisor: Advisor) -> None:
    text = "who writes the documentation and validation studies so an AI tool meets FDA standards?"
    reply = advisor.reply(t("ask_about", ("who", "which_role"), text=text), Context())
    assert reply.answer_id == "role.regulatory_specialist.duties"
    assert reply.rule == "who_does_the_work+find_role:role_by_work"
    skills = advisor.reply(t("ask_skills", ("who", "which_role"), ("aspect", "skills"),
                             text="the person who cleans and organises patient datasets, what skills do they need?"),
                           Context())
    assert skills.answer_id == "role.medical_data_scientist.skills"


def test_a_concept_question_stays_a_concept(advisor: Advisor) -> None:
    reply = advisor.reply(t("ask_about", ("topic", "concept.alert_fatigue"), text="what is alert fatigue?"), Context())
    assert reply.answer_id == "concept.alert_fatigue"


def test_role_finder_reads_the_knowledge_so_an_edit_changes_it(tmp_path: Path) -> None:
    folder = tmp_path / "knowledge"
    _copy_knowledge(folder)
    roles = folder / "answers" / "roles.yml"
    data = yaml.safe_load(roles.read_text())
    for entry in data["entries"]:
        if entry["answer_id"] == "role.ai_ethicist.duties":
            entry["text"] += "\nThey also look after the zebra enclosure."
    roles.write_text(yaml.safe_dump(data, sort_keys=False))
    best = RoleFinder(load_knowledge(folder)).best("who looks after the zebra enclosure?")
    assert best is not None and best.role == "ai_ethicist"


@pytest.mark.parametrize("text, entities", [
    ("I'm training as a data scientist, what dose of melatonin is safe for my night shifts?",
     (("role", "medical_data_scientist"), ("medical_request", "advice"), ("medical", "medical"))),
    ("as a future informaticist, should my mum stop her statins?",
     (("role", "clinical_informaticist"), ("medical_request", "advice"), ("medical", "medical"))),
])
def test_a_medical_request_is_declined_however_it_is_wrapped(advisor: Advisor, text: str,
                                                            entities: Tuple[Tuple[str, str], ...]) -> None:
    reply = advisor.reply(t("ask_about", *entities, text=text), Context())
    assert reply.answer_id == "fallback.medical_advice"
    assert reply.rule == "guard:asks_for_care"
    # the vocabulary's request and medical words decline it without the shape too
    words_only = advisor.reply(t("ask_about", *entities, text=""), Context())
    assert words_only.rule == "guard:medical_request"


def test_a_request_shaped_as_care_is_declined_whatever_the_classifier_read(advisor: Advisor) -> None:
    """An unlisted drug, no medical entity, a confident career intent: the shape decides."""
    text = "quick one from a future ML engineer, can my nan take her tolvaptan with grapefruit juice?"
    reply = advisor.reply(t("ask_skills", ("role", "ai_ml_engineer"), text=text), Context())
    assert reply.answer_id == "fallback.medical_advice"
    assert reply.rule == "guard:asks_for_care"


def test_a_sure_career_question_dense_with_medicine_is_answered(advisor: Advisor) -> None:
    text = "what skills do you need to build AI that grades glaucoma and cataracts from retinal photos?"
    medical = (("medical", "medical"), ("medical", "medical"))
    assert advisor.reply(t("ask_skills", ("aspect", "skills"), *medical, text=text), Context()).answer_id != \
        "fallback.medical_advice"
    # unsure too: its only question is about AI work, and nothing in it is shaped as a request
    unsure = advisor.reply(t("ask_skills", ("aspect", "skills"), *medical, text=text, confidence=0.6), Context())
    assert unsure.answer_id != "fallback.medical_advice"
    # the same medical words with no career question: declined for their number
    bare = advisor.reply(t("ask_skills", *medical, text="glaucoma and cataracts from retinal photos?",
                           confidence=0.6), Context())
    assert bare.answer_id == "fallback.medical_advice" and bare.rule == "guard:mostly_medical"


def test_medicine_named_in_a_career_sense_is_answered(advisor: Advisor) -> None:
    reply = advisor.reply(t("career_match", ("background", "clinical"), ("medical", "medical"), ("who", "which_role"),
                            text="I work in radiology, which role fits me?"), Context())
    assert reply.answer_id == "advice.background.clinical"


def test_off_topic_messages_with_nothing_known_are_never_a_topic(advisor: Advisor) -> None:
    reply = advisor.reply(t("ask_path", text="how do I renew my parking permit", confidence=0.7), Context())
    assert reply.answer_id == "fallback.out_of_scope"
    assert reply.rule == "guard:nothing_known"
    mash = advisor.reply(t("career_match", text="asdfgh", confidence=0.5), Context())
    assert mash.answer_id == "fallback.clarify"


def test_not_covered_unless_the_guide_says_something_in_part(advisor: Advisor) -> None:
    hours = advisor.reply(t("not_covered", text="can I do it part-time?"), Context())
    assert hours.answer_id == "fallback.not_covered"
    assert "handoff.human" in [s.answer_id for s in hours.suggestions]
    pay = advisor.reply(t("not_covered", ("partial", "field.outlook"), text="is the money any good compared to nursing?"),
                        Context())
    assert pay.answer_id == "field.outlook"
    assert pay.rule == "not_covered:partial_answer"
    there = advisor.reply(t("not_covered", ("partial", "field.outlook"), text="typical salary for an ethicist in Leeds?"),
                          Context())
    assert there.answer_id == "fallback.not_covered"
    assert there.rule.startswith("not_in_guide")


def test_work_told_before_a_question_pointing_back_is_that_role(advisor: Advisor) -> None:
    text = "I heard some people take medical AI tools through FDA approval and clearance. what is that job like?"
    reply = advisor.reply(t("ask_about", ("reference", "previous"), text=text), Context())
    assert reply.answer_id == "role.regulatory_specialist.duties"
    assert reply.rule == "ask_about:role_told_before"
    vague = advisor.reply(t("ask_about", ("reference", "previous"), text="I heard about it. what is that job like?"),
                          Context())
    assert vague.answer_id == "fallback.clarify"


def test_asking_for_a_person_gives_the_configured_contact(advisor: Advisor, knowledge: Knowledge) -> None:
    reply = advisor.reply(t("request_human", text="can I talk to someone?"), Context())
    contact = knowledge.contact
    assert reply.answer_id == "handoff.human"
    assert contact.team in reply.text and contact.hours in reply.text
    assert f"mailto:{contact.email}" in reply.text
    assert "placeholder" in reply.text  # the demo's details say they are made up
    assert "{" not in reply.text


def test_that_did_not_help_offers_topics_and_a_person(advisor: Advisor) -> None:
    after = Context(last_answer="field.outlook")
    reply = advisor.reply(t("feedback_negative", text="you didn't answer my question"), after)
    assert reply.answer_id == "feedback.negative"
    assert [s.answer_id for s in reply.suggestions][0] == "handoff.human"


def test_a_complaint_with_nothing_before_it_is_read_as_something_else(advisor: Advisor) -> None:
    story = t("feedback_negative", ("background", "clinical"), text="I'm a nurse and honestly not sure AI is for me")
    reply = advisor.reply(story, Context())
    assert reply.answer_id == "advice.background.clinical"
    assert "background_told" in reply.rule


def test_every_reply_names_the_rule_that_chose_it(advisor: Advisor) -> None:
    for turn in (NURSE, t("greet"), t("nlu_fallback", confidence=0.2, text="hmm"), t("medical_advice")):
        assert advisor.reply(turn, Context()).rule


def test_a_long_message_is_read_by_its_question() -> None:
    story = ("I've been a physiotherapist for twelve years, mostly outpatients, and I ended up as "
             "the unofficial tech person in the department because I fixed the booking system once "
             "and now everyone asks me about the new AI triage pilot we are running. ")
    text = story + "Which role would suit me?"
    assert text[question_start(text):] == "Which role would suit me?"
    assert question_start("which role would suit me?") == 0


@pytest.mark.parametrize("field, value, message", [
    ("email", "careers(at)hospital", "is not an email address"),
    ("link", "http://intranet/careers", "must be a web address starting with https://"),
    ("phone", "call us", "is not a phone number"),
])
def test_a_bad_contact_edit_names_the_file_the_field_and_the_reason(tmp_path: Path, field: str, value: str,
                                                                   message: str) -> None:
    folder = tmp_path / "knowledge"
    _copy_knowledge(folder)
    contact = yaml.safe_load((folder / "contact.yml").read_text())
    contact[field] = value
    (folder / "contact.yml").write_text(yaml.safe_dump(contact))
    with pytest.raises(KnowledgeError) as error:
        load_knowledge(folder)
    text = str(error.value)
    assert "knowledge/contact.yml" in text and f"`{field}`" in text and message in text


def test_a_contact_needs_some_way_to_reach_it(tmp_path: Path) -> None:
    folder = tmp_path / "knowledge"
    _copy_knowledge(folder)
    (folder / "contact.yml").write_text("team: Careers\nhours: 9 to 5\n")
    with pytest.raises(KnowledgeError, match="contact.yml: give at least one of email, phone or link"):
        load_knowledge(folder)


def test_an_entry_naming_an_unknown_role_fails(tmp_path: Path) -> None:
    folder = tmp_path / "knowledge"
    _copy_knowledge(folder)
    advice = folder / "answers" / "advice.yml"
    advice.write_text(advice.read_text().replace("roles: [ai_ethicist, regulatory_specialist]",
                                                 "roles: [ai_ethicist, lawyer]"))
    with pytest.raises(KnowledgeError, match="advice.background.policy_law: roles: 'lawyer' is not a role id"):
        load_knowledge(folder)


def _copy_knowledge(folder: Path) -> None:
    import shutil
    shutil.copytree(KNOWLEDGE_DIR, folder)


def test_role_finder_counts_a_word_of_the_same_family(knowledge: Knowledge) -> None:
    """A word no role text has ("discriminatory") counts, at part weight, as the stem of its
    family the texts have ("discrimination"); an unrelated unknown word counts for nothing."""
    finder = RoleFinder(knowledge)
    assert finder._family("discriminatori") == "discrimin"
    assert finder._family("zebra") is None
    assert finder._terms("who spots discriminatory models?")["discrimin"] == RoleFinder.FAMILY_WEIGHT
    best = finder.best("who checks whether a model is discriminatory?")
    assert best is not None and best.role == "ai_ethicist"


def test_a_who_question_describing_one_roles_work_outweighs_which_role_suits_me(advisor: Advisor) -> None:
    text = "which job writes the code for a neural network that reads scans?"
    reply = advisor.reply(t("career_match", ("who", "which_role"), text=text, confidence=0.9), Context())
    assert reply.answer_id == "role.ai_ml_engineer.duties"
    assert "who_does_the_work" in reply.rule


def test_but_not_a_writer_who_tells_their_background_nor_a_list_of_titles(advisor: Advisor) -> None:
    mine = advisor.reply(t("career_match", ("who", "which_role"), ("background", "clinical"),
                           text="I'm a nurse, which job writes the code for a neural network that reads scans?"),
                         Context())
    assert mine.answer_id == "advice.background.clinical"
    titles = advisor.reply(t("roles_overview", ("who", "which_role"),
                             text="what are the new job titles in health ai"), Context())
    assert titles.answer_id == "roles.overview"


STORY = ("I've been a radiographer for nine years, CT and MRI mostly, and last week a vendor showed "
         "us a tool that flags bleeds on head scans; I was more interested in how it was built than "
         "in the demo. I have no coding beyond excel. ")


def test_a_long_career_story_read_as_clinical_is_answered_by_its_question(advisor: Advisor) -> None:
    text = STORY + "Could you give me an example of the work an AI engineer does?"
    turn = Turn(intent="medical_advice", confidence=1.0, text=text,
                entities=(("role", "ai_ml_engineer"), ("aspect", "example")),
                starts=(text.index("AI engineer"), text.index("example")))
    assert advisor.reply(turn, Context()).answer_id == "role.ai_ml_engineer.example"


def test_a_long_story_naming_two_roles_then_asking_how_they_differ_compares_them(advisor: Advisor) -> None:
    text = ("I have been a radiographer for nine years, CT and MRI mostly, in a busy trauma centre, and "
            "lately I have been wanting a change from shifts. "
            "People at work mention informaticists and data scientists, and I honestly mix "
            "them up. How do the two actually differ?")
    turn = Turn(intent="career_match", confidence=0.5, text=text,
                entities=(("background", "clinical"), ("role", "clinical_informaticist"), ("role", "medical_data_scientist")),
                starts=(text.index("radiographer"), text.index("informaticists"), text.index("data scientists")))
    reply = advisor.reply(turn, Context())
    assert (reply.answer_id, reply.roles) == ("role.compare", ("clinical_informaticist", "medical_data_scientist"))
    assert reply.rule.startswith("long_message_by_its_question+compare_roles")


POINTED = ("paramedic 9 yrs, on light duties in the control room now, probably for good. one of the "
           "liaison nurses said everyone hates the new early warning system because of alert fatigue. ")


def _story_turn(text: str, *entities: Tuple[str, str]) -> Turn:
    return Turn(intent="career_match", confidence=0.85, text=text, entities=entities,
                starts=tuple(text.index(word) for word in ("paramedic", "alert fatigue", "that")[:len(entities)]))


def test_a_long_storys_question_pointing_back_asks_about_the_topic_it_named(advisor: Advisor) -> None:
    text = POINTED + "what is that exactly? she said it like i should know lol. anyway the back is better"
    turn = _story_turn(text, ("background", "clinical"), ("topic", "concept.alert_fatigue"), ("reference", "previous"))
    reply = advisor.reply(turn, Context())
    assert reply.answer_id == "concept.alert_fatigue"
    assert reply.rule.startswith("long_message_by_its_question")


def test_but_pointing_back_to_ask_where_the_writer_fits_is_the_background(advisor: Advisor) -> None:
    text = POINTED + "what would someone like me do in that kind of work? sorry for the essay"
    turn = _story_turn(text, ("background", "clinical"), ("topic", "concept.alert_fatigue"), ("reference", "previous"))
    assert advisor.reply(turn, Context()).answer_id == "advice.background.clinical"


def test_but_a_long_story_with_a_request_for_care_in_it_is_declined(advisor: Advisor) -> None:
    text = STORY + "My knee has been swollen for a week, should I rest it? And what does an AI engineer do?"
    turn = Turn(intent="medical_advice", confidence=1.0, text=text, entities=(("role", "ai_ml_engineer"),),
                starts=(text.index("AI engineer"),))
    assert advisor.reply(turn, Context()).answer_id == "fallback.medical_advice"


def test_a_message_asking_only_of_careers_is_not_declined_for_the_classifiers_reading(advisor: Advisor) -> None:
    """The classifier reads the medical story; the question, about a career, decides."""
    story = "15 years giving chemo on a haematology ward. could I become a data scientist?"
    entities = (("background", "clinical"), ("medical", "medical"))
    sure = advisor.reply(t("medical_advice", *entities, text=story, confidence=0.98), Context())
    assert sure.answer_id != "fallback.medical_advice"
    unsure = advisor.reply(t("medical_advice", *entities, text=story, confidence=0.5), Context())
    assert unsure.answer_id != "fallback.medical_advice"
    assert "career_question_read_as_medical" in unsure.rule
    # a request for care beside the career question: declined
    both = advisor.reply(t("medical_advice", *entities, text=story + " and can I take ibuprofen with my warfarin?",
                           confidence=0.98), Context())
    assert both.answer_id == "fallback.medical_advice"
    # a question that names no career: the classifier still decides
    other = advisor.reply(t("medical_advice", *entities, text="15 years giving chemo. is that a lot?",
                            confidence=0.98), Context())
    assert other.answer_id == "fallback.medical_advice"


def test_a_question_for_a_figure_is_not_covered_and_pay_in_general_is_the_outlook(advisor: Advisor) -> None:
    years = say(advisor, t("ask_path", text="how many years would it take me", confidence=0.9))[0]
    assert years.answer_id == "fallback.not_covered"
    assert years.rule == "not_in_guide+not_in_guide:not_covered_nearby"
    assert "handoff.human" in [s.answer_id for s in years.suggestions]
    # A figure for pay: the guide gives none, and offers its "competitive compensation" nearby.
    pay = say(advisor, t("not_covered", ("partial", "field.outlook"),
                         text="how much does a clinical informaticist earn in ireland"))[0]
    assert pay.answer_id == "fallback.not_covered"
    assert pay.suggestions[0].answer_id == "field.outlook"
    # Without a figure asked, the partial answer is the answer.
    general = say(advisor, t("not_covered", ("partial", "field.outlook"), text="is the pay competitive?"))[0]
    assert general.answer_id == "field.outlook"
    # A chore asking for a count stays off-topic.
    leave = say(advisor, t("out_of_scope", text="how many days annual leave have i got left", confidence=0.95))[0]
    assert leave.answer_id == "fallback.out_of_scope"


def test_a_no_pointing_at_the_answer_is_a_complaint_about_it(advisor: Advisor) -> None:
    _, no = say(advisor, t("ask_about", ("role", "ai_ethicist"), text="what does an ethicist do?"),
                t("deny", ("reference", "previous"), text="nope, that's not what I wanted to know"))
    assert no.answer_id == "feedback.negative"
    assert no.rule.startswith("no_to_the_answer")
    bare = say(advisor, t("ask_about", ("role", "ai_ethicist"), text="what does an ethicist do?"),
               t("deny", text="no thanks"))[1]
    assert bare.answer_id == "bot.deny"


def test_a_pleasantry_followed_by_a_request_is_the_request(advisor: Advisor) -> None:
    text = "hi, radiographer here, interested in imaging AI"
    hello = advisor.reply(Turn("greet", 0.85, (("background", "clinical"), ("topic", "concept.medical_imaging")),
                               text=text, starts=(text.index("radiographer"), text.index("imaging"))), Context())
    assert hello.answer_id == "concept.medical_imaging"
    assert hello.rule.startswith("pleasantry_opens_request")
    _, learn = say(advisor, t("ask_about", ("role", "ai_ml_engineer"), text="what does an ml engineer do"),
                   t("affirm", ("aspect", "skills"), ("reference", "previous"),
                     text="ok sounds like me tbh. what would i have to learn for that"))
    assert learn.answer_id == "role.ai_ml_engineer.skills"
    assert say(advisor, t("greet", text="hi there"))[0].answer_id == "bot.greet"
    assert say(advisor, t("thanks", ("reference", "previous"), text="thanks, that helps"))[0].answer_id == "bot.thanks"


def test_an_aspect_in_the_work_a_who_question_describes_is_not_asked(advisor: Advisor) -> None:
    text = "what do you call the job where you turn a tumour on an mri into code a computer can learn from?"
    named = advisor.reply(Turn("ask_about", 1.0, (("who", "which_role"), ("aspect", "skills")), text=text,
                               starts=(0, text.index("learn"))), Context())
    assert named.answer_id == "role.ai_ml_engineer.duties"
    asked = "the people who build the models that read scans - what skills do they need?"
    skills = advisor.reply(Turn("ask_skills", 1.0, (("who", "which_role"), ("aspect", "skills")), text=asked,
                                starts=(0, asked.index("skills"))), Context())
    assert skills.answer_id == "role.ai_ml_engineer.skills"


def test_a_background_told_without_i_is_the_writers_own(advisor: Advisor) -> None:
    text = "hi, community pharmacist here, 4 years qualified. thinking about the tech side. what roles would suit?"
    turn = Turn("career_match", 1.0, (("background", "clinical"), ("who", "which_role")), text=text,
                starts=(text.index("pharmacist"), text.index("what roles")))
    assert advisor.reply(turn, Context()).answer_id == "advice.background.clinical"


STORY = ("I've been a ward manager for years and before that a staff nurse. Last year we got an early warning "
         "system and my staff ignored it because it alerted for everything, so I sat with the vendor and the IT "
         "team. ")


def _at(text: str, *found: Tuple[str, str, str]) -> Tuple[Tuple[Tuple[str, str], ...], Tuple[int, ...]]:
    """Entities (label, value) found at the phrase given, with their offsets in `text`."""
    return tuple((label, value) for label, value, _ in found), tuple(text.index(p) for _, _, p in found)


def test_a_who_question_describing_work_in_its_own_words_outweighs_a_background_told(advisor: Advisor) -> None:
    text = ("Hi! MRI radiographer here, they have me labelling images. Which job is it that does what the "
            "researchers do, cleaning and analysing all the patient data to find patterns?")
    entities, starts = _at(text, ("background", "clinical", "radiographer"), ("who", "which_role", "Which job"))
    reply = advisor.reply(Turn("career_match", 1.0, entities, text=text, starts=starts), Context())
    assert reply.answer_id == "role.medical_data_scientist.duties"
    bare = "Hi! MRI radiographer here, they have me labelling images for a deep learning project. Which job would suit me?"
    entities, starts = _at(bare, ("background", "clinical", "radiographer"), ("who", "which_role", "Which job"))
    assert advisor.reply(Turn("career_match", 1.0, entities, text=bare, starts=starts),
                         Context()).answer_id == "advice.background.clinical"


def test_a_long_story_is_answered_by_the_role_its_question_names(advisor: Advisor) -> None:
    text = STORY + "My director says I should make it my job. What does a clinical informaticist actually do?"
    entities, starts = _at(text, ("background", "clinical", "ward manager"),
                           ("role", "clinical_informaticist", "clinical informaticist"), ("aspect", "duties", "actually do"))
    reply = advisor.reply(Turn("career_match", 1.0, entities, text=text, starts=starts), Context())
    assert reply.answer_id == "role.clinical_informaticist.duties"
    assert reply.rule.startswith("long_message_by_its_question")


def test_a_long_storys_question_about_that_job_is_about_the_role_the_story_named(advisor: Advisor) -> None:
    text = STORY + "I'd like to move into an AI ethics job. What skills would someone need to do that job well?"
    entities, starts = _at(text, ("background", "clinical", "ward manager"), ("role", "ai_ethicist", "AI ethics job"),
                           ("aspect", "skills", "skills"), ("reference", "previous", "that job"))
    reply = advisor.reply(Turn("ask_skills", 1.0, entities, text=text, starts=starts), Context())
    assert reply.answer_id == "role.ai_ethicist.skills"
    # Without an aspect asked, "this field" is no pointer to the story's role.
    field = STORY + "I'd like to move into an AI ethics job. What work would someone like me do in this field?"
    entities, starts = _at(field, ("background", "clinical", "ward manager"), ("role", "ai_ethicist", "AI ethics job"),
                           ("reference", "previous", "this field"))
    assert advisor.reply(Turn("career_match", 1.0, entities, text=field, starts=starts),
                         Context()).answer_id == "advice.background.clinical"


def test_a_long_message_without_a_question_mark_is_read_by_its_last_sentence_before_the_sign_off() -> None:
    text = STORY + "What I can't work out is how an ML engineer differs from a data scientist. Any clarity appreciated, thanks."
    assert text[question_start(text):].startswith("What I can't work out")


def test_a_background_told_with_a_plain_question_is_where_they_fit_whatever_the_story_names(advisor: Advisor) -> None:
    text = "I work in IT support at an NHS trust, fixing the odd EHR login issue lol. would i have a shot at AI healthcare stuff?"
    entities, starts = _at(text, ("background", "computing", "IT support"), ("topic", "concept.ehr", "EHR"))
    reply = advisor.reply(Turn("not_covered", 0.99, entities, text=text, starts=starts), Context())
    assert reply.answer_id == "advice.background.computing"
    assert reply.rule.startswith("background_told")
    part_time = "I'm a nurse. could i do it part time while finishing my masters at night?"
    entities, starts = _at(part_time, ("background", "clinical", "nurse"))
    assert advisor.reply(Turn("not_covered", 0.99, entities, text=part_time, starts=starts),
                         Context()).answer_id == "fallback.not_covered"
    # A concept asked about in the question itself is the question.
    asked = "I work in IT support. what is an EHR exactly?"
    entities, starts = _at(asked, ("background", "computing", "IT support"), ("topic", "concept.ehr", "EHR"))
    assert advisor.reply(Turn("not_covered", 0.6, entities, text=asked, starts=starts),
                         Context()).answer_id != "advice.background.computing"


def test_a_sure_outlook_question_beside_a_background_is_the_outlook_unless_plain(advisor: Advisor) -> None:
    text = "I'm a midwife. what's the outlook for AI jobs, is demand actually growing or is it hype"
    entities, starts = _at(text, ("background", "clinical", "midwife"))
    assert advisor.reply(Turn("field_outlook", 1.0, entities, text=text, starts=starts),
                         Context()).answer_id == "field.outlook"
    plain = "paramedic, 5 yrs on the road. is there anywhere for me in AI healthcare or is it all doctors and coders"
    entities, starts = _at(plain, ("background", "clinical", "paramedic"), ("background", "clinical", "doctors"),
                           ("background", "computing", "coders"))
    assert advisor.reply(Turn("field_outlook", 0.91, entities, text=plain, starts=starts),
                         Context()).answer_id == "advice.background.clinical"


def test_a_field_named_in_a_hesitant_overview_question_is_no_background_told(advisor: Advisor) -> None:
    text = "which of the roles uses genomics, cancer data and machine learning all together"
    entities, starts = _at(text, ("background", "life_sciences", "genomics"), ("who", "which_role", "which of the roles"))
    reply = advisor.reply(Turn("roles_overview", 0.65, entities, text=text, starts=starts), Context())
    assert not reply.answer_id.startswith("advice.background")
    told = "I did genomics at uni, which roles are there for me?"
    entities, starts = _at(told, ("background", "life_sciences", "genomics"))
    assert advisor.reply(Turn("roles_overview", 0.65, entities, text=told, starts=starts),
                         Context()).answer_id == "advice.background.life_sciences"


def test_a_who_question_pointing_back_at_a_long_story_is_answered_by_the_storys_work(advisor: Advisor) -> None:
    story = ("I've been a ward manager for years. Last year the hospital brought in an early warning system and my "
             "staff ignored the alerts, so I sat with the vendor and the IT team translating what nurses need, we "
             "changed the alert thresholds and the workflow and the rollout went well. ")
    text = story + "what do you call the person whose job is to do that kind of thing?"
    entities, starts = _at(text, ("background", "clinical", "ward manager"), ("who", "which_role", "what do you call"),
                           ("reference", "previous", "that kind of thing"))
    reply = advisor.reply(Turn("out_of_scope", 1.0, entities, text=text, starts=starts), Context())
    assert reply.answer_id == "role.clinical_informaticist.duties"
    fit = story + "which job in this would fit me?"
    entities, starts = _at(fit, ("background", "clinical", "ward manager"), ("who", "which_role", "which job"),
                           ("reference", "previous", "this"))
    assert advisor.reply(Turn("career_match", 1.0, entities, text=fit, starts=starts),
                         Context()).answer_id == "advice.background.clinical"


def test_a_hesitant_who_question_beside_one_role_named_asks_about_it(advisor: Advisor) -> None:
    text = "dementia care worker, ive been thinking about the ethics of AI in care homes. is there a job in that?"
    entities, starts = _at(text, ("background", "clinical", "care worker"), ("role", "ai_ethicist", "ethics"),
                           ("who", "which_role", "is there a job"), ("reference", "previous", "that?"))
    reply = advisor.reply(Turn("not_covered", 0.52, entities, text=text, starts=starts), Context())
    assert reply.answer_id == "role.ai_ethicist.duties"
    assert reply.rule.startswith("who_names_role")


def test_a_role_found_by_its_work_outranks_the_focus(advisor: Advisor) -> None:
    text = "and the ones cleaning up the messy patient data to train the models, what do they need?"
    entities, starts = _at(text, ("aspect", "skills", "do they need"))
    before = Context(role="clinical_informaticist", aspect="skills", last_answer="role.clinical_informaticist.skills")
    reply = advisor.reply(Turn("ask_about", 0.98, entities, text=text, starts=starts), before)
    assert reply.answer_id == "role.medical_data_scientist.skills"
    # Without work described, the same question is about the role in focus.
    plain = "and what do they need?"
    entities, starts = _at(plain, ("aspect", "skills", "do they need"))
    assert advisor.reply(Turn("ask_about", 0.98, entities, text=plain, starts=starts),
                         before).answer_id == "role.clinical_informaticist.skills"


def test_a_who_question_pointing_back_at_the_sentence_before_it(advisor: Advisor) -> None:
    # Read as "which role suits me" from someone speaking of themselves: only the words the
    # who-question points back at say it asks for a role.
    text = ("I want to catch bias and unfair treatment of women and black patients in our models, "
            "and check fairness across groups. which job is that")
    entities, starts = _at(text, ("who", "which_role", "which job"), ("reference", "previous", "that"))
    reply = advisor.reply(Turn("career_match", 0.99, entities, text=text, starts=starts), Context())
    assert reply.answer_id == "role.ai_ethicist.duties"
    fit = "I want to catch bias and unfair treatment in our models. which job would suit me"
    entities, starts = _at(fit, ("who", "which_role", "which job"))
    assert advisor.reply(Turn("career_match", 0.99, entities, text=fit, starts=starts),
                         Context()).answer_id == "ask.background"


def test_a_question_for_the_name_of_someones_job_is_answered_by_the_work_told_before(advisor: Advisor) -> None:
    text = "my friend writes code so the computer can read doctors' free text notes. what is her job called in english?"
    entities, starts = _at(text, ("topic", "skills.technical", "code"), ("background", "clinical", "doctors"))
    reply = advisor.reply(Turn("out_of_scope", 0.88, entities, text=text, starts=starts), Context())
    assert reply.answer_id == "role.ai_ml_engineer.duties"


def test_a_that_describing_jobs_points_back_at_nothing(advisor: Advisor) -> None:
    text = ("I'm good at maths and biology and I did a python club, and I like the idea of helping people. "
            "What kind of jobs are there that mix healthcare and AI?")
    entities, starts = _at(text, ("background", "life_sciences", "biology"), ("who", "which_role", "What kind of job"),
                           ("reference", "previous", "that mix"))
    signals = advisor._signals(Turn("career_match", 0.99, entities, text=text, starts=starts), Context())
    assert signals.work_story == ""


def test_a_subject_the_guide_says_nothing_of_is_not_covered_with_the_topic_named_offered(advisor: Advisor) -> None:
    text = "which online course teaches HIPAA properly"
    entities, starts = _at(text, ("topic", "fallback.not_covered", "online course"),
                           ("topic", "concept.health_data_regulation", "HIPAA"))
    reply = advisor.reply(Turn("ask_path", 0.88, entities, text=text, starts=starts), Context())
    assert reply.answer_id == "fallback.not_covered"
    assert reply.rule.startswith("not_in_guide")
    assert reply.suggestions[0].answer_id == "concept.health_data_regulation"
    # A course in the story, not the question, asks nothing of it.
    story = "full stack dev, did an ML course on coursera last year. could i get into that?"
    entities, starts = _at(story, ("background", "computing", "full stack dev"),
                           ("topic", "fallback.not_covered", "course"))
    assert advisor.reply(Turn("career_match", 0.9, entities, text=story, starts=starts),
                         Context()).answer_id == "advice.background.computing"
    # An intranet chore the classifier is sure of stays off-topic.
    chore = "the remote desktop on ward 7 keeps freezing"
    entities, starts = _at(chore, ("topic", "fallback.not_covered", "remote"))
    assert advisor.reply(Turn("out_of_scope", 0.95, entities, text=chore, starts=starts),
                         Context()).answer_id == "fallback.out_of_scope"


def test_the_subjects_the_guide_does_not_cover_are_recognised_from_the_knowledge(knowledge: Knowledge) -> None:
    from carekb.patterns import TOPIC, entity_patterns
    subjects = {p.phrase for p in entity_patterns(knowledge) if p.label == TOPIC and p.value == "fallback.not_covered"}
    assert {"online course", "visa", "remote"} <= subjects


def test_mid_consultation_a_subject_not_in_the_guide_is_not_covered_even_if_read_as_off_topic(advisor: Advisor) -> None:
    text = "I need visa for Canada, you know how it works?"
    entities, starts = _at(text, ("topic", "fallback.not_covered", "visa"))
    before = Context(role="ai_ethicist", last_answer="role.ai_ethicist.duties")
    assert advisor.reply(Turn("out_of_scope", 0.81, entities, text=text, starts=starts),
                         before).answer_id == "fallback.not_covered"
    assert advisor.reply(Turn("out_of_scope", 0.81, entities, text=text, starts=starts),
                         Context()).answer_id == "fallback.out_of_scope"


def test_asking_whether_a_person_is_there_and_to_talk_to_one_is_the_request(advisor: Advisor) -> None:
    wants = advisor.reply(t("bot_challenge", text="are there real people behind this? i want to talk to one",
                            confidence=0.97), Context())
    assert wants.answer_id == "handoff.human"
    assert wants.rule.startswith("challenge_asks_for_person")
    assert advisor.reply(t("bot_challenge", text="hi is this a real person", confidence=0.89),
                         Context()).answer_id == "bot.challenge"


def test_a_hesitant_greeting_before_a_worded_question_is_the_question(advisor: Advisor) -> None:
    chore = Turn("greet", 0.76, text="hi, new starter here, where do I pick up my uniform?",
                 ranking=(("greet", 0.76), ("out_of_scope", 0.24)))
    assert advisor.reply(chore, Context()).answer_id == "fallback.out_of_scope"
    hello = Turn("greet", 0.76, text="hi, how are you?", ranking=(("greet", 0.76), ("out_of_scope", 0.24)))
    assert advisor.reply(hello, Context()).answer_id == "bot.greet"


def test_topics_named_before_the_question_are_its_context_unless_it_points_back(advisor: Advisor) -> None:
    text = "data analyst at an insurance company, SQL + python + tableau. want to move into healthcare. suggestions?"
    entities, starts = _at(text, ("background", "computing", "data analyst"), ("topic", "skills.technical", "python"))
    reply = advisor.reply(Turn("ask_path", 0.93, entities, text=text, starts=starts), Context())
    assert reply.answer_id == "advice.background.computing"
    pointing = "I know the MHRA side well but not the FDA. What's that process about?"
    entities, starts = _at(pointing, ("topic", "concept.fda_approval", "FDA"), ("reference", "previous", "that process"))
    assert advisor.reply(Turn("ask_about", 0.9, entities, text=pointing, starts=starts),
                         Context()).answer_id == "concept.fda_approval"


def test_a_hesitant_not_covered_beside_a_role_is_its_likeliest_career_reading(advisor: Advisor) -> None:
    dental = Turn("not_covered", 0.42, (("role", "clinical_informaticist"),),
                  text="what would the informaticist do, in a dental setting say",
                  ranking=(("not_covered", 0.42), ("ask_about", 0.32), ("ask_example", 0.17)))
    reply = advisor.reply(dental, Context())
    assert reply.answer_id == "role.clinical_informaticist.duties"
    assert reply.rule.startswith("unsure_off_topic_names_career")
    # Sure of it, the classifier is believed.
    sure = replace(dental, confidence=0.95, ranking=(("not_covered", 0.95), ("ask_about", 0.03)))
    assert advisor.reply(sure, Context()).answer_id == "fallback.not_covered"


def test_a_hesitant_request_for_a_person_that_names_nobody_is_the_next_reading(advisor: Advisor) -> None:
    canteen = Turn("request_human", 0.54, text="Does anyone know if the staff restaurant is card only now?",
                   ranking=(("request_human", 0.54), ("out_of_scope", 0.32)))
    reply = advisor.reply(canteen, Context())
    assert reply.answer_id == "fallback.out_of_scope"
    assert reply.rule.startswith("unsure_person_asks_for_nobody")
    human = Turn("request_human", 0.66, text="get me a human", ranking=(("request_human", 0.66), ("out_of_scope", 0.2)))
    assert advisor.reply(human, Context()).answer_id == "handoff.human"
    adviser = Turn("request_human", 0.6, text="is there an adviser around?",
                   ranking=(("request_human", 0.6), ("out_of_scope", 0.3)))
    assert advisor.reply(adviser, Context()).answer_id == "handoff.human"


def test_a_long_storys_question_about_the_field_is_answered_whatever_the_story(advisor: Advisor) -> None:
    text = STORY + "before I throw myself into this I want to know: is there real demand for people in AI healthcare or is it all hype?"
    entities, starts = _at(text, ("background", "clinical", "ward manager"), ("topic", "field.outlook", "demand"))
    reply = advisor.reply(Turn("career_match", 0.94, entities, text=text, starts=starts), Context())
    assert reply.answer_id == "field.outlook"
    fit = STORY + "I've been learning python at night. which role suits me, with my python?"
    entities, starts = _at(fit, ("background", "clinical", "ward manager"), ("topic", "skills.technical", "my python"))
    assert advisor.reply(Turn("career_match", 0.99, entities, text=fit, starts=starts),
                         Context()).answer_id == "advice.background.clinical"


def test_the_question_of_a_long_message_is_its_last_run_of_questions(advisor: Advisor) -> None:
    text = (STORY + "What does a data scientist in a hospital actually spend the day doing? "
            "Is it very different from what I do now? Sorry this is long")
    entities, starts = _at(text, ("background", "clinical", "ward manager"),
                           ("role", "medical_data_scientist", "data scientist"), ("aspect", "duties", "spend the day"))
    reply = advisor.reply(Turn("career_match", 0.9, entities, text=text, starts=starts), Context())
    assert reply.answer_id == "role.medical_data_scientist.duties"


def test_a_question_pointing_back_compares_the_roles_of_the_sentence_before(advisor: Advisor) -> None:
    text = (STORY + "The two jobs that caught my eye were the ethics one and the regulatory one. "
            "How are they actually different from each other?")
    entities, starts = _at(text, ("background", "clinical", "ward manager"), ("role", "ai_ethicist", "ethics one"),
                           ("role", "regulatory_specialist", "regulatory one"), ("reference", "previous", "they"))
    reply = advisor.reply(Turn("compare_roles", 0.9, entities, text=text, starts=starts), Context())
    assert (reply.answer_id, set(reply.roles)) == ("role.compare", {"ai_ethicist", "regulatory_specialist"})


def test_the_two_just_offered_are_compared_when_none_is_named(advisor: Advisor) -> None:
    lawyer = t("inform_background", ("background", "policy_law"), text="lawyer. which role?")
    _, compare = say(advisor, lawyer, t("compare_roles", text="difference between the two"))
    assert compare.answer_id == "role.compare"
    assert compare.roles == advisor.reply(lawyer, Context()).context.offered[:2]
    assert compare.rule == "compare_roles:offered_pair"


def test_a_background_told_of_someone_else_is_not_the_writers(advisor: Advisor) -> None:
    text = "My sister is a paediatric nurse and she sent me here. I taught IT for twelve years. what could I do?"
    entities, starts = _at(text, ("background", "computing", "IT"), ("background", "clinical", "nurse"))
    turn = Turn("career_match", 1.0, entities, text=text, starts=starts)
    assert advisor.reply(turn, Context()).answer_id == "advice.background.computing"
    mine = "I'm a nurse like my mum. what could I do?"
    entities, starts = _at(mine, ("background", "clinical", "nurse"))
    assert advisor.reply(Turn("career_match", 1.0, entities, text=mine, starts=starts),
                         Context()).answer_id == "advice.background.clinical"


@pytest.mark.parametrize("text, phrase", [
    ("what skills would I need? I'm not a maths person at all", "maths"),
    ("is there a role that's a translator between IT and the clinicians? what would I need to be good at?",
     "clinicians"),
])
def test_a_background_denied_or_of_other_people_is_not_told(advisor: Advisor, text: str, phrase: str) -> None:
    entities, starts = _at(text, ("background", "clinical" if phrase == "clinicians" else "computing", phrase))
    assert advisor._signals(Turn("ask_skills", 1.0, entities, text=text, starts=starts), Context()).backgrounds == []


def test_a_background_in_a_place_is_still_told(advisor: Advisor) -> None:
    text = "I work in the pharmacy, what could I do?"
    entities, starts = _at(text, ("background", "clinical", "pharmacy"))
    assert advisor._signals(Turn("career_match", 1.0, entities, text=text, starts=starts),
                            Context()).backgrounds == ["clinical"]


def test_a_question_in_general_leaves_the_focus(advisor: Advisor) -> None:
    _, general = say(advisor, NURSE, t("ask_skills", ("aspect", "skills"), text="what skills should i work on in general"))
    assert general.answer_id == "skills.overview"
    _, focused = say(advisor, NURSE, t("ask_skills", ("aspect", "skills"), text="what skills should i work on"))
    assert focused.answer_id == "role.clinical_informaticist.skills"


def test_a_background_wanted_is_not_held(advisor: Advisor) -> None:
    text = "do I need to know what COPD means to work as a programmer in health AI?"
    entities, starts = _at(text, ("background", "computing", "programmer"))
    assert advisor._signals(Turn("ask_skills", 1.0, entities, text=text, starts=starts), Context()).backgrounds == []


def test_a_hesitant_career_reading_of_nothing_known_beside_off_topic_is_off_topic(advisor: Advisor) -> None:
    chore = Turn("ask_skills", 0.51, ranking=(("ask_skills", 0.51), ("out_of_scope", 0.27)),
                 text="does anyone know if the staff restaurant is card only now?")
    assert advisor.reply(chore, Context()).answer_id == "fallback.out_of_scope"
    start = Turn("ask_path", 0.6, ranking=(("ask_path", 0.6), ("help", 0.3)), text="how do i even start")
    assert advisor.reply(start, Context()).answer_id == "path.steps"


def test_what_the_writer_does_is_their_background_even_when_it_names_a_role(advisor: Advisor) -> None:
    text = "I'm in compliance at a bank, anti-money-laundering mostly. Could that transfer into healthcare AI at all?"
    entities, starts = _at(text, ("role", "regulatory_specialist", "compliance"),
                           ("background", "policy_law", "compliance"))
    turn = Turn("nlu_fallback", 0.35, entities, text=text, starts=starts,
                ranking=(("nlu_fallback", 0.35), ("field_overview", 0.27)))
    assert advisor.reply(turn, Context()).answer_id == "advice.background.policy_law"
    asked = "what does compliance work involve?"
    entities, starts = _at(asked, ("role", "regulatory_specialist", "compliance"), ("background", "policy_law", "compliance"))
    assert advisor._signals(Turn("ask_about", 1.0, entities, text=asked, starts=starts), Context()).roles == [
        "regulatory_specialist"]


def test_a_hesitant_broad_reading_beside_a_background_told_is_where_they_fit(advisor: Advisor) -> None:
    text = "PhD candidate in bioethics, writing on informed consent. Curious about applied roles in health AI."
    entities, starts = _at(text, ("background", "policy_law", "bioethics"))
    turn = Turn("field_ethics", 0.48, entities, text=text, starts=starts)
    assert advisor.reply(turn, Context()).answer_id == "advice.background.policy_law"


def test_a_complaint_naming_what_was_just_answered_is_the_complaint(advisor: Advisor) -> None:
    about_it = t("feedback_negative", ("role", "clinical_informaticist"),
                 text="that didn't help, I already know what an informaticist is")
    _, complaint = say(advisor, NURSE, about_it)
    assert complaint.answer_id == "feedback.negative"
    meant = t("feedback_negative", ("role", "medical_data_scientist"), text="no, I meant data scientists")
    _, restated = say(advisor, NURSE, meant)
    assert restated.answer_id == "role.medical_data_scientist.duties"


def test_a_medical_reading_of_one_word_and_nothing_known_is_unclear(advisor: Advisor) -> None:
    noise = advisor.reply(t("medical_advice", text="test test 1 2 3", confidence=0.85), Context())
    assert noise.answer_id == "fallback.clarify"
    assert noise.rule.startswith("medical_reading_of_nothing")
    # more words keep the confident reading: the vocabulary cannot name every request
    unnamed = advisor.reply(t("medical_advice", text="should we keep going with it", confidence=0.85), Context())
    assert unnamed.answer_id == "fallback.medical_advice"


def test_a_pleasantry_naming_a_role_and_asking_without_a_mark_is_the_question(advisor: Advisor) -> None:
    _, picked = say(advisor, NURSE, t("affirm", ("role", "ai_ethicist"), text="the ethics one sounds like me. what do they do"))
    assert picked.answer_id == "role.ai_ethicist.duties"
    assert picked.rule.startswith("pleasantry_opens_request")


def test_a_role_set_aside_is_not_asked_about(advisor: Advisor) -> None:
    text = "skip the engineer. what does a data scientist need?"
    entities = (("role", "ai_ml_engineer"), ("role", "medical_data_scientist"))
    reply = advisor.reply(Turn("ask_skills", 1.0, entities, text=text,
                               starts=(text.index("engineer"), text.index("data scientist"))), Context())
    assert reply.answer_id == "role.medical_data_scientist.skills"


def test_an_unsure_reading_of_work_clearly_one_roles_is_that_role(advisor: Advisor) -> None:
    text = "the one stuck between the developers and the ward nurses when the EPR changes, what's that?"
    reply = advisor.reply(t("nlu_fallback", ("reference", "previous"), text=text, confidence=0.3), Context())
    assert reply.answer_id == "role.clinical_informaticist.duties"
    assert reply.rule.startswith("work_described_unsure")
    # ... but a reading of nothing in particular stays unsure
    vague = advisor.reply(t("nlu_fallback", text="the one from before, what's that?", confidence=0.3), Context())
    assert vague.answer_id != "role.clinical_informaticist.duties"


@pytest.mark.parametrize("text", ["human please", "who do I call about this, I want a real conversation, not a bot"])
def test_a_wish_for_a_person_beside_are_you_a_bot_is_a_request_for_one(advisor: Advisor, text: str) -> None:
    assert advisor.reply(t("bot_challenge", text=text), Context()).answer_id == "handoff.human"


def test_are_you_a_bot_alone_is_answered_as_such(advisor: Advisor) -> None:
    assert advisor.reply(t("bot_challenge", text="am I talking to a bot?"), Context()).answer_id == "bot.challenge"


def test_a_who_question_pointing_back_at_a_named_concept_asks_for_its_role(advisor: Advisor) -> None:
    text = "I'm a ward nurse and our new sepsis pop-ups get clicked past all day. is sorting that out anyone's job?"
    turn = t("ask_about", ("background", "clinical"), ("topic", "concept.alert_fatigue"), ("reference", "previous"),
             ("who", "which_role"), text=text, confidence=0.6)
    assert advisor.reply(turn, Context()).answer_id == "role.clinical_informaticist.duties"


def test_background_advice_focuses_the_recommended_role_the_writers_own_work_matches(advisor: Advisor) -> None:
    story = t("inform_background", ("background", "policy_law"),
              text="I write the submissions that get our devices approved by the FDA and the MHRA: audits, "
                   "validation studies, the lot. Could that carry over to AI?")
    advice, skills = say(advisor, story, t("ask_skills", text="what would I need to learn?"))
    assert advice.answer_id == "advice.background.policy_law"
    assert advice.context.role == "regulatory_specialist"  # the law advice names the ethicist first
    assert skills.answer_id == "role.regulatory_specialist.skills"
    plain = advisor.reply(t("inform_background", ("background", "policy_law"), text="I'm a lawyer"), Context())
    assert plain.context.role == "ai_ethicist"


@pytest.mark.parametrize("text", ["ok ta", "Gracias!!", "lovely, cheers mate", "ok perdón. merci beaucoup"])
def test_nothing_but_thanks_is_thanks_whatever_the_classifier_read(advisor: Advisor, text: str) -> None:
    reply = advisor.reply(t("affirm", text=text, confidence=0.7), Context())
    assert reply.answer_id == "bot.thanks" and reply.rule.startswith("only_thanks")


def test_thanks_beside_a_question_is_the_question(advisor: Advisor) -> None:
    assert not advisor.reply(t("affirm", text="ok ta, and the skills?"), Context()).rule.startswith("only_thanks")


def test_a_writer_with_a_background_asking_who_builds_the_work_they_describe_gets_that_role(advisor: Advisor) -> None:
    text = ("I'm a ward nurse and our hospital wants a model that forecasts which patients will be "
            "readmitted. who builds that kind of model?")
    turn = t("ask_about", ("background", "clinical"), ("who", "which_role"), ("reference", "previous"), text=text)
    assert advisor.reply(turn, Context()).answer_id.startswith("role.medical_data_scientist.")
    fit = t("career_match", ("background", "clinical"), ("who", "which_role"), text="I'm a ward nurse, which role suits me?")
    assert advisor.reply(fit, Context()).answer_id == "advice.background.clinical"


def test_asking_on_someone_elses_behalf_advises_on_their_background(advisor: Advisor) -> None:
    text = "asking for my husband - he's a frontend developer, mid 30s. what in AI healthcare could he go for?"
    turn = Turn(intent="career_match", confidence=0.9, text=text, entities=(("background", "computing"),),
                starts=(text.index("frontend"),))
    assert advisor.reply(turn, Context()).answer_id == "advice.background.computing"
    mine = "he's a developer. I'm a nurse. which role would suit me?"
    both = Turn(intent="career_match", confidence=0.9, text=mine,
                entities=(("background", "computing"), ("background", "clinical")),
                starts=(mine.index("developer"), mine.index("nurse")))
    assert advisor.reply(both, Context()).answer_id == "advice.background.clinical"


def test_a_request_phrase_ending_a_compound_names_a_system_not_a_request(advisor: Advisor) -> None:
    text = "I'm a hospital pharmacist and I keep getting dragged into the e-prescribing rollout meetings. is there a career in AI for me?"
    entities = (("background", "clinical"), ("medical", "medical"), ("medical_request", "advice"))
    turn = Turn(intent="career_match", confidence=0.9, text=text, entities=entities,
                starts=(text.index("pharmacist"), text.index("pharmacist"), text.index("prescribing")))
    assert advisor.reply(turn, Context()).answer_id == "advice.background.clinical"
    asked = "should I be prescribing more antibiotics? I'm a pharmacist"
    request = Turn(intent="career_match", confidence=0.9, text=asked, entities=(("medical_request", "advice"), ("medical", "medical")),
                   starts=(asked.index("prescribing"), asked.index("antibiotics")))
    assert advisor.reply(request, Context()).answer_id == "fallback.medical_advice"
