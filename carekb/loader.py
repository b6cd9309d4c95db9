"""Load the knowledge folder and check it whole, reporting every problem at once."""
from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any, Dict, List, Optional, Type, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from carekb import contract
from carekb.model import Contact, Entry, Problem, Sources, Vocabulary
from carekb.store import Knowledge

M = TypeVar("M", bound=BaseModel)
ANSWERS_DIR = "answers"
VOCABULARY_FILE = "vocabulary.yml"
SOURCES_FILE = "sources.yml"
CONTACT_FILE = "contact.yml"


class KnowledgeError(ValueError):
    """The knowledge files are not usable; `problems` says where and why."""

    def __init__(self, problems: List[Problem]) -> None:
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{len(problems)} problem(s) in the knowledge files:\n{lines}")


def load_knowledge(folder: Path | str) -> Knowledge:
    """Read every knowledge file under `folder`, or raise KnowledgeError listing all problems."""
    return _Loader(Path(folder)).load()


class _Loader:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.problems: List[Problem] = []

    def load(self) -> Knowledge:
        sources = self._model(SOURCES_FILE, Sources)
        vocabulary = self._model(VOCABULARY_FILE, Vocabulary)
        contact = self._model(CONTACT_FILE, Contact)
        entries, files = self._entries()
        if sources:
            self._check_sources(sources)
        if sources and vocabulary:
            self._check_vocabulary(vocabulary, sources)
        if sources:
            self._check_entries(entries, files, sources)
        if vocabulary:
            self._check_entry_roles(entries, files, vocabulary)
        self._check_phrases(vocabulary, entries, files)
        if self.problems or not sources or not vocabulary or not contact:
            raise KnowledgeError(self.problems)
        return Knowledge(entries=entries, vocabulary=vocabulary, sources=sources, contact=contact)

    # reading

    def _rel(self, path: Path) -> str:
        return str(path.relative_to(self.folder.parent)) if path.is_absolute() else str(path)

    def _yaml(self, path: Path) -> Any:
        name = self._rel(path)
        try:
            return yaml.safe_load(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            self.problems.append(Problem(file=name, message="file is missing"))
        except UnicodeDecodeError:
            self.problems.append(Problem(file=name, message="is not UTF-8 text"))
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
            reason = getattr(error, "problem", None) or str(error)
            self.problems.append(Problem(file=name, message=f"is not valid YAML{at}: {reason}"))
        return None

    def _model(self, file: str, model: Type[M]) -> Optional[M]:
        path = self.folder / file
        data = self._yaml(path)
        if data is None:
            return None
        try:
            return model.parse_obj(data)
        except ValidationError as error:
            self._report(self._rel(path), None, error, data)
            return None

    def _entries(self) -> tuple[Dict[str, Entry], Dict[str, str]]:
        entries: Dict[str, Entry] = {}
        files: Dict[str, str] = {}
        paths = sorted((self.folder / ANSWERS_DIR).glob("*.yml"))
        if not paths:
            self.problems.append(Problem(file=f"{self.folder.name}/{ANSWERS_DIR}", message="holds no .yml files"))
        for path in paths:
            name = self._rel(path)
            data = self._yaml(path)
            if data is None:
                continue
            if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
                self.problems.append(Problem(file=name, message="must hold a list under `entries:`"))
                continue
            for number, raw in enumerate(data["entries"], start=1):
                label = raw.get("answer_id") if isinstance(raw, dict) else None
                label = str(label) if label else f"entry #{number}"
                try:
                    entry = Entry.parse_obj(raw)
                except ValidationError as error:
                    self._report(name, label, error, raw)
                    continue
                if entry.answer_id in entries:
                    self.problems.append(Problem(
                        file=name, entry=label,
                        message=f"answer_id is already used in {files[entry.answer_id]}"))
                    continue
                entries[entry.answer_id] = entry
                files[entry.answer_id] = name
        return entries, files

    def _report(self, file: str, entry: Optional[str], error: ValidationError, raw: Any) -> None:
        for item in error.errors():
            field = ".".join(str(part) for part in item["loc"] if part != "__root__")
            if item["type"] == "value_error.extra":
                message = f"`{field}` is not a known field (check the spelling)"
            elif item["type"] == "value_error.missing":
                message = f"`{field}` is missing"
            else:
                message = f"`{field}` {item['msg']}" if field else item["msg"]
            where = entry
            if entry is None and item["loc"] and item["loc"][0] != "__root__" and isinstance(raw, dict):
                where = _describe(raw, item["loc"])
            self.problems.append(Problem(file=file, entry=where, message=message))

    # cross-checks

    def _check_sources(self, sources: Sources) -> None:
        document = self.folder / sources.document
        name = self._rel(self.folder / SOURCES_FILE)
        try:
            lines = {line.strip() for line in document.read_text(encoding="utf-8").splitlines()}
        except FileNotFoundError:
            self.problems.append(Problem(file=name, message=f"document {sources.document} is missing"))
            return
        for section in sources.sections:
            if section not in lines:
                self.problems.append(Problem(
                    file=name, entry=section,
                    message=f"is not a heading line of {sources.document}"))

    def _check_vocabulary(self, vocabulary: Vocabulary, sources: Sources) -> None:
        name = self._rel(self.folder / VOCABULARY_FILE)
        role_ids = [r.id for r in vocabulary.roles]
        background_ids = [b.id for b in vocabulary.backgrounds]
        for missing in sorted(set(contract.ROLES) - set(role_ids)):
            self.problems.append(Problem(file=name, entry=f"role {missing}", message="is missing"))
        for missing in sorted(set(contract.BACKGROUNDS) - set(background_ids)):
            self.problems.append(Problem(file=name, entry=f"background {missing}", message="is missing"))
        for role in vocabulary.roles:
            if role.section not in sources.sections:
                self.problems.append(Problem(
                    file=name, entry=f"role {role.id}",
                    message=f"section {role.section!r} is not listed in {SOURCES_FILE}"))
            if role.as_background not in background_ids:
                self.problems.append(Problem(
                    file=name, entry=f"role {role.id}",
                    message=f"as_background {role.as_background!r} is not a background id"))

    def _check_entries(self, entries: Dict[str, Entry], files: Dict[str, str], sources: Sources) -> None:
        for answer_id, entry in entries.items():
            for section in entry.source:
                if section not in sources.sections:
                    self.problems.append(Problem(
                        file=files[answer_id], entry=answer_id,
                        message=f"source {section!r} is not a section listed in {SOURCES_FILE}"))
            for other in entry.related:
                if other not in entries:
                    self.problems.append(Problem(
                        file=files[answer_id], entry=answer_id,
                        message=f"related {other!r} is not an answer_id of any entry"))
                elif other == answer_id:
                    self.problems.append(Problem(
                        file=files[answer_id], entry=answer_id, message="is related to itself"))
        for missing in sorted(contract.required_ids() - set(entries)):
            self.problems.append(Problem(
                file=f"{self.folder.name}/{ANSWERS_DIR}", entry=missing,
                message="is required by the answer-id contract but no entry has it"))

    def _check_entry_roles(self, entries: Dict[str, Entry], files: Dict[str, str],
                           vocabulary: Vocabulary) -> None:
        role_ids = {r.id for r in vocabulary.roles}
        for answer_id, entry in entries.items():
            for key in ("roles", "lists"):
                for role in getattr(entry, key):
                    if role not in role_ids:
                        self.problems.append(Problem(
                            file=files[answer_id], entry=answer_id,
                            message=f"{key}: {role!r} is not a role id of {VOCABULARY_FILE}"))

    def _check_phrases(self, vocabulary: Optional[Vocabulary], entries: Dict[str, Entry],
                       files: Dict[str, str]) -> None:
        """A phrase may name only one thing of each kind, or the assistant could not tell which."""
        vocab_file = self._rel(self.folder / VOCABULARY_FILE)
        owners: Dict[tuple[str, str], List[str]] = {}
        if vocabulary:
            for role in vocabulary.roles:
                for phrase in vocabulary.role_phrases(role):
                    owners.setdefault(("role", phrase.lower()), []).append(f"role {role.id}")
            for background in vocabulary.backgrounds:
                for phrase in background.synonyms:
                    owners.setdefault(("background", phrase.lower()), []).append(f"background {background.id}")
            for aspect, phrases in vocabulary.aspects.items():
                for phrase in phrases:
                    owners.setdefault(("aspect", phrase.lower()), []).append(f"aspect {aspect}")
        for answer_id, entry in entries.items():
            for phrase in entry.keywords:
                owners.setdefault(("topic", phrase.lower()), []).append(answer_id)
            for phrase in entry.covers_partly:
                owners.setdefault(("covers_partly", phrase.lower()), []).append(answer_id)
        for (kind, phrase), names in owners.items():
            counted = Counter(names)
            if len(counted) > 1:
                first = names[0]
                file = files.get(first, vocab_file)
                self.problems.append(Problem(
                    file=file, entry=first,
                    message=f"{kind} phrase {phrase!r} also names {', '.join(sorted(set(names) - {first}))}"))


def _describe(raw: dict, loc: tuple) -> str:
    """Name the vocabulary item an error points into, e.g. 'roles[2] (ai_ethicist)'."""
    head = loc[0]
    if len(loc) > 1 and isinstance(loc[1], int):
        items = raw.get(head)
        item = items[loc[1]] if isinstance(items, list) and loc[1] < len(items) else None
        ident = item.get("id") if isinstance(item, dict) else None
        return f"{head}[{loc[1] + 1}]" + (f" ({ident})" if ident else "")
    return str(head)
