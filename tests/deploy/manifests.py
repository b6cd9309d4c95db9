"""Reading the deploy files the way the tests check them."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterator, List, Set

import yaml

from tests.conftest import ROOT

DEPLOY = ROOT / "deploy"
VARIABLE = re.compile(r"\$\{(\w+)\}")


def endpoint_variables(endpoints: Path = ROOT / "endpoints.yml") -> Set[str]:
    """The environment variables a Rasa YAML file (endpoints.yml, credentials.yml)
    substitutes (in values, not comments)."""
    def scalars(node: Any) -> Iterator[str]:
        if isinstance(node, dict):
            for value in node.values():
                yield from scalars(value)
        elif isinstance(node, list):
            for value in node:
                yield from scalars(value)
        elif isinstance(node, str):
            yield node

    return {name for value in scalars(yaml.safe_load(endpoints.read_text()))
            for name in VARIABLE.findall(value)}


def documents(path: Path) -> List[dict]:
    return [d for d in yaml.safe_load_all(path.read_text()) if d]
