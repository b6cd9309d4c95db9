"""Question shapes read from the words around the entities, not from any topic's phrases.

- A question for a figure ("how much do they earn in Ireland?", "how many years would it
  take?", "what band?"): the guide states no pay, durations or counts, so whatever topic it
  names, such a question is one the guide does not answer.
- A question about nothing but the writer moving into the field ("paramedic, 5 yrs. is
  that a realistic route for me?", "would I have a shot at AI healthcare?"): a circumstance
  the guide does not cover ("part time while finishing med school", "a job in Australia")
  takes more words than the move itself.
- The words that describe the work in a who-question ("the job where you turn a scan into
  something a computer can learn from") are not an aspect asked of it; an aspect in a
  clause of its own ("..., what do they need to know?") or before the who-phrase is.
"""
from __future__ import annotations

import re
from typing import AbstractSet, Iterable, List, Pattern, Sequence, Tuple

from carekb.retrieval import _GENERIC_STEMS, FUNCTION_WORDS, stems

# "how much" / "how many" followed by what is counted; "how long" always asks a duration.
_HOW = re.compile(r"\bhow\s+(much|many|long)\b(?:\s+([a-z']+))?", re.IGNORECASE)
_COUNTED = frozenset("years year months month weeks week days day hours hour yrs money pay salary time".split())
# What someone earns asked as an amount: "what do they earn", "what would it pay", "what band".
_AMOUNT = re.compile(r"\b(what|which)\b[^?.!]{0,30}?\b(earn|earns|pay|pays|paid|band)\b",
                     re.IGNORECASE)
# Where a clause ends: punctuation, a dash between words, or "and" opening a new question.
_CLAUSE_END = re.compile(r"[,;:?!.]+|\s[-–]+\s|\s\.\.+|\band\s+(?=(what|how|who|which|where|do|does)\b)",
                         re.IGNORECASE)
_SENTENCE_END = re.compile(r"[?!.]+(\s|$)|\n")


# Content words beyond the field's own ("job", "AI", "healthcare") a question about moving in
# has at most; a circumstance adds more.
PLAIN_WORDS = 2
_SENTENCES = re.compile(r"[^.?!\n]+[.?!\n]*")


def plain_question(text: str, told: AbstractSet[str] = frozenset()) -> bool:
    """The message's question (its last sentence asking something, else its last sentence)
    names little beyond the field and the backgrounds (stems `told`): "could I work in
    this?", "is there anywhere for me or is it all doctors and coders?", not "can I do it
    part time while finishing med school?"."""
    words = [w for w in stems(text[asked_from(text):]) if w not in _GENERIC_STEMS and w not in told]
    return len(words) <= PLAIN_WORDS


def sentences(text: str) -> List[Tuple[int, str]]:
    """(start, sentence) of each sentence of text that has words, its start past any spaces."""
    return [(m.start() + len(m.group()) - len(m.group().lstrip()), m.group())
            for m in _SENTENCES.finditer(text) if m.group().strip()]


# A sentence this short among a message's last questions is an aside or a sign-off
# ("like actual projects?" aside, "Sorry this is long", "Cheers").
ASIDE_WORDS = 5


def asked_from(text: str) -> int:
    """Where the question of a message starts, whatever its length: the first of its last
    run of sentences that ask something (end in '?'), with asides of up to ASIDE_WORDS
    words between or after them ("What does a data scientist actually do? Is it very
    different from what I do now? Sorry this is long"); else its last sentence. What comes
    before is context."""
    found = sentences(text)
    start = None
    for at, sentence in reversed(found):
        if sentence.rstrip().endswith("?"):
            start = at
        elif start is not None and len(sentence.split()) > ASIDE_WORDS:
            break
    if start is not None:
        return start
    return found[-1][0] if found else 0


def asks_for_figure(text: str) -> bool:
    """Asks for an amount, a duration or a count ("how much is the salary", "how many
    years", "how long does it take", "what do they earn"); "how much coding do I need" asks
    about a skill, not a figure."""
    for match in _HOW.finditer(text):
        kind, following = match.group(1).lower(), (match.group(2) or "").lower()
        if kind == "long" or not following or following in _COUNTED or following in FUNCTION_WORDS:
            return True
    return bool(_AMOUNT.search(text))


# "in London", "for the NHS": a capitalised name after these words is a place, unless it is
# one of the capitalised words people write after them that name no place.
_PLACE_WORDS = r"(?:in|for|across|within|at)"
_NOT_PLACES = frozenset({"python", "epic", "cerner", "excel", "sql", "healthcare", "health", "medicine", "radiology",
                         "pharmacy", "nursing", "tech", "technology", "research", "general", "total", "practice"})


def place_pattern(places: Iterable[str]) -> Pattern[str]:
    """Places named after "in", "for"...: the knowledge's `places` (as written, any case) and
    any capitalised name."""
    named = "|".join(re.escape(p) for p in sorted(places, key=len, reverse=True))
    listed = rf"(?i:{named})\b|" if named else ""
    return re.compile(rf"\b{_PLACE_WORDS} (?:{listed}(?:the )?[A-Z][a-z]{{2,}}(?: [A-Z][a-z]+)?\b)")


def names_place(text: str, pattern: Pattern[str]) -> bool:
    """Names a country, a city or a health service ("in London", "in germany", "for the NHS")."""
    return any(m.group().split()[-1].lower() not in _NOT_PLACES for m in pattern.finditer(text))


def work_described(text: str, who_starts: Sequence[int]) -> str:
    """The words each who-phrase's sentence describes the work in ("Which job is it that
    does what the researchers do, cleaning and analysing all the image data?" of "MRI
    radiographer here, ... Which job is it..."), joined; "" without a who-phrase."""
    spans = []
    for start in who_starts:
        end = _SENTENCE_END.search(text, start)
        spans.append(text[start:end.start() if end else len(text)])
    return " ".join(spans)


# Role nouns that name things, not people ("the job", "the work side").
_NOT_PEOPLE = frozenset({"role", "job", "position", "career", "work", "side"})


def people_doing(role_nouns: Iterable[str]) -> Pattern[str]:
    """A who-question without "who": people named by what they do, opening a clause
    ("people checking models for bias - what do they need to know?", "the folks building
    the scan models, ..."); group 1 starts at the people."""
    nouns = "|".join(sorted((re.escape(n) for n in role_nouns if n not in _NOT_PEOPLE), key=len, reverse=True))
    return re.compile(rf"(?:^|[,.;:?!]\s*|\s[-–]\s*)(?:and\s+)?((?:the\s+|those\s+)?(?:{nouns})s?\s+[a-z]+ing)\b",
                      re.IGNORECASE)


# Asking to be put in touch with a person: "can i get a real human", "i want to talk to one".
ASKS_FOR_PERSON = re.compile(r"\b(talk|speak|chat|get|connect|put\s+me\s+through|reach|discuss|meet|book|refer|referred)\b[^.?!]{0,25}?"
                             r"\b(human|person|people|someone|somebody|adviser|advisor|one)\b", re.IGNORECASE)
# Beside "are you a bot?", a wish for a person: "who can i ring? need a proper conversation
# not a chatbot", "human pls".
WANTS_PERSON = re.compile(r"\bwho (?:can|could|should|do) (?:i|we) (?:ring|call|phone|email|contact|talk to|speak to)\b"
                          r"|^\W*(?:an? )?(?:real |actual |proper )?(?:human|person|adviser|advisor)\W*(?:pls|please|plz|now)?\W*$"
                          r"|\b(?:proper|real) conversation\b", re.IGNORECASE)
# Whom or how a request for a person asks to reach: "a human", "an adviser", "a phone number".
PERSON_WORDS = re.compile(r"\b(human|person|people|someone|somebody|adviser|advisor|advisers|advisors|counsellor|"
                          r"counselor|mentor|careers|email|e-mail|phone|call|contact|appointment|agent|"
                          r"live chat|bot|machine)\b", re.IGNORECASE)
# A question asking how two things differ: "what's the real difference between the two?",
# "how are they actually different from each other?".
COMPARING = re.compile(r"\b(?:differences? between|how (?:are|do|does|is|would|will) (?:[a-z']+\s+){0,4}?(?:differ|different)|"
                       r"(?:differ|different) from each other|compare|comparison|versus)\b", re.IGNORECASE)
# A question for a name: "what is her job called?", "what's the proper term for...".
NAMING = re.compile(r"\bwhat(?:'s|s|\s+is|\s+are)\s+(?:[a-z']+\s+){0,4}?(?:called|named|the\s+(?:proper\s+)?(?:term|name|title)\s+for)\b",
                    re.IGNORECASE)


def describing_work(text: str, who_starts: Sequence[int], at: int) -> bool:
    """Whether position `at` lies in the clause a who-phrase opens, after the who-phrase:
    there the words describe the work, they do not ask about it."""
    for start in who_starts:
        if at <= start:
            continue
        end = _CLAUSE_END.search(text, start)
        if end is None or at < end.start():
            return True
    return False
