"""The images' file sets without a Docker engine: a Dockerfile's final stage, its COPY lines and
its .dockerignore, built into an empty folder that stands in for the image's filesystem.

There is no Docker daemon here, so nothing is installed: the build stage's venv (`COPY --from`)
is stood in for by a symlink to this repository's .venv, which has the same pinned packages
(the actions image installs fewer; the file set, not the package set, is what this checks).
What is checked for real: every file the image's CMD needs is copied (and not dropped by the
.dockerignore), and the CMD starts with the image's ENV and WORKDIR from that folder only.

The parser knows the instructions these Dockerfiles use (FROM ... AS, ENV, WORKDIR, COPY
with flags, CMD/USER/EXPOSE; anything else is kept but not interpreted) and the
.dockerignore syntax of Docker's patternmatcher (`*`, `?`, `**`, `[...]`, `!` exceptions,
the last matching line wins, a pattern matching a folder matches what is in it).
"""
from __future__ import annotations

import json
import os
import re
import shlex
import shutil
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Dict, Iterator, List, Mapping, Optional, Pattern, Sequence, Tuple

# What the python:3.10-slim base image sets that the final stage builds on.
BASE_IMAGE_ENV = {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C.UTF-8"}
VARIABLE = re.compile(r"\$(?:\{(\w+)\}|(\w+))")


class BuildError(RuntimeError):
    """What `docker build` would fail on, e.g. a COPY source missing from the context."""


@dataclass
class Copy:
    sources: List[str]
    dest: str
    flags: Dict[str, str]
    line: str


@dataclass
class Stage:
    base: str
    name: Optional[str] = None
    env: Dict[str, str] = field(default_factory=dict)
    workdir: str = "/"
    copies: List[Copy] = field(default_factory=list)
    cmd: List[str] = field(default_factory=list)
    user: Optional[str] = None
    expose: List[int] = field(default_factory=list)


def logical_lines(text: str) -> Iterator[str]:
    """Instructions, one a line: continuations joined, comments and blank lines dropped."""
    current: List[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("#") or (not line and current):
            continue
        if line.endswith("\\"):
            current.append(line[:-1].strip())
            continue
        current.append(line)
        joined = " ".join(part for part in current if part)
        current = []
        if joined:
            yield joined
    if current:
        yield " ".join(current)


def _expand(value: str, env: Mapping[str, str]) -> str:
    return VARIABLE.sub(lambda m: env.get(m.group(1) or m.group(2), ""), value)


def _env_pairs(arguments: str) -> List[Tuple[str, str]]:
    words = shlex.split(arguments)
    if words and "=" not in words[0]:  # the legacy `ENV KEY value with spaces` form
        return [(words[0], arguments.split(None, 1)[1] if len(words) > 1 else "")]
    return [tuple(word.split("=", 1)) for word in words]  # type: ignore[misc]


def _exec_form(arguments: str) -> List[str]:
    if arguments.startswith("["):
        return list(json.loads(arguments))
    return ["/bin/sh", "-c", arguments]


def stages(dockerfile: Path) -> List[Stage]:
    """Every stage of a Dockerfile, in order."""
    found: List[Stage] = []
    for line in logical_lines(dockerfile.read_text()):
        keyword, _, arguments = line.partition(" ")
        keyword, arguments = keyword.upper(), arguments.strip()
        if keyword == "FROM":
            words = arguments.split()
            words = [w for w in words if not w.startswith("--platform")]
            name = words[2] if len(words) >= 3 and words[1].upper() == "AS" else None
            found.append(Stage(base=words[0], name=name))
            continue
        if not found:
            if keyword != "ARG":
                raise BuildError(f"{dockerfile.name}: {keyword} before FROM")
            continue
        stage = found[-1]
        if keyword == "ENV":
            for key, value in _env_pairs(arguments):
                stage.env[key] = _expand(value, {**BASE_IMAGE_ENV, **stage.env})
        elif keyword == "WORKDIR":
            stage.workdir = str(PurePosixPath(stage.workdir) / _expand(arguments, stage.env))
        elif keyword == "COPY":
            words = json.loads(arguments) if arguments.startswith("[") else shlex.split(arguments)
            flags = dict(w[2:].split("=", 1) if "=" in w else (w[2:], "") for w in words if w.startswith("--"))
            paths = [w for w in words if not w.startswith("--")]
            if len(paths) < 2:
                raise BuildError(f"{dockerfile.name}: COPY needs a source and a destination: {line}")
            stage.copies.append(Copy(paths[:-1], paths[-1], flags, line))
        elif keyword == "CMD":
            stage.cmd = _exec_form(arguments)
        elif keyword == "USER":
            stage.user = arguments
        elif keyword == "EXPOSE":
            stage.expose += [int(port.split("/")[0]) for port in arguments.split()]
    return found


# .dockerignore


def _pattern(pattern: str) -> Pattern[str]:
    """Docker's patternmatcher syntax as a regular expression over slash-separated paths."""
    out, i = "", 0
    while i < len(pattern):
        char = pattern[i]
        if pattern.startswith("**", i):
            i += 2
            if pattern.startswith("/", i):
                i += 1
                out += "(?:.*/)?"
            else:
                out += ".*"
            continue
        if char == "*":
            out += "[^/]*"
        elif char == "?":
            out += "[^/]"
        elif char == "[":
            end = pattern.index("]", i + 1)
            body = pattern[i + 1:end]
            out += "[" + ("^" + body[1:] if body.startswith(("!", "^")) else body) + "]"
            i = end
        elif char == "\\" and i + 1 < len(pattern):
            i += 1
            out += re.escape(pattern[i])
        else:
            out += re.escape(char)
        i += 1
    return re.compile(f"^{out}$")


@dataclass
class DockerIgnore:
    rules: List[Tuple[bool, Pattern[str]]]  # (is an exception, pattern)

    @classmethod
    def read(cls, path: Path) -> "DockerIgnore":
        rules = []
        for raw in path.read_text().splitlines() if path.exists() else []:
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            exception = line.startswith("!")
            cleaned = os.path.normpath(line[1:].strip() if exception else line).lstrip("/")
            rules.append((exception, _pattern(cleaned)))
        return cls(rules)

    def excluded(self, relative: str) -> bool:
        """Whether a context path is left out of the build context: the last matching rule
        decides, and a rule that matches one of the path's folders matches the path."""
        parts = relative.split("/")
        candidates = ["/".join(parts[:n]) for n in range(1, len(parts) + 1)]
        result = False
        for exception, pattern in self.rules:
            if any(pattern.match(candidate) for candidate in candidates):
                result = not exception
        return result


# building the file set


@dataclass
class Image:
    """An image's filesystem as a folder, and how its CMD is started from it."""

    root: Path
    stage: Stage

    def path(self, inside: str) -> Path:
        return self.root / inside.lstrip("/")

    @property
    def workdir(self) -> Path:
        return self.path(self.stage.workdir)

    def host_value(self, value: str) -> str:
        """An ENV value with the image's absolute paths (/app, /opt/venv/bin, /tmp) pointing
        into the folder; paths the folder does not have stay as they are (the base image)."""
        def one(entry: str) -> str:
            first = PurePosixPath(entry).parts[1:2]
            return str(self.path(entry)) if entry.startswith("/") and first and self.path(first[0]).exists() else entry
        return ":".join(one(entry) for entry in value.split(":"))

    def environment(self, extra: Mapping[str, str]) -> Dict[str, str]:
        """The container's environment: the base image's, the Dockerfile's ENV, then what
        docker-compose.yml / the Kubernetes manifests give it. Nothing from this process."""
        env = {**BASE_IMAGE_ENV, **self.stage.env}
        return {**{key: self.host_value(value) for key, value in env.items()}, **extra}

    def command(self, ports: Mapping[int, int]) -> List[str]:
        """The CMD, its executable found on the image's PATH, `--port` mapped as `docker run -p` would."""
        command = list(self.stage.cmd)
        for index, word in enumerate(command[:-1]):
            if word == "--port" and int(command[index + 1]) in ports:
                command[index + 1] = str(ports[int(command[index + 1])])
        found = shutil.which(command[0], path=self.environment({})["PATH"])
        if not found:
            raise BuildError(f"{command[0]} is not on the image's PATH")
        return [found, *command[1:]]


def _context_files(context: Path, source: str, ignore: DockerIgnore) -> List[Tuple[Path, str]]:
    """(file, path relative to the source) for one COPY source, as the build context has it."""
    matches = sorted(context.glob(source)) if any(c in source for c in "*?[") else [context / source]
    files: List[Tuple[Path, str]] = []
    for match in matches:
        relative = match.relative_to(context).as_posix()
        if not match.exists() or ignore.excluded(relative):
            continue
        if match.is_dir():
            for folder, dirs, names in os.walk(match):
                dirs.sort()
                for name in sorted(names):
                    file = Path(folder) / name
                    if not ignore.excluded(file.relative_to(context).as_posix()):
                        files.append((file, file.relative_to(match).as_posix()))
        else:
            files.append((match, match.name))
    if not files:
        raise BuildError(f"COPY {source}: not found in the build context (missing, or left out by .dockerignore)")
    return files


def build(dockerfile: Path, context: Path, into: Path, stand_ins: Mapping[str, Path],
          drop: Sequence[str] = ()) -> Image:
    """The final stage's files in `into`: each COPY from the context (honouring the
    .dockerignore), each `COPY --from` replaced by a symlink to its stand-in. `drop` leaves
    out the COPY lines that contain any of these strings (to show that a start then fails)."""
    final = stages(dockerfile)[-1]
    ignore = DockerIgnore.read(dockerfile.with_name(dockerfile.name + ".dockerignore"))
    image = Image(into, final)
    image.workdir.mkdir(parents=True, exist_ok=True)
    image.path("/tmp").mkdir(exist_ok=True)
    for copy in final.copies:
        if any(text in copy.line for text in drop):
            continue
        dest = copy.dest if copy.dest.startswith("/") else str(PurePosixPath(final.workdir) / copy.dest)
        if "from" in copy.flags:
            for source in copy.sources:
                if source not in stand_ins:
                    raise BuildError(f"{copy.line}: no stand-in for {source}")
                target = image.path(dest)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.symlink_to(stand_ins[source], target_is_directory=True)
            continue
        into_folder = copy.dest.endswith("/") or len(copy.sources) > 1
        for source in copy.sources:
            for file, relative in _context_files(context, source, ignore):
                is_tree = (context / source).is_dir()
                if is_tree:
                    target = image.path(dest) / relative
                elif into_folder:
                    target = image.path(dest) / file.name
                else:
                    target = image.path(dest)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(file, target)
    return image
