"""Where a word stands, for the name finder (privacy.names): the cues before it, the company
it keeps, its place in the message. Each rule in RULES says whether a name starts at a word."""
from __future__ import annotations

import re
from typing import Optional, Sequence

from privacy.lexicon import FUNCTION_WORDS, NOT_NAMES, RELATIONS, TITLES, Lexicon
from privacy.name_words import (ADDRESS_TITLES, ARTICLES, COLON_CUES, CONJUNCTIONS, CUE_ENDS, DETERMINERS,
    EPONYM_AFTER, GREETINGS, HERE, LOWER_TITLES, MAX_WORDS, MONTHS, PERSON_AFTER, PERSON_WORDS, PRONOUNS,
    SIGN_OFFS, SPEECH, STRONG_CUES, TITLE_WORDS, Token, WEAK_CUES, first_name, german, listed_lower, name_like,
    personal, unknown, unknown_capitalised, weak_name)


def gap_before(text: str, tokens: Sequence[Token], i: int) -> str:
    """The characters between token i-1 and token i."""
    return text[tokens[i - 1].end:tokens[i].start] if i > 0 else text[:tokens[0].start]


def cue_before(text: str, tokens: Sequence[Token], i: int) -> Optional[str]:
    """The kind of cue that ends right before token i (titles skipped), if any."""
    if i == 0 or tokens[i - 1].low not in CUE_ENDS:
        return None
    j = i
    while j > 0 and tokens[j - 1].low in TITLE_WORDS and (tokens[j - 1].capital or tokens[j - 1].low in LOWER_TITLES) \
            and re.fullmatch(r"\.?\s+|\.", gap_before(text, tokens, j)):
        j -= 1
    if j != i:
        return "title"
    gap = gap_before(text, tokens, i)
    if not re.fullmatch(r"\s*[:,]?\s*[\-\u2013\u2014]?\s*", gap) or (i > 0 and gap == ""):
        return None
    for size in (4, 3, 2, 1):
        if i - size < 0:
            continue
        words = tuple(t.low for t in tokens[i - size:i])
        inner = all(re.fullmatch(r"\s+", gap_before(text, tokens, k)) for k in range(i - size + 1, i))
        if not inner:
            continue
        if words in STRONG_CUES:
            return "strong"
        if words in COLON_CUES and ":" in gap:
            return "strong" if words == ("name",) else "sign-off"
        if words in SIGN_OFFS:
            return "sign-off"
        if words in WEAK_CUES:
            return WEAK_CUES[words]
    if i > 0 and tokens[i - 1].low in RELATIONS and re.fullmatch(r" +", gap):
        return "relation"
    return None


def by_cue(text: str, tokens: Sequence[Token], i: int, lex: Lexicon, before: Optional[str]) -> bool:
    """After a sign-off, a title, a relation or "I'm"."""
    tok = tokens[i]
    if before in ("sign-off", "title") and tok.capital and tok.low not in NOT_NAMES:
        return True
    addressed = i > 0 and tokens[i - 1].low in ADDRESS_TITLES and tok.titled  # "charge nurse Dev Raghunathan"
    if (before in ("title", "relation") or addressed) and after_person_word(text, tokens, i, lex):
        return True  # "dr patel", "my colleague yusuf", "frau yılmaz", "matron dawn fielding"
    if before == "sign-off" and (unknown(tok, lex) or first_name(tok.low, lex) or (
            tok.low in lex.ambiguous and (tok.titled or tok.low not in lex.frequent))) \
            and re.match(r"\s*(?:[!.,;:?(]|xx?\b|$)", text[tok.end:]):
        return True  # "thanks chioma!", "thanks sandy x", "many thanks — Hope (HCA)"
    if before in ("en", "de") and (weak_name(tok, before, lex) or (
            tok.capital and tok.low not in NOT_NAMES and surname_follows(text, tokens, i, lex))):
        return True  # "i'm dana", and "I'm Will Turner" (a first name that is also a word)
    article = i > 1 and tokens[i - 1].low in ARTICLES and tokens[i - 2].low == "bin"  # "bin die Ece,"
    if before in ("en", "de") and (article or not tok.capital) and unknown(tok, lex) \
            and re.match(r"\s*[,.!]", text[tok.end:]):
        return True  # "hi im rohit, ..." (capitalised, it may be a German noun: "ich bin Hebamme,")
    if before == "en" and not tok.capital and tok.low not in lex.common and tok.low not in lex.frequent \
            and i + 1 < len(tokens) \
            and tokens[i + 1].low in lex.last and tokens[i + 1].low not in lex.frequent:
        return True  # "i am anil sharma"
    return before == "relation" and tok.titled and (tok.low in lex.first or tok.low in lex.ambiguous)


def by_company(text: str, tokens: Sequence[Token], i: int, lex: Lexicon, before: Optional[str]) -> bool:
    """With other people or what people do: "me and mark", "with Will", "Rose from HR said"."""
    tok = tokens[i]
    if coordinated(text, tokens, i, lex) or person_after(text, tokens, i, lex):
        return True
    if i > 0 and tokens[i - 1].low in ARTICLES and tok.titled and first_name(tok.low, lex) \
            and tok.low not in lex.german and german(text):
        return True  # "frag mal die Sabine"
    if i == 0 or tokens[i - 1].low not in PERSON_WORDS or tok.low not in lex.ambiguous or tok.low in MONTHS:
        return False
    nxt = tokens[i + 1].low.split("'")[0] if i + 1 < len(tokens) else ""
    return tok.titled or nxt in PRONOUNS or nxt in ("that", "dass")  # "I work with Will", "i told grace i'd ask"


def by_itself(text: str, tokens: Sequence[Token], i: int, lex: Lexicon, before: Optional[str]) -> bool:
    """A listed first name, rare as a word, or a capitalised one before a surname."""
    tok = tokens[i]
    if listed_lower(tok, lex) or addressed(tokens, i, lex):
        return True
    if tok.titled and first_name(tok.low, lex) and tok.low not in lex.frequent \
            and not (i > 0 and tokens[i - 1].low in DETERMINERS):  # not "a London medical school"
        return True
    if tok.titled and personal(tok, lex) and surname_follows(text, tokens, i, lex):
        return True
    return two_unknown(text, tokens, i, lex) or lower_full_name(text, tokens, i, lex)


def lower_full_name(text: str, tokens: Sequence[Token], i: int, lex: Lexicon) -> bool:
    """A first name and a surname typed in lower case, neither of them a common word: "call maria gonzalez"."""
    if i + 1 >= len(tokens) or tokens[i].capital or tokens[i + 1].capital \
            or not re.fullmatch(r" +", gap_before(text, tokens, i + 1)):
        return False
    tok, nxt = tokens[i], tokens[i + 1]
    rare = (first_name(tok.low, lex) or tok.low in lex.ambiguous) and tok.low not in lex.frequent \
        and tok.low not in FUNCTION_WORDS and tok.low not in NOT_NAMES
    return rare and nxt.low in lex.last and not any(nxt.low in words for words in (
        lex.common, lex.frequent, lex.wordnet, lex.german, NOT_NAMES, FUNCTION_WORDS))


def two_unknown(text: str, tokens: Sequence[Token], i: int, lex: Lexicon) -> bool:
    """Two capitalised words no list knows, opening a sentence or after a comma: "Amaka Obi-Nwosu, RN"."""
    if i + 1 >= len(tokens) or not re.fullmatch(r" +", gap_before(text, tokens, i + 1)):
        return False
    if i > 0 and not re.search(r"[.!?,;:]\s*$|\n\s*$", gap_before(text, tokens, i)):
        return False
    return all(t.titled and (unknown(t, lex) or first_name(t.low, lex) or t.low in lex.last)
               for t in tokens[i:i + 2]) and (unknown(tokens[i], lex) or unknown(tokens[i + 1], lex))


def by_place(text: str, tokens: Sequence[Token], i: int, lex: Lexicon, before: Optional[str]) -> bool:
    """Opening or closing the message, or after a greeting: "Hi Jack,", "Mark, if you read this", "..., tom"."""
    tok = tokens[i]
    if vocative(text, tokens, i, lex):
        return True
    if i > 0 and tokens[i - 1].low in GREETINGS and tok.titled and name_like(tok, lex) \
            and re.fullmatch(r",? +", gap_before(text, tokens, i)):
        return True
    if opens_message(text, tokens, i):
        if here_follows(text, tokens, i) and (tok.low in lex.first or unknown_capitalised(tok, lex)):
            return True
        if i == 1 and tok.titled and (tok.low in lex.first or tok.low in lex.ambiguous):  # "Hi, Lucy from ..."
            return True
    if signature_line(text, tokens, i, lex):
        return True
    return ends_message(text, tokens, i) and ((unknown_capitalised(tok, lex) and not german(text)) or (
        (first_name(tok.low, lex) or tok.low in lex.ambiguous) and (tok.titled or tok.low not in lex.frequent)))


def by_case(text: str, tokens: Sequence[Token], i: int, lex: Lexicon, before: Optional[str]) -> bool:
    """In English a capital inside a sentence marks a proper noun, so a first name there is a person
    even when it is also a word ("would Faith be able"); not in German, where nouns are capitalised,
    nor in text typed in title case, nor before a number ("Ward 12")."""
    tok = tokens[i]
    low = tok.low[:-2] if tok.low.endswith("'s") else tok.low  # "Fiona's talk"
    if i == 0 or not tok.titled or {low, tok.low} & NOT_NAMES or low in FUNCTION_WORDS or low in MONTHS:
        return False
    if not (first_name(low, lex) or low in lex.ambiguous) or german(text) or title_case(tokens):
        return False
    prev = tokens[i - 1]
    if re.search(r"[.!?:;\"'(\u2013\u2014\-]\s*$|\n\s*$", gap_before(text, tokens, i)) or prev.low in DETERMINERS:
        return False  # a sentence's first word, or "the Grace ..."
    if prev.titled and not (i == 1 and prev.low in FUNCTION_WORDS):
        return False  # inside a name of a thing ("Queen Elizabeth Hospital"), which the finder extends over anyway
    return not re.match(r"\s*\d", text[tok.end:])


def signature_line(text: str, tokens: Sequence[Token], i: int, lex: Lexicon) -> bool:
    """A line holding nothing but a capitalised name, above more lines or at the foot: a signature."""
    if i == 0 or "\n" not in gap_before(text, tokens, i):
        return False
    j = i
    while j + 1 < len(tokens) and re.fullmatch(r" +", gap_before(text, tokens, j + 1)):
        j += 1
    line = tokens[i:j + 1]
    if not 2 <= len(line) <= 3 or not re.fullmatch(r"[ \t,]*(?:\n|$)", text[tokens[j].end:tokens[j].end + 3].split("\n")[0] + "\n"):
        return False
    return all(t.titled and name_like(t, lex) and t.low not in lex.common and t.low not in lex.german_nouns
               for t in line) and any(first_name(t.low, lex) or unknown(t, lex) for t in line)


def title_case(tokens: Sequence[Token]) -> bool:
    return len(tokens) > 3 and sum(t.titled for t in tokens) > len(tokens) / 2


RULES = (by_cue, by_company, by_itself, by_place, by_case)


def coordinated(text: str, tokens: Sequence[Token], i: int, lex: Lexicon) -> bool:
    """A name word in a list with "me" / "I": "me and mark", "me, raj and deepika", "lena und ich"."""
    tok = tokens[i]
    if not name_like(tok, lex):
        return False
    j = i - 1 if i > 0 and tokens[i - 1].low in ARTICLES else i
    while j > 0:  # back over ", name" and "and name" to a pronoun
        if tokens[j - 1].low in CONJUNCTIONS and j >= 2:
            j -= 1
        elif not re.fullmatch(r", +", gap_before(text, tokens, j)):
            break
        if tokens[j - 1].low in PRONOUNS:
            return True
        if not name_like(tokens[j - 1], lex):
            break
        j -= 1
    # "X and I" may also start a clause ("next summer and i can't decide"): only a plain first name
    return i + 2 < len(tokens) and tokens[i + 1].low in CONJUNCTIONS and tokens[i + 2].low in PRONOUNS \
        and (first_name(tok.low, lex) or tok.titled)


def vocative(text: str, tokens: Sequence[Token], i: int, lex: Lexicon) -> bool:
    """A message opening with a capitalised first name and a comma: "Mark, if you read this"."""
    tok = tokens[i]
    opening = i == 0 or re.search(r"[:\n]\s*['\"\u2018\u201c]?\s*$|['\"\u2018\u201c]$", gap_before(text, tokens, i))
    return bool(opening) and tok.titled and text[tok.end:tok.end + 1] == "," and tok.low not in GREETINGS \
        and (tok.low in lex.first or tok.low in lex.ambiguous)


def person_after(text: str, tokens: Sequence[Token], i: int, lex: Lexicon) -> bool:
    """A name word (and perhaps a surname) followed by what people do: "Rose from HR said", "sunita wants"."""
    tok = tokens[i]
    opening = i == 0 or re.search(r"[.!?:'\"]\s*$", gap_before(text, tokens, i)) is not None
    speech = i + 1 < len(tokens) and tokens[i + 1].low in SPEECH
    if not name_like(tok, lex) or (tok.low in lex.frequent and not tok.titled and not (
            opening and speech and tok.low in lex.ambiguous)):
        return False  # but "ROSE SAID I SHOULD ASK", read in lower case
    if i > 0 and tokens[i - 1].low in DETERMINERS:
        return False  # "the bootcamp says", "our CNIO said"
    if not tok.capital and not first_name(tok.low, lex) and i > 0 \
            and not re.search(r"[.!?,;:]\s*$", gap_before(text, tokens, i)):
        return False  # a word in lower case known to no list is a name only opening a sentence: "sunita wants"
    j = i + 1
    if j < len(tokens) and re.fullmatch(r" +", gap_before(text, tokens, j)) and tokens[j].low not in PERSON_AFTER \
            and name_like(tokens[j], lex) and tokens[j].capital == tok.capital:
        j += 1  # "Xu Jing from radiology"
    if j >= len(tokens) or tokens[j].low not in PERSON_AFTER or not re.fullmatch(r" +", gap_before(text, tokens, j)):
        return False
    return tok.titled or first_name(tok.low, lex) or tok.low in lex.ambiguous or unknown(tok, lex)


def after_person_word(text: str, tokens: Sequence[Token], i: int, lex: Lexicon) -> bool:
    """After a title or a relation, a name word in any case: listed, or known to no list; a first
    name that is also a verb or adjective ("my manager will ...") only before a surname."""
    tok = tokens[i]
    if tok.low in NOT_NAMES or tok.low in lex.inflected or re.match(r"\s*\d", text[tok.end:]):
        return False
    if cue_before(text, tokens, i) == "title" and tokens[i - 1].low in TITLES and tok.low not in lex.frequent \
            and tok.low not in FUNCTION_WORDS:
        return True  # "herr dr schulze"
    if tok.low in lex.first or unknown(tok, lex) or (
            tok.low in lex.last and (tok.capital or tok.low not in lex.frequent)):
        return True  # "dr patel", not "my cousin back home"
    if tok.low in lex.ambiguous:
        nxt = tokens[i + 1].low if i + 1 < len(tokens) else ""
        return tok.capital or tok.low not in lex.not_noun or (nxt in lex.last and nxt not in FUNCTION_WORDS) \
            or nxt in ("is", "was", "and", "has", "ist", "hat", "und")  # "my boss bill is"
    return False


def addressed(tokens: Sequence[Token], i: int, lex: Lexicon) -> bool:
    """A surname after a job title used as a form of address: "Sister O'Connor", "Matron Okafor"."""
    if i == 0 or tokens[i - 1].low not in ADDRESS_TITLES or not tokens[i - 1].capital:
        return False
    tok = tokens[i]
    if not tok.titled or tok.low in NOT_NAMES or tok.low in FUNCTION_WORDS:
        return False
    return (tok.low in lex.last and tok.low not in lex.common) or unknown(tok, lex) \
        or (tok.low in lex.german_nouns and tok.low not in lex.german)  # "Oberarzt Krüger", a surname that is a noun too


def surname_follows(text: str, tokens: Sequence[Token], i: int, lex: Lexicon) -> bool:
    if i + 1 >= len(tokens) or not re.fullmatch(r" +", gap_before(text, tokens, i + 1)):
        return False
    nxt = tokens[i + 1]
    return nxt.titled and (nxt.low in lex.last or (nxt.low not in lex.common and nxt.low not in lex.wordnet)) \
        and nxt.low not in NOT_NAMES and (tokens[i].low in lex.first or nxt.low in lex.last
                                          or (tokens[i].low in lex.ambiguous and unknown(nxt, lex)))


def opens_message(text: str, tokens: Sequence[Token], i: int) -> bool:
    """Token i is the message's first word, or comes right after a greeting."""
    if i == 0:
        return True
    return i == 1 and tokens[0].low in GREETINGS


def here_follows(text: str, tokens: Sequence[Token], i: int) -> bool:
    for j in range(i + 1, min(i + 1 + MAX_WORDS, len(tokens))):
        words = tokens[j].low
        if (words,) in HERE or (j + 1 < len(tokens) and (words, tokens[j + 1].low) in HERE):
            return True
        if tokens[j].low in FUNCTION_WORDS:
            return False
    return False


def ends_message(text: str, tokens: Sequence[Token], i: int) -> bool:
    """Token i (and at most one more) close the message after a sentence: "... a lot. Tariq"."""
    if i == 0 or not re.search(r"(?:[.!,;]\s+|\s[\-\u2013\u2014]+\s*|\s/)$", gap_before(text, tokens, i)):
        return False
    last = i + 1 if i + 1 < len(tokens) and re.fullmatch(r" +", gap_before(text, tokens, i + 1)) else i
    return last == len(tokens) - 1 and re.fullmatch(r"[\s.!]*", text[tokens[last].end:]) is not None


def eponym(text: str, tokens: Sequence[Token], last: int) -> bool:
    """A name that is part of a place's or thing's name: "Alan Turing Institute", "Robert Koch-Institut"."""
    if "-" in tokens[last].low and tokens[last].low.rsplit("-", 1)[1] in EPONYM_AFTER:
        return True
    for nxt in range(last + 1, min(last + 3, len(tokens))):  # "Florence Nightingale Foundation"
        if not re.fullmatch(r" +", gap_before(text, tokens, nxt)):
            return False
        if tokens[nxt].low in EPONYM_AFTER or tokens[nxt].low.rsplit("-", 1)[-1] in EPONYM_AFTER:
            return True
        if not tokens[nxt].capital:
            return False
    return False
