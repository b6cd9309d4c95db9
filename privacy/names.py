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
EMAIL_LOCAL = re.compile(r"([\w.+\-]+)@[\w\-]+\.")
GLUE_AFTER = re.compile(r"[_/=]|\.[^\W\d_]")
GLUE_BEFORE = re.compile(r"[^\W\d_](?:[_/=.])$")  # "action_listen", "user/dana"; not "/Oscar"
# Particles inside a surname ("Gareth ap Rhys", "Ruud van Nistelrooy"), kept only before another name word.
PARTICLES = frozenset("ap ab van von de da di del della der den du la le ní nic mac bin binti ibn al el ó".split())
TITLE_WORDS = TITLES | {"med", "rer", "nat", "phil", "dent", "vet", "jur"}  # "Dr. med. Claudia Becker", "Dr. rer. nat."
LOWER_TITLES = frozenset("dr prof mr mrs ms herr herrn frau med rer nat phil dent vet jur".split())  # titles still when typed in lower case
# Job titles people use as forms of address, before a surname (capitalised, as in "Sister Okafor").
ADDRESS_TITLES = frozenset("nurse sister matron doctor professor schwester pfleger oberarzt oberärztin".split())

STRONG_CUES = {("my", "name", "is"), ("my", "name's"), ("my", "name\u2019s"), ("my", "names"),
               ("call", "me"), ("mein", "name", "ist"), ("ich", "heiße"), ("ich", "heisse"),
               ("i", "am", "called"), ("i'm", "called"), ("my", "first", "name", "is"),
               ("they", "call", "me"), ("calls", "me"), ("mein", "vorname", "ist"), ("nennt", "mich"),
               ("nennen", "mich"), ("my", "nickname", "is")}
COLON_CUES = {("name",), ("from",), ("von",), ("patient",), ("contact",), ("kontakt",)}
SIGN_OFFS = {("regards",), ("best", "wishes"), ("sincerely",), ("signed",), ("yours", "truly"),
             ("cheers",), ("thanks",), ("thx",), ("ty",), ("ta",), ("danke",), ("mit", "freundlichen", "grüßen"),
             ("many", "thanks"), ("thank", "you"),
             ("viele", "grüße"), ("liebe", "grüße"), ("grüße",), ("gruß",), ("lg",), ("vg",),
             ("named",), ("called",), ("ask", "for")}
WEAK_CUES = {("i'm",): "en", ("i\u2019m",): "en", ("im",): "de", ("i", "am"): "en",
             ("this", "is"): "en", ("it's",): "en", ("its",): "de", ("ich", "bin"): "de", ("hier", "ist"): "de",
             ("hier", "schreibt"): "de", ("hier", "spricht"): "de", ("bin",): "de",
             ("bin", "die"): "de", ("bin", "der"): "de", ("ich", "bin", "die"): "de", ("ich", "bin", "der"): "de"}
GREETINGS = {"hi", "hey", "hello", "hallo", "dear", "moin", "servus", "hiya", "grüezi", "grüß", "bonjour", "hola",
             "ciao", "salut", "namaste", "salaam", "salam", "howdy", "yo"}
# Words around which a listed first name is a person: "me and mark", "lena und ich".
PRONOUNS = {"i", "me", "ich", "mir", "mich"}
CONJUNCTIONS = {"and", "und", "&"}
ARTICLES = {"die", "der"}  # "die lena von station 4"
# Words after which a capitalised first name that is also a word is a person: "with Will".
PERSON_WORDS = {"with", "ask", "asked", "tell", "told", "thank", "cc", "met", "meet", "email", "emailed",
                "contact", "contacted", "mit", "frag", "fragt", "gefragt"}
MONTHS = {"may", "june", "april", "august", "january", "march", "july"}
# After these a capitalised word is a place, not a person: "aus Kiel", "in Florence", "at Johns Hopkins",
# "St Thomas'", "King's College London", "Royal Victoria Infirmary".
PLACE_WORDS = {"in", "aus", "nach", "at", "near", "nahe", "around", "st", "saint", "sankt", "royal", "king's",
               "queen's", "college", "university", "universität", "klinikum"}
# After these a place the name lists know is a place: "from India", "to Rome".
TO_FROM = {"from", "to", "von", "zu"}
# Words after a name that make it a person: "Rose from HR said", "sunita wants", "Leon und Finn aus ...".
PERSON_AFTER = {"said", "says", "asked", "asks", "told", "tells", "wants", "wanted", "thinks", "thought",
                "reckons", "mentioned", "suggested", "recommended", "needs", "from", "meinte", "meint", "sagt",
                "sagte", "fragt", "fragte", "möchte", "aus", "von"}
SPEECH = {"said", "says", "told", "tells", "asked", "asks", "thinks", "reckons", "meinte", "meint", "sagt", "sagte"}
# Words after a name that make it the name of a place or thing: "Alan Turing Institute", "Marie Curie hospice".
EPONYM_AFTER = frozenset("""institute institut hospice hospital clinic klinik klinikum university universität college
centre center foundation stiftung trust school award fellowship prize lecture building krankenhaus hospiz infirmary
syndrome disease scale score method""".split())
ROLE_ENDINGS = ("ician", "ist", "ologist", "grapher", "iatrist", "in", "er")  # "bioinformatician", "informatikerin"
DETERMINERS = frozenset("the a an my our your their his her this that der die das den dem ein eine mein meine unser unsere".split())
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
    letters = [c for c in text if c.isalpha()]
    if len(letters) > 8 and sum(c.isupper() for c in letters) > 0.8 * len(letters) and len(text.lower()) == len(text):
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
        if start is None and tokens[i].low.replace("-", "") in in_emails and _name_like(tokens[i], lex):
            start = False, i  # "Reply to oscar.lindqvist@example.se. /Oscar"
        if start is None:
            continue
        strong, first = start
        first = _extend_back(text, tokens, first, lex)
        last = _extend(text, tokens, first, strong, lex)
        if not strong and _eponym(text, tokens, last):
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
        gap = _gap(text, tokens, i)
        if i > 1 and tokens[i - 1].low in CONJUNCTIONS and re.fullmatch(r" +", gap):
            j = i - 2
        elif re.fullmatch(r", +| +& +", gap):
            j = i - 1
        else:
            break
        if not _list_member(tokens[j], case, lex) or (j > 0 and tokens[j - 1].low in PLACE_WORDS):
            break
        start = j
        while start > 0 and re.fullmatch(r" +", _gap(text, tokens, start)) and start > j - 2 \
                and _list_member(tokens[start - 1], case, lex):
            start -= 1  # "Xu Wei", "Nguyễn Thị Lan"
        spans.append((tokens[start].start, tokens[j].end))
        i = start
    return spans


def _identifier(text: str, start: int, end: int) -> bool:
    """Part of a code identifier or path ("action_listen", "rasa.core", "user/dana"), not prose."""
    return bool(GLUE_AFTER.match(text, end) or (start and GLUE_BEFORE.search(text, 0, start)))


def _list_member(tok: Token, titled: bool, lex: Lexicon) -> bool:
    """A word in a list of names, in the same case as the name after it, and rare as a word."""
    if tok.titled != titled or tok.low in FUNCTION_WORDS or tok.low in NOT_NAMES or tok.low in RELATIONS \
            or tok.low in GREETINGS or tok.low in TITLE_WORDS:
        return False
    return _name_like(tok, lex) or (titled and tok.low not in lex.frequent and tok.low not in lex.german_nouns)


def _name_like(tok: Token, lex: Lexicon) -> bool:
    """A word that can be a name: listed as one, or known to no word list."""
    return tok.low not in FUNCTION_WORDS and tok.low not in NOT_NAMES and tok.low not in RELATIONS \
        and tok.low not in ADDRESS_TITLES and (
            _first_name(tok.low, lex) or tok.low in lex.ambiguous or tok.low in lex.last or _unknown(tok, lex))


def _eponym(text: str, tokens: Sequence[Token], last: int) -> bool:
    """A name that is part of a place's or thing's name: "Alan Turing Institute", "Robert Koch-Institut"."""
    if "-" in tokens[last].low and tokens[last].low.rsplit("-", 1)[1] in EPONYM_AFTER:
        return True
    for nxt in range(last + 1, min(last + 3, len(tokens))):  # "Florence Nightingale Foundation"
        if not re.fullmatch(r" +", _gap(text, tokens, nxt)):
            return False
        if tokens[nxt].low in EPONYM_AFTER or tokens[nxt].low.rsplit("-", 1)[-1] in EPONYM_AFTER:
            return True
        if not tokens[nxt].capital:
            return False
    return False


def _person_after(text: str, tokens: Sequence[Token], i: int, lex: Lexicon) -> bool:
    """A name word (and perhaps a surname) followed by what people do: "Rose from HR said", "sunita wants"."""
    tok = tokens[i]
    opening = i == 0 or re.search(r"[.!?:'\"]\s*$", _gap(text, tokens, i)) is not None
    speech = i + 1 < len(tokens) and tokens[i + 1].low in SPEECH
    if not _name_like(tok, lex) or (tok.low in lex.frequent and not tok.titled and not (
            opening and speech and tok.low in lex.ambiguous)):
        return False  # but "ROSE SAID I SHOULD ASK", read in lower case
    if i > 0 and tokens[i - 1].low in DETERMINERS:
        return False  # "the bootcamp says", "our CNIO said"
    if not tok.capital and not _first_name(tok.low, lex) and i > 0 \
            and not re.search(r"[.!?,;:]\s*$", _gap(text, tokens, i)):
        return False  # a word in lower case known to no list is a name only opening a sentence: "sunita wants"
    j = i + 1
    if j < len(tokens) and re.fullmatch(r" +", _gap(text, tokens, j)) and tokens[j].low not in PERSON_AFTER \
            and _name_like(tokens[j], lex) and tokens[j].capital == tok.capital:
        j += 1  # "Xu Jing from radiology"
    if j >= len(tokens) or tokens[j].low not in PERSON_AFTER or not re.fullmatch(r" +", _gap(text, tokens, j)):
        return False
    return tok.titled or _first_name(tok.low, lex) or tok.low in lex.ambiguous or _unknown(tok, lex)


def _listed_after(text: str, tokens: Sequence[Token], i: int, ends: Set[int], lex: Lexicon) -> bool:
    """A first name right after a name and "and" or a comma: "Will and Grace", "Priya, Tunde"."""
    tok = tokens[i]
    if not _name_like(tok, lex):
        return False
    joined = (i >= 2 and (i - 2) in ends and tokens[i - 1].low in CONJUNCTIONS) or (
        i >= 1 and (i - 1) in ends and _gap(text, tokens, i) == " & ")
    listed = i >= 1 and (i - 1) in ends and _gap(text, tokens, i) == ", "
    if listed:  # after "Name, " comes a first name, or a job, a title or a number's name: "Kowalski, Fallnr."
        return _first_name(tok.low, lex) and (tok.titled or tok.low not in lex.frequent)
    return joined and (_first_name(tok.low, lex) or (tok.titled and (tok.low in lex.ambiguous or _unknown(tok, lex))))


def _start(text: str, tokens: Sequence[Token], i: int, lex: Lexicon) -> Optional[Tuple[bool, int]]:
    """(strong, index of the name's first word) if a name starts at token i, else None."""
    tok = tokens[i]
    if tok.low in TITLE_WORDS or (tok.low in FUNCTION_WORDS and not (tok.titled and tok.low in lex.ambiguous)):
        return None  # "will" is a word, "Will" may be a name
    before = _cue_before(text, tokens, i)
    if before == "strong":
        return (True, i) if tok.low not in STRONG_STOP and tok.low not in NOT_NAMES else None
    if i > 0 and (tokens[i - 1].low in PLACE_WORDS or (
            tokens[i - 1].low in TO_FROM and tok.low in lex.places and not _surname_follows(text, tokens, i, lex))):
        return None
    return (False, i) if any(rule(text, tokens, i, lex, before) for rule in RULES) else None


def _by_cue(text: str, tokens: Sequence[Token], i: int, lex: Lexicon, before: Optional[str]) -> bool:
    """After a sign-off, a title, a relation or "I'm"."""
    tok = tokens[i]
    if before in ("sign-off", "title") and tok.capital and tok.low not in NOT_NAMES:
        return True
    addressed = i > 0 and tokens[i - 1].low in ADDRESS_TITLES and tok.titled  # "charge nurse Dev Raghunathan"
    if (before in ("title", "relation") or addressed) and _after_person_word(text, tokens, i, lex):
        return True  # "dr patel", "my colleague yusuf", "frau yılmaz", "matron dawn fielding"
    if before == "sign-off" and (_unknown(tok, lex) or _first_name(tok.low, lex) or (
            tok.low in lex.ambiguous and (tok.titled or tok.low not in lex.frequent))) \
            and re.match(r"\s*(?:[!.,;:?(]|xx?\b|$)", text[tok.end:]):
        return True  # "thanks chioma!", "thanks sandy x", "many thanks — Hope (HCA)"
    if before in ("en", "de") and (_weak_name(tok, before, lex) or (
            tok.capital and tok.low not in NOT_NAMES and _surname_follows(text, tokens, i, lex))):
        return True  # "i'm dana", and "I'm Will Turner" (a first name that is also a word)
    article = i > 1 and tokens[i - 1].low in ARTICLES and tokens[i - 2].low == "bin"  # "bin die Ece,"
    if before in ("en", "de") and (article or not tok.capital) and _unknown(tok, lex) \
            and re.match(r"\s*[,.!]", text[tok.end:]):
        return True  # "hi im rohit, ..." (capitalised, it may be a German noun: "ich bin Hebamme,")
    if before == "en" and not tok.capital and tok.low not in lex.common and tok.low not in lex.frequent \
            and i + 1 < len(tokens) \
            and tokens[i + 1].low in lex.last and tokens[i + 1].low not in lex.frequent:
        return True  # "i am anil sharma"
    return before == "relation" and tok.titled and (tok.low in lex.first or tok.low in lex.ambiguous)


def _by_company(text: str, tokens: Sequence[Token], i: int, lex: Lexicon, before: Optional[str]) -> bool:
    """With other people or what people do: "me and mark", "with Will", "Rose from HR said"."""
    tok = tokens[i]
    if _coordinated(text, tokens, i, lex) or _person_after(text, tokens, i, lex):
        return True
    if i == 0 or tokens[i - 1].low not in PERSON_WORDS or tok.low not in lex.ambiguous or tok.low in MONTHS:
        return False
    nxt = tokens[i + 1].low.split("'")[0] if i + 1 < len(tokens) else ""
    return tok.titled or nxt in PRONOUNS or nxt in ("that", "dass")  # "I work with Will", "i told grace i'd ask"


def _by_itself(text: str, tokens: Sequence[Token], i: int, lex: Lexicon, before: Optional[str]) -> bool:
    """A listed first name, rare as a word, or a capitalised one before a surname."""
    tok = tokens[i]
    if _listed_lower(tok, lex) or _addressed(tokens, i, lex):
        return True
    if tok.titled and _first_name(tok.low, lex) and tok.low not in lex.frequent \
            and not (i > 0 and tokens[i - 1].low in DETERMINERS):  # not "a London medical school"
        return True
    if tok.titled and _personal(tok, lex) and _surname_follows(text, tokens, i, lex):
        return True
    return _two_unknown(text, tokens, i, lex)


def _two_unknown(text: str, tokens: Sequence[Token], i: int, lex: Lexicon) -> bool:
    """Two capitalised words no list knows, opening a sentence or after a comma: "Amaka Obi-Nwosu, RN"."""
    if i + 1 >= len(tokens) or not re.fullmatch(r" +", _gap(text, tokens, i + 1)):
        return False
    if i > 0 and not re.search(r"[.!?,;:]\s*$|\n\s*$", _gap(text, tokens, i)):
        return False
    return all(t.titled and (_unknown(t, lex) or _first_name(t.low, lex) or t.low in lex.last)
               for t in tokens[i:i + 2]) and (_unknown(tokens[i], lex) or _unknown(tokens[i + 1], lex))


def _by_place(text: str, tokens: Sequence[Token], i: int, lex: Lexicon, before: Optional[str]) -> bool:
    """Opening or closing the message, or after a greeting: "Hi Jack,", "Mark, if you read this", "..., tom"."""
    tok = tokens[i]
    if _vocative(text, tokens, i, lex):
        return True
    if i > 0 and tokens[i - 1].low in GREETINGS and tok.titled and _name_like(tok, lex) \
            and re.fullmatch(r",? +", _gap(text, tokens, i)):
        return True
    if _opens_message(text, tokens, i):
        if _here_follows(text, tokens, i) and (tok.low in lex.first or _unknown_capitalised(tok, lex)):
            return True
        if i == 1 and tok.titled and (tok.low in lex.first or tok.low in lex.ambiguous):  # "Hi, Lucy from ..."
            return True
    return _ends_message(text, tokens, i) and (_unknown_capitalised(tok, lex) or (
        (_first_name(tok.low, lex) or tok.low in lex.ambiguous) and (tok.titled or tok.low not in lex.frequent)))


RULES = (_by_cue, _by_company, _by_itself, _by_place)


def _unknown(tok: Token, lex: Lexicon) -> bool:
    """A word no English or German list knows, in any case: "chioma", "Schulze"; not an acronym
    ("CNIO", "CTs"), a lower-case job ("bioinformatician", "pflegerin") or a German compound
    noun ("Informatikstudent")."""
    low = tok.low[:-2] if tok.low.endswith("'s") else tok.low
    if len(low) < 2 or tok.word[:2].isupper() or (not tok.capital and low.endswith(ROLE_ENDINGS)):
        return False
    if low in lex.common or low in lex.wordnet or low in lex.german or low in lex.frequent or low in NOT_NAMES:
        return False
    if low in lex.german_nouns:
        return False
    return not any(low[k:] in lex.german_nouns or (len(low) - k > 4 and low[k:] in lex.common)
                   for k in range(4, len(low) - 3))  # "Informatikstudent", "Homeoffice"


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
    if _cue_before(text, tokens, i) == "title" and tokens[i - 1].low in TITLES and tok.low not in lex.frequent \
            and tok.low not in FUNCTION_WORDS:
        return True  # "herr dr schulze"
    if tok.low in lex.first or _unknown(tok, lex) or (
            tok.low in lex.last and (tok.capital or tok.low not in lex.frequent)):
        return True  # "dr patel", not "my cousin back home"
    if tok.low in lex.ambiguous:
        nxt = tokens[i + 1].low if i + 1 < len(tokens) else ""
        return tok.capital or tok.low not in lex.not_noun or (nxt in lex.last and nxt not in FUNCTION_WORDS) \
            or nxt in ("is", "was", "and", "has", "ist", "hat", "und")  # "my boss bill is"
    return False


def _coordinated(text: str, tokens: Sequence[Token], i: int, lex: Lexicon) -> bool:
    """A name word in a list with "me" / "I": "me and mark", "me, raj and deepika", "lena und ich"."""
    tok = tokens[i]
    if not _name_like(tok, lex):
        return False
    j = i - 1 if i > 0 and tokens[i - 1].low in ARTICLES else i
    while j > 0:  # back over ", name" and "and name" to a pronoun
        if tokens[j - 1].low in CONJUNCTIONS and j >= 2:
            j -= 1
        elif not re.fullmatch(r", +", _gap(text, tokens, j)):
            break
        if tokens[j - 1].low in PRONOUNS:
            return True
        if not _name_like(tokens[j - 1], lex):
            break
        j -= 1
    # "X and I" may also start a clause ("next summer and i can't decide"): only a plain first name
    return i + 2 < len(tokens) and tokens[i + 1].low in CONJUNCTIONS and tokens[i + 2].low in PRONOUNS \
        and (_first_name(tok.low, lex) or tok.titled)


def _vocative(text: str, tokens: Sequence[Token], i: int, lex: Lexicon) -> bool:
    """A message opening with a capitalised first name and a comma: "Mark, if you read this"."""
    tok = tokens[i]
    opening = i == 0 or re.search(r"[:\n]\s*['\"\u2018\u201c]?\s*$|['\"\u2018\u201c]$", _gap(text, tokens, i))
    return bool(opening) and tok.titled and text[tok.end:tok.end + 1] == "," and tok.low not in GREETINGS \
        and (tok.low in lex.first or tok.low in lex.ambiguous)


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
    if not re.fullmatch(r"\s*[:,]?\s*[\-\u2013\u2014]?\s*", gap) or (i > 0 and gap == ""):
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
    if i > 0 and tokens[i - 1].low in RELATIONS and re.fullmatch(r" +", gap):
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
    if i == 0 or not re.search(r"(?:[.!,;]\s+|\s[\-\u2013\u2014]+\s*|\s/)$", _gap(text, tokens, i)):
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
        if tok.capital != tokens[first].capital or tok.low in FUNCTION_WORDS or tok.low in NOT_NAMES:
            break
        if not ((tok.low in lex.ambiguous and tok.low not in lex.frequent) or (tok.titled and _unknown(tok, lex))):
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
