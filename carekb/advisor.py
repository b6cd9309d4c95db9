"""Choose the answer for one turn from what was understood and what came before.

This is the whole dialogue logic of Code & Care. It knows nothing of Rasa: an NLU engine
hands it a `Turn` and the previous `Context`, and gets back a `Reply` and the next
`Context`. Keeping it here means the rules can be read, tested and moved in one place.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Callable, Dict, Iterable, List, Optional, Sequence, Tuple

from carekb import contract
from carekb.patterns import ASPECT, BACKGROUND, FOLLOW_UP, MEDICAL, REFERENCE, ROLE, TOPIC
from carekb.store import Knowledge

FALLBACK_INTENT = "nlu_fallback"
AWAITING_BACKGROUND = "background"
CONFIDENT = 0.8
# Broad intents whose fixed answer should yield to a specific topic when the NLU is unsure.
BROAD_INTENTS = frozenset({"field_overview", "field_outlook", "field_ethics", "roles_overview",
                           "career_match", "inform_background", "help"})
DEFAULT_SUGGESTIONS = ("roles.overview", "skills.overview", "path.steps")
# Pleasantries carry no request. When the NLU hesitates between one and a request ("hi!
# first time here, how does this work?"), the share the request gets decides: at least
# this much, and the turn is read as the request.
PLEASANTRIES = frozenset({"greet", "thanks", "affirm", "goodbye"})
REQUEST_SHARE = 0.25
# A role and one of its aspects named outright ("the day to day of a regulatory specialist")
# say what is asked more surely than the classifier's reading of the words around them.
ASPECT_NAMED_OVERRIDES = frozenset({"ask_skills", "ask_example", "field_overview", "field_outlook",
                                    "field_ethics", "roles_overview"})


@dataclass(frozen=True)
class Turn:
    """What the NLU understood of one user message."""

    intent: str
    confidence: float = 1.0
    entities: Sequence[Tuple[str, str]] = ()
    ranking: Sequence[Tuple[str, float]] = ()
    text: str = ""

    def values(self, label: str) -> List[str]:
        """Distinct values of one entity label, in the order they were said."""
        seen: List[str] = []
        for name, value in self.entities:
            if name == label and value not in seen:
                seen.append(value)
        return seen


@dataclass(frozen=True)
class Context:
    """What the conversation so far tells us: the role in focus and what was asked of it."""

    role: Optional[str] = None
    aspect: Optional[str] = None
    last_answer: Optional[str] = None
    awaiting: Optional[str] = None


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


@dataclass(frozen=True)
class Reply:
    """What to say, where it comes from, what to offer next, and the context that follows."""

    answer_id: str
    text: str
    source: Optional[str]
    suggestions: Tuple[Suggestion, ...]
    roles: Tuple[str, ...]
    context: Context = field(default_factory=Context)


@dataclass(frozen=True)
class _Signals:
    roles: List[str]
    backgrounds: List[str]
    topics: List[str]
    aspects: List[str]
    reference: bool
    medical: int
    follow_up: bool = False

    @property
    def career(self) -> bool:
        return bool(self.roles or self.backgrounds or self.topics)

    @property
    def mostly_medical(self) -> bool:
        """Medical words outnumber the career topics and no role or background is named."""
        return self.medical > len(self.topics) and not (self.roles or self.backgrounds)


class Advisor:
    """Turns (intent, entities, context) into one answer from the knowledge."""

    FIXED = {
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
    }

    def __init__(self, knowledge: Knowledge) -> None:
        self.knowledge = knowledge
        self._handlers: Dict[str, Callable[[_Signals, Context], Decision]] = {
            "out_of_scope": self._out_of_scope,
            "medical_advice": lambda s, c: Decision(contract.MEDICAL_ADVICE),
            "ask_about": self._about,
            "ask_skills": self._skills,
            "ask_example": self._example,
            "compare_roles": self._compare,
            "career_match": self._background,
            "inform_background": self._background,
            "inform_role": self._inform_role,
            "ask_path": self._path,
            "field_overview": self._field_overview,
        }
        for intent, answer_id in self.FIXED.items():
            self._handlers[intent] = lambda s, c, a=answer_id: Decision(a)

    # public

    def reply(self, turn: Turn, context: Context) -> Reply:
        return self.render(self.decide(turn, context), context)

    def decide(self, turn: Turn, context: Context) -> Decision:
        signals = self._signals(turn)
        intent = self._intent(turn, signals)
        if intent == "medical_advice" or signals.mostly_medical:
            return Decision(contract.MEDICAL_ADVICE)
        if context.awaiting == AWAITING_BACKGROUND and intent != "out_of_scope":
            background = self._background_of(signals)
            if background:
                return Decision(contract.background_answer(background))
        if signals.follow_up and len(signals.roles) == 1 and intent in ("ask_about", FALLBACK_INTENT):
            intent = "inform_role"
        if len(signals.roles) == 1 and len(signals.aspects) == 1 and intent in ASPECT_NAMED_OVERRIDES:
            intent = "ask_about"
        handler = self._handlers.get(intent)
        if handler is None:
            return self._unsure(turn, signals, context)
        return handler(signals, context)

    def _intent(self, turn: Turn, s: _Signals) -> str:
        """The intent to act on: an unsure classifier yields to clear entity evidence.

        A hesitant pleasantry beside a likely request is the request; a hesitant 'medical
        advice' with no medical word but a role or topic is a career question; a hesitant
        broad intent beside a named concept, or a hesitant question on skills or the path
        beside one named topic, is a question about it.
        A confident medical_advice, or a mostly medical message, always declines.
        """
        intent = turn.intent
        if turn.confidence >= CONFIDENT:
            return intent
        if intent in PLEASANTRIES:
            request, share = next(((name, p) for name, p in turn.ranking if name != intent), ("", 0.0))
            if share >= REQUEST_SHARE and request in self._handlers and request not in PLEASANTRIES:
                return request
        if intent == "roles_overview" and s.backgrounds:
            return "career_match"
        if intent == FALLBACK_INTENT:
            ranked = [name for name, _ in turn.ranking if name != FALLBACK_INTENT]
            if ranked and ranked[0] == "medical_advice" and not s.career:
                return "medical_advice"
            return intent
        if intent == "medical_advice" and not s.medical and (s.roles or s.topics):
            return "ask_about"
        if intent in BROAD_INTENTS and not s.backgrounds and (
                len(s.roles) == 1 or any(t.startswith("concept.") for t in s.topics)):
            return "ask_about"
        if intent in ("ask_skills", "ask_path") and not s.roles and len(set(s.topics)) == 1:
            return "ask_about"  # a hesitant general question beside one named topic is about it
        return intent

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
        source = "; ".join(sections) or None
        if source:
            text = f"{text}\n\n{self.knowledge.source_line(sections, entry.basis)}"
        titled = tuple(self._titled(s) for s in suggestions)
        return Reply(decision.answer_id, text, source, titled, decision.roles,
                     self._next_context(decision, context))

    # intent handlers

    def _out_of_scope(self, s: _Signals, c: Context) -> Decision:
        if s.roles or s.topics:
            return self._about(s, c)
        return Decision(contract.OUT_OF_SCOPE)

    def _field_overview(self, s: _Signals, c: Context) -> Decision:
        """'AI engineers in healthcare' names a role: the role is the question."""
        return self._about(s, c) if s.roles else Decision("field.overview")

    def _about(self, s: _Signals, c: Context) -> Decision:
        aspect = s.aspects[0] if s.aspects else "duties"
        if len(s.roles) >= 2:
            return self._comparison(s.roles[0], s.roles[1])
        if s.roles:
            return Decision(contract.role_answer(s.roles[0], aspect))
        if s.topics:
            return self._topic(s.topics[0], c)
        if s.backgrounds:
            return Decision(contract.background_answer(s.backgrounds[0]))
        if c.role and (s.reference or s.aspects):
            return Decision(contract.role_answer(c.role, aspect))
        return self._clarify(DEFAULT_SUGGESTIONS)

    def _skills(self, s: _Signals, c: Context) -> Decision:
        if len(s.roles) >= 2:
            return self._comparison(s.roles[0], s.roles[1])
        if s.roles:
            return Decision(contract.role_answer(s.roles[0], "skills"))
        skill_topics = [t for t in s.topics if t.startswith("skills.")]
        if len(skill_topics) == 1:
            return Decision(skill_topics[0])
        if s.backgrounds:
            return Decision(contract.background_answer(s.backgrounds[0]))
        if c.role and (s.reference or self._about_role(c)):
            return Decision(contract.role_answer(c.role, "skills"))
        return Decision("skills.overview")

    def _example(self, s: _Signals, c: Context) -> Decision:
        if s.roles:
            return Decision(contract.role_answer(s.roles[0], "example"))
        concepts = [t for t in s.topics if t.startswith("concept.")]
        if concepts:
            return Decision(concepts[0])
        if c.role:
            return Decision(contract.role_answer(c.role, "example"))
        if s.topics:
            return self._topic(s.topics[0], c)
        return self._clarify(contract.role_answer(r, "example") for r in contract.ROLES[:3])

    def _compare(self, s: _Signals, c: Context) -> Decision:
        if len(s.roles) >= 2:
            return self._comparison(s.roles[0], s.roles[1])
        if s.roles and c.role and c.role != s.roles[0]:
            return self._comparison(c.role, s.roles[0])
        anchor = s.roles[0] if s.roles else c.role
        if anchor:
            others = [r for r in contract.ROLES if r != anchor][:3]
            return Decision(contract.CLARIFY, suggestions=tuple(
                Suggestion(contract.COMPARE, (anchor, other)) for other in others))
        return self._clarify(DEFAULT_SUGGESTIONS)

    def _background(self, s: _Signals, c: Context) -> Decision:
        background = self._background_of(s)
        if background:
            return Decision(contract.background_answer(background))
        return Decision(contract.ASK_BACKGROUND)

    def _inform_role(self, s: _Signals, c: Context) -> Decision:
        if len(s.roles) >= 2:
            return self._comparison(s.roles[0], s.roles[1])
        if s.roles:
            aspect = s.aspects[0] if s.aspects else (
                c.aspect if c.aspect in contract.ROLE_ASPECTS else "duties")
            return Decision(contract.role_answer(s.roles[0], aspect))
        return self._about(s, c)

    def _path(self, s: _Signals, c: Context) -> Decision:
        steps = [t for t in s.topics if t.startswith("path.")]
        if steps:
            return Decision(steps[0])
        specific = [t for t in s.topics if t.startswith(("concept.", "skills."))]
        if specific:
            return Decision(specific[0])
        if s.backgrounds:
            return Decision(contract.background_answer(s.backgrounds[0]))
        return Decision("path.steps")

    def _unsure(self, turn: Turn, s: _Signals, c: Context) -> Decision:
        """Low NLU confidence: a named topic or role decides; else answer only if the
        likeliest readings agree, and otherwise ask with those readings as suggestions."""
        if c.awaiting == AWAITING_BACKGROUND:
            return self._clarify(contract.background_answer(b) for b in contract.BACKGROUNDS)
        if len(s.topics) == 1 and not s.roles:
            return self._topic(s.topics[0], c)
        if len(s.roles) >= 2:
            return self._comparison(s.roles[0], s.roles[1])
        if s.roles:
            return Decision(contract.role_answer(s.roles[0], s.aspects[0] if s.aspects else "duties"))
        readings: List[Decision] = []
        for intent, _ in turn.ranking:
            handler = self._handlers.get(intent)
            if handler is None or intent in self.FIXED or intent in ("out_of_scope", "medical_advice"):
                continue
            decision = handler(s, c)
            if decision.answer_id != contract.CLARIFY:
                readings.append(decision)
            if len(readings) == 2:
                break
        if len(readings) == 2 and readings[0] == readings[1]:
            return readings[0]
        ids = [d.answer_id for d in readings if d.answer_id != contract.COMPARE]
        return self._clarify([*ids, *DEFAULT_SUGGESTIONS])

    # helpers

    def _signals(self, turn: Turn) -> _Signals:
        known = self.knowledge
        return _Signals(
            roles=[r for r in turn.values(ROLE) if r in known.roles],
            backgrounds=[b for b in turn.values(BACKGROUND) if b in known.backgrounds],
            topics=[t for t in turn.values(TOPIC) if t in known],
            aspects=[a for a in turn.values(ASPECT) if a in contract.ROLE_ASPECTS],
            reference=bool(turn.values(REFERENCE)),
            medical=sum(1 for label, _ in turn.entities if label == MEDICAL),
            follow_up=bool(turn.values(FOLLOW_UP)),
        )

    def _background_of(self, s: _Signals) -> Optional[str]:
        """The background named, or the one a person in the named role would have."""
        if s.backgrounds:
            return s.backgrounds[0]
        if s.roles:
            return self.knowledge.roles[s.roles[0]].as_background
        return None

    def _topic(self, answer_id: str, c: Context) -> Decision:
        if answer_id == contract.COMPARE:
            return self._compare(_Signals([], [], [], [], False, 0), c)
        return Decision(answer_id)

    @staticmethod
    def _comparison(a: str, b: str) -> Decision:
        return Decision(contract.COMPARE, roles=(a, b))

    @staticmethod
    def _about_role(c: Context) -> bool:
        return bool(c.last_answer and c.last_answer.startswith(f"role.{c.role}."))

    def _clarify(self, answer_ids: Iterable[str]) -> Decision:
        unique: List[str] = []
        for answer_id in answer_ids:
            if answer_id in self.knowledge and answer_id not in unique:
                unique.append(answer_id)
        return Decision(contract.CLARIFY, suggestions=tuple(Suggestion(a) for a in unique[:3]))

    def _titled(self, s: Suggestion) -> Suggestion:
        if s.answer_id == contract.COMPARE:
            a, b = (self.knowledge.roles[r].name for r in s.roles)
            return replace(s, title=f"{a} vs {b}")
        return replace(s, title=self.knowledge.entry(s.answer_id).title)

    def _next_context(self, d: Decision, c: Context) -> Context:
        parts = d.answer_id.split(".")
        role, aspect = c.role, c.aspect
        if parts[0] == "role" and len(parts) == 3:
            role, aspect = parts[1], parts[2]
        elif d.answer_id == contract.COMPARE:
            role, aspect = d.roles[-1], "compare"
        elif parts[0] == "skills":
            aspect = "skills"
        awaiting = AWAITING_BACKGROUND if d.answer_id == contract.ASK_BACKGROUND else None
        return Context(role=role, aspect=aspect, last_answer=d.answer_id, awaiting=awaiting)
