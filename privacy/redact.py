"""Redact personal data from a user's message before it is stored or logged.

    redact("I'm Dana Smith, dana@x.org, what does a data scientist do?")
    -> "I'm [NAME], [EMAIL], what does a data scientist do?"

What is found, and how (English and German):

- EMAIL: an address with a dotted domain, or spelled out ("dana dot smith at example dot org");
- PHONE: `phonenumbers` (Google's libphonenumber, offline): numbers as written in the US
  (the default region) or in international `+`/`00` form, and national numbers with a
  trunk 0 as written in the UK, Germany, France and India; not after "ticket", "ref", "order";
- SSN: US social security numbers (123-45-6789, 123 45 6789, 123.45.6789); any country's
  identity, insurance or tax number after its name ("NI number", "PPS", "BSN", "PESEL",
  "Steuer-ID", "SV-Nummer", "Aadhaar", ...); and those privacy.identifiers knows by their
  format or check digit without a name (NI numbers, German SV numbers, Steuer-ID, AHV, ...);
- MRN: a record number (3+ characters with a digit, and the groups of digits after it)
  after "MRN", "med rec", "patient ID", "hosp no", "case ref", "UHID", "NHS number",
  "Fallnr.", "KV-Nr", "Mitgliedsnummer" ...; NHS and CHI numbers by their check digit;
- DOB: a date after "born", "DOB", "bday", "date of birth", "geboren", "*" (numeric, or in
  words: "the 2nd of January 1980", "March 3rd 1975", "5. März 1980", "neunten märz 1993",
  the year in words too; or just a month and year: "born in march 1985"),
  before "is my birthday"; and any whole date in a year a user could have been born, unless
  the words before it make it another event ("graduated on", "seit dem", "deadline");
- CARD: a payment card number with a valid Luhn check digit (privacy.identifiers);
- ID: any other long number (eight digits or more) that is not a date or an amount (privacy.identifiers);
- NAME: privacy.names (name lists and the context of each word).

Placeholders keep the rest of the sentence, so the question around them is still answered.
Precision matters too: "I'm a nurse", "I am interested in...", "born in 1990" or role names
are left alone (tests/privacy measures both on labelled corpora written independently).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import List

import phonenumbers

from privacy.identifiers import find_identifiers
from privacy.names import find_names

PLACEHOLDERS = {k: f"[{k}]" for k in ("EMAIL", "PHONE", "SSN", "MRN", "DOB", "NAME", "CARD", "ID")}
PHONE_REGION = "US"
NATIONAL_REGIONS = ("GB", "DE", "FR", "IN")
MAX_SCAN = 20_000  # longer texts are cut there and marked (server.channels.guard refuses them before)
TRUNCATED = " [TRUNCATED]"

EMAIL = re.compile(r"[\w.!#$%&'*+/=?^`{|}~\-]+@[\w\-]+(?:\.[\w\-]+)*\.[A-Za-z]{2,}")
# spelled out so that no link is made: "ogechi dot nwosu at gmail dot com", "x [at] y [dot] org"
# (in German "punkt" for the dot: "lena punkt maier at web punkt de")
DOT_WORD = r"(?:\b(?:dot|punkt)\b|[\[(](?:dot|punkt)[\])])"
SPELLED_DOT = re.compile(rf"(?i:{DOT_WORD})")
SPELLED_EMAIL = re.compile(
    rf"(?i:[\w\-]+(?:\s*(?:\.|{DOT_WORD})\s*[\w\-]+)*\s*(?:\bat\b|[\[(](?:at|@)[\])])\s*[\w\-]+"
    rf"(?:\s*{DOT_WORD}\s*[a-z]{{2,}})*\s*{DOT_WORD}\s*"
    r"(?:com|org|net|edu|gov|nhs|ac|co|uk|de|at|ch|fr|es|it|nl|ie|in|ng|au|ca|io|info|eu)\b)")
SSN = re.compile(r"(?<![\d.])(?P<v>(?!000|666|9\d\d)\d{3}([- .])(?!00)\d{2}\2(?!0000)\d{4})(?![\d])")
# A national identity, insurance or tax number after its name, in any country's format (5+ digits):
# groups of digits, with letters in them or one or two letters alone ("65 170839 J 003", "7654321WA").
ID_GROUP = r"(?:[A-Za-z]{0,3}\d[A-Za-z0-9]*|[A-Za-z]{1,2}(?![A-Za-z]))"
ID_CUE = re.compile(r"(?i:\b(?:ssn|social(?: security)?(?: number| no\.?| #)?|soc\.? sec\.?(?: no\.?)?"
                    r"|nino?|ni (?:number|no\.?)|national insurance(?: number| no\.?)?|ppsn?|bsn|pesel|personnummer"
                    r"|national id(?:entity)?(?: number| no\.?| card)?|tax (?:id|number|no\.?)|tin"
                    r"|steuer[\- ]?(?:id|nummer|nr\.?|identifikationsnummer)|steuerid|ahv(?:[\- ]?(?:nummer|nr\.?))?"
                    r"|sv[\- ]?(?:nummer|nr\.?)|svnr|(?:sozial|renten)versicherungs[\- ]?(?:nummer|nr\.?)"
                    r"|aadhaa?r(?: number| no\.?)?|uidai|rv[\- ]?(?:nummer|nr\.?)|pan(?: card| number| no\.?)?|tfn|tax file number)"
                    r"\s*(?:(?:[:#=\-]|is|ist|lautet|it's|its|,)\s*){0,3})"
                    rf"(?P<v>(?=(?:[^\d\n]{{0,3}}\d){{5}}){ID_GROUP}(?:[ .\-/]{ID_GROUP}){{0,8}})(?![\w])")
MRN = re.compile(r"(?i:\b(?:mrn|med(?:ical|\.)? rec(?:ord|\.)?(?: number| no\.?| #)?|record (?:no\.?|number|#)"
                 r"|(?:hosp(?:ital|\.)?|pt\.?|pat\.?)[ \-]?(?:number|no\.?|id|nr\.?|#)|case (?:ref(?:erence)?|number|no\.?|id)"
                 r"|uhid|kv[\- ]?(?:nr\.?|nummer)|mitglieds[\- ]?(?:nummer|nr\.?)"
                 r"|aufnahme[\- ]?(?:nummer|nr\.?)|fall[\- ]?(?:nummer|nr\.?)|(?:kranken)?versicherten[\- ]?(?:nummer|nr\.?)"
                 r"|patient(?=\s+\d)"
                 r"|patient(?:en)?[\- ]?(?:id|number|nummer|nr\.?|no\.?|#)|hospital (?:number|no\.?)"
                 r"|chart (?:number|no\.?|#)|chart(?=\s*#)|(?:nhs|chi) (?:number|no\.?)|kvnr"
                 r"|insurance (?:number|no\.?|id)|member (?:number|no\.?|id))"
                 r"(?:(?:\s+\S+){0,3}?\s*:|\s*(?::|is|ist|lautet|=|-|it's|\()?)\s*#?\s*)"
                 # a code with a digit, and the groups of digits after it ("RVJ 227 3301", "X 9876 5432 1")
                 r"(?P<v>(?:[A-Za-z]{1,4} (?=\d))?(?=[A-Za-z\-/]*\d)[A-Za-z0-9][A-Za-z0-9\-/]{2,}(?: \d{1,6}(?![\w\-]))*)")
MONTHS = (r"(?:jan(?:uary|uar)?|jän(?:ner)?|feb(?:ruary|ruar)?|mar(?:ch)?|märz|mrz|apr(?:il)?|ma[yi]"
          r"|june?|juni|july?|juli|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|okt(?:ober)?"
          r"|nov(?:ember)?|dec(?:ember)?|dez(?:ember)?)\.?")
EN_ORDINALS = ("first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth "
               "fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth thirtieth").split()
DE_ORDINALS = ("erst zweit dritt viert fünft sechst siebt acht neunt zehnt elft zwölft dreizehnt vierzehnt "
               "fünfzehnt sechzehnt siebzehnt achtzehnt neunzehnt zwanzigst dreißigst").split()
WORD_DAY = (r"(?:(?:twenty|thirty)[\- ]?)?(?:" + "|".join(EN_ORDINALS) + r")"
            r"|(?:(?:ein|zwei|drei|vier|fünf|sechs|sieben|acht|neun)und)?(?:" + "|".join(DE_ORDINALS) + r")e[nrm]?")
DAY = rf"(?:\d{{1,2}}(?:st|nd|rd|th|te[nr]?|\.)?|{WORD_DAY})"
# a year in digits, or in words as people say it ("nineteen eighty-five", "neunzehnhundertneunzig")
UNITS = r"(?:one|two|three|four|five|six|seven|eight|nine)"
WORD_YEAR = (rf"(?:nineteen|twenty)[\- ](?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\- ]{UNITS})?|oh[\- ]{UNITS}|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)"
             r"|(?:neunzehnhundert|zweitausend)[a-zäöüß]*")
YEAR = rf"(?:\d{{4}}|'?\d{{2}}|{WORD_YEAR})(?![\d/.\-]\d)"
DATE = (r"(?:\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4}(?![\d/.\-]\d)"
        rf"|\d{{1,2}}-{MONTHS}-{YEAR}"
        rf"|{MONTHS}\s+(?:the\s+)?{DAY},?\s+{YEAR}"
        rf"|(?:the\s+)?{DAY}\s+(?:of\s+)?{MONTHS},?\s+{YEAR})")
DOB_CUE = (r"born|dob|d\.o\.b\.?|date of birth|birth ?date|birthday|b-?day|geboren|geb\.(?:-datum)?|geb"
           r"|geburtsdatum|geburtstag")
# after a cue, a month and year is enough: "born in march 1985", "geboren im Juli 1979"
DOB = re.compile(rf"(?i:(?:\b(?:{DOB_CUE})\b|(?<!\S)\*(?=\s*\d))\.?\s*(?:(?:is|was|:|=|ist|lautet|der|am|on|in|im|\(|,|which|her|his|my)\s*){{0,4}})"
                 rf"(?P<v>(?i:{DATE}|{MONTHS},?\s+(?:\d{{4}}|{WORD_YEAR})(?![\d/.\-]\d)))")
DOB_AFTER = re.compile(rf"(?i:\bam\s+)(?P<v>(?i:{DATE}))(?i:\s+geboren\b)"  # "am 5. März 1980 geboren"
                       rf"|(?<![\w/.\-])(?P<w>(?i:{DATE}))(?i:\s+(?:is|was)\s+(?:my|her|his)\s+(?:{DOB_CUE})\b)")
# A whole date (day, month, year) in a year when a user could have been born is a birth date,
# unless words before it say it is something else ("graduated on", "seit dem", "from ... to").
FULL_DATE = re.compile(rf"(?<![\w/.\-])(?P<v>(?i:{DATE}))")
BIRTH_YEARS = range(1930, 2011)
EVENT_CUE = re.compile(r"(?i:graduat\w*|qualif\w*|start\w*|began|begin\w*|join\w*|since|from|until|till|to|between"
                       r"|on|by|due|deadline|closes?|opens?|expir\w*|issued|dated|seit|bis|vom|ab|zum|frist|abschluss"
                       r"|approbation|examen|interview\w*|appointment|termin|ended|left|hired|employed|worked|published"
                       r"|released|founded|opened|approved|cleared|version|updated?|last)\W+(?:the\s+|dem\s+|den\s+)?$")
ANY_DIGIT = re.compile(r"\d")
# a run of 7+ digits with separators: only then is it worth asking libphonenumber
DIGITS = re.compile(r"\d(?:[\s().\-/]{0,3}\d){6}")
NATIONAL = re.compile(r"(?<![\w+])\(?0\d")
PHONE_CUE = re.compile(r"(?i:phone|call|tel|mobile|cell|number|nummer|handy|mobil|ring|text|whatsapp|reach)\W*$")
GLUED = re.compile(r"[\w/]")
NOT_PHONE_CUE = re.compile(r"(?i:ticket|ref|reference|order|invoice|version|build|code|case|vorgang|auftrag)\W*(?:no\.?|nr\.?|#|nummer)?\W*$")


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int
    end: int


def _phones(text: str) -> List[Finding]:
    if not DIGITS.search(text):
        return []
    found = [Finding("PHONE", m.start, m.end) for m in
             phonenumbers.PhoneNumberMatcher(text, PHONE_REGION, leniency=phonenumbers.Leniency.POSSIBLE)
             if _phone_like(text, m)]
    if NATIONAL.search(text):
        for region in NATIONAL_REGIONS:
            for m in phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.POSSIBLE):
                # a national number (trunk 0) long enough not to be a date or a code
                if re.match(r"\(?0", m.raw_string) and _digits(m.raw_string) >= 9 and _phone_like(text, m):
                    found.append(Finding("PHONE", m.start, m.end))
    return found


def _digits(text: str) -> int:
    return sum(c.isdigit() for c in text)


def _phone_like(text: str, match: phonenumbers.PhoneNumberMatch) -> bool:
    """Not part of a code ("MR/X012345/1"); a short local number only after a word for phoning."""
    if (match.start and GLUED.match(text[match.start - 1])) or GLUED.match(text[match.end:match.end + 1] or " "):
        return False
    before = text[max(0, match.start - 20):match.start]
    if NOT_PHONE_CUE.search(before):
        return False
    return _digits(match.raw_string) >= 8 or bool(PHONE_CUE.search(before))


def _birth_dates(text: str) -> List[Finding]:
    """Whole dates in a birth year, not introduced as another event."""
    found = []
    for m in FULL_DATE.finditer(text):
        years = [int(y) for y in re.findall(r"(?<!\d)(\d{4})(?!\d)", m.group("v"))]
        if years and years[-1] in BIRTH_YEARS and not EVENT_CUE.search(text[max(0, m.start() - 30):m.start()]):
            found.append(Finding("DOB", m.start("v"), m.end("v")))
    return found


def _value(pattern: "re.Pattern[str]", kind: str, text: str, group: str = "v") -> List[Finding]:
    """Findings for the value only (its group), not the cue words around it."""
    return [Finding(kind, m.start(group), m.end(group)) for m in pattern.finditer(text) if m.group(group)]


def find(text: str) -> List[Finding]:
    """Every piece of personal data in text (its first MAX_SCAN characters), left to right, without overlaps."""
    text = text[:MAX_SCAN]
    candidates: List[Finding] = []
    candidates += [Finding("EMAIL", m.start(), m.end()) for m in EMAIL.finditer(text)]
    if SPELLED_DOT.search(text):
        candidates += [Finding("EMAIL", m.start(), m.end()) for m in SPELLED_EMAIL.finditer(text)]
    # dates of birth may be all words ("am vierten juli neunzehnhundertneunzig geboren")
    candidates += _value(DOB, "DOB", text) + _value(DOB_AFTER, "DOB", text) + _value(DOB_AFTER, "DOB", text, "w")
    if ANY_DIGIT.search(text):  # every kind below has a digit in it
        candidates += _value(SSN, "SSN", text) + _value(ID_CUE, "SSN", text)
        candidates += _value(MRN, "MRN", text)
        candidates += _birth_dates(text)
        candidates += _phones(text)
        candidates += [Finding(kind, start, end) for kind, start, end in find_identifiers(text)]
    candidates += [Finding("NAME", start, end) for start, end in find_names(text)]
    # earlier, then longer, first; the more specific kinds win ties (order above)
    order = {k: i for i, k in enumerate(["EMAIL", "CARD", "SSN", "MRN", "DOB", "PHONE", "ID", "NAME"])}
    candidates.sort(key=lambda f: (f.start, -(f.end - f.start), order[f.kind]))
    kept: List[Finding] = []
    for finding in candidates:
        if kept and finding.start < kept[-1].end:
            if finding.end > kept[-1].end and order[finding.kind] < order[kept[-1].kind]:
                kept[-1] = Finding(finding.kind, kept[-1].start, finding.end)
            continue
        kept.append(finding)
    return kept


def redact(text: str) -> str:
    """text with each finding replaced by its placeholder, e.g. [EMAIL]; cut at MAX_SCAN."""
    if not text or not isinstance(text, str):
        return text
    cut = len(text) > MAX_SCAN
    text = text[:MAX_SCAN]
    out, last = [], 0
    for finding in find(text):
        out += [text[last:finding.start], PLACEHOLDERS[finding.kind]]
        last = finding.end
    out.append(text[last:])
    return "".join(out) + (TRUNCATED if cut else "")
