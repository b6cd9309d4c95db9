"""Choose the answer for one turn from what was understood and what came before.

This is the whole dialogue logic of Code & Care. It knows nothing of Rasa: an NLU engine
hands it a `Turn` and the previous `Context`, and gets back a `Reply` and the next
`Context`. Each decision is made by one named rule (`carekb.rules`), recorded with the
answer so that tests and reports can say why an answer was chosen.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Dict, List, Optional, Sequence, Tuple

from carekb import contract
from carekb.medical import (asks_for_care, asks_only_about_careers, career_clause, career_talk, drug_like,
                            health_context)
from carekb.retrieval import RoleFinder, lexicon, stems
from carekb.shapes import (ASIDE_WORDS, COMPARING, NAMING, asked_from, asks_for_figure, describing_work, names_place, people_doing,
                           place_pattern, plain_question, sentences, work_described)
from carekb.rules import Ask, Decision, History, Signals, Suggestion, decide, rating
from carekb.store import Knowledge
from carekb.patterns import (ASPECT, BACKGROUND, FOLLOW_UP, MEDICAL, MEDICAL_REQUEST, ORDINAL,
                             PARTIAL, REFERENCE, ROLE, TOPIC, WHO)

__all__ = ["Advisor", "Context", "History", "Reply", "Suggestion", "Turn", "question_start"]

# A message of this many words is long: its story is context, its last question the request.
LONG_MESSAGE_WORDS = 40
# The "e-" of a system's name: "e-prescribing", "e-referral" (any prefix at all cost a refusal).
_COMPOUND = re.compile(r"(?<![a-z])e-$", re.IGNORECASE)
# The writer speaking of themselves ("I'm a nurse", "my job"); "give me an example" is not.
_FIRST_PERSON = re.compile(r"\b(i|i'm|im|i've|ive|i'd|my)\b", re.IGNORECASE)
# The writer in any role of a sentence: "would fit me", "for my background".
_WRITER = re.compile(r"\b(i|i'm|im|i've|ive|i'd|me|my|myself)\b", re.IGNORECASE)
# Someone told of before: "what is her job called?".
_THIRD_PERSON = re.compile(r"\b(he|she|his|her|hers|him)\b", re.IGNORECASE)
# Someone else a background belongs to: "my sister is a paediatric nurse", "he's doing biology".
_ANOTHER = re.compile(r"\b(he|she|he's|she's|his|her|him|my\s+(?:sister|brother|mum|mom|mother|dad|father|"
                      r"partner|wife|husband|son|daughter|friend|colleague|boss|cousin|aunt|uncle|niece|nephew|"
                      r"flatmate|housemate|kid|child|grandad|grandpa|grandma|nan|parents?|family))\b", re.IGNORECASE)
# A background denied in the words just before it: "I'm not a maths person", "no coder".
_DENIED = re.compile(r"\b(not|no|never|isn't|aren't|wasn't|nor)\b(\s+\S+){0,2}\s*$", re.IGNORECASE)
# A role set aside just before it is named: "skip the engineer", "not the EHR one".
_SET_ASIDE = re.compile(r"\b(?:skip|forget|not|except|apart from|other than|rather than|instead of|never mind|nevermind)"
                        r"(?:\s+(?:the|a|an|about))?\s*$", re.IGNORECASE)
# A question asked of the field in general, not of the role in focus.
_GENERAL = re.compile(r"\b(?:in general|generally|overall|across the (?:field|board)|the field as a whole)\b", re.IGNORECASE)
# The writer saying what they are or do, just before it: "I'm in", "I work as a", "I'm a".
_HOLDING = re.compile(r"\b(?:i'?m|i am|i work|i've worked|i have worked|i've been|i have been|im)\s+"
                      r"(?:(?:in|as|at|on|with|a|an|the|currently|now|still|working)\s+){0,3}$", re.IGNORECASE)
# A background wanted, not held: "to work as a programmer", "want to become a nurse".
_WANTED = re.compile(r"\b(?:to\s+(?:work\s+as|be|become)|become|becoming|wanna\s+be)\s+(?:an?\s+)?$", re.IGNORECASE)
# People spoken of, not the writer, before a plural: "the clinicians", "our nurses".
_OTHERS = re.compile(r"\b(the|our|their|those|these|other|your)\s+$", re.IGNORECASE)
# Someone a medical question could be about: the writer, a relative, a patient.
_SOMEONE = re.compile(r"\b(i|i'm|im|i've|ive|me|my|mine|myself|he|he's|she|she's|his|her|him|"
                      r"patient|patients|pt|mum|mom|mother|dad|father|friend|son|daughter|wife|"
                      r"husband|partner|child|kid|baby|grandma|grandad|nan|lady|woman|gentleman|resident|"
                      r"\d+\s?(yo|y/o|year old))\b",
                      re.IGNORECASE)
# An introduction names the background in its first few words ("band 5 staff nurse").
_INTRO_WORDS = 4
# Where a message's opening clause ends ("paramedic, 5 yrs on the road. is there..."), and
# the words that open a question rather than an introduction ("why do nurses...").
_CLAUSE_END = re.compile(r"[,.;:!?()]|\s[-–]\s|\n")
_GREETING = re.compile(r"^\W*((hi+|hello|hey+|hiya|evening|morning|good (morning|afternoon|evening))\b\W*)+",
                       re.IGNORECASE)
_ASKING = re.compile(r"^(what|why|how|who|which|where|when|can|could|do|does|did|is|are|should|would|will)(s|'s)?\b",
                     re.IGNORECASE)


def question_start(text: str) -> int:
    """Where the question of a long message starts (`carekb.shapes.asked_from`); without a
    '?', its last sentence longer than a sign-off ("Any clarity appreciated, thanks."); 0
    for a short message."""
    if len(text.split()) < LONG_MESSAGE_WORDS:
        return 0
    found = sentences(text)
    if any(sentence.rstrip().endswith("?") for _, sentence in found):
        return asked_from(text)
    stated = [start for start, sentence in found if len(sentence.split()) > ASIDE_WORDS]
    if stated:
        return stated[-1]
    return found[-1][0] if found else 0


def introduces_self(turn: "Turn") -> bool:
    """The message opens with the writer's background, greeting aside ("community
    pharmacist here, ...", "paramedic, 5 yrs on the road. is there anywhere..."): the
    writer tells who they are without saying "I". An opening question ("why do nurses
    ...") or a clause about something else ("the one that sits between IT and the
    clinicians") names a background without telling one."""
    opening = _GREETING.match(turn.text)
    start = opening.end() if opening else 0
    rest = turn.text[start:]
    if not rest or _ASKING.match(rest):
        return False
    end = _CLAUSE_END.search(rest)
    clause = rest[:end.start() if end else len(rest)]
    first_words = re.match(r"\s*(\S+\s*){0,%d}" % _INTRO_WORDS, clause)
    limit = start + (first_words.end() if first_words else 0)
    return any(label == BACKGROUND and i < len(turn.starts) and start <= turn.starts[i] < limit
               for i, (label, _) in enumerate(turn.entities))


def _position(ordinal: str, offered: int) -> int:
    """Where an ordinal points in a list of `offered` roles, counted from 1."""
    return offered if ordinal == "last" else int(ordinal)


@dataclass(frozen=True)
class Turn:
    """What the NLU understood of one user message."""

    intent: str
    confidence: float = 1.0
    entities: Sequence[Tuple[str, str]] = ()
    ranking: Sequence[Tuple[str, float]] = ()
    text: str = ""
    # Where each entity starts and ends in the text, in the order of `entities` (empty if unknown).
    starts: Sequence[int] = ()
    ends: Sequence[int] = ()

    def values(self, label: str, since: int = 0) -> List[str]:
        """Distinct values of one entity label, in the order they were said (from `since`)."""
        seen: List[str] = []
        for i, (name, value) in enumerate(self.entities):
            start = self.starts[i] if i < len(self.starts) else 0
            if name == label and value not in seen and start >= since:
                seen.append(value)
        return seen


@dataclass(frozen=True)
class Context:
    """What the conversation so far tells us: the role in focus, what was asked of it, and
    the roles the last answer offered (for "the second one")."""

    role: Optional[str] = None
    aspect: Optional[str] = None
    last_answer: Optional[str] = None
    awaiting: Optional[str] = None
    offered: Tuple[str, ...] = ()


@dataclass(frozen=True)
class Reply:
    """What to say, where it comes from, what to offer next, the rule that chose it, and
    the context that follows."""

    answer_id: str
    text: str
    source: Optional[str]
    suggestions: Tuple[Suggestion, ...]
    roles: Tuple[str, ...]
    context: Context = field(default_factory=Context)
    rule: str = ""
    # With the person's contact (handoff.human): team, email, phone, link, hours, placeholder,
    # those with a value, for a channel to show as actions.
    contact: Optional[Dict[str, object]] = None


# Words in any script, an apostrophe inside one kept ("that's").
_WORDS = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


class Advisor:
    """Turns (intent, entities, context) into one answer from the knowledge."""

    def __init__(self, knowledge: Knowledge) -> None:
        self.knowledge = knowledge
        self.finder = RoleFinder(knowledge)
        self.known = lexicon(knowledge)
        # The words backgrounds are named by: naming one asks nothing more of a question.
        self.background_words = frozenset(w for b in knowledge.vocabulary.backgrounds
                                          for phrase in b.synonyms for w in stems(phrase))
        self.people_doing = people_doing(knowledge.vocabulary.role_nouns)
        self.role_nouns = frozenset(w for n in knowledge.vocabulary.role_nouns for w in (n, n + "s"))
        self.places = place_pattern(knowledge.vocabulary.places)
        self.thanks = frozenset(knowledge.vocabulary.thanks)
        self.thanks_words = self.thanks | frozenset(knowledge.vocabulary.thanks_fillers)

    def reply(self, turn: Turn, context: Context, history: History = History()) -> Reply:
        return self.render(self.decide(turn, context, history), context)

    def decide(self, turn: Turn, context: Context, history: History = History()) -> Decision:
        return decide(Ask(turn=turn, signals=self._signals(turn, context), context=context,
                          knowledge=self.knowledge, finder=self.finder, known=self.known,
                          history=history))

    def rate(self, helpful: bool, context: Context, history: History = History()) -> Reply:
        """The reply to a rating of an earlier answer; the context stays as it was, so the
        next answer is the one it would have been without the rating."""
        return replace(self.render(rating(helpful, history), context), context=context)

    def render(self, decision: Decision, context: Context) -> Reply:
        entry = self.knowledge.entry(decision.answer_id)
        text, sections = entry.text.strip(), list(entry.source)
        suggestions = decision.suggestions or tuple(Suggestion(r) for r in entry.related)
        if decision.answer_id == contract.COMPARE:
            a, b = (self.knowledge.roles[r] for r in decision.roles)
            text = text.format(a=a.name, b=b.name, a_summary=a.summary, b_summary=b.summary)
            sections = [a.section, b.section]
            suggestions = (
                Suggestion(contract.role_answer(a.id, "skills")),
                Suggestion(contract.role_answer(b.id, "skills")),
                Suggestion(contract.role_answer(b.id, "example")),
            )
        contact = None
        if decision.answer_id == contract.HANDOFF:
            text = self._contact_text(text)
            contact = {k: v for k, v in self.knowledge.contact.dict().items() if v not in (None, "")}
        source = "; ".join(sections) or None
        if source:
            text = f"{text}\n\n{self.knowledge.source_line(sections, entry.basis)}"
        titled = tuple(self._titled(s) for s in suggestions)
        return Reply(decision.answer_id, text, source, titled, decision.roles,
                     self._next_context(decision, context), decision.rule, contact)

    # helpers

    def _signals(self, turn: Turn, context: Context) -> Signals:
        """The entities by kind. In a long message only the question at its end decides
        what is asked; a background or a medical matter counts wherever it was told."""
        known = self.knowledge
        since = question_start(turn.text) if turn.starts else 0
        medical = sum(1 for label, _ in turn.entities if label == MEDICAL) + drug_like(turn.text)
        asked = asked_from(turn.text)
        # "the first one sounds too technical. the second?": the ordinals of the question.
        ordinals = [_position(n, len(context.offered))
                    for n in (turn.values(ORDINAL, asked) if turn.starts else ()) or turn.values(ORDINAL, since)]
        doing = [m.start(1) for m in self.people_doing.finditer(turn.text) if m.start(1) >= since]
        doing += [m.start() for m in NAMING.finditer(turn.text) if m.start() >= since]
        who_starts = [s for (label, _), s in zip(turn.entities, turn.starts) if label == WHO and s >= since] + doing
        held = self._held_at(turn)
        roles = [r for r in dict.fromkeys(value for (label, value), at in zip(turn.entities, self._starts(turn))
                                          if label == ROLE and at >= since and at not in held
                                          and not (turn.starts and _SET_ASIDE.search(turn.text[:at])))
                 if r in known.roles]
        comparing = bool(COMPARING.search(turn.text[since:]))
        if since and not roles and (comparing or turn.values(REFERENCE, since) and (
                turn.values(ASPECT, since) or turn.intent == "compare_roles")):
            # "What skills would someone need to do that job well?", "...the ethics job and
            # the compliance one. How are they different?" after a story that named the
            # jobs: the roles of the sentence before the question, else the last one named.
            before = max((at for at, _ in sentences(turn.text[:since])), default=0)
            roles = ([r for r in turn.values(ROLE, before) if r in known.roles]
                     or [r for r in turn.values(ROLE) if r in known.roles][-1:])
        aspects = self._aspects_asked(turn, since)
        return Signals(
            roles=roles,
            backgrounds=[b for b in self._backgrounds_asked(turn, asked) if b in known.backgrounds],
            topics=self._topics_asked(turn, since, asked, pointing=not (roles or aspects)),
            uncovered=contract.NOT_COVERED in (turn.values(TOPIC, asked) if turn.starts else turn.values(TOPIC)),
            aspects=aspects,
            reference=bool(turn.values(REFERENCE, since)),
            medical=medical,
            care=asks_for_care(turn.text, medical=medical > 0),
            career_talk=career_talk(turn.text),
            careers_only=asks_only_about_careers(turn.text),
            health=health_context(turn.text),
            medical_request=self._asks_in_care_sense(turn),
            follow_up=bool(turn.values(FOLLOW_UP, since)),
            who=bool(turn.values(WHO, since)) or bool(doing),
            work_asked=work_described(turn.text, who_starts),
            work_story=self._story_pointed_at(turn, who_starts),
            partial=[t for t in turn.values(PARTIAL, since) if t in known],
            picked=[context.offered[n - 1] for n in ordinals if 0 < n <= len(context.offered)],
            long=since > 0,
            personal=bool(_FIRST_PERSON.search(turn.text)) or introduces_self(turn),
            someone=bool(_SOMEONE.search(turn.text)),
            medical_in_question=bool(turn.values(MEDICAL, since)) if since else False,
            figure=asks_for_figure(turn.text[since:]),
            place=names_place(turn.text[asked:], self.places),
            told_before=turn.text[:asked],
            plain=plain_question(turn.text, self.background_words),
            bare=plain_question(turn.text),
            asked_topics=[t for t in turn.values(TOPIC, asked) if t in known and t != contract.NOT_COVERED]
            if turn.starts else [],
            medical_asked=bool(turn.values(MEDICAL, asked)) if turn.starts else medical > 0,
            general=bool(_GENERAL.search(turn.text[asked:])),
            comparing=comparing,
            only_thanks=self._only_thanks(turn.text),
        )

    def _only_thanks(self, text: str) -> bool:
        """Nothing but words of thanks and the words that go with them ("ok ta", "salamat")."""
        words = _WORDS.findall(text.lower())
        return bool(words) and not self.thanks.isdisjoint(words) and self.thanks_words.issuperset(words)

    @staticmethod
    def _starts(turn: Turn) -> List[int]:
        return [turn.starts[i] if i < len(turn.starts) else 0 for i in range(len(turn.entities))]

    @classmethod
    def _held_at(cls, turn: Turn) -> set:
        """Where the writer says what they are or do ("I'm in compliance", "I work as a data
        scientist"): words that name both a background and a role there are the background."""
        held = set()
        if not turn.starts:
            return held
        for (label, _), at in zip(turn.entities, cls._starts(turn)):
            if label != BACKGROUND:
                continue
            before = turn.text[:at]
            ends = list(_CLAUSE_END.finditer(before))
            clause = before[ends[-1].end():] if ends else before
            if _HOLDING.search(clause):
                held.add(at)
        return held

    @classmethod
    def _backgrounds_asked(cls, turn: Turn, asked: int) -> List[str]:
        """The writer's own backgrounds; asking on someone else's behalf ("my husband's a
        frontend developer... what could he go for?"), with none of their own, theirs."""
        own = cls._own_backgrounds(turn)
        if own or not turn.starts or not _THIRD_PERSON.search(turn.text[asked:]):
            return own
        return turn.values(BACKGROUND)

    @staticmethod
    def _own_backgrounds(turn: Turn) -> List[str]:
        """The backgrounds told, leaving out those its clause gives someone else ("my sister
        is a paediatric nurse", "he's doing computer science"), those denied ("I'm not a
        maths person", "never a coder"), wanted ("to work as a programmer") and people the
        writer speaks of ("a translator between IT and the clinicians"); "I'm a nurse like
        my mum" is the writer's."""
        found: List[str] = []
        for i, (label, value) in enumerate(turn.entities):
            if label != BACKGROUND or value in found:
                continue
            if i < len(turn.starts):
                before = turn.text[:turn.starts[i]]
                ends = list(_CLAUSE_END.finditer(before))
                clause = before[ends[-1].end():] if ends else before
                if _ANOTHER.search(clause) and not _FIRST_PERSON.search(clause):
                    continue
                word = (turn.text[turn.starts[i]:].split() or [""])[0].lower().strip(",.?!")
                plural = word.endswith("s") and not word.endswith(("ics", "ss", "sis"))
                if _DENIED.search(clause) or _WANTED.search(clause) or (plural and _OTHERS.search(before)):
                    continue
            found.append(value)
        return found

    def _topics_asked(self, turn: Turn, since: int, asked: int, pointing: bool) -> List[str]:
        """The topics asked about. A long message's question that points back and names
        nothing itself ("...everyone hates it because of alert fatigue. what is that
        exactly?") asks about the last topic its story named; not one that asks who, or
        where the writer fits ("what kind of work would someone like me do in this field?").
        """
        def answerable(topic: str) -> bool:
            return topic in self.knowledge and topic != contract.NOT_COVERED

        topics = [t for t in turn.values(TOPIC, since or self._topics_from(turn, asked)) if answerable(t)]
        if topics or not since or not pointing:
            return topics
        question = next((q for at, q in sentences(turn.text) if at >= since), "")
        end = since + len(question)
        named = {label for (label, _), at in zip(turn.entities, turn.starts) if since <= at < end}
        if REFERENCE not in named or named & {WHO, BACKGROUND, ROLE} or _WRITER.search(question):
            return topics
        story = [(at, value) for (label, value), at in zip(turn.entities, turn.starts)
                 if label == TOPIC and at < since and answerable(value)]
        return [max(story)[1]] if story else []

    @staticmethod
    def _topics_from(turn: Turn, asked: int) -> int:
        """Where the topics asked about start: at the question ("we have that problem with
        our alerts. how would i get started?" asks how to start, not about alerts), unless
        the question points back at what came before ("not the FDA. What's that process
        about?") or there is no question mark to tell the question from its context."""
        if not asked or not turn.starts or "?" not in turn.text[asked:]:
            return 0
        return 0 if turn.values(REFERENCE, asked) else asked

    def _story_pointed_at(self, turn: Turn, who: List[int]) -> str:
        """The words before a who-question whose own words point back at them ("...what do
        you call the person whose job is to do that kind of thing?", "could a model spot
        sepsis early? which job is that"); "" if it points at nothing."""
        starts = list(turn.starts)
        asked = work_described(turn.text, who)
        if not who or _WRITER.search(asked):
            return ""  # "which job in this would fit me?" asks where the writer fits
        if _THIRD_PERSON.search(asked):  # "my friend writes code for... what is her job called?"
            return turn.text[:min(who)]
        if any(label == REFERENCE and describing_work(turn.text, who, start) and not self._relative(turn.text, start)
               for (label, _), start in zip(turn.entities, starts)):
            return turn.text[:min(who)]
        return ""

    def _relative(self, text: str, at: int) -> bool:
        """"jobs that mix healthcare and AI": a 'that' after a role noun (or 'there') opens
        a description; it points back at nothing."""
        before = re.findall(r"[a-z']+", text[:at].lower())[-1:]
        return bool(before) and (before[0] in self.role_nouns or before[0] == "there")

    @staticmethod
    def _aspects_asked(turn: Turn, since: int) -> List[str]:
        """The aspects asked (from `since`), leaving out those in the words that describe
        the work of a who-question ("the job where you turn scans into something a computer
        can learn from" asks what the job is, not what to learn)."""
        starts = [turn.starts[i] if i < len(turn.starts) else 0 for i in range(len(turn.entities))]
        who = [start for (label, _), start in zip(turn.entities, starts) if label == WHO]
        asked: List[str] = []
        for (label, value), start in zip(turn.entities, starts):
            if (label == ASPECT and value in contract.ROLE_ASPECTS and start >= since and value not in asked
                    and not (turn.starts and describing_work(turn.text, who, start))):
                asked.append(value)
        return asked

    @staticmethod
    def _asks_in_care_sense(turn: Turn) -> bool:
        """A listed request phrase ("diagnosed", "treat") outside a clause about a career
        step or AI work, and not the end of a compound that names a system ("the
        e-prescribing rollout"); without offsets, any phrase counts."""
        found = [(turn.starts[i] if i < len(turn.starts) else None, turn.ends[i] if i < len(turn.ends) else None)
                 for i, (label, _) in enumerate(turn.entities) if label == MEDICAL_REQUEST]
        return any(start is None or not (career_clause(turn.text, start, end) or _COMPOUND.search(turn.text[:start]))
                   for start, end in found)

    def _contact_text(self, text: str) -> str:
        contact = self.knowledge.contact
        ways = [f"- **Email:** [{contact.email}](mailto:{contact.email})" if contact.email else "",
                f"- **Phone:** {contact.phone}" if contact.phone else "",
                f"- **Web:** [{contact.link}]({contact.link})" if contact.link else ""]
        text = text.format(team=contact.team, hours=contact.hours,
                           ways="\n".join(w for w in ways if w))
        if contact.placeholder:
            text += ("\n\n_These are the demo's placeholder details: your organisation "
                     "replaces them in `knowledge/contact.yml`._")
        return text

    def _titled(self, s: Suggestion) -> Suggestion:
        if s.answer_id == contract.COMPARE:
            a, b = (self.knowledge.roles[r].name for r in s.roles)
            return replace(s, title=f"{a} vs {b}")
        return replace(s, title=self.knowledge.entry(s.answer_id).title)

    def _next_context(self, d: Decision, c: Context) -> Context:
        """The focus after an answer: the role it is about or recommends first."""
        role, aspect, offered = c.role, c.aspect, c.offered
        named = tuple(d.roles) if d.answer_id == contract.COMPARE else tuple(
            self.knowledge.roles_of(d.answer_id))
        parts = d.answer_id.split(".")
        if parts[0] == "role" and len(parts) == 3:
            role, aspect = parts[1], parts[2]
        elif d.answer_id == contract.COMPARE:
            role, aspect = d.roles[-1], "compare"
        elif named:  # the role recommended first, or the one the decision says fits the writer
            role, aspect = (d.roles[0] if d.roles and d.roles[0] in named else named[0]), None
        elif parts[0] == "skills":
            aspect = "skills"
        listed = named if len(named) > 1 else tuple(self.knowledge.listed_in(d.answer_id))
        if len(listed) > 1:  # "the second one" means the last list of roles offered
            offered = listed
        awaiting = contract.AWAITING_BACKGROUND if d.answer_id == contract.ASK_BACKGROUND else None
        return Context(role=role, aspect=aspect, last_answer=d.answer_id, awaiting=awaiting,
                       offered=offered)
