"""Group questions that ask the same thing in other words, largest groups first.

TF-IDF over Snowball stems (carekb.retrieval.stems, the assistant's own word stems) and
average-linkage clustering on cosine distance, cut at `DISTANCE`: "is blockchain useful?"
and "would blockchain be useful in a hospital?" fall together, "what is the pay?" apart.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Dict, List, Sequence

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import pdist
from sklearn.feature_extraction.text import TfidfVectorizer

from carekb.retrieval import stems

# Questions closer than this (1 - cosine similarity, averaged over the groups) are one group.
DISTANCE = 0.7


@dataclass
class Question:
    """One wording (case and spacing folded), as last typed, with how often and how answered."""

    text: str
    count: int = 0
    first: float = float("inf")
    last: float = 0.0
    answers: Counter = field(default_factory=Counter)
    intent: str = ""
    confidence: float = 0.0


@dataclass
class Group:
    """Wordings of one request, the most asked first."""

    questions: List[Question]

    @property
    def size(self) -> int:
        return sum(q.count for q in self.questions)

    @property
    def last(self) -> float:
        return max(q.last for q in self.questions)

    @property
    def label(self) -> str:
        return self.questions[0].text

    @property
    def answers(self) -> Counter:
        return sum((q.answers for q in self.questions), Counter())


def group(questions: Sequence[Question], distance: float = DISTANCE) -> List[Group]:
    """Similar questions together; a question with no content word stays alone."""
    worded = [q for q in questions if stems(q.text)]
    labels: Dict[int, List[Question]] = {}
    if len(worded) > 1:
        matrix = TfidfVectorizer(analyzer=stems).fit_transform([q.text for q in worded]).toarray()
        cut = fcluster(linkage(np.nan_to_num(pdist(matrix, "cosine"), nan=1.0), "average"),
                       t=distance, criterion="distance")
        for label, question in zip(cut, worded):
            labels.setdefault(int(label), []).append(question)
    elif worded:
        labels[0] = list(worded)
    groups = [Group(sorted(qs, key=lambda q: (-q.count, -q.last))) for qs in labels.values()]
    groups += [Group([q]) for q in questions if not stems(q.text)]
    return sorted(groups, key=lambda g: (-g.size, -g.last))
