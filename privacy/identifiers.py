"""National identity and health numbers that need no cue word: their format or their check
digit says what they are (python-stdnum's validators, offline).

- NHS and CHI numbers (UK): ten digits, alone or as 3-3-4, with a valid mod-11 check digit: MRN;
- German tax id (Steuer-IdNr.), eleven digits with its check digit; Irish PPS numbers (seven
  digits and a check letter); Indian Aadhaar numbers as printed (4-4-4 digits, Verhoeff): SSN;
- payment card numbers (13 to 19 digits, alone or in groups) with a valid Luhn check digit: CARD;
- Swiss AHV numbers as printed (756.xxxx.xxxx.xx), UK National Insurance numbers
  (AB 12 34 56 C) and German social insurance numbers (65 170839 J 003), whose grouping is
  distinctive enough without a checksum: SSN.

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
from stdnum.in_ import aadhaar

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


def find_identifiers(text: str) -> List[Span]:
    """(kind, start, end) of each identifier found by its format or check digit."""
    found = [(kind, m.start(), m.end()) for kind, pattern, valid in CHECKED
             for m in pattern.finditer(text) if valid(SEPARATORS.sub("", m.group()))]
    found += [(kind, m.start(), m.end()) for kind, pattern in FORMATS for m in pattern.finditer(text)]
    return found
