"""People's names in a message, English or German, found with name lists rather than one rule per phrasing.

A name starts at a word that is one by its own right or by what comes before it:
- any word after an explicit cue: "my name is", "call me", "name:", "mein Name ist", "ich heiße";
- a capitalised word after a sign-off ("Regards,", "Best wishes,", "Viele Grüße,", "LG") or
  a title ("Dr.", "Prof.", "Mrs", "Herr", "Frau"), or ending the message after a sentence;
- after "I'm", "I am", "this is", "ich bin", "hier ist" and the like, a known first name in
  any case ("i'm dana"), or an unknown capitalised word ("I'm Kwame") in English; words
  such as "looking", "a", "Nurse", "English" are ordinary words (privacy.lexicon);
- before "here" or "this side" at the start of a message ("Tunde this side");
- anywhere, a capitalised known first name ("my manager Karen Lloyd", "Emily Watson,").
It goes on over the next words that can be surnames or initials, up to three words.
"""
from __future__ import annotations

import re
from typing import List, NamedTuple, Optional, Sequence, Set, Tuple

from privacy.lexicon import FUNCTION_WORDS, NOT_NAMES, RELATIONS, TITLES, Lexicon, lexicon

TOKEN = re.compile(r"[^\W\d_]+(?:['\u2019\-][^\W\d_]+)*")
MAX_WORDS = 4
GLUE_AFTER = re.compile(r"[_/=]|\.[^\W\d_]")
GLUE_BEFORE = re.compile(r"(?:[_/=]|[^\W\d_]\.)$")
# Particles inside a surname ("Gareth ap Rhys", "Ruud van Nistelrooy"), kept only before another name word.
PARTICLES = frozenset("ap ab van von de da di del della der den du la le ní nic mac bin binti ibn al el ó".split())
TITLE_WORDS = TITLES | {"med"}  # "Dr. med. Claudia Becker"
LOWER_TITLES = frozenset("dr prof mr mrs ms herr herrn frau med".split())  # titles still when typed in lower case
# Job titles people use as forms of address, before a surname (capitalised, as in "Sister Okafor").
ADDRESS_TITLES = frozenset("nurse sister matron doctor professor schwester pfleger oberarzt oberärztin".split())

STRONG_CUES = {("my", "name", "is"), ("my", "name's"), ("my", "name\u2019s"), ("my", "names"),
               ("call", "me"), ("mein", "name", "ist"), ("ich", "heiße"), ("ich", "heisse"),
               ("i", "am", "called"), ("i'm", "called"), ("my", "first", "name", "is"),
               ("they", "call", "me"), ("mein", "vorname", "ist")}
COLON_CUES = {("name",), ("from",), ("von",), ("patient",), ("contact",), ("kontakt",)}
SIGN_OFFS = {("regards",), ("best", "wishes"), ("sincerely",), ("signed",), ("yours", "truly"),
             ("cheers",), ("thanks",), ("danke",), ("mit", "freundlichen", "grüßen"),
             ("viele", "grüße"), ("liebe", "grüße"), ("grüße",), ("gruß",), ("lg",), ("vg",),
             ("named",), ("called",), ("ask", "for")}
WEAK_CUES = {("i'm",): "en", ("i\u2019m",): "en", ("im",): "de", ("i", "am"): "en",
             ("this", "is"): "en", ("it's",): "en", ("its",): "de", ("ich", "bin"): "de", ("hier", "ist"): "de",
             ("hier", "schreibt"): "de", ("hier", "spricht"): "de"}
GREETINGS = {"hi", "hey", "hello", "hallo", "dear", "moin", "servus"}
# Words around which a listed first name is a person: "me and mark", "lena und ich".
PRONOUNS = {"i", "me", "ich", "mir", "mich"}
CONJUNCTIONS = {"and", "und", "&"}
ARTICLES = {"die", "der"}  # "die lena von station 4"
# Words after which a capitalised first name that is also a word is a person: "with Will".
PERSON_WORDS = {"with", "ask", "asked", "tell", "told", "thank", "cc", "met", "meet", "email", "emailed",
                "contact", "contacted", "mit", "frag", "fragt", "gefragt"}
MONTHS = {"may", "june", "april", "august", "january", "march", "july"}
HERE = {("here",), ("hier",), ("this", "side")}
CUE_ENDS = {cue[-1] for cue in STRONG_CUES | COLON_CUES | SIGN_OFFS | set(WEAK_CUES)} | RELATIONS | TITLE_WORDS
# After a strong cue, these end the name though they are not function words.
STRONG_STOP = {"later", "back", "tomorrow", "anytime", "whenever", "maybe", "soon", "today",
               "tonight", "asap", "anything", "whatever", "important", "irrelevant"}


class Token(NamedTuple):
    start: int
    end: int
    word: str
    low: str  # lower case, typographic apostrophe as "'"

    @property
    def capital(self) -> bool:
        return self.word[0].isupper()

    @property
    def titled(self) -> bool:
        """Capitalised and not all capitals: "Dana", "O'Neill", "DaNa"."""
        return self.word[0].isupper() and any(c.islower() for c in self.word[1:])


def find_names(text: str) -> List[Tuple[int, int]]:
    """(start, end) of each name, left to right; spans may overlap (the caller merges)."""
    tokens = [Token(m.start(), m.end(), m.group(), m.group().lower().replace("\u2019", "'"))
              for m in TOKEN.finditer(text) if not _identifier(text, m.start(), m.end())]
    lex = lexicon()
    spans = []
    ends = set()  # indices of the tokens that end a name found so far
    for i in range(len(tokens)):
        start = _start(text, tokens, i, lex)
        if start is None and _listed_after(text, tokens, i, ends, lex):
            start = False, i  # "Will and Grace", "Priya, Tunde and Kim"
        if start is None:
            continue
        strong, first = start
        first = _extend_back(text, tokens, first, lex)
        last = _extend(text, tokens, first, strong, lex)
        ends.add(last)
        spans.append((tokens[first].start, tokens[last].end))
    return spans


def _identifier(text: str, start: int, end: int) -> bool:
    """Part of a code identifier or path ("action_listen", "rasa.core", "user/dana"), not prose."""
    return bool(GLUE_AFTER.match(text, end) or (start and GLUE_BEFORE.search(text, 0, start)))


def _listed_after(text: str, tokens: Sequence[Token], i: int, ends: Set[int], lex: Lexicon) -> bool:
    """A first name right after a name and "and" or a comma: "Will and Grace", "Priya, Tunde"."""
    tok = tokens[i]
    if tok.low not in lex.first and tok.low not in lex.ambiguous:
        return False
    joined = i >= 2 and (i - 2) in ends and tokens[i - 1].low in CONJUNCTIONS
    listed = i >= 1 and (i - 1) in ends and _gap(text, tokens, i) == ", "
    return (joined or listed) and (tok.titled or tok.low not in lex.not_noun)


def _start(text: str, tokens: Sequence[Token], i: int, lex: Lexicon) -> Optional[Tuple[bool, int]]:
    """(strong, index of the name's first word) if a name starts at token i, else None."""
    tok = tokens[i]
    if tok.low in TITLES or (tok.low in FUNCTION_WORDS and not (tok.titled and tok.low in lex.ambiguous)):
        return None  # "will" is a word, "Will" may be a name
    before = _cue_before(text, tokens, i)
    if before == "strong":
        return (True, i) if tok.low not in STRONG_STOP and tok.low not in NOT_NAMES else None
    if before in ("sign-off", "title") and tok.capital and tok.low not in NOT_NAMES:
        return False, i
    addressed = i > 0 and tokens[i - 1].low in ADDRESS_TITLES and tok.titled  # "charge nurse Dev Raghunathan"
    if (before in ("title", "relation") or addressed) and _after_person_word(text, tokens, i, lex):
        return False, i  # "dr patel", "my colleague yusuf", "frau yılmaz", "matron dawn fielding"
    if before == "sign-off" and _unknown(tok, lex) and re.match(r"\s*(?:[!.,;:?]|$)", text[tok.end:]):
        return False, i  # "thanks chioma!"
    if _listed_lower(tok, lex) or _coordinated(tokens, i, lex) or _vocative(text, tokens, i, lex):
        return False, i
    if i > 0 and tokens[i - 1].low in PERSON_WORDS and tok.titled and tok.low in lex.ambiguous \
            and tok.low not in MONTHS:
        return False, i  # "I work with Will", "ask Grace"
    if before in ("en", "de") and (_weak_name(tok, before, lex) or (
            tok.capital and tok.low not in NOT_NAMES and _surname_follows(text, tokens, i, lex))):
        return False, i  # "i'm dana", and "I'm Will Turner" (a first name that is also a word)
    if _addressed(tokens, i, lex):
        return False, i
    if before == "relation" and tok.titled and (tok.low in lex.first or tok.low in lex.ambiguous):
        return False, i
    if tok.titled and tok.low in lex.first and tok.low not in lex.wordnet:
        return False, i
    if tok.titled and _personal(tok, lex) and _surname_follows(text, tokens, i, lex):
        return False, i
    if _opens_message(text, tokens, i):
        if _here_follows(text, tokens, i) and (tok.low in lex.first or _unknown_capitalised(tok, lex)):
            return False, i
        if i == 1 and tok.titled and (tok.low in lex.first or tok.low in lex.ambiguous):  # "Hi, Lucy from ..."
            return False, i
    if _ends_message(text, tokens, i) and _unknown_capitalised(tok, lex):
        return False, i
    return None


def _unknown(tok: Token, lex: Lexicon) -> bool:
    """A word no English or German list knows, in any case: "chioma", "Schulze"."""
    return len(tok.low) > 1 and tok.low not in lex.common and tok.low not in lex.wordnet \
        and tok.low not in lex.german and tok.low not in lex.frequent and tok.low not in NOT_NAMES


def _listed_lower(tok: Token, lex: Lexicon) -> bool:
    """A first name in lower case that is no English or German word: "priya", "yusuf", "lena"."""
    return not tok.capital and len(tok.low) > 2 and _first_name(tok.low, lex) and tok.low not in lex.wordnet \
        and tok.low not in lex.german and tok.low not in lex.frequent


def _first_name(low: str, lex: Lexicon) -> bool:
    """A listed first name, or a double one of listed parts: "jo-anne", "hans-peter"."""
    if low in lex.first:
        return True
    parts = low.split("-")
    return len(parts) > 1 and all(p in lex.first or p in lex.ambiguous for p in parts) \
        and any(p in lex.first for p in parts)


def _after_person_word(text: str, tokens: Sequence[Token], i: int, lex: Lexicon) -> bool:
    """After a title or a relation, a name word in any case: listed, or known to no list; a first
    name that is also a verb or adjective ("my manager will ...") only before a surname."""
    tok = tokens[i]
    if tok.low in NOT_NAMES or tok.low in lex.inflected or re.match(r"\s*\d", text[tok.end:]):
        return False
    if tok.low in lex.first or _unknown(tok, lex) or (
            tok.low in lex.last and (tok.capital or tok.low not in lex.frequent)):
        return True  # "dr patel", not "my cousin back home"
    if tok.low in lex.ambiguous:
        return tok.capital or tok.low not in lex.not_noun or (
            i + 1 < len(tokens) and tokens[i + 1].low in lex.last and tokens[i + 1].low not in FUNCTION_WORDS)
    return False


def _coordinated(tokens: Sequence[Token], i: int, lex: Lexicon) -> bool:
    """A listed first name joined to "me" / "I": "me and mark", "lena und ich", "ich und die lena"."""
    if tokens[i].low not in lex.first and tokens[i].low not in lex.ambiguous:
        return False
    j = i - 1 if i > 0 and tokens[i - 1].low in ARTICLES else i
    before = j >= 2 and tokens[j - 1].low in CONJUNCTIONS and tokens[j - 2].low in PRONOUNS
    # "X and I" may also start a clause ("next summer and i can't decide"): only a plain first name
    after = i + 2 < len(tokens) and tokens[i + 1].low in CONJUNCTIONS and tokens[i + 2].low in PRONOUNS \
        and (tokens[i].low in lex.first or tokens[i].titled)
    return before or after


def _vocative(text: str, tokens: Sequence[Token], i: int, lex: Lexicon) -> bool:
    """A message opening with a capitalised first name and a comma: "Mark, if you read this"."""
    tok = tokens[i]
    return i == 0 and tok.titled and (tok.low in lex.first or tok.low in lex.ambiguous) \
        and text[tok.end:tok.end + 1] == ","


def _addressed(tokens: Sequence[Token], i: int, lex: Lexicon) -> bool:
    """A surname after a job title used as a form of address: "Sister O'Connor", "Matron Okafor"."""
    if i == 0 or tokens[i - 1].low not in ADDRESS_TITLES or not tokens[i - 1].capital:
        return False
    tok = tokens[i]
    return tok.titled and tok.low in lex.last and tok.low not in lex.common and tok.low not in NOT_NAMES


def _weak_name(tok: Token, language: str, lex: Lexicon) -> bool:
    if tok.low in NOT_NAMES or tok.low in lex.inflected:
        return False
    if tok.low in lex.first:
        return True
    if tok.capital and (tok.low in lex.ambiguous or (tok.low in lex.last and tok.low not in lex.common)):
        return True
    if tok.low in lex.ambiguous and tok.low not in lex.not_noun:
        return True
    return language == "en" and _unknown_capitalised(tok, lex)


def _unknown_capitalised(tok: Token, lex: Lexicon) -> bool:
    """A capitalised word no English list knows ("Kwame", "Tunde"), not an acronym nor "A-level"."""
    return tok.titled and tok.low not in lex.common and tok.low not in lex.wordnet \
        and len(re.split(r"['\-]", tok.word)[0]) > 1


def _personal(tok: Token, lex: Lexicon) -> bool:
    return tok.low in lex.first or tok.low in lex.ambiguous or tok.low in lex.last \
        or tok.low not in lex.common


def _gap(text: str, tokens: Sequence[Token], i: int) -> str:
    """The characters between token i-1 and token i."""
    return text[tokens[i - 1].end:tokens[i].start] if i > 0 else text[:tokens[0].start]


def _cue_before(text: str, tokens: Sequence[Token], i: int) -> Optional[str]:
    """The kind of cue that ends right before token i (titles skipped), if any."""
    if i == 0 or tokens[i - 1].low not in CUE_ENDS:
        return None
    j = i
    while j > 0 and tokens[j - 1].low in TITLE_WORDS and (tokens[j - 1].capital or tokens[j - 1].low in LOWER_TITLES) \
            and re.fullmatch(r"\.?\s+|\.", _gap(text, tokens, j)):
        j -= 1
    if j != i:
        return "title"
    gap = _gap(text, tokens, i)
    if not re.fullmatch(r"\s*[:,]?\s*-?\s*", gap) or (i > 0 and gap == ""):
        return None
    for size in (4, 3, 2, 1):
        if i - size < 0:
            continue
        words = tuple(t.low for t in tokens[i - size:i])
        inner = all(re.fullmatch(r"\s+", _gap(text, tokens, k)) for k in range(i - size + 1, i))
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
    if i > 0 and tokens[i - 1].low in RELATIONS:
        return "relation"
    return None


def _surname_follows(text: str, tokens: Sequence[Token], i: int, lex: Lexicon) -> bool:
    if i + 1 >= len(tokens) or not re.fullmatch(r" +", _gap(text, tokens, i + 1)):
        return False
    nxt = tokens[i + 1]
    return nxt.titled and (nxt.low in lex.last or (nxt.low not in lex.common and nxt.low not in lex.wordnet)) \
        and nxt.low not in NOT_NAMES and (tokens[i].low in lex.first or nxt.low in lex.last
                                          or (tokens[i].low in lex.ambiguous and _unknown(nxt, lex)))


def _opens_message(text: str, tokens: Sequence[Token], i: int) -> bool:
    """Token i is the message's first word, or comes right after a greeting."""
    if i == 0:
        return True
    return i == 1 and tokens[0].low in GREETINGS


def _here_follows(text: str, tokens: Sequence[Token], i: int) -> bool:
    for j in range(i + 1, min(i + 1 + MAX_WORDS, len(tokens))):
        words = tokens[j].low
        if (words,) in HERE or (j + 1 < len(tokens) and (words, tokens[j + 1].low) in HERE):
            return True
        if tokens[j].low in FUNCTION_WORDS:
            return False
    return False


def _ends_message(text: str, tokens: Sequence[Token], i: int) -> bool:
    """Token i (and at most one more) close the message after a sentence: "... a lot. Tariq"."""
    if i == 0 or not re.search(r"[.!,;]\s+$", _gap(text, tokens, i)):
        return False
    last = i + 1 if i + 1 < len(tokens) and re.fullmatch(r" +", _gap(text, tokens, i + 1)) else i
    return last == len(tokens) - 1 and re.fullmatch(r"[\s.!]*", text[tokens[last].end:]) is not None


def _extend(text: str, tokens: Sequence[Token], first: int, strong: bool, lex: Lexicon) -> int:
    """Index of the name's last word, going on over surnames and initials."""
    end = first
    for j in range(first + 1, min(first + MAX_WORDS, len(tokens))):
        gap = _gap(text, tokens, j)
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
    while first > 0 and re.fullmatch(r" +", _gap(text, tokens, first)):
        tok = tokens[first - 1]
        if tok.capital != tokens[first].capital or tok.low in FUNCTION_WORDS or tok.low in NOT_NAMES \
                or tok.low not in lex.ambiguous or tok.low in lex.frequent:
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
        or (tok.capital and tok.low in lex.ambiguous)
