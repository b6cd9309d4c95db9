"""`python -m carekb validate [FOLDER]`: check the knowledge files and say what is wrong."""
from __future__ import annotations

import argparse
import sys

from carekb import KnowledgeError, load_knowledge
from codecare import settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m carekb")
    parser.add_argument("command", choices=["validate"])
    parser.add_argument("folder", nargs="?", default=str(settings.knowledge_dir()))
    args = parser.parse_args(argv)
    try:
        knowledge = load_knowledge(args.folder)
    except KnowledgeError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"{args.folder}: {len(knowledge.entries)} answers, {len(knowledge.roles)} roles, "
          f"{len(knowledge.backgrounds)} backgrounds: all valid")
    return 0


if __name__ == "__main__":
    sys.exit(main())
