"""Redact personal data from a user's message before it is stored or logged.

    redact("I'm Dana Smith, dana@x.org, what does a data scientist do?")
    -> "I'm [NAME], [EMAIL], what does a data scientist do?"

What is found, and how:

- EMAIL: an address with a dotted domain;
- PHONE: `phonenumbers` (Google's libphonenumber, offline) finds numbers written the ways
  people write them, in the US (the default region) and in international `+` form;
- SSN: US social security numbers, 123-45-6789 or 123 45 6789, or nine digits after "SSN";
- MRN: medical record numbers, a number of 5+ characters after "MRN", "medical record
  (number)", "record no." or "patient ID";
- DOB: a date after "born (on)", "DOB", "date of birth", "birthday" (numeric or written);
- NAME: a capitalised name introduced as such: "my name is", "I'm/I am" + capitalised
  words, "call me", "this is", "name:", "patient (named)".

Placeholders keep the rest of the sentence, so the question around them is still answered.
Precision matters too: "I'm a nurse", "I am interested in...", "born in 1990" or role names
are left alone (tests/privacy/pii_corpus.yml measures both).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import List

import phonenumbers

PLACEHOLDERS = {k: f"[{k}]" for k in ("EMAIL", "PHONE", "SSN", "MRN", "DOB", "NAME")}
PHONE_REGION = "US"
MAX_SCAN = 20_000  # longer texts are refused before redaction (server.channels.guard); bound the work anyway

EMAIL = re.compile(r"[\w.!#$%&'*+/=?^`{|}~\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
SSN = re.compile(r"(?<!\d)(?P<v>(?!000|666|9\d\d)\d{3}([- ])(?!00)\d{2}\2(?!0000)\d{4})(?!\d)")
SSN_CUE = re.compile(r"(?i:\b(?:ssn|social security(?: number| no\.?)?)\s*(?:is|:|#)?\s*)(?P<v>\d{9})(?!\d)")
MRN = re.compile(r"(?i:\b(?:mrn|medical record(?: number| no\.?| #)?|record (?:no\.?|number|#)"
                 r"|patient (?:id|number|no\.?|#))\s*(?:is|:|#|=)?\s*#?)"
                 r"(?P<v>(?=[A-Za-z\-]*\d)[A-Za-z0-9\-]{5,})")
MONTHS = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
          r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
DATE = (r"(?:\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4}"
        rf"|{MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
        rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTHS},?\s+\d{{4}})")
DOB = re.compile(rf"(?i:\b(?:born(?: on)?|dob|d\.o\.b\.?|date of birth|birth ?date|birthday)"
                 rf"\s*(?:is|was|:|=)?\s*(?:on\s+)?)(?P<v>(?i:{DATE}))")
# A name: one to three capitalised words (Unicode letters, apostrophes, hyphens).
_WORD = r"(?:[A-Z][a-z]*['\u2019\-])?[A-Z\u00C0-\u024F][a-z\u00DF-\u024F'\u2019\-]+"
NAME_WORD = re.compile(_WORD)
NAME = re.compile(r"(?:\b(?i:my name is|my name's|name\s*:|call me|this is|i am|i'm|i\u2019m|im"
                  r"|patient(?: named| called)?|named|called)\s+(?:(?:Dr|Mr|Mrs|Ms|Prof)\.?\s+)?)"
                  rf"({_WORD}(?:\s+(?:[A-Z]\.\s*)?{_WORD}){{0,2}})")
# Capitalised words after "I'm"/"this is" that are not names (sentence-initial words,
# roles, places, languages, qualities): the corpus's negatives keep this list honest.
NOT_NAMES = {w.lower() for w in """
A An The And But So Or Not Just Also Really Very Still Now Here There Currently Looking Interested
Trying Wondering Curious New Working Studying Going Thinking Considering Planning Hoping Ready
Nurse Doctor Physician Pharmacist Student Engineer Developer Scientist Lawyer Biologist Clinician
Data Software Medical Clinical Registered Senior Junior Retired Former Final Second Third First
English American British German French Spanish Indian Canadian Australian Dutch
Sure Sorry Happy Glad Confused Lost Worried Excited New Fine Okay Ok Good Great Tired Back
From In At On With Into Over Currently Unsure Keen Eager Based Located Living
AI ML It Is Code Care Monday Tuesday Wednesday Thursday Friday Saturday Sunday
""".split()}
NAME_CUE_CASELESS = re.compile(r"(?i)^(?:my name is|my name's|name\s*:|call me)")
# After an explicit "my name is" the name may be written in lower case.
STRONG_NAME = re.compile(r"(?i:\b(?:my name is|my name's|my name:|name\s*:|call me)\s+)"
                         r"([^\W\d_][\w'\u2019\-]*(?:\s+[^\W\d_][\w'\u2019\-]*){0,2})")
STOP_WORDS = NOT_NAMES | {w.lower() for w in """
and or but i im i'm a an the what how which who when where why is are was can could would should
do does did to at on in for of with from by please thanks thank if so because as my me you your
nurse doctor student engineer developer scientist pharmacist lawyer biologist asking here
later back tomorrow now anytime whenever maybe soon today tonight
""".split()}


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int
    end: int


def _phones(text: str) -> List[Finding]:
    found = []
    for match in phonenumbers.PhoneNumberMatcher(text, PHONE_REGION, leniency=phonenumbers.Leniency.POSSIBLE):
        found.append(Finding("PHONE", match.start, match.end))
    return found


def _names(text: str) -> List[Finding]:
    found = []
    for match in NAME.finditer(text):
        cue = match.group(0)[: match.start(1) - match.start(0)]
        words = match.group(1).split()
        if not NAME_CUE_CASELESS.match(cue):
            # weaker cues ("I'm", "this is"): no sentence-start or role words as names
            kept = []
            for word in words:
                if word.strip(".").lower() in NOT_NAMES:
                    break
                kept.append(word)
            words = kept
        if not words:
            continue
        end = match.start(1) + len(" ".join(words)) if len(words) == len(match.group(1).split()) \
            else match.start(1) + _span_of(match.group(1), len(words))
        found.append(Finding("NAME", match.start(1), end))
    for match in STRONG_NAME.finditer(text):
        words = []
        for word in match.group(1).split():
            if word.lower().strip("'\u2019") in STOP_WORDS:
                break
            words.append(word)
        if words:
            found.append(Finding("NAME", match.start(1), match.start(1) + _span_of(match.group(1), len(words))))
    return found


def _span_of(text: str, words: int) -> int:
    """Length of the first `words` whitespace-separated words of text."""
    spans = [m.end() for m in re.finditer(r"\S+", text)]
    return spans[words - 1]


def _value(pattern: "re.Pattern[str]", kind: str, text: str) -> List[Finding]:
    """Findings for the value only (group `v`), not the cue words before it."""
    return [Finding(kind, m.start("v"), m.end("v")) for m in pattern.finditer(text)]


def find(text: str) -> List[Finding]:
    """Every piece of personal data in text, left to right, without overlaps."""
    text = text[:MAX_SCAN]
    candidates: List[Finding] = []
    candidates += [Finding("EMAIL", m.start(), m.end()) for m in EMAIL.finditer(text)]
    candidates += _value(SSN, "SSN", text) + _value(SSN_CUE, "SSN", text)
    candidates += _value(MRN, "MRN", text)
    candidates += _value(DOB, "DOB", text)
    candidates += _phones(text)
    candidates += _names(text)
    # earlier, then longer, first; the more specific kinds win ties (order above)
    order = {k: i for i, k in enumerate(["EMAIL", "SSN", "MRN", "DOB", "PHONE", "NAME"])}
    candidates.sort(key=lambda f: (f.start, -(f.end - f.start), order[f.kind]))
    kept: List[Finding] = []
    for finding in candidates:
        if kept and finding.start < kept[-1].end:
            continue
        kept.append(finding)
    return kept


def redact(text: str) -> str:
    """text with each finding replaced by its placeholder, e.g. [EMAIL]."""
    if not text or not isinstance(text, str):
        return text
    out, last = [], 0
    for finding in find(text):
        out += [text[last:finding.start], PLACEHOLDERS[finding.kind]]
        last = finding.end
    out.append(text[last:])
    return "".join(out)
