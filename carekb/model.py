"""The shapes of the knowledge files, checked field by field when they load."""
from __future__ import annotations

import re
from typing import Dict, List, Literal, Optional

from pydantic import BaseModel, Extra, Field, root_validator, validator

MAX_WORDS = 120
MAX_RELATED = 3
ANSWER_ID = r"^[a-z][a-z_]*(\.[a-z][a-z_]*)+$"
SLUG = r"^[a-z][a-z_]*$"


def _as_list(value: object) -> object:
    """Let a single string stand where a list of strings is expected."""
    return [value] if isinstance(value, str) else value


class _Strict(BaseModel):
    class Config:
        extra = Extra.forbid
        anystr_strip_whitespace = True
        allow_mutation = False


class Entry(_Strict):
    """One answer the assistant can give."""

    answer_id: str = Field(..., regex=ANSWER_ID)
    title: str = Field(..., min_length=1, max_length=60)
    basis: Literal["document", "derived", "assistant"]
    source: List[str] = []
    text: str = Field(..., min_length=1)
    related: List[str] = Field([], max_items=MAX_RELATED)
    keywords: List[str] = []
    # The roles this answer recommends or names, best first: the first is the conversation's
    # focus afterwards ("what would I need to learn?" after career advice).
    roles: List[str] = []
    # The roles this answer lists without recommending one (the overview), in its order:
    # "the second one" afterwards picks from them; the focus stays where it was.
    lists: List[str] = []
    # Phrases of questions the guide answers only in part with this entry (pay: "competitive
    # compensation"): such a question gets this entry rather than "not covered".
    covers_partly: List[str] = []

    _lists = validator("source", "related", "keywords", "roles", "lists", "covers_partly", pre=True,
                       allow_reuse=True)(_as_list)

    @validator("text")
    def _short_enough(cls, text: str) -> str:
        words = len(re.findall(r"\S+", text))
        if words > MAX_WORDS:
            raise ValueError(f"has {words} words; answers must stay under {MAX_WORDS} for chat")
        return text

    @validator("source", always=True)
    def _source_matches_basis(cls, source: List[str], values: dict) -> List[str]:
        basis = values.get("basis")
        if basis in ("document", "derived") and not source:
            raise ValueError(f"is required when basis is {basis}: name the document section")
        if basis == "assistant" and source:
            raise ValueError("must be empty when basis is assistant (the assistant's own words)")
        return source

    @validator("keywords", each_item=True)
    def _keyword_not_blank(cls, keyword: str) -> str:
        if not keyword.strip():
            raise ValueError("must not be blank")
        return keyword


class Role(_Strict):
    """A career role and the ways people name it."""

    id: str = Field(..., regex=SLUG)
    name: str
    summary: str
    section: str
    as_background: str
    synonyms: List[str] = Field(..., min_items=1)
    stems: List[str] = []
    # The role's work in people's own words ("the go-between for IT and the wards"): a
    # who-question that names no role is matched against these and the role's answers.
    work: List[str] = []


class Background(_Strict):
    """A kind of education or work history someone may come from."""

    id: str = Field(..., regex=SLUG)
    name: str
    synonyms: List[str] = Field(..., min_items=1)


class Vocabulary(_Strict):
    """How people name roles, backgrounds, aspects and medical matters."""

    def role_phrases(self, role: Role) -> List[str]:
        """A role's name, synonyms, and each stem joined to each role noun ("compliance folks")."""
        combined = [f"{stem} {noun}" for stem in role.stems for noun in self.role_nouns]
        return list(dict.fromkeys([role.name, *role.synonyms, *combined]))

    roles: List[Role] = Field(..., min_items=1)
    role_nouns: List[str] = []
    backgrounds: List[Background] = Field(..., min_items=1)
    aspects: Dict[Literal["duties", "skills", "example"], List[str]]
    references: List[str] = []
    # Words that point at one of the roles just offered ("the first one", "the latter").
    ordinals: Dict[Literal["1", "2", "3", "4", "5", "last"], List[str]] = {}
    follow_ups: List[str] = []
    # Words of thanks in any language ("ta", "gracias"), and the words that go with them
    # ("ok", "lovely"): a message of only these is thanks.
    thanks: List[str] = []
    thanks_fillers: List[str] = []
    # Openings that ask which role does some work ("who makes sure...", "which job...").
    who_questions: List[str] = []
    # Places written in lower case too ("in germany", "for the nhs"): pay or a certificate
    # asked of one is not covered.
    places: List[str] = []
    medical_terms: List[str] = []
    # Words that ask for medical advice (a dose, whether to take or stop something, what a
    # result means): with a medical term they decline however the question is wrapped.
    medical_requests: List[str] = []


class Contact(_Strict):
    """Who people reach when they ask for a person: edited by the hospital, no code."""

    team: str = Field(..., min_length=2, max_length=80)
    email: Optional[str] = None
    phone: Optional[str] = None
    link: Optional[str] = None
    hours: str = Field(..., min_length=2, max_length=120)
    placeholder: bool = False

    @validator("email")
    def _email(cls, email: str) -> str:
        if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}", email):
            raise ValueError(f"{email!r} is not an email address like careers@hospital.org")
        return email

    @validator("phone")
    def _phone(cls, phone: str) -> str:
        if not re.fullmatch(r"\+?[0-9][0-9 ()./-]{5,20}", phone):
            raise ValueError(f"{phone!r} is not a phone number (digits, spaces, + ( ) - . /)")
        return phone

    @validator("link")
    def _link(cls, link: str) -> str:
        if not re.fullmatch(r"https://[^\s<>\"]+", link):
            raise ValueError(f"{link!r} must be a web address starting with https://")
        return link

    @root_validator(skip_on_failure=True)
    def _some_way_to_reach(cls, values: dict) -> dict:
        if not any(values.get(k) for k in ("email", "phone", "link")):
            raise ValueError("give at least one of email, phone or link")
        return values


class Sources(_Strict):
    """The source document and the section headings answers may cite."""

    document: str
    title: str
    sections: List[str] = Field(..., min_items=1)


class Problem(BaseModel):
    """One thing wrong in a knowledge file, said so a non-programmer can fix it."""

    file: str
    entry: Optional[str] = None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.entry}" if self.entry else self.file
        return f"{where}: {self.message}"
