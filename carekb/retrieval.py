"""Find the role a message describes by its work, from the knowledge's own words.

"Who keeps the models from being fair?" names no role: this ranks the five roles by how
well the message's words match each role's answers (duties, skills, example), its
summary and the keywords of the answers that name it, with BM25 over Snowball stems. It is
built from the knowledge at start-up, so an edited answer changes it with no code.
BM25 is a few lines here: the available packages pull in numpy, which the action
server does not otherwise need.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache
from dataclasses import dataclass
from typing import Dict, FrozenSet, Iterable, List, Optional, Tuple

import snowballstemmer

from carekb.store import Knowledge

WORD = re.compile(r"[a-z][a-z0-9']*")
# Words that say nothing about a topic. Kept short: a word listed here can never count as
# evidence that a message is about the field.
FUNCTION_WORDS = frozenset("""
a about above after again against all also am an and any anyone anything are aren't as at
be because been before being below between both but by can can't cannot could couldn't
did didn't do does doesn't doing don't down during each else even ever every few for from
further get gets getting go goes going got had hadn't has hasn't have haven't having he
he'd he'll he's her here here's hers herself him himself his how how's i i'd i'll i'm i've
if in into is isn't it it's its itself just let's like me might more most much must mustn't
my myself need needs no nor not now of off on once one only or other ought our ours
ourselves out over own please really same she she'd she'll she's should shouldn't so some
someone something still such than that that's the their theirs them themselves then there
there's these they they'd they'll they're they've thing things this those through to too
u under until up upon us very want wants was wasn't way we we'd we'll we're we've were
weren't what what's when when's where where's whether which while who who's whom whose why
why's will with won't would wouldn't yeah yes you you'd you'll you're you've your yours
yourself yourselves ok okay hi hello hey thanks thank pls please hmm um uh lol
know tell say said ask asked question help make makes made thing stuff kind sort lot lots
""".split())


# Words every role's work shares: they say a message is about work, never whose.
GENERIC_WORK = frozenset(_w for _w in """job jobs role roles career careers work works working
person people folks someone somebody one ones guy team ai health healthcare medical hospital
""".split())


def stems(text: str) -> List[str]:
    """Stems of the content words of `text`, in order, function words left out."""
    words = [w.strip("'") for w in WORD.findall(text.lower().replace("’", "'"))]
    return [_stem(w) for w in words if len(w) > 1 and w not in FUNCTION_WORDS]


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


_STEMMER = snowballstemmer.stemmer("english")
# Snowball in pure Python takes a quarter of a millisecond a word; people reuse words.
_stem = lru_cache(maxsize=65536)(_STEMMER.stemWord)
_GENERIC_STEMS = frozenset(_STEMMER.stemWords(sorted(GENERIC_WORK)))


@dataclass(frozen=True)
class Match:
    """The role a message describes, how well it matches, and how far ahead of the next."""

    role: str
    score: float
    lead: float
    terms: int  # how many of the message's words the role's text has


class RoleFinder:
    """BM25 over one document per role, built from the knowledge."""

    K1 = 1.2
    B = 0.75
    # Snowball leaves one word family in several stems ("regulatori", "regul"; "compliant",
    # "complianc"): a message's stem no role text has counts, at this weight, as the role
    # texts' stem it shares most of its letters with.
    FAMILY_WEIGHT = 0.5
    FAMILY_PREFIX = 5       # letters in common at least
    FAMILY_SHARE = 0.7      # ... and this share of the shorter stem

    def __init__(self, knowledge: Knowledge) -> None:
        # One message is asked about by several rules in a turn: rank it once.
        self.best = lru_cache(maxsize=256)(self._best)  # type: ignore[method-assign]
        docs = {role: Counter(stems(" ".join(_role_texts(knowledge, role)))) for role in knowledge.roles}
        self._docs = docs
        self._length = {role: sum(c.values()) for role, c in docs.items()}
        self._mean = sum(self._length.values()) / max(len(docs), 1)
        frequency = Counter(term for c in docs.values() for term in c)
        n = len(docs)
        self._idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in frequency.items()}
        self._family = lru_cache(maxsize=65536)(self._relative)

    def _relative(self, term: str) -> Optional[str]:
        """The role texts' stem of the same word family as `term` (None: none, or `term` itself)."""
        if term in self._idf or len(term) < self.FAMILY_PREFIX:
            return None
        best, length = None, 0
        for known in self._idf:
            common = _common_prefix(term, known)
            if (common >= self.FAMILY_PREFIX and common >= self.FAMILY_SHARE * min(len(term), len(known))
                    and common > length):
                best, length = known, common
        return best

    def _terms(self, text: str) -> Dict[str, float]:
        """The message's stems with their weights: 1 for a stem the role texts have, less for a relative."""
        terms: Dict[str, float] = {}
        for term in set(stems(text)) - _GENERIC_STEMS:
            relative = self._family(term)
            if relative and relative not in _GENERIC_STEMS:
                terms[relative] = max(terms.get(relative, 0.0), self.FAMILY_WEIGHT)
            elif term in self._idf:
                terms[term] = 1.0
        return terms

    def rank(self, text: str) -> List[Tuple[str, float]]:
        """Every role with its score for `text`, best first."""
        terms = self._terms(text)
        scores = {role: self._score(role, terms) for role in self._docs}
        return sorted(scores.items(), key=lambda item: -item[1])

    def _best(self, text: str) -> Optional[Match]:
        ranked = self.rank(text)
        if not ranked or ranked[0][1] <= 0:
            return None
        (role, score), runner_up = ranked[0], (ranked[1][1] if len(ranked) > 1 else 0.0)
        terms = sum(1 for term in self._terms(text) if term in self._docs[role])
        return Match(role, score, score - runner_up, terms)

    def _score(self, role: str, terms: Dict[str, float]) -> float:
        counts, length = self._docs[role], self._length[role]
        total = 0.0
        for term, weight in terms.items():
            tf = counts.get(term, 0)
            if tf:
                norm = self.K1 * (1 - self.B + self.B * length / self._mean)
                total += weight * self._idf[term] * tf * (self.K1 + 1) / (tf + norm)
        return total


def _role_texts(knowledge: Knowledge, role: str) -> Iterable[str]:
    """What the knowledge says about a role's work: its answers, summary and named topics."""
    yield knowledge.roles[role].summary
    yield " ".join(knowledge.roles[role].work)
    for answer_id, entry in knowledge.entries.items():
        roles = knowledge.roles_of(answer_id)
        if roles[:1] == (role,) and not answer_id.startswith("advice."):
            yield entry.text
            yield " ".join(entry.keywords)


def lexicon(knowledge: Knowledge) -> FrozenSet[str]:
    """Every content stem the knowledge uses: a message with none of them is off the subject."""
    vocabulary = knowledge.vocabulary
    texts: List[str] = []
    for entry in knowledge.entries.values():
        if entry.basis != "assistant":
            texts += [entry.title, entry.text, *entry.keywords, *entry.covers_partly]
    for role in vocabulary.roles:
        texts += [role.name, role.summary, *vocabulary.role_phrases(role)]
    for background in vocabulary.backgrounds:
        texts += [background.name, *background.synonyms]
    for phrases in vocabulary.aspects.values():
        texts += phrases
    texts += [*vocabulary.who_questions, *(w for role in vocabulary.roles for w in role.work)]
    return frozenset(s for text in texts for s in stems(text))


def known_share(text: str, known: FrozenSet[str]) -> Tuple[int, int]:
    """How many of the message's content words the knowledge uses, out of how many."""
    words = stems(text)
    return sum(1 for w in words if w in known), len(words)
