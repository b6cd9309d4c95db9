"""The shapes of the knowledge files, checked field by field when they load."""
from __future__ import annotations

import re
from typing import Dict, List, Literal, Optional

from pydantic import BaseModel, Extra, Field, validator

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

    _lists = validator("source", "related", "keywords", pre=True, allow_reuse=True)(_as_list)

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
    follow_ups: List[str] = []
    medical_terms: List[str] = []


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
