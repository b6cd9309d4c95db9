"""Word lists that tell a person's name from an ordinary word, loaded once from packages (offline).

- first and last names: Faker's person providers (MIT), every Latin-script locale
  (English, German, Spanish, Turkish, Nigerian, Indian, ...): tens of thousands of names;
  and its Cyrillic ones (Ukrainian, Russian, Bulgarian), romanised as English and German
  writers spell them;
  and its address providers' countries, regions and cities, with the cities of the
  time-zone database (the `tzdata` package, the same on every machine);
- ordinary English words: spaCy's lookup tables (spacy-lookups-data, MIT): the lemma
  lookup (inflected forms and their lemmas: "looking", "nurses" -> "nurse") and WordNet's
  lemma index (base forms, also places such as "leeds" and a few names);
- German words written in lower case, from the German lemma lookup of the same package
  (its capitalised entries mix nouns and names, so only the lower-case ones are used);
- how frequent a word is in English (the same package's word probabilities): a name in
  lower case must be a rare word ("priya", not "else" or "uni", which are names too);
- function words and the roles, nationalities and fillers that follow "I'm" in English and
  German, written here: no package has both languages without loading spaCy itself.

A first name that is also an ordinary word ("will", "grace", "tom") is `ambiguous`: after
"I'm" it counts as a name when capitalised, or in lower case when the word is only a noun
("tom", "anna": "I'm" is not followed by a bare noun, while "i'm will" is a verb).
"""
from __future__ import annotations

import dataclasses
import functools
import gzip
import hashlib
import importlib
import importlib.resources
import os
import pkgutil
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import FrozenSet, Iterable, Optional, Set

import faker
import faker.providers.address
import faker.providers.person
import spacy_lookups_data
import tzdata
import ujson

FUNCTION_WORDS = frozenset("""
a an the and or but nor so yet if then than because as at on in into onto for of off with without from
by to up down out over under about after before since until till via per is are was were be been being
am do does did have has had will would shall should can could may might must not no yes i me my mine
myself we us our you your he him his she her it its they them their this that these those there here
what which who whom whose when where why how all any both each every some such only just also very too
again still now please thanks thank hi hey hello dear ok okay lol sure well really actually currently
ich bin du er sie es wir ihr mich mir mein meine meinen meiner dich dein und oder aber nicht kein keine
der die das den dem des ein eine einen einem einer ist sind war hier da dort wie was wer wo warum wann
mit von zu zum zur bei nach für über unter auch noch schon nur sehr gern gerne bitte danke hallo moin
im am um an auf aus als ob dass weil wenn so ja nein neu seit i'm i’m im i'd i've i'll
dann denn doch mal also eigentlich halt eben wohl sonst jetzt heute morgen gestern immer nie oft etwas
nichts alles viel mehr wenig ganz gar erst bald gleich vielleicht leider trotzdem deshalb darum damit
dabei dafür dazu davon daher genau klar echt kaum fast etwa ziemlich wirklich natürlich einfach selbst
sogar allerdings zwar weder beide jede jeder jedes manche viele andere nach vor zwischen gegen ohne
durch wegen trotz während bis ab guten beste
fwd fw fyi pls plz thx btw lmk imo tbh asap idk omg re u ur ya yh ye nvm
""".split())

# English contractions, a closed set, also as typed without the apostrophe ("arent", "theres").
CONTRACTIONS = frozenset(w for c in """
aren't can't couldn't didn't doesn't don't hadn't hasn't haven't isn't mustn't needn't shan't shouldn't
wasn't weren't won't wouldn't i'm i've i'll i'd you're you've you'll you'd he's he'll he'd she's she'll
she'd it's it'll we're we've we'll we'd they're they've they'll they'd that's that'll there's here's
what's who's where's when's why's how's let's y'all ain't
""".split() for w in (c, c.replace("'", "")))
PLACE_LISTS = {"countries", "states", "provinces", "regions", "counties", "cities", "city_names", "towns"}
FREQUENT_LOG_PROB = -12.5
CACHE_ENV = "CODECARE_CACHE_DIR"  # spaCy's English word log-probability above which a word is an everyday word

# Words that follow "I'm" / "ich bin" and are not names, though not in the English lists; and the
# assistants and products that are also first names ("rasa", "alexa").
NOT_NAMES = frozenset("""
nurse doctor physician pharmacist student engineer developer scientist lawyer biologist clinician
physio paramedic coder analyst manager consultant surgeon midwife therapist radiologist
informaticist informatician ethicist liaison practitioner specialist
rasa alexa siri cortana chatgpt copilot
data software medical clinical registered senior junior retired former final second third first
english american british german french spanish indian canadian australian dutch polish swedish
filipino portuguese nigerian turkish italian irish scottish welsh
new interested looking trying wondering curious working studying going thinking considering
planning hoping ready based located living moving keen eager unsure
ai ml it is code care monday tuesday wednesday thursday friday saturday sunday
januar februar märz mai juni juli oktober dezember montag dienstag mittwoch donnerstag freitag samstag sonntag
pflegekraft arzt ärztin student studentin krankenpfleger krankenpflegerin informatiker jurist
guy's dipl
""".split())

# Titles and relations after which a capitalised word is a name.
TITLES = frozenset("dr prof mr mrs ms mx miss sir dame herr herrn frau".split())
RELATIONS = frozenset("""
wife husband partner friend colleague manager mentor mentee supervisor boss son daughter mother father
sister brother cousin niece nephew uncle aunt auntie mum mom dad grandma grandpa gran classmate
flatmate housemate roommate teammate coworker co-worker tutor lecturer neighbour neighbor patient
kollege kollegin chef chefin mann frau freund freundin tochter sohn bruder schwester mutter vater
tante onkel cousine nachbar nachbarin betreuer betreuerin mentorin praxisanleiter praxisanleiterin
stationsleitung oberarzt oberärztin chefarzt chefärztin pfleger pflegerin matron
""".split())
# Short forms of English first names that Faker's lists lack; ordinary words too, so ambiguous.
EXTRA_FIRST = frozenset("will".split())


@dataclass(frozen=True)
class Lexicon:
    first: FrozenSet[str]       # first names that are no ordinary English word
    ambiguous: FrozenSet[str]   # first names that are also ordinary words
    last: FrozenSet[str]        # surnames
    common: FrozenSet[str]      # ordinary English words (inflected forms and lemmas)
    inflected: FrozenSet[str]   # inflected forms only ("looking", "wants")
    wordnet: FrozenSet[str]     # WordNet base forms (includes places and a few names)
    not_noun: FrozenSet[str]    # WordNet's verbs, adjectives and adverbs ("will", "grace", "sure")
    german: FrozenSet[str]      # German words written in lower case (verbs, adjectives, ...): "bergen", "golden"
    german_nouns: FrozenSet[str]  # German nouns, lower-cased, without the names Faker lists: "pfleger", "leitung"
    places: FrozenSet[str]      # countries, regions and cities (Faker's address providers): "india", "rome"
    frequent: FrozenSet[str]    # everyday English words and typos by their frequency ("else", "uni", "theres")


def _lookup(name: str) -> object:
    path = Path(spacy_lookups_data.__file__).parent / "data" / f"{name}.json.gz"
    with gzip.open(path, "rb") as handle:
        return ujson.loads(handle.read())  # twice as fast as json on the million word probabilities


def _faker_names(prefix: str) -> Set[str]:
    """Every Latin-script `first_name*` / `last_name*` list of Faker's person providers, lower case."""
    names: Set[str] = set()
    for module in pkgutil.iter_modules(faker.providers.person.__path__):
        provider = importlib.import_module(f"faker.providers.person.{module.name}").Provider
        for cls in provider.__mro__:
            for attr, value in vars(cls).items():
                if attr.startswith(prefix) and isinstance(value, (tuple, list, dict, set, frozenset)):
                    names |= {n.lower() for n in value if isinstance(n, str) and _latin(n)}
                    names |= {t for n in value if isinstance(n, str) and CYRILLIC.fullmatch(n.lower())
                              for t in romanised(n.lower())}
    return names


CYRILLIC = re.compile(r"[\u0400-\u04ff'\-]+")
# Cyrillic names as people in English- and German-speaking countries write them: the common
# English (Ukrainian and Russian) romanisations and the German one ("Oksana Melnyk", "Olga Iwanowa").
_COMMON = {**dict(zip("абвдезклмнопрстуфц", "abvdezklmnoprstufc")), "ь": "", "ъ": "", "'": ""}
ROMANISATIONS = (
    {**_COMMON, "г": "h", "ґ": "g", "и": "y", "і": "i", "ї": "yi", "є": "ye", "й": "y", "х": "kh", "ж": "zh",
     "ч": "ch", "ш": "sh", "щ": "shch", "ц": "ts", "ю": "yu", "я": "ya"},
    {**_COMMON, "г": "g", "и": "i", "ы": "y", "й": "y", "х": "kh", "ж": "zh", "ч": "ch", "ш": "sh",
     "щ": "shch", "ц": "ts", "ю": "yu", "я": "ya", "ё": "yo", "э": "e", "е": "e"},
    {**_COMMON, "в": "w", "г": "g", "и": "i", "ы": "y", "й": "j", "х": "ch", "ж": "sch", "ч": "tsch",
     "ш": "sch", "щ": "schtsch", "ц": "z", "з": "s", "с": "s", "ю": "ju", "я": "ja", "ё": "jo", "э": "e",
     "е": "e", "і": "i", "ї": "ji", "є": "je", "ґ": "g"},
)


def romanised(name: str) -> Set[str]:
    """The Latin spellings of a lower-case Cyrillic name, one per romanisation that covers it."""
    out = set()
    for table in ROMANISATIONS:
        letters = [table.get(c) for c in name]
        if all(x is not None for x in letters):
            out.add("".join(letters))
    return out


def _faker_places() -> Set[str]:
    """Every one-word country, region and city in Faker's address providers, lower case."""
    places: Set[str] = set()
    for module in pkgutil.iter_modules(faker.providers.address.__path__):
        provider = importlib.import_module(f"faker.providers.address.{module.name}").Provider
        for cls in provider.__mro__:
            for attr in PLACE_LISTS & vars(cls).keys():
                places |= {p.lower() for p in vars(cls)[attr] if isinstance(p, str) and _latin(p)}
    # and the cities the time-zone database names ("Europe/London", "Africa/Accra")
    zones = (importlib.resources.files("tzdata") / "zones").read_text(encoding="utf-8").split()
    places |= {zone.rsplit("/", 1)[1].lower() for zone in zones if "/" in zone and "_" not in zone.rsplit("/", 1)[1]}
    return places


def _latin(word: str) -> bool:
    return any("a" <= c <= "z" for c in word.lower()) and " " not in word


def _words(values: Iterable[object]) -> Set[str]:
    return {v.lower() for v in values if isinstance(v, str)}


@functools.lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """Built on first use and kept for the process; the built lists are kept as JSON in
    CODECARE_CACHE_DIR (else ~/.cache/codecare) for the next process, under a name that
    changes with this file and the packages' versions. No cache, no harm: it is built again."""
    path = _cache_path()
    if path is not None and path.is_file():
        try:
            lists = ujson.loads(path.read_bytes())
            return Lexicon(**{field.name: frozenset(lists[field.name]) for field in dataclasses.fields(Lexicon)})
        except (OSError, ValueError, KeyError, TypeError):
            pass  # unreadable or from elsewhere: build it
    built = _build()
    if path is not None:
        _store(path, {name: sorted(words) for name, words in dataclasses.asdict(built).items()})
    return built


def _cache_path() -> Optional[Path]:
    base = os.environ.get(CACHE_ENV) or os.path.join(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache",
                                                    "codecare")
    key = hashlib.sha256(f"{faker.VERSION} {spacy_lookups_data.__version__} {tzdata.IANA_VERSION}".encode()
                         + Path(__file__).read_bytes())
    return Path(base) / f"lexicon-{key.hexdigest()[:16]}.json"


def _store(path: Path, lists: dict) -> None:
    """Written whole or not at all (a temporary file renamed), never shared half-written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".lexicon-")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(ujson.dumps(lists, ensure_ascii=False))
        os.replace(temporary, path)
    except OSError:
        pass  # a read-only home (a container): every process builds its own


def _build() -> Lexicon:
    """Every list from the packages (seconds: the word probabilities alone are a million entries)."""
    lookup = _lookup("en_lemma_lookup")
    assert isinstance(lookup, dict)
    inflected = {k.lower() for k, v in lookup.items() if k.lower() != str(v).lower()}
    common = _words(lookup) | _words(lookup.values()) | FUNCTION_WORDS | NOT_NAMES | CONTRACTIONS
    index = _lookup("en_lemma_index")
    assert isinstance(index, dict)
    wordnet = set().union(*(_words(words) for words in index.values()))
    not_noun = set().union(*(_words(words) for pos, words in index.items() if pos != "noun"))
    first_names, last_names = _faker_names("first_name"), _faker_names("last_name")
    first = (first_names - FUNCTION_WORDS - NOT_NAMES) | EXTRA_FIRST
    german = _lookup("de_lemma_lookup")
    assert isinstance(german, dict)
    german_words = set(german) | {str(v) for v in german.values()}
    german_nouns = {w.lower() for w in german_words if w[:1].isupper() and len(w) > 3} - first_names - last_names
    probability = _lookup("en_lexeme_prob")
    assert isinstance(probability, dict)
    frequent = {w for w, p in probability.items() if p > FREQUENT_LOG_PROB and w.islower()}  # as a word, not a name
    return Lexicon(first=frozenset(first - common), ambiguous=frozenset(first & common),
                   last=frozenset(last_names - FUNCTION_WORDS - NOT_NAMES),
                   common=frozenset(common), inflected=frozenset(inflected),
                   wordnet=frozenset(wordnet), not_noun=frozenset(not_noun | inflected),
                   german=frozenset(w for w in german_words if w.islower()), german_nouns=frozenset(german_nouns),
                   places=frozenset(_faker_places()), frequent=frozenset(frequent | CONTRACTIONS))
