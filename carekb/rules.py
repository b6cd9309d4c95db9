"""The named rules that pick an answer, in the order they are tried.

A turn passes three tables, each small enough to read at once:

1. `GUARDS`: checks that hold whatever the intent (medical advice is declined).
2. `REWRITES`: an unsure or misleading intent is replaced by the one the evidence
   supports, e.g. a who-question about some work is a question about the role doing it.
3. `RESOLVERS`: for the intent, an ordered list of resolvers; the first that answers wins.

Each rule's name goes with the answer (`Decision.rule`): a test or a report can say why
an answer was chosen. The numbers the rules use are in `Limits`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Callable, Dict, FrozenSet, Iterable, List, Optional, Protocol, Sequence, Tuple

from carekb import contract
from carekb.retrieval import RoleFinder, known_share, stems
from carekb.shapes import ASKS_FOR_PERSON, PERSON_WORDS, WANTS_PERSON
from carekb.store import Knowledge

FALLBACK_INTENT = "nlu_fallback"
DEFAULT_SUGGESTIONS = ("roles.overview", "skills.overview", "path.steps")
PLEASANTRIES = frozenset({"greet", "thanks", "affirm", "goodbye"})
# Intents that answer whatever the message names: a message naming nothing the knowledge
# knows is not given them unless the classifier is sure.
BROAD = frozenset({"field_overview", "field_outlook", "field_ethics", "roles_overview",
                   "career_match", "inform_background", "help", "ask_path", "ask_skills",
                   "ask_about", "ask_example", "compare_roles", "inform_role", "not_covered"})
# Intents whose confidence says nothing of a career question.
CAREER_UNSURE = frozenset({"medical_advice", "out_of_scope", "not_covered", FALLBACK_INTENT})
# Intents that need no subject: conversation management.
CONVERSATIONAL = frozenset({"greet", "goodbye", "thanks", "affirm", "deny", "bot_challenge",
                            "request_human", "feedback_negative"})


@dataclass(frozen=True)
class Limits:
    """The thresholds, in one place."""

    confident: float = 0.8          # the classifier is believed as it is
    sure_of_broad: float = 0.9      # a broad intent with no known word needs this much
    request_share: float = 0.25     # a hesitant pleasantry beside a request this likely: the request
    words_of_a_request: int = 3     # ... or beside a question of this many content words
    work_score: float = 2.5         # a who-question matches a role's work at least this well
    work_lead: float = 1.0          # ... and this far ahead of the next role
    work_score_unasked: float = 4.0 # work described without a who-question: at least this well
    work_lead_unasked: float = 2.0  # ... and this far ahead
    work_terms_against_intent: int = 2  # words of a role's text that outweigh "which role suits me"
    clarify_before_human: int = 1   # clarifications just before this one: then a person is offered


LIMITS = Limits()


@dataclass(frozen=True)
class History:
    """What earlier turns of the conversation tell, counted by the caller from its own
    record (Rasa's events): it decides only whether a person is offered, never an answer."""

    clarified_in_row: int = 0    # clarifications straight before this turn (ratings aside)
    human_offered: bool = False  # a person was offered, or their contact given, already


@dataclass(frozen=True)
class Suggestion:
    """A follow-up the user can pick: an answer id, and two roles for a comparison."""

    answer_id: str
    roles: Tuple[str, ...] = ()
    title: str = ""


@dataclass(frozen=True)
class Decision:
    answer_id: str
    roles: Tuple[str, ...] = ()
    suggestions: Tuple[Suggestion, ...] = ()
    rule: str = ""


@dataclass(frozen=True)
class Signals:
    """The entities of a turn, sorted by kind."""

    roles: List[str] = field(default_factory=list)
    backgrounds: List[str] = field(default_factory=list)
    topics: List[str] = field(default_factory=list)
    aspects: List[str] = field(default_factory=list)
    reference: bool = False
    medical: int = 0
    medical_request: bool = False
    follow_up: bool = False
    who: bool = False
    partial: List[str] = field(default_factory=list)
    picked: List[str] = field(default_factory=list)   # roles chosen from those just offered
    long: bool = False                                # a long message, read by its question
    personal: bool = False                            # the writer speaks of themselves (I, my)
    medical_in_question: bool = False                 # a medical word in a long message's question
    someone: bool = False                             # a person it concerns: me, he, my mum, a patient
    care: bool = False                                # shaped as a request for care (carekb.medical)
    career_talk: bool = False                         # speaks of a career or AI work (a course, a model)
    careers_only: bool = False                        # asks only of careers, no request shape (carekb.medical)
    health: bool = False                              # speaks of a body, a medicine, a result (carekb.medical)
    figure: bool = False                              # asks for an amount, a duration or a count
    place: bool = False                               # its question names a place ("in London")
    told_before: str = ""                             # the words before its question sentence
    uncovered: bool = False                           # its question names a subject the guide says nothing of
    work_asked: str = ""                              # the words a who-question describes the work in
    work_story: str = ""                              # the words before a who-question that points back at them
    plain: bool = False                               # its question names little beyond the field and backgrounds
    bare: bool = False                                # ... little beyond the field, backgrounds counted
    asked_topics: List[str] = field(default_factory=list)  # topics named in its question sentence
    medical_asked: bool = False                       # a medical word in its question sentence
    general: bool = False                             # asked in general ("in general", "overall"): no role in focus
    comparing: bool = False                           # its question asks how things differ
    only_thanks: bool = False                         # nothing but words of thanks ("ok ta", "gracias")

    @property
    def career(self) -> bool:
        return bool(self.roles or self.backgrounds or self.topics)

    @property
    def mostly_medical(self) -> bool:
        """Medical words outnumber the career topics and no role or background is named."""
        return self.medical > len(self.topics) and not (self.roles or self.backgrounds)

    @property
    def anything(self) -> bool:
        return bool(self.career or self.aspects or self.medical or self.partial or self.picked
                    or self.who or self.uncovered)


@dataclass(frozen=True)
class Ask:
    """Everything a rule may look at for one turn."""

    turn: "TurnLike"
    signals: Signals
    context: "ContextLike"
    knowledge: Knowledge
    finder: RoleFinder
    known: FrozenSet[str]
    intent: str = ""
    history: History = History()

    @property
    def s(self) -> Signals:
        return self.signals

    @property
    def c(self) -> "ContextLike":
        return self.context

    @property
    def roles(self) -> List[str]:
        """Roles named, else picked from those just offered ("the second one")."""
        return self.s.roles or self.s.picked

    @property
    def focus(self) -> Optional[str]:
        return self.context.role

    def focus_in_play(self) -> bool:
        """The last answer was about a role or recommended one: a bare follow-up ("what
        would I need to learn?") means it. After a concept that names who does the work,
        only a follow-up that points back ("what do they do?") does."""
        last = self.context.last_answer or ""
        return bool(self.focus and last.startswith(("role.", "advice.")))

    def work_match(self, terms: int = 1) -> Optional[str]:
        """The role whose work the message describes, when it is clearly one (in at least
        `terms` of the role text's words)."""
        match = self.finder.best(self.turn.text)
        if (match and match.score >= LIMITS.work_score and match.lead >= LIMITS.work_lead
                and match.terms >= terms):
            return match.role
        return None

    def work_in_question(self, story: bool = True) -> Optional[str]:
        """The role whose work the who-question's own sentence describes, in two or more of
        its words ("which job is it that does the cleaning and analysing of the image
        data?"); a bare "what roles would suit?" describes none, whatever the story around.
        With `story`, the sentences before it may describe the work instead."""
        match = self.finder.best(self.s.work_asked) if self.s.work_asked else None
        if (match and match.score >= LIMITS.work_score and match.lead >= LIMITS.work_lead
                and match.terms >= LIMITS.work_terms_against_intent):
            return match.role
        # "what do you call the person whose job is to do that kind of thing?", "i'd like to
        # build something like that, which job is that": the words before describe the work,
        # and must stand out as clearly as work never asked about.
        story = self.finder.best(self.s.work_story) if story and self.s.work_story else None
        if (story and story.score >= LIMITS.work_score_unasked and story.lead >= LIMITS.work_lead_unasked
                and story.terms >= LIMITS.work_terms_against_intent):
            return story.role
        return None

    def finder_sure(self) -> Optional[str]:
        """The role a message describes with no who-question: it must stand out further."""
        match = self.finder.best(self.turn.text)
        if (match and match.score >= LIMITS.work_score_unasked and match.lead >= LIMITS.work_lead_unasked
                and match.terms >= 2):
            return match.role
        return None

    def nothing_known(self) -> bool:
        """No entity, and content words none of which the knowledge uses (thanks aside: "ta")."""
        known, total = known_share(self.turn.text, self.known)
        return not self.s.anything and total > 0 and known == 0 and not self.s.only_thanks


class TurnLike(Protocol):
    """What rules read of a turn (carekb.advisor.Turn)."""

    intent: str
    confidence: float
    ranking: Sequence[Tuple[str, float]]
    text: str


class ContextLike(Protocol):
    """What rules read of the context (carekb.advisor.Context)."""

    role: Optional[str]
    aspect: Optional[str]
    last_answer: Optional[str]
    awaiting: Optional[str]
    offered: Tuple[str, ...]


Guard = Callable[[Ask], Optional[str]]
Rewrite = Callable[[Ask], Optional[str]]
Resolver = Callable[[Ask], Optional[Decision]]


# 1. guards: an answer id, or None to go on

def asks_for_care(a: Ask) -> Optional[str]:
    """Shaped as a request for care: an action on or a reading of someone's health ("should
    he take two tomorrow?", "is 140/95 too high?"), in any clause, however much career talk
    is around it; the drug or condition need not be one the vocabulary lists. A request
    whose object is AI work ("who checks that the AI's dose is right?") is no such shape."""
    return contract.MEDICAL_ADVICE if a.s.care else None


def medical_request(a: Ask) -> Optional[str]:
    """Asking for a dose, whether to take or stop something, what a result means: declined
    whatever career words surround it. A who-question about work that concerns nobody in
    particular ("who makes sure an AI that suggests insulin doses is safe?") asks for a role."""
    if a.s.who and not a.s.someone:
        return None
    return contract.MEDICAL_ADVICE if a.s.medical_request and a.s.medical else None


def medical_intent(a: Ask) -> Optional[str]:
    """The classifier is sure it is a request for medical advice, and the message concerns
    someone, names something medical or names anything the knowledge knows: declined,
    career words or not (the medical vocabulary cannot name every drug and condition)."""
    t = a.turn
    if a.s.who and not a.s.someone and not a.s.medical_request:
        return None
    if _only_career_asked(a):
        return None
    if a.s.long and not (a.s.medical_request or a.s.medical_in_question):
        return None  # a long career story the classifier read as clinical: its question decides
    if _nothing_to_read(a):
        return None  # "test test 1 2 3": unclear (`medical_reading_of_nothing`)
    if t.intent == "medical_advice" and t.confidence >= LIMITS.confident:
        return contract.MEDICAL_ADVICE
    return None


def _nothing_to_read(a: Ask) -> bool:
    """One distinct word at most, numbers and marks aside ("test test 1 2 3", "asdfgh"), that
    concerns nobody and names nothing medical nor anything the knowledge knows."""
    health = a.s.medical or a.s.medical_request or a.s.care or a.s.health or a.s.someone
    return not (health or a.s.anything) and len(set(re.findall(r"[^\W\d_]+", a.turn.text.lower()))) <= 1


def mostly_medical(a: Ask) -> Optional[str]:
    """More medical words than career topics, no role, background or who-question: a
    question about health, unless the classifier is sure of a career question and the
    message speaks of careers or AI work ("skills for AI on ECG arrhythmias?"). A request
    for care among career words is declined by `asks_for_care` whatever the classifier says."""
    t = a.turn
    sure_of_career = (t.confidence >= LIMITS.confident and t.intent not in CAREER_UNSURE
                      and a.s.career_talk)
    # a hesitant pleasantry or complaint is no reason either ("Wie lange muss ich nach der Chemo warten...")
    conversational = t.intent in CONVERSATIONAL and t.confidence >= LIMITS.confident
    if (a.s.mostly_medical and not a.s.who and not conversational and not sure_of_career
            and not _only_career_asked(a)):
        return contract.MEDICAL_ADVICE
    return None


def _only_career_asked(a: Ask) -> bool:
    """Every question the message asks is about a career step or AI work, and nothing in it
    has the shape of a request for care nor a listed request in a care sense: the medical
    words are the writer's story ("10 years of chemo administration, is informatics
    realistic for me?"), so neither the classifier nor their number declines it."""
    return a.s.careers_only and not a.s.medical_request and not a.s.care


def nothing_known(a: Ask) -> Optional[str]:
    """Nothing in the message is anything the knowledge knows: not a topic, however it was
    classified (the cash machine, the rota, keyboard mash)."""
    t = a.turn
    if t.intent in CONVERSATIONAL or t.intent == "medical_advice":
        return None
    if t.intent in BROAD and t.confidence >= LIMITS.sure_of_broad:
        return None
    leaning = [n for n, _ in t.ranking if n != FALLBACK_INTENT][:1]
    if (t.intent != "help" and t.confidence < LIMITS.confident and not a.s.anything
            and not stems(t.text) and leaning != ["medical_advice"]):
        return contract.CLARIFY  # "?", "b", "..."
    if not a.nothing_known():
        return None
    wordy = len(stems(t.text)) >= 3 or t.intent == "out_of_scope"
    return contract.OUT_OF_SCOPE if wordy else contract.CLARIFY


GUARDS: Tuple[Guard, ...] = (asks_for_care, medical_request, medical_intent, mostly_medical, nothing_known)


# 2. rewrites: a better intent, or None

def only_thanks(a: Ask) -> Optional[str]:
    """"ok ta", "ok perdón. Gracias!", "salamat": nothing but thanks and the words that go
    with it, in any language the vocabulary lists, is thanks whatever the classifier read."""
    return "thanks" if a.s.only_thanks and a.intent != "thanks" else None


def pleasantry_beside_request(a: Ask) -> Optional[str]:
    """"hi! first time here, how does this work?": a hesitant pleasantry is the request."""
    t = a.turn
    if t.confidence >= LIMITS.confident or a.intent not in PLEASANTRIES or a.s.only_thanks:
        return None
    request, share = next(((n, p) for n, p in t.ranking if n != a.intent), ("", 0.0))
    # A question of some words after the pleasantry ("hi, new starter here, where do I pick
    # up my uniform?") is the message, however little the classifier leans to it.
    asks = "?" in t.text and len(stems(t.text)) >= LIMITS.words_of_a_request
    if (share >= LIMITS.request_share or asks) and request in RESOLVERS and request not in PLEASANTRIES:
        return request
    return None


def career_question_read_as_medical(a: Ask) -> Optional[str]:
    """'Medical advice', unsure, for a message that asks only of careers (`_only_career_asked`):
    the likeliest career reading, else what its entities name."""
    if a.intent != "medical_advice" or not _only_career_asked(a):
        return None
    career = next((n for n, p in a.turn.ranking if n in RESOLVERS and n not in (
        "out_of_scope", "not_covered", "medical_advice", FALLBACK_INTENT, *CONVERSATIONAL)
        and p >= LIMITS.request_share / 2), None)
    return career or "by_entities"


def medical_reading_of_nothing(a: Ask) -> Optional[str]:
    """'Medical advice' for a message with nothing to read (`_nothing_to_read`): unclear. Any
    more words keep the classifier's reading: it catches requests the vocabulary cannot name."""
    return FALLBACK_INTENT if a.intent == "medical_advice" and _nothing_to_read(a) else None


def unsure_person_asks_for_nobody(a: Ask) -> Optional[str]:
    """"Does anyone know if the staff restaurant is card only now?": a hesitant 'talk to a
    person' that names no person, no way to reach one and asks for none is the next reading."""
    if (a.intent != "request_human" or a.turn.confidence >= LIMITS.confident
            or ASKS_FOR_PERSON.search(a.turn.text) or PERSON_WORDS.search(a.turn.text)):
        return None
    return next((n for n, _ in a.turn.ranking if n in RESOLVERS and n != "request_human"), FALLBACK_INTENT)


def challenge_asks_for_person(a: Ask) -> Optional[str]:
    """"are there real people behind this? i want to talk to one": asking whether a person
    is there, and to talk to one, is the request for the person."""
    if a.intent == "bot_challenge" and (ASKS_FOR_PERSON.search(a.turn.text) or WANTS_PERSON.search(a.turn.text)):
        return "request_human"
    return None


# A question asked without its mark: "the ethics one sounds like me. what do they do".
_WH_QUESTION = re.compile(r"(?:^|[.!,;]\s*)(?:what|which|how|who|where|why|when)\b", re.IGNORECASE)


def pleasantry_opens_request(a: Ask) -> Optional[str]:
    """"hi, radiographer here, interested in imaging AI", "ok sounds like me. what would I
    have to learn for that?": a pleasantry the classifier is sure of, followed by a request
    (a question, an aspect, a who-question or the writer's background) about something the
    knowledge knows or the role in focus; the request is the message."""
    if a.intent not in PLEASANTRIES:
        return None
    asks = (a.s.aspects or a.s.who or "?" in a.turn.text or _WH_QUESTION.search(a.turn.text)
            or (a.s.backgrounds and a.s.personal))
    about = a.s.career or a.s.who or (a.s.aspects and a.focus_in_play())
    return "by_entities" if asks and about else None


def not_in_guide(a: Ask) -> Optional[str]:
    """"how much do they earn in Ireland?", "how many years would it take me?", "which
    online course teaches HIPAA?": the guide gives no pay, durations or counts, and says
    nothing of the subjects the not-covered answer's keywords list (courses, remote work,
    visas...); a career question for either is not covered, whatever topic it also names
    (the nearest answer is offered, not given: for pay, the outlook's "competitive
    compensation"). Pay asked of in general, with no figure or place ("is the money any
    good?"), is that partial answer (`partial_answer`); what it covers in part, asked of a place
    ("typical salary for an ethicist in London?"), it does not cover."""
    if not (a.s.figure or a.s.uncovered or (a.s.place and a.s.partial)) or a.intent in CONVERSATIONAL or a.intent == "medical_advice":
        return None
    in_consultation = (a.c.last_answer or "").startswith(("role.", "advice.", "path.", "skills.", "concept.", "field."))
    if a.intent == "out_of_scope" and a.turn.confidence >= LIMITS.confident and not (a.s.career or in_consultation):
        return None  # "how many days of leave have I got left", "the remote desktop keeps freezing"
    return "not_in_guide"


def hesitant_beside_off_topic(a: Ask) -> Optional[str]:
    """"does anyone know if the staff restaurant is card only now?" read, hesitantly, as a
    career question that names nothing the knowledge knows, with off-topic a close second
    reading: off-topic."""
    if (a.intent in RESOLVERS and a.intent not in CONVERSATIONAL and a.intent not in CAREER_UNSURE
            and a.turn.confidence < LIMITS.confident and not a.s.anything
            and dict(a.turn.ranking).get("out_of_scope", 0.0) >= LIMITS.request_share):
        return "out_of_scope"
    return None


def nothing_to_agree_to(a: Ask) -> Optional[str]:
    """"k", "yes", "nope" as a conversation's first message answer nothing: unclear."""
    if a.intent in ("affirm", "deny") and not a.c.last_answer:
        return FALLBACK_INTENT
    return None


def no_to_the_answer(a: Ask) -> Optional[str]:
    """"nope, that's not what I wanted to know": a "no" that points back at the answer just
    given is a verdict on it, not a reply to an offer."""
    if a.intent == "deny" and a.s.reference and a.c.last_answer:
        return "feedback_negative"
    return None


def unsure_medical_names_career(a: Ask) -> Optional[str]:
    """A hesitant 'medical advice' with no medical request but a role or topic is a career question."""
    if a.intent == "medical_advice" and not a.s.medical and (a.s.roles or a.s.topics):
        return "ask_about"
    return None


def fallback_leaning_medical(a: Ask) -> Optional[str]:
    """The classifier hesitates but leans to medical advice, and names nothing of a career."""
    ranked = [n for n, _ in a.turn.ranking if n != FALLBACK_INTENT]
    if a.intent == FALLBACK_INTENT and ranked[:1] == ["medical_advice"] and not a.s.career:
        return "medical_advice"
    return None


# A who-question about someone else's work: "who builds that kind of model?", "whose job is it to fix that".
_WHO_DOES = re.compile(r"\b(?:who(?:'s| is| are)?|whose job is it to) (?:actually |usually |normally )?(?:builds?|makes?|designs?|"
                       r"develops?|creates?|codes?|programs?|writes?|fix(?:es)?|checks?|validates?|approves?|deals? with|"
                       r"handles?|works? on|trains?|sorts?)\b", re.IGNORECASE)


def who_does_the_work(a: Ask) -> Optional[str]:
    """"Who keeps the models fair?": a who-question naming no role asks for the role whose
    work it describes."""
    if not a.s.who or a.s.roles or a.intent in CONVERSATIONAL:
        return None
    if a.intent in ("career_match", "roles_overview"):
        # "which job writes the code for...": read as "which role suits me" or "what roles
        # are there", but the writer tells no background of their own and the work, in more
        # than one word ("new job titles" is no work), is clearly one role's.
        # A story told of the writer's own work ("biomedical scientist... i got roped into
        # validating it. what career could this lead to?") is where they come from, not the
        # work they ask about.
        own_story = bool(a.s.backgrounds and a.s.personal) and not _WHO_DOES.search(a.turn.text)
        described = a.work_match(terms=LIMITS.work_terms_against_intent)
        return "find_role" if a.work_in_question(story=not own_story) or (described and not a.s.personal) else None
    if a.intent == "out_of_scope" and a.turn.confidence >= LIMITS.confident:
        # "smartcard won't log me into the EPR again, who do i ring": a chore for sure, unless
        # the who-question's own words describe a role's work.
        return "find_role" if a.work_in_question() else None
    return "find_role" if a.work_in_question() or a.work_match() or _topic_roles(a) else None


def who_names_role(a: Ask) -> Optional[str]:
    """"...the ethics of AI in care homes. is there a job in that?": a who-question beside
    one role named, the classifier hesitating, asks about that role."""
    if (a.s.who and len(a.s.roles) == 1 and a.turn.confidence < LIMITS.confident
            and a.intent in ("not_covered", "out_of_scope", "field_outlook", "field_overview", FALLBACK_INTENT)):
        return "ask_about"
    return None


def background_asks_which_role(a: Ask) -> Optional[str]:
    """"I'm a midwife, which role would suit me?": a who-question beside a background and
    no role is the career match; not when it points back at a concept named ("...a new
    deterioration alert that pings nonstop. is fixing that kind of thing an actual job?")."""
    points_at_concept = a.s.reference and any(t.startswith("concept.") for t in a.s.topics)
    if (a.s.who and a.s.backgrounds and a.s.personal and not a.roles and a.intent not in CONVERSATIONAL
            and not a.work_in_question() and not points_at_concept and not _WHO_DOES.search(a.turn.text)):
        return "career_match"
    return None


def nothing_to_complain_about(a: Ask) -> Optional[str]:
    """'That didn't help' needs an answer before it: at the start of a conversation the
    message is something else (often a long story the classifier misread)."""
    if a.intent != "feedback_negative" or a.c.last_answer:
        return None
    return next((n for n, _ in a.turn.ranking if n in RESOLVERS and n != "feedback_negative"), FALLBACK_INTENT)


def background_told(a: Ask) -> Optional[str]:
    """"I'm a midwife, 12 years, we're trialling an AI thing...": a person telling their own
    background, naming no role or concept, is asking where they fit, whatever the classifier
    made of the story; what the story names besides ("fixing the odd EHR login") is not
    asked. A sure "not covered" is believed when the question names a
    circumstance ("part time while finishing med school"), not when it asks about nothing
    but the move ("is that a realistic route for me?"); so is a sure question about the
    field's outlook ("I'm a midwife. is demand actually growing or is it hype?")."""
    unreliable = ("out_of_scope", "not_covered", "feedback_negative", "field_outlook",
                  "field_overview", "field_ethics", "help", "roles_overview", FALLBACK_INTENT)
    if (a.intent in unreliable and a.s.backgrounds and a.s.personal and not a.roles
            and not a.s.medical_request and not a.s.medical_asked and not a.work_in_question()
            and not any(t.startswith(("concept.", "path.")) for t in a.s.asked_topics)
            and not (a.intent == "not_covered" and (a.c.last_answer or a.turn.confidence >= LIMITS.confident)
                     and not a.s.bare)
            and not (a.intent in ("field_outlook", "field_overview", "field_ethics")
                     and a.turn.confidence >= LIMITS.confident and not a.s.plain)):
        return "career_match"
    return None


def unsure_off_topic_names_career(a: Ask) -> Optional[str]:
    """A hesitant 'off-topic' beside named career things, or a hesitant 'not covered'
    beside a role or background ("what would the informaticist do, in a dental setting
    say"): the likeliest reading that is a career question. What the guide does not cover
    is known by its own signs first (`not_in_guide`)."""
    if a.intent not in ("out_of_scope", "not_covered") or a.turn.confidence >= LIMITS.confident:
        return None
    named = a.s.career if a.intent == "out_of_scope" else (a.s.roles or a.s.backgrounds)
    if not (named or a.s.picked):
        return None
    career = next((n for n, p in a.turn.ranking if n in RESOLVERS and n not in (
        "out_of_scope", "not_covered", "medical_advice", FALLBACK_INTENT, *CONVERSATIONAL)
        and p >= LIMITS.request_share / 2), None)
    return career


def long_message_by_its_question(a: Ask) -> Optional[str]:
    """A long story told with a career question at its end: the classifier, reading every
    word of the story, is no guide; what the question names decides."""
    # "...ethicists and then regulatory people, and I can't tell where one ends. What's the
    # real difference between the two?": two roles, and a question asking how they differ.
    if a.s.long and a.s.comparing and len(a.s.roles) >= 2 and a.intent not in ("medical_advice", *CONVERSATIONAL):
        return "compare_roles"
    if a.s.long and a.intent in ("out_of_scope", "not_covered", FALLBACK_INTENT, "help") and (
            a.s.career or a.s.who):
        return "by_entities"
    # "...so I've been reading up. What does a regulatory specialist actually do?", "...is
    # there real demand for people in AI healthcare or is it all hype?": a story read as
    # "which role suits me", with a question about a role or a topic it names.
    if a.s.long and a.intent in ("career_match", "inform_background") and (
            a.s.roles or any(t.startswith(("field.", "concept.")) for t in a.s.topics)):
        return "ask_about"
    # A long career story the classifier read as clinical, with no request for care in any
    # clause (the guards read every clause) and nothing medical in its question.
    if (a.s.long and a.intent == "medical_advice" and (a.s.career or a.s.who) and not a.s.care
            and not a.s.medical_request and not a.s.medical_in_question):
        return "by_entities"
    return None


def complaint_restates_the_question(a: Ask) -> Optional[str]:
    """"That's not what I asked, I meant data scientists": naming what they meant makes it
    the question again. Naming only what the last answer was about ("that didn't help, I
    already know what an informaticist is") is the complaint about it."""
    if a.intent != "feedback_negative" or not (a.s.roles or a.s.topics):
        return None
    answered = {a.focus} if a.focus_in_play() else set()  # the role answered or recommended
    about_last = set(a.s.roles) <= answered and set(a.s.topics) <= {a.c.last_answer}
    return None if about_last else "ask_about"


def picked_from_offered(a: Ask) -> Optional[str]:
    """"the second one you mentioned": that role, for the aspect asked or carried."""
    if a.s.picked and not a.s.roles and a.intent not in CONVERSATIONAL:
        return "inform_role"
    return None


def work_described_with_aspect(a: Ask) -> Optional[str]:
    """"I want to build something that predicts readmissions, what skills do I need?": the
    work described, clearly one role's, with an aspect asked, is that role's aspect."""
    if (a.s.aspects and not a.roles and not a.s.topics and not a.s.who
            and not (a.s.backgrounds and a.s.personal)
            and not (a.s.reference and a.focus_in_play())
            and a.intent in ("ask_skills", "ask_example", "ask_about") and a.finder_sure()):
        return "find_role"
    return None


def work_described_unsure(a: Ask) -> Optional[str]:
    """"the one between the tech people and the clinical staff, what's that": an unsure
    reading of a message naming nothing but work that is clearly one role's is that role."""
    if (a.intent in (FALLBACK_INTENT, "ask_about") and a.turn.confidence < LIMITS.confident
            and not (a.roles or a.s.topics or a.s.backgrounds or a.s.medical) and a.finder_sure()):
        return "find_role"
    return None


def follow_up_names_role(a: Ask) -> Optional[str]:
    """"and for ethicists?": the previous question about another role."""
    if a.s.follow_up and len(a.roles) == 1 and a.intent in ("ask_about", FALLBACK_INTENT):
        return "inform_role"
    return None


def role_and_aspect_named(a: Ask) -> Optional[str]:
    """"the day to day of a regulatory specialist": role and aspect say it all."""
    if len(a.roles) == 1 and len(a.s.aspects) == 1 and a.intent in (
            "ask_skills", "ask_example", "field_overview", "field_outlook", "field_ethics",
            "roles_overview", "ask_path", "inform_role"):
        return "ask_about"
    return None


def aspect_of_focus(a: Ask) -> Optional[str]:
    """"what would I need to learn?", "and day to day?" after an answer about a role or
    recommending one: that role's aspect; not when the message describes another role's
    work ("and the ones cleaning the data, what do they need?")."""
    if (not a.roles and len(a.s.aspects) == 1 and not a.s.topics and not a.s.backgrounds
            and a.focus_in_play() and not a.s.general and a.intent not in CONVERSATIONAL and a.intent not in ("medical_advice", "find_role")
            and not (a.intent == "ask_path" and a.turn.confidence >= LIMITS.confident)):
        return "about_focus"
    return None


def unsure_background_in_overview(a: Ask) -> Optional[str]:
    """A hesitant "what roles are there" from someone telling their background: where they
    fit. A field named ("genomics + cancer + ML: which role uses all three?") is no background told."""
    if (a.intent == "roles_overview" and a.s.backgrounds and a.s.personal
            and a.turn.confidence < LIMITS.confident):
        return "career_match"
    return None


def unsure_broad_beside_topic(a: Ask) -> Optional[str]:
    """A hesitant broad intent beside one role or a named concept is about it."""
    if a.turn.confidence >= LIMITS.confident or a.s.backgrounds:
        return None
    broad = ("field_overview", "field_outlook", "field_ethics", "roles_overview", "career_match",
             "inform_background", "help")
    if a.intent == "career_match" and a.s.who:
        return None
    if a.intent in broad and (len(a.s.roles) == 1 or any(t.startswith("concept.") for t in a.s.topics)):
        return "ask_about"
    if a.intent in ("ask_skills", "ask_path") and not a.roles and len(set(a.s.topics)) == 1 and not (
            a.s.reference and a.focus_in_play()):
        return "ask_about"
    return None


REWRITES: Tuple[Rewrite, ...] = (
    only_thanks,
    pleasantry_beside_request,
    pleasantry_opens_request,
    challenge_asks_for_person,
    unsure_person_asks_for_nobody,
    not_in_guide,
    hesitant_beside_off_topic,
    nothing_to_agree_to,
    no_to_the_answer,
    fallback_leaning_medical,
    career_question_read_as_medical,
    medical_reading_of_nothing,
    unsure_medical_names_career,
    long_message_by_its_question,
    complaint_restates_the_question,
    background_told,
    nothing_to_complain_about,
    unsure_off_topic_names_career,
    background_asks_which_role,
    picked_from_offered,
    who_does_the_work,
    who_names_role,
    work_described_with_aspect,
    work_described_unsure,
    follow_up_names_role,
    role_and_aspect_named,
    aspect_of_focus,
    unsure_background_in_overview,
    unsure_broad_beside_topic,
)


# 3. resolvers: a decision, or None to try the next

def _answer(answer_id: str, roles: Sequence[str] = (), suggestions: Iterable[Suggestion] = ()) -> Decision:
    return Decision(answer_id, tuple(roles), tuple(suggestions))


def _aspect(a: Ask, default: str = "duties") -> str:
    return a.s.aspects[0] if a.s.aspects else default


def _topic_roles(a: Ask) -> List[str]:
    """Roles that the named topics say do that work (a concept's `roles`)."""
    found: List[str] = []
    for topic in a.s.topics:
        for role in a.knowledge.entry(topic).roles[:1]:
            if role not in found:
                found.append(role)
    return found


def two_roles(a: Ask) -> Optional[Decision]:
    roles = a.s.roles if len(a.s.roles) >= 2 else a.roles
    return _answer(contract.COMPARE, roles[:2]) if len(roles) >= 2 else None


def named_role(aspect: Optional[str] = None) -> Resolver:
    """The one role named (or picked from those offered), for `aspect` or the aspect asked."""
    def named_role(a: Ask) -> Optional[Decision]:
        if not a.roles:
            return None
        return _answer(contract.role_answer(a.roles[0], aspect or _aspect(a)))
    return named_role


def role_keeps_aspect(a: Ask) -> Optional[Decision]:
    """"and for data scientists?": the aspect asked before, for the role named now."""
    if not a.roles:
        return None
    carried = a.c.aspect if a.c.aspect in contract.ROLE_ASPECTS else "duties"
    return _answer(contract.role_answer(a.roles[0], _aspect(a, carried)))


def role_by_work(a: Ask) -> Optional[Decision]:
    """The role whose work a who-question describes: by the knowledge's text, else by the
    role a named concept says does it."""
    role = a.work_in_question() or a.work_match() or a.finder_sure() or next(iter(_topic_roles(a)), None)
    return _answer(contract.role_answer(role, _aspect(a))) if role else None


def role_told_before(a: Ask) -> Optional[Decision]:
    """"I read that some people set up ethical review boards with hospital leadership. tell
    me about that job?": a question pointing back, naming no role, at work the sentences
    before it clearly describe (as clearly as work described with no who-question)."""
    if a.roles or a.s.topics or not a.s.reference or not a.s.told_before:
        return None
    match = a.finder.best(a.s.told_before)
    if (match and match.score >= LIMITS.work_score_unasked and match.lead >= LIMITS.work_lead_unasked
            and match.terms >= LIMITS.work_terms_against_intent):
        return _answer(contract.role_answer(match.role, _aspect(a)))
    return None


def focus_aspect(aspect: Optional[str] = None) -> Resolver:
    """The role in focus, when the message points back at it or the last answer was about
    it; one aspect named ("a normal week") outweighs the intent's own."""
    def focus_aspect(a: Ask) -> Optional[Decision]:
        if a.focus and not a.s.general and (a.s.reference or a.s.aspects or a.focus_in_play()):
            named = a.s.aspects[0] if len(a.s.aspects) == 1 else None
            return _answer(contract.role_answer(a.focus, named or aspect or _aspect(a)))
        return None
    return focus_aspect


def pointed_focus(aspect: str) -> Resolver:
    """"would I have to code for it?" right after an answer about a role: that role, even
    if the question also names a topic."""
    def pointed_focus(a: Ask) -> Optional[Decision]:
        if a.s.reference and a.focus_in_play() and not a.roles and not a.s.general:
            return _answer(contract.role_answer(a.focus, aspect))
        return None
    return pointed_focus


def referenced_focus(a: Ask) -> Optional[Decision]:
    """"what does it involve?": the role in focus, if the message points back at it."""
    if a.focus and (a.s.reference or a.s.aspects):
        return _answer(contract.role_answer(a.focus, _aspect(a)))
    return None


def topic(prefixes: Tuple[str, ...] = ()) -> Resolver:
    """The first named topic (of these kinds, if given)."""
    def topic(a: Ask) -> Optional[Decision]:
        found = [t for t in a.s.topics if not prefixes or t.startswith(prefixes)]
        if not found:
            return None
        if found[0] == contract.COMPARE:
            return named_vs_focus(a) or offered_pair(a) or compare_offer(a) or clarify(a)
        return _answer(found[0])
    return topic


def one_topic(prefix: str) -> Resolver:
    def one_topic(a: Ask) -> Optional[Decision]:
        found = sorted({t for t in a.s.topics if t.startswith(prefix)})
        return _answer(found[0]) if len(found) == 1 else None
    return one_topic


def background(a: Ask) -> Optional[Decision]:
    """The background's advice; its focus, the role it recommends that the writer's own
    words match clearly better than its first ("technical files for CE marking...": the
    regulatory role, not the ethicist the law advice names first)."""
    if not a.s.backgrounds:
        return None
    answer_id = contract.background_answer(a.s.backgrounds[0])
    recommended = a.knowledge.roles_of(answer_id)
    scores = dict(a.finder.rank(a.turn.text))
    best = max(recommended, key=lambda r: scores.get(r, 0.0), default=None)
    if (best and recommended and best != recommended[0] and scores[best] >= LIMITS.work_score_unasked
            and scores[best] - scores.get(recommended[0], 0.0) >= LIMITS.work_lead_unasked):
        return _answer(answer_id, (best,))
    return _answer(answer_id)


def own_background(a: Ask) -> Optional[Decision]:
    """A background the writer has ("I'm a nurse"), not one they mention ("why do nurses...")."""
    return background(a) if a.s.personal else None


def role_as_background(a: Ask) -> Optional[Decision]:
    """"I'm a data scientist, what fits me?": the background a person in that role has."""
    if a.s.roles:
        return _answer(contract.background_answer(a.knowledge.roles[a.s.roles[0]].as_background))
    return None


def named_vs_focus(a: Ask) -> Optional[Decision]:
    """"how is that different from an ethicist?": the focus against the role named."""
    if a.roles and a.focus and a.focus != a.roles[0]:
        return _answer(contract.COMPARE, (a.focus, a.roles[0]))
    return None


def offered_pair(a: Ask) -> Optional[Decision]:
    """"what's the difference between the two?", "how do they differ?" with no role named:
    the first two roles of the last answer that offered several."""
    if not a.roles and len(a.c.offered) >= 2:
        return _answer(contract.COMPARE, a.c.offered[:2])
    return None


def compare_offer(a: Ask) -> Optional[Decision]:
    """One role to compare and no other: offer comparisons with the others."""
    anchor = a.roles[0] if a.roles else a.focus
    if not anchor:
        return None
    others = [r for r in contract.ROLES if r != anchor][:3]
    return _answer(contract.CLARIFY, suggestions=(Suggestion(contract.COMPARE, (anchor, o)) for o in others))


def sure_off_topic(a: Ask) -> Optional[Decision]:
    """Off-topic for sure: a word that happens to name a topic ("the fire alarm", "my salary
    slip") does not make it a career question; a person's background or a role does."""
    if a.turn.confidence >= LIMITS.confident and not (
            a.s.roles or (a.s.backgrounds and a.s.personal) or a.s.who):
        return _answer(contract.OUT_OF_SCOPE)
    return None


def partial_answer(a: Ask) -> Optional[Decision]:
    """The guide answers this in part (pay: "competitive compensation"): that answer."""
    return _answer(a.s.partial[0]) if a.s.partial else None


def not_covered_nearby(a: Ask) -> Optional[Decision]:
    """Not covered, with what the guide says nearby (pay: the outlook's "competitive
    compensation") first among the follow-ups, then a person."""
    related = a.knowledge.entry(contract.NOT_COVERED).related
    nearby = [t for t in [*a.s.partial, *a.s.topics] if t != contract.NOT_COVERED]
    return _answer(contract.NOT_COVERED, suggestions=(Suggestion(x) for x in list(dict.fromkeys(
        [*nearby, *related]))[:3]))


def fixed(answer_id: str) -> Resolver:
    def fixed(a: Ask) -> Optional[Decision]:
        return _answer(answer_id)
    fixed.__name__ = f"fixed:{answer_id}"
    return fixed


def clarify(a: Ask, answer_ids: Iterable[str] = DEFAULT_SUGGESTIONS) -> Decision:
    unique: List[str] = []
    for answer_id in answer_ids:
        if answer_id in a.knowledge and answer_id not in unique:
            unique.append(answer_id)
    return _answer(contract.CLARIFY, suggestions=(Suggestion(x) for x in unique[:3]))


def clarify_examples(a: Ask) -> Decision:
    return clarify(a, (contract.role_answer(r, "example") for r in contract.ROLES[:3]))


def feedback(a: Ask) -> Optional[Decision]:
    """That didn't help: apologise, offer topics and a person."""
    return _answer(contract.FEEDBACK_NEGATIVE)


def still_awaiting_background(a: Ask) -> Optional[Decision]:
    if a.c.awaiting == contract.AWAITING_BACKGROUND:
        return clarify(a, (contract.background_answer(b) for b in contract.BACKGROUNDS))
    return None


def only_topic(a: Ask) -> Optional[Decision]:
    """One topic named and no role: the topic, whatever the classifier hesitated over."""
    return topic()(a) if len(a.s.topics) == 1 and not a.roles else None


def unsure(a: Ask) -> Optional[Decision]:
    """Low NLU confidence and nothing named: answer only if the likeliest readings agree,
    else ask with them as suggestions."""
    readings: List[Decision] = []
    for intent, _ in a.turn.ranking:
        if intent not in RESOLVERS or intent in FIXED or intent in (
                "out_of_scope", "medical_advice", FALLBACK_INTENT, "not_covered"):
            continue
        decision = resolve(replace(a, intent=intent))
        if decision.answer_id != contract.CLARIFY:
            readings.append(replace(decision, rule=""))
        if len(readings) == 2:
            break
    if len(readings) == 2 and readings[0] == readings[1]:
        return readings[0]
    ids = [d.answer_id for d in readings if d.answer_id != contract.COMPARE]
    return clarify(a, [*ids, *DEFAULT_SUGGESTIONS])


FIXED: Dict[str, str] = {
    "greet": "bot.greet",
    "goodbye": "bot.goodbye",
    "thanks": "bot.thanks",
    "affirm": "bot.affirm",
    "deny": "bot.deny",
    "bot_challenge": "bot.challenge",
    "help": contract.HELP,
    "field_outlook": "field.outlook",
    "field_ethics": "field.ethics_regulation",
    "roles_overview": "roles.overview",
    "request_human": contract.HANDOFF,
    "medical_advice": contract.MEDICAL_ADVICE,
}

RESOLVERS: Dict[str, Tuple[Resolver, ...]] = {
    "ask_about": (two_roles, named_role(), topic(), background, referenced_focus, role_told_before, clarify),
    "about_focus": (focus_aspect(),),
    "find_role": (role_by_work,),
    "by_entities": (two_roles, named_role(), topic(("concept.", "path.", "skills.")), background, topic(),
                    clarify),
    "ask_skills": (two_roles, named_role("skills"), pointed_focus("skills"), one_topic("skills."), own_background,
                   focus_aspect("skills"), fixed("skills.overview")),
    "ask_example": (named_role("example"), pointed_focus("example"), topic(("concept.",)), focus_aspect("example"),
                    topic(),
                    clarify_examples),
    "compare_roles": (two_roles, named_vs_focus, offered_pair, compare_offer, clarify),
    "career_match": (background, role_as_background, fixed(contract.ASK_BACKGROUND)),
    "inform_background": (background, role_as_background, fixed(contract.ASK_BACKGROUND)),
    "inform_role": (two_roles, role_keeps_aspect, topic(), background, referenced_focus, role_told_before, clarify),
    "ask_path": (topic(("path.",)), topic(("concept.", "skills.")), own_background, fixed("path.steps")),
    "field_overview": (named_role(), topic(("concept.",)), fixed("field.overview")),
    "out_of_scope": (sure_off_topic, two_roles, own_background, named_role(), topic(),
                     fixed(contract.OUT_OF_SCOPE)),
    "not_covered": (partial_answer, fixed(contract.NOT_COVERED)),
    "not_in_guide": (not_covered_nearby,),
    "feedback_negative": (feedback,),
    FALLBACK_INTENT: (still_awaiting_background, only_topic, two_roles, named_role(), unsure),
    **{intent: (fixed(answer_id),) for intent, answer_id in FIXED.items()},
}


def awaited_background(a: Ask) -> Optional[Decision]:
    """After "what is your background?", a background (or a role held) answers it."""
    if a.c.awaiting != contract.AWAITING_BACKGROUND or a.intent == "out_of_scope":
        return None
    asks_of_role = a.intent in ("ask_about", "ask_skills", "ask_example", "compare_roles", "find_role")
    return background(a) or (None if asks_of_role else role_as_background(a))


def resolve(a: Ask) -> Decision:
    for resolver in RESOLVERS.get(a.intent, (unsure,)):
        decision = resolver(a)
        if decision:
            return decision if decision.rule else replace(decision, rule=f"{a.intent}:{_name(resolver)}")
    return replace(clarify(a), rule=f"{a.intent}:clarify")


def offer_human(a: Ask, decision: Decision) -> Decision:
    """A person is offered once: in the second clarification in a row, and in the reply to
    "that didn't help" (whose related answers offer one) only if not offered before."""
    if a.history.human_offered:
        if decision.answer_id != contract.FEEDBACK_NEGATIVE:
            return decision
        related = decision.suggestions or tuple(Suggestion(r) for r in a.knowledge.entry(decision.answer_id).related)
        kept = tuple(s for s in related if s.answer_id != contract.HANDOFF)
        return replace(decision, suggestions=kept or tuple(Suggestion(x) for x in DEFAULT_SUGGESTIONS[:2]))
    if decision.answer_id == contract.CLARIFY and a.history.clarified_in_row >= LIMITS.clarify_before_human:
        others = tuple(s for s in decision.suggestions if s.answer_id != contract.HANDOFF)[:2]
        return replace(decision, suggestions=(*others, Suggestion(contract.HANDOFF)),
                       rule=f"{decision.rule}+offer_human")
    return decision


def rating(helpful: bool, history: History = History()) -> Decision:
    """The reply to a "was this helpful?" rating: thanks, or an apology that offers a person
    if none was offered before."""
    if helpful:
        return Decision(contract.FEEDBACK_THANKS, rule="rate:helpful")
    if history.human_offered:
        return Decision(contract.FEEDBACK_NOTED, rule="rate:not_helpful")
    return Decision(contract.FEEDBACK_OFFER_HUMAN, suggestions=(Suggestion(contract.HANDOFF),),
                    rule="rate:not_helpful+offer_human")


def decide(a: Ask) -> Decision:
    """Guards, then the intent's rewrites, then its resolvers, the first rule that answers;
    then whether a person is offered."""
    return offer_human(a, _decide(a))


def _decide(a: Ask) -> Decision:
    for guard in GUARDS:
        answer_id = guard(a)
        if answer_id:
            decision = clarify(a) if answer_id == contract.CLARIFY else Decision(answer_id)
            return replace(decision, rule=f"guard:{guard.__name__}")
    intent, rewrites = a.turn.intent, []
    a = replace(a, intent=intent)
    for rewrite in REWRITES:
        new = rewrite(a)
        if new and new != a.intent:
            rewrites.append(rewrite.__name__)
            a = replace(a, intent=new)
    waited = awaited_background(a)
    if waited:
        return replace(waited, rule="context:awaited_background")
    decision = resolve(a)
    return replace(decision, rule="+".join([*rewrites, decision.rule])) if rewrites else decision


def _name(resolver: Resolver) -> str:
    return getattr(resolver, "__name__", "resolver")
