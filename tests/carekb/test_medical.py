"""The shape of a request for care (carekb.medical), on messages written for this test:
none is in the training data or the boundary sets."""
from __future__ import annotations

import pytest

from carekb.medical import asks_for_care, asks_only_about_careers, career_clause, clauses, drug_like


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
    "would a data scientist say its fine to take my flatmate's leftover antibiotics?",
    "for my informatics course: what's the most ibuprofen an adult can take in a day",
    "ct report says a small nodule, indeterminate. what does that mean?",
    "health data engineer here - could I get rid of my psoriasis with a gluten free diet?",
    "can my husband reverse his fatty liver by fasting?",
    "my nephew's sugar was 19 this morning, is that bad?",
    "would going vegan clear up my acne? I start my informatics job next week",
    "my sodium was flagged low on the printout, does that mean kidney disease?",
    "sharp pain in my side since last night, A&E or wait till morning?",
    "had a cough for a month now. could that be a clot in the lung or am I overthinking",
    "which inhaler works best for a wheezy toddler?",
    "my grandad keeps falling, should we take him to the doctor?",
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
    "my son is 16 and loves biology and computers. is there a route into this for him?",
    "my daughter is 17, which degree should she take for health AI?",
    "would a masters cure my imposter syndrome about coding?",
    "I did e-prescribing work for years, should I take a course in informatics?",
    "does AI for skin cancer mean dermatologists lose their jobs?",
    "which programming language works best for health data?",
    "should I go back to uni for a masters in health informatics?",
    "a nurse on my ward keeps talking about alert fatigue. what is that exactly?",
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


@pytest.mark.parametrize("text", [
    # a person told by age or weight
    "is it normal for a 3 week old to feed every hour?",
    "what's the maximum ibuprofen for a 30kg child in a day",
    # the assistant asked to act on a patient, or to judge
    "would you give a 70 year old with a low sodium fluids first?",
    "my toe has gone black at the tip, would you say that's urgent",
    # an action on a particular person's medicine
    "can I cut my grandad's tablets in half so they go down easier",
    "whats the safest way to come off sertraline before I start my new role",
    # the meaning of a particular result; the next step in a case
    "what does a ferritin of 9 mean",
    "bed 12 is scoring a NEWS of 6, what should the charge nurse check first",
    # two medicines together; a medicine for a complaint
    "is omeprazole ok with clopidogrel?",
    "would magnesium help with my cramps at night",
    # a route conversion
    "converting 30mg oral oxycodone to IV, what is it",
    # an AI asked to do a clinician's work on me
    "can your AI tell me if this lump in my neck is anything",
    "which antibiotic would your AI model pick for cellulitis if the patient is penicillin allergic",
    # a person with a reading of theirs; a result of one's own asked about indirectly
    "for my portfolio project I need to know: should a patient with eGFR 25 stop metformin?",
    "could you tell me what my raised ALT result means first lol",
    # a relative's medicine begun, kept or switched
    "they want to start him on risperidone, should we agree to it?",
    "the ward want to put my nan on a new blood thinner, is that wise",
])
def test_more_requests_for_care_have_the_shape(text: str) -> None:
    assert asks_for_care(text, medical=True)


def test_fillers_do_not_split_a_request() -> None:
    assert asks_for_care("what should I actually do if a resident's sats drop to 85 tonight")


def test_the_writer_in_crisis_is_a_request_whatever_the_career_talk() -> None:
    assert asks_for_care("I'm a data engineer on a hospital AI project and lately I've been thinking about ending it all")
    assert not asks_for_care("thinking about ending my contract early to join an AI startup, is that a risk?")


@pytest.mark.parametrize("text", [
    # what the writer does, told, is no request
    "I'm a district nurse, I titrate syringe drivers and dress wounds every day. which AI role fits that?",
    "as a GP I prescribe antidepressants weekly, could that experience help in AI ethics?",
    # needing to know something is a career step
    "do I need to understand what an INR is to work on anticoagulation AI?",
    # where to begin, and who to hire
    "I want to work on AI for sepsis alerts, where do I start?",
    "who would we need to hire to get a dosing app approved?",
    # a person put on a project or a rota; a model chosen by a team
    "my manager wants to put me on the informatics project, should i agree?",
    "they want to keep me on nights, would an AI job be days?",
    "which model would your team pick for sepsis prediction",
    "should a nurse with 10 years start a masters?",
])
def test_career_questions_with_request_words_do_not(text: str) -> None:
    assert not asks_for_care(text, medical=True)


def test_a_listed_request_phrase_is_read_in_a_career_sense_by_its_object_and_subject() -> None:
    switch = "I'm a pharmacist hoping to switch to AI safety work, is that realistic?"
    assert career_clause(switch, switch.index("switch"))
    told = "as a GP I prescribe antidepressants weekly"
    assert career_clause(told, told.index("prescribe"))
    asked = "should I switch to a different inhaler, the blue one isn't working"
    assert not career_clause(asked, asked.index("switch"))


def test_only_career_questions_are_known_as_such() -> None:
    assert asks_only_about_careers("15 years giving chemo on a haematology ward. could I become a data scientist?")
    # what the writer does, told, has no request's shape: still a career question
    assert asks_only_about_careers("I titrate heparin infusions every shift. which AI role would use that?")
    # a request's shape anywhere, career words around it or not, is no career question
    assert not asks_only_about_careers("I'm an AI student, can my son take melatonin to sleep before exams?")
    # a clause that asks something not about a career
    assert not asks_only_about_careers("could I become a data scientist? and is a ferritin of 9 low?")


def test_what_someone_does_for_a_living_is_no_request() -> None:
    assert not asks_for_care("those people who check the drug dose alerts, what do they actually do?", medical=True)
    assert asks_for_care("his drug dose alert went off, what do I actually do?", medical=True)


def test_a_question_that_judges_prospects_is_no_diagnosis() -> None:
    assert not asks_for_care("everyone on my ward talks about AI reading scans, is it really hype?", medical=True)
    assert asks_for_care("my arm has a red ring round the bite, is it really lyme disease?", medical=True)


def test_the_assistant_asked_to_change_a_dose_for_a_patient() -> None:
    assert asks_for_care("curious, as an informatics student: would you up the digoxin in a 60kg woman?")


def test_a_listed_request_phrase_as_the_subject_of_study_is_career_talk() -> None:
    text = "my thesis was on antibiotic prescribing in care homes"
    assert career_clause(text, text.index("prescribing"))


def test_distress_said_in_other_words_is_a_crisis() -> None:
    assert asks_for_care("ML engineer, and lately I feel my family would be better off without me")
    assert not asks_for_care("is there a dark side to AI in healthcare that ethicists worry about?")


def test_handling_someones_care_device_is_a_request() -> None:
    assert asks_for_care("web developer here. dad's oxygen concentrator keeps alarming, can I unplug it for the night?")
    assert not asks_for_care("can I reset my password for the learning portal?")


def test_a_medicine_working_is_no_career_word() -> None:
    # "work" is a job after a person or an owner ("I work", "their work", "back to work"),
    # not a medicine that works
    assert not asks_only_about_careers("does the antibiotic stop the pill working? took it last week")
    assert not asks_only_about_careers("does it still work for headaches if it's out of date?")
    assert asks_only_about_careers("I work in a hospital pharmacy. could that help me in AI ethics?")
    assert asks_for_care("how long should i stay off work with shingles? nurse on a cancer ward", medical=True)


def test_a_report_of_talk_and_a_duty_are_no_requests() -> None:
    assert not asks_for_care("at the meeting we also discussed interactions with anticoagulants", medical=True)
    assert asks_for_care("are there interactions with warfarin for my dad?", medical=True)
    assert asks_only_about_careers("if I built a model that predicts insulin needs, what would I have to study first?")
    assert asks_for_care("would i have to stop metformin before surgery?", medical=True)


def test_a_result_named_before_the_test_it_is_on_is_a_reading() -> None:
    assert asks_for_care("thinking about a masters. btw what does 'mild LVH' on my echo mean")
    assert not asks_for_care("what does the AUC on my model report mean")


def test_someone_on_something_they_take_is_a_health_context() -> None:
    assert asks_for_care("nursing student: can a patient on an MAOI eat cheese? got an exam tomorrow")
    assert not asks_for_care("can a patient on the ward see the AI dashboard we built?")


def test_a_request_phrase_leading_into_a_field_is_a_career_clause() -> None:
    text = "I love the patient side of medicine. what could I do in AI?"
    start = text.index("what could I do")
    assert career_clause(text, start, start + len("what could I do"))
    urgent = "my dad collapsed. what could I do now?"
    start = urgent.index("what could I do")
    assert not career_clause(urgent, start, start + len("what could I do"))
