"""People's names in a message, English or German, found with name lists and the context of
each word rather than one rule per phrasing.

A name starts at a word when one of the rules in privacy.name_context says so:
- a cue before it: "my name is", "call me", "name:" (any word); a sign-off or a title
  ("Regards,", "thanks", "Dr.", "frau", "herr dr"); a relation or a job used as a form of
  address ("my colleague yusuf", "matron dawn fielding"); "I'm", "ich bin (die)" with a
  listed first name, or a word no list knows before a comma ("hi im rohit,");
- the company it keeps: a list with "me"/"I" ("me, raj and deepika"), what people do after
  it ("Rose from HR said", "Xu Jing from radiology asked"), "with"/"ask"/"told" before it;
- the word itself (privacy.name_words): a first name that is rare as an English word, in any
  case ("priya", "Leon"), a capitalised first name before a surname, two capitalised words
  no list knows opening a sentence ("Amaka Obi-Nwosu,"), a part of an email address in the
  same message;
- its place: a vocative ("Mark, if you read this"), after a greeting, closing the message.
Places, institutions named after people ("Alan Turing Institute", "St Thomas'") and words
after "in"/"aus"/"at" are not names; an all-capitals message is read in lower case. A name
goes on over surnames, particles ("ap", "van") and initials, and back over a first name
before it; the names listed before a name ("Ngozi, Tunde and Folake") are names too.
"""
from __future__ import annotations

import re
from typing import List, Optional, Sequence, Set, Tuple

from privacy.lexicon import FUNCTION_WORDS, NOT_NAMES, Lexicon, lexicon
from privacy.name_context import RULES, cue_before, eponym, gap_before, surname_follows
from privacy.name_words import (CONJUNCTIONS, MAX_WORDS, PLACE_WORDS, STRONG_STOP, TITLE_WORDS, TO_FROM,
    Token, first_name, list_member, name_like, unknown)

TOKEN = re.compile(r"[^\W\d_]+(?:['\u2019\-][^\W\d_]+)*")
EMAIL_LOCAL = re.compile(r"([\w.+\-]+)@[\w\-]+\.")
GLUE_AFTER = re.compile(r"[_/=]|\.[^\W\d_]")
GLUE_BEFORE = re.compile(r"[^\W\d_](?:[_/=.])\Z")  # "action_listen", "user/dana"; not "/Oscar"
# Particles inside a surname ("Gareth ap Rhys", "Ruud van Nistelrooy"), kept only before another name word.
PARTICLES = frozenset("ap ab van von de da di del dela della der den du la le ní nic mac bin binti ibn al el ó".split())


def find_names(text: str) -> List[Tuple[int, int]]:
    """(start, end) of each name, left to right; spans may overlap (the caller merges)."""
    if text.isupper() and len(text) > 8 and len(text.lower()) == len(text):
        text = text.lower()  # in all capitals, case says nothing: read it as lower case
    tokens = [Token(m.start(), m.end(), m.group(), m.group().lower().replace("\u2019", "'"))
              for m in TOKEN.finditer(text) if not _identifier(text, m.start(), m.end())]
    lex = lexicon()
    in_emails = {part.lower() for local in EMAIL_LOCAL.findall(text) for part in re.split(r"[._+\-\d]+", local)
                 if len(part) > 2}
    spans = []
    ends = set()  # indices of the tokens that end a name found so far
    for i in range(len(tokens)):
        start = _start(text, tokens, i, lex)
        if start is None and _listed_after(text, tokens, i, ends, lex):
            start = False, i  # "Will and Grace", "Priya, Tunde and Kim"
        if start is None and tokens[i].low.replace("-", "") in in_emails and name_like(tokens[i], lex):
            start = False, i  # "Reply to oscar.lindqvist@example.se. /Oscar"
        if start is None:
            continue
        strong, first = start
        first = _extend_back(text, tokens, first, lex)
        last = _extend(text, tokens, first, strong, lex)
        if not strong and eponym(text, tokens, last):
            continue
        ends.add(last)
        spans.append((tokens[first].start, tokens[last].end))
        spans += _listed_before(text, tokens, first, lex)
    return spans


def _listed_before(text: str, tokens: Sequence[Token], first: int, lex: Lexicon) -> List[Tuple[int, int]]:
    """The capitalised names listed before a name: "Ngozi, Tunde and Folake", "Xu Wei and Dr Zhang Min"."""
    spans: List[Tuple[int, int]] = []
    i = first
    while i > 0 and tokens[i - 1].low in TITLE_WORDS and tokens[i - 1].capital:
        i -= 1
    case = tokens[first].titled
    while i > 0:
        gap = gap_before(text, tokens, i)
        if i > 1 and tokens[i - 1].low in CONJUNCTIONS and re.fullmatch(r" +", gap):
            j = i - 2
        elif re.fullmatch(r", +| +& +", gap):
            j = i - 1
        else:
            break
        if not list_member(tokens[j], case, lex) or (j > 0 and tokens[j - 1].low in PLACE_WORDS):
            break
        start = j
        while start > 0 and re.fullmatch(r" +", gap_before(text, tokens, start)) and start > j - 2 \
                and list_member(tokens[start - 1], case, lex):
            start -= 1  # "Xu Wei", "Nguyễn Thị Lan"
        spans.append((tokens[start].start, tokens[j].end))
        i = start
    return spans


def _identifier(text: str, start: int, end: int) -> bool:
    """Part of a code identifier or path ("action_listen", "rasa.core", "user/dana"), not prose."""
    return bool(GLUE_AFTER.match(text, end) or (start and GLUE_BEFORE.search(text, 0, start)))


def _listed_after(text: str, tokens: Sequence[Token], i: int, ends: Set[int], lex: Lexicon) -> bool:
    """A first name right after a name and "and" or a comma: "Will and Grace", "Priya, Tunde"."""
    tok = tokens[i]
    if not name_like(tok, lex):
        return False
    joined = (i >= 2 and (i - 2) in ends and tokens[i - 1].low in CONJUNCTIONS) or (
        i >= 1 and (i - 1) in ends and gap_before(text, tokens, i) == " & ")
    listed = i >= 1 and (i - 1) in ends and gap_before(text, tokens, i) == ", "
    if listed:  # after "Name, " comes a first name, or a job, a title or a number's name: "Kowalski, Fallnr."
        return first_name(tok.low, lex) and (tok.titled or tok.low not in lex.frequent)
    return joined and (first_name(tok.low, lex) or (tok.titled and (tok.low in lex.ambiguous or unknown(tok, lex))))


def _start(text: str, tokens: Sequence[Token], i: int, lex: Lexicon) -> Optional[Tuple[bool, int]]:
    """(strong, index of the name's first word) if a name starts at token i, else None."""
    tok = tokens[i]
    if tok.low in TITLE_WORDS or (tok.low in FUNCTION_WORDS and not (tok.titled and tok.low in lex.ambiguous)):
        return None  # "will" is a word, "Will" may be a name
    before = cue_before(text, tokens, i)
    if before == "strong":
        return (True, i) if tok.low not in STRONG_STOP and tok.low not in NOT_NAMES else None
    if i > 0 and (tokens[i - 1].low in PLACE_WORDS or (
            tokens[i - 1].low in TO_FROM and tok.low in lex.places and not surname_follows(text, tokens, i, lex))):
        return None
    return (False, i) if any(rule(text, tokens, i, lex, before) for rule in RULES) else None


def _extend(text: str, tokens: Sequence[Token], first: int, strong: bool, lex: Lexicon) -> int:
    """Index of the name's last word, going on over surnames and initials."""
    end = first
    for j in range(first + 1, min(first + MAX_WORDS, len(tokens))):
        gap = gap_before(text, tokens, j)
        tok = tokens[j]
        initial = len(tokens[j - 1].word) == 1 and tokens[j - 1].capital and re.fullmatch(r"\.\s+", gap)
        inverted = j == first + 1 and strong and gap == ", " and tok.low in lex.first  # "Name: Smith, John"
        if not (re.fullmatch(r" +", gap) or initial or inverted):
            break
        if tok.low in PARTICLES and j + 1 < len(tokens) and tokens[j + 1].titled and j + 1 < first + MAX_WORDS:
            continue  # kept if the word after it is a surname: "Gareth ap Rhys"
        if not _surname(tok, tokens[first], strong, lex):
            break
        end = j
    if len(tokens[end].word) == 1 and end > first:  # a trailing initial is the next sentence's "I"
        end -= 1
    return end


def _extend_back(text: str, tokens: Sequence[Token], first: int, lex: Lexicon) -> int:
    """Index of the name's first word, going back over a first name that is also a rare word,
    in the same case: "maria josé garcía"."""
    while first > 0 and re.fullmatch(r" +", gap_before(text, tokens, first)):
        tok = tokens[first - 1]
        if tok.capital != tokens[first].capital or tok.low in FUNCTION_WORDS or tok.low in NOT_NAMES:
            break
        if not ((tok.low in lex.ambiguous and tok.low not in lex.frequent) or (tok.titled and unknown(tok, lex))):
            break
        first -= 1
    return first


def _surname(tok: Token, first: Token, strong: bool, lex: Lexicon) -> bool:
    if tok.low in FUNCTION_WORDS or tok.low in STRONG_STOP or (
            tok.low in lex.inflected and (tok.low not in lex.last or tok.low in lex.frequent)):
        return False  # "Dawn Fielding" but "Dawn wants"
    if strong:
        return True
    if tok.low in NOT_NAMES:
        return False
    if first.titled and not tok.capital:
        return False
    if len(tok.word) == 1:
        return tok.capital
    return tok.low in lex.last or tok.low in lex.first or tok.low not in lex.common \
        or (tok.capital and tok.low in lex.ambiguous) \
        or (first.titled and tok.titled and tok.low not in lex.frequent and tok.low not in lex.wordnet)
