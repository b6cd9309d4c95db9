"""What a word is, for the name finder (privacy.names): the cue words around names in English
and German, and whether a word can be a name by itself (the lists are privacy.lexicon's)."""
from __future__ import annotations

import re
from typing import NamedTuple

from privacy.lexicon import FUNCTION_WORDS, NOT_NAMES, RELATIONS, TITLES, Lexicon

MAX_WORDS = 4  # words in a name
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
             ("viele", "grüße"), ("liebe", "grüße"), ("grüße",), ("gruß",), ("lg",), ("vg",), ("mfg",),
             ("beste", "grüße"), ("schöne", "grüße"), ("herzliche", "grüße"), ("freundliche", "grüße"),
             ("grüsse",), ("gruss",),
             ("named",), ("called",), ("ask", "for")}
# "I'm" and the like: after "en" cues an unknown capitalised word is a name too ("I'm Kwame");
# after "de" cues only a listed one, as German nouns are capitalised ("ich bin Hebamme").
WEAK_CUES = {("i'm",): "en", ("i\u2019m",): "en", ("im",): "de", ("i", "am"): "en",
             ("this", "is"): "en", ("it's",): "en", ("its",): "de", ("ich", "bin"): "de", ("hier", "ist"): "de",
             ("hier", "schreibt"): "de", ("hier", "spricht"): "de", ("bin",): "de",
             ("she's",): "en", ("he's",): "en", ("heißt",): "de", ("heisst",): "de",
             ("bin", "die"): "de", ("bin", "der"): "de", ("ich", "bin", "die"): "de", ("ich", "bin", "der"): "de"}
GREETINGS = {"hi", "hey", "hello", "hallo", "dear", "moin", "servus", "hiya", "grüezi", "grüß", "bonjour", "hola",
             "ciao", "salut", "namaste", "salaam", "salam", "howdy", "yo"}
# Words around which a listed first name is a person: "me and mark", "lena und ich".
PRONOUNS = {"i", "me", "ich", "mir", "mich"}
CONJUNCTIONS = {"and", "und", "&"}
ARTICLES = {"die", "der"}  # "die lena von station 4"
GERMAN_WORDS = re.compile(r"(?i)\b(?:ich|und|der|die|das|nicht|ist|mit|für|bei|wie|was|ein|eine|auf|sich|mein|meine"
                          r"|kann|oder|aber|noch|auch|bin|habe|hab|wir|sie|es|zu|von|im|dem|den)\b")
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


def german(text: str) -> bool:
    """Written in German: capitals there mark nouns, not proper names."""
    return len(GERMAN_WORDS.findall(text)) >= 2


def unknown(tok: Token, lex: Lexicon) -> bool:
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


def listed_lower(tok: Token, lex: Lexicon) -> bool:
    """A first name in lower case that is no English or German word: "priya", "yusuf", "lena"."""
    return not tok.capital and len(tok.low) > 2 and first_name(tok.low, lex) and tok.low not in lex.wordnet \
        and tok.low not in lex.german and tok.low not in lex.frequent


def first_name(low: str, lex: Lexicon) -> bool:
    """A listed first name, or a double one of listed parts: "jo-anne", "hans-peter"."""
    if low in lex.first:
        return True
    parts = low.split("-")
    return len(parts) > 1 and all(p in lex.first or p in lex.ambiguous for p in parts) \
        and any(p in lex.first for p in parts)


def name_like(tok: Token, lex: Lexicon) -> bool:
    """A word that can be a name: listed as one, or known to no word list."""
    return tok.low not in FUNCTION_WORDS and tok.low not in NOT_NAMES and tok.low not in RELATIONS \
        and tok.low not in ADDRESS_TITLES and (
            first_name(tok.low, lex) or tok.low in lex.ambiguous or tok.low in lex.last or unknown(tok, lex))


def list_member(tok: Token, titled: bool, lex: Lexicon) -> bool:
    """A word in a list of names, in the same case as the name after it, and rare as a word."""
    if tok.titled != titled or tok.low in FUNCTION_WORDS or tok.low in NOT_NAMES or tok.low in RELATIONS \
            or tok.low in GREETINGS or tok.low in TITLE_WORDS:
        return False
    return name_like(tok, lex) or (titled and tok.low not in lex.frequent and tok.low not in lex.german_nouns)


def unknown_capitalised(tok: Token, lex: Lexicon) -> bool:
    """A capitalised word no English list knows ("Kwame", "Tunde"), not an acronym nor "A-level"."""
    return tok.titled and tok.low not in lex.common and tok.low not in lex.wordnet \
        and len(re.split(r"['\-]", tok.word)[0]) > 1


def personal(tok: Token, lex: Lexicon) -> bool:
    return tok.low in lex.first or tok.low in lex.ambiguous or tok.low in lex.last \
        or tok.low not in lex.common


def weak_name(tok: Token, language: str, lex: Lexicon) -> bool:
    if tok.low in NOT_NAMES or (tok.low in lex.inflected and not (tok.titled and tok.low in lex.ambiguous)):
        return False  # "i'm looking", but "it's Rose again"
    if tok.low in lex.first:
        return True
    if tok.capital and (tok.low in lex.ambiguous or (tok.low in lex.last and tok.low not in lex.common)):
        return True
    if tok.low in lex.ambiguous and tok.low not in lex.not_noun:
        return True
    return language == "en" and unknown_capitalised(tok, lex)
