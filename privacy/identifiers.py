"""National identity and health numbers that need no cue word: their format or their check
digit says what they are (python-stdnum's validators, offline).

- NHS and CHI numbers (UK): ten digits, alone or as 3-3-4, with a valid mod-11 check digit: MRN;
- German tax id (Steuer-IdNr.), eleven digits with its check digit; Irish PPS numbers (seven
  digits and a check letter); Indian Aadhaar numbers as printed (4-4-4 digits, Verhoeff): SSN;
- payment card numbers (13 to 19 digits, alone or in groups) with a valid Luhn check digit: CARD;
- Swiss AHV numbers as printed (756.xxxx.xxxx.xx), UK National Insurance numbers
  (AB 12 34 56 C) and German social insurance numbers (65 170839 J 003), whose grouping is
  distinctive enough without a checksum; Indian PAN cards (ABCDE1234F, by stdnum's format
  check): SSN;
- any other long number (HIPAA Safe Harbor's "any other unique identifying number"): eight
  or more digits, alone or in groups, perhaps with letters, that is not a date, a range of
  years or an amount, and not after a word that makes it something else (ticket, order,
  version, a code system such as SNOMED): ID. Identity numbers come in more national formats
  than any list can name, and a career chat has little use for long numbers of its own.

Numbers in other formats are found after their name (privacy.redact's cues).

A run of digits that is part of a longer number or code is not looked at.
"""
from __future__ import annotations

import re
from typing import Callable, List, Tuple

from stdnum.de import idnr
from stdnum.gb import nhs
from stdnum.ie import pps
from stdnum import luhn
from stdnum.in_ import aadhaar, pan

Span = Tuple[str, int, int]
SEPARATORS = re.compile(r"[ .\-]")
EDGE_BEFORE = r"(?<![\w.\-/+])"
EDGE_AFTER = r"(?![\w\-/]|\.\d)"
CHECKED: List[Tuple[str, "re.Pattern[str]", Callable[[str], bool]]] = [
    ("MRN", re.compile(EDGE_BEFORE + r"(?:\d{3}[ \-]?\d{3}[ \-]?\d{4})" + EDGE_AFTER), nhs.is_valid),
    ("SSN", re.compile(EDGE_BEFORE + r"(?:\d{2} ?\d{3} ?\d{3} ?\d{3})" + EDGE_AFTER), idnr.is_valid),
    ("SSN", re.compile(EDGE_BEFORE + r"\d{7}[A-Wa-w][A-Ia-iWw]?" + EDGE_AFTER), pps.is_valid),
    ("SSN", re.compile(EDGE_BEFORE + r"[2-9]\d{3} \d{4} \d{4}" + EDGE_AFTER), aadhaar.is_valid),
    ("CARD", re.compile(EDGE_BEFORE + r"[2-6]\d{3}(?:[ \-]?\d{4}){2}[ \-]?\d{1,7}" + EDGE_AFTER), luhn.is_valid),
]
FORMATS: List[Tuple[str, "re.Pattern[str]"]] = [
    ("SSN", re.compile(r"\b[A-Z]{2}[ \-]?\d{2}[ \-]?\d{2}[ \-]?\d{2}[ \-]?[A-D]\b")),  # also HMRC's "QQ" examples
    ("SSN", re.compile(r"\b\d{2} ?[0-3]\d[01]\d{3} ?[A-Z] ?\d{3}\b")),
    ("SSN", re.compile(EDGE_BEFORE + r"756\.\d{4}\.\d{4}\.\d{2}" + EDGE_AFTER)),  # Swiss AHV, as printed
]
PAN = re.compile(r"\b[A-Z]{5}\d{4}[A-Z]\b")
MACHINE_ID = re.compile(r"[0-9a-f]{16,}")  # Rasa's message and model ids, hashes
# A code of letters and digits (a passport, a unit or case number): six digits or more, or
# five with letters between them ("FB123456", "RTH5548821", "0456712K", "L01X00T47").
CODE = re.compile(EDGE_BEFORE + r"(?:[A-Z]{1,4}[\- ]|[A-Za-z]{1,4})?\d[\dA-Za-z]*(?:[\- ]\d{3,})*" + EDGE_AFTER)
# issue trackers' and standards' prefixes: "INC0048213", "ISO 13485", "CVE-2024-49375"
NOT_PERSONAL_PREFIX = re.compile(r"(?i)(?:inc|req|ritm|chg|task|prb|sr|tkt|cs|iso|iec|en|din|ieee|nct|cve|ghsa|icd|doi"
                                 r"|pmid|jira|bug|pr|gsk|rfc|fy|q[1-4]|d|a|ch)(?:[\- ]|(?=\d))")
LONG_NUMBER = re.compile(EDGE_BEFORE + r"(?:[A-Za-z]{1,4}-?)?\d(?:[ .\-/]?[A-Za-z]?\d){7,}[A-Za-z]?" + EDGE_AFTER)
NOT_IDENTIFYING = (
    re.compile(r"\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4}|(?:19|20)\d\d ?[\-/] ?(?:19|20)\d\d"),  # a date, years
    re.compile(r"(?i:ticket|ref|reference|order|invoice|version|build|room|raum|zimmer|vorgang|auftrag"
               r"|bestell\w*|concept|code|snomed|icd|loinc|isbn|doi|pmid|nct|module|modul|course|kurs|model|modell|serial)\W*(?:no\.?|nr\.?|#|number|nummer|id)?\W*(?:is\s+|ist\s+)?$"),
    re.compile(r"\s*(?:€|eur|euro|\$|usd|£|gbp|chf|%|k\b|m\b|mio|parameters|params|tokens|rows|records|patients|images)",
               re.IGNORECASE),
)


def find_identifiers(text: str) -> List[Span]:
    """(kind, start, end) of each identifier found by its format or check digit."""
    found = [(kind, m.start(), m.end()) for kind, pattern, valid in CHECKED
             for m in pattern.finditer(text) if valid(SEPARATORS.sub("", m.group()))]
    found += [(kind, m.start(), m.end()) for kind, pattern in FORMATS for m in pattern.finditer(text)]
    found += [("SSN", m.start(), m.end()) for m in PAN.finditer(text) if pan.is_valid(m.group())]
    found += [("ID", m.start(), m.end()) for m in LONG_NUMBER.finditer(text) if _identifying(text, m)]
    found += [("ID", m.start(), m.end()) for m in CODE.finditer(text) if _code(text, m)]
    return found


def _code(text: str, match: "re.Match[str]") -> bool:
    """Letters and digits together, with enough digits to tell someone apart, and no word or
    prefix that makes it a ticket, a standard or a product."""
    code = match.group()
    digits = sum(c.isdigit() for c in code)
    if not any(c.isalpha() for c in code):
        return False
    if digits < 6 and not (digits >= 5 and re.search(r"\d[A-Za-z]+\d", code)):
        return False
    return _identifying(text, match, digits=5)


def _identifying(text: str, match: "re.Match[str]", digits: int = 8) -> bool:
    """A long number that nothing around it makes a date, an amount or another kind of code."""
    date, cue, unit = NOT_IDENTIFYING
    before = text[max(0, match.start() - 25):match.start()]
    if sum(c.isdigit() for c in match.group()) < digits:
        return False
    if date.fullmatch(match.group()) or (match.start() and text[match.start() - 1] in "$€£") \
            or NOT_PERSONAL_PREFIX.match(match.group()) or MACHINE_ID.fullmatch(match.group()):
        return False
    return not cue.search(before) and not unit.match(text, match.end())
