"""Find roles, backgrounds, topics and medical terms in a message with spaCy.

A blank English pipeline (no pretrained model) tokenizes; the lemma table of
spacy-lookups-data, read on lower-case words, gives every token a normal form: its
lemma (words under four letters stay as they are: the table turns "ai" into "have"), with a
plural `s` dropped when the singular is a known term, or, for a misspelled word, the
closest known term. A PhraseMatcher on those normal forms then finds multi-word names
in any case, number and most typos. It imports nothing from Rasa.
"""
from __future__ import annotations

from typing import Dict, Iterable, List, NamedTuple, Optional, Set, Tuple

import spacy
from rapidfuzz.distance import OSA
from rapidfuzz.process import extractOne
from spacy.lookups import Lookups, load_lookups
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.util import filter_spans

from carekb.patterns import Pattern


class Found(NamedTuple):
    """One entity found in the text, with character offsets."""

    label: str
    value: str
    start: int
    end: int
    text: str


class EntityMatcher:
    """Matches knowledge-derived patterns against messages."""

    MIN_FUZZY_LENGTH = 5
    MIN_LEMMA_LENGTH = 4

    def __init__(self, patterns: Iterable[Pattern]) -> None:
        self.nlp = spacy.blank("en")
        lookups = load_lookups("en", ["lemma_lookup", "lemma_index"])
        self._lemmas = lookups.get_table("lemma_lookup")
        self._english = _english_words(lookups)
        self._keys: Dict[str, Tuple[str, str]] = {}
        phrases: Dict[str, List[str]] = {}
        for pattern in patterns:
            key = f"{pattern.label}:{pattern.value}"
            self._keys[key] = (pattern.label, pattern.value)
            phrases.setdefault(key, []).append(pattern.phrase)
        self._terms: Set[str] = set()
        docs = {key: [self._normalise(self.nlp(p), fuzzy=False) for p in ps] for key, ps in phrases.items()}
        for key_docs in docs.values():
            self._terms.update(t.norm_ for d in key_docs for t in d)
        self._fuzzy_targets = sorted(t for t in self._terms if len(t) >= self.MIN_FUZZY_LENGTH and t.isalpha())
        self.matcher = PhraseMatcher(self.nlp.vocab, attr="NORM")
        for key, key_docs in docs.items():
            self.matcher.add(key, key_docs)

    def find(self, text: str) -> List[Found]:
        """Entities in `text`; where names overlap the longest wins, and a span may carry several labels."""
        doc = self._normalise(self.nlp(text), fuzzy=True)
        matches = sorted(self.matcher(doc), key=lambda m: (m[1], m[2]))
        keep = {(s.start, s.end) for s in filter_spans([doc[start:end] for _, start, end in matches])}
        found: List[Found] = []
        for match_id, start, end in matches:
            if (start, end) not in keep:
                continue
            label, value = self._keys[self.nlp.vocab.strings[match_id]]
            span = doc[start:end]
            item = Found(label, value, span.start_char, span.end_char, span.text)
            if item not in found:
                found.append(item)
        return found

    def _normalise(self, doc: Doc, fuzzy: bool) -> Doc:
        for token in doc:
            token.norm_ = self._norm(token.lower_.replace("’", "'"), fuzzy)
        return doc

    def _norm(self, lower: str, fuzzy: bool) -> str:
        lemma = self._lemmas.get(lower, lower) if len(lower) >= self.MIN_LEMMA_LENGTH else lower
        if not fuzzy:
            return lemma
        for form in (lemma, lower):
            if form in self._terms:
                return form
        for suffix in ("s", "es"):
            if lower.endswith(suffix) and lower[: -len(suffix)] in self._terms:
                return lower[: -len(suffix)]
        known = lemma != lower or lower in self._english
        return (None if known else self._closest(lower)) or lemma

    def _closest(self, word: str) -> Optional[str]:
        """A known term one typo away (two for long words)."""
        if len(word) < self.MIN_FUZZY_LENGTH or not word.isalpha():
            return None
        limit = 1 if len(word) < 8 else 2
        best = extractOne(word, self._fuzzy_targets, scorer=OSA.distance, score_cutoff=limit)
        return best[0] if best else None


def _english_words(lookups: Lookups) -> Set[str]:
    """English base forms from spacy-lookups-data, so real words are never 'corrected'.

    Inflected forms need no list: the lemma table already changes them.
    """
    words: Set[str] = set(lookups.get_table("lemma_lookup").values())
    index = lookups.get_table("lemma_index")
    for pos in index.keys():
        words.update(index[pos])
    return {w for w in words if isinstance(w, str)}
