"""Code & Care's knowledge: load and validate the YAML files, look answers up, pick the answer for a turn.

Pure Python; imports nothing from Rasa, so another NLU engine could use it as it is.
"""
from carekb.loader import KnowledgeError, load_knowledge
from carekb.store import Knowledge

__all__ = ["Knowledge", "KnowledgeError", "load_knowledge"]
