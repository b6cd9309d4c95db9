"""The content owners' report: what people ask, and what the assistant could not answer.

Reads Rasa's `events` table (the same tracker store the server writes) and writes one
self-contained HTML file with inline charts:

- the most asked topics (the answers given, named by their knowledge titles);
- the fallback and clarification rate over time (per day, or per hour for short spans);
- the exact questions answered with `fallback.out_of_scope` or `fallback.clarify`, most
  frequent first: the list a clinical informaticist turns into new knowledge entries,
  synonyms in knowledge/vocabulary.yml, or training examples in data/.

The report quotes users' own words: keep it where the conversations themselves may be kept.
"""
from __future__ import annotations

import base64
import io
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Dict, Iterable, Iterator, List, Optional, Sequence, Tuple

import jinja2
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402 - the backend must be chosen first
import sqlalchemy as sa  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402

from carekb import Knowledge, contract  # noqa: E402
from admin.db import EVENTS  # noqa: E402

UNANSWERED = (contract.OUT_OF_SCOPE, contract.CLARIFY)
NOT_TOPICS = ("bot.", "fallback.", contract.ASK_BACKGROUND)
TOP_TOPICS = 15
HOURLY_BELOW_SECONDS = 3 * 86400


@dataclass(frozen=True)
class Turn:
    """One user message and the answer the assistant gave to it (None: no answer stored)."""

    timestamp: float
    text: str
    answer_id: Optional[str]
    intent: Optional[str] = None
    confidence: Optional[float] = None


@dataclass
class Question:
    """One unanswered question (case and spacing folded), as last typed, with how often."""

    text: str
    count: int = 0
    first: float = float("inf")
    last: float = 0.0
    answers: Counter = field(default_factory=Counter)
    intent: Optional[str] = None
    confidence: Optional[float] = None


def read_turns(engine: Engine, since: Optional[float] = None) -> Iterator[Turn]:
    """Pair every stored user message with the first answer that follows it."""
    query = (sa.select(EVENTS.c.sender_id, EVENTS.c.type_name, EVENTS.c.timestamp, EVENTS.c.data)
             .where(EVENTS.c.type_name.in_(("user", "bot")))
             .order_by(EVENTS.c.sender_id, EVENTS.c.id))
    if since is not None:
        query = query.where(EVENTS.c.timestamp >= since)
    pending: Optional[Tuple[str, Turn]] = None
    with engine.connect() as connection:
        for sender, kind, timestamp, data in connection.execution_options(stream_results=True).execute(query):
            event = json.loads(data)
            if pending and (sender != pending[0] or kind == "user"):
                yield pending[1]
                pending = None
            if kind == "user":
                parse = event.get("parse_data") or {}
                intent = parse.get("intent") or {}
                pending = (sender, Turn(timestamp or 0.0, event.get("text") or "", None,
                                        intent.get("name"), intent.get("confidence")))
            elif pending and (event.get("metadata") or {}).get("answer_id"):
                turn = pending[1]
                yield Turn(turn.timestamp, turn.text, event["metadata"]["answer_id"], turn.intent,
                           turn.confidence)
                pending = None
    if pending:
        yield pending[1]


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def unanswered_questions(turns: Iterable[Turn]) -> List[Question]:
    questions: Dict[str, Question] = {}
    for turn in turns:
        if turn.answer_id not in UNANSWERED or turn.text.startswith("/"):
            continue
        question = questions.setdefault(_fold(turn.text), Question(turn.text.strip()))
        question.count += 1
        question.answers[turn.answer_id] += 1
        question.first = min(question.first, turn.timestamp)
        if turn.timestamp >= question.last:  # show the latest wording and NLU guess
            question.text, question.last = turn.text.strip(), turn.timestamp
            question.intent, question.confidence = turn.intent, turn.confidence
    return sorted(questions.values(), key=lambda q: (-q.count, -q.last))


def topic_counts(turns: Iterable[Turn]) -> Counter:
    return Counter(t.answer_id for t in turns
                   if t.answer_id and not t.answer_id.startswith(NOT_TOPICS))


def rates_over_time(turns: Sequence[Turn]) -> Tuple[str, List[Tuple[str, int, float, float]]]:
    """(bucket name, [(bucket, turns, fallback rate, clarification rate)])."""
    if not turns:
        return "day", []
    span = max(t.timestamp for t in turns) - min(t.timestamp for t in turns)
    unit, fmt = ("hour", "%Y-%m-%d %H:00") if span < HOURLY_BELOW_SECONDS else ("day", "%Y-%m-%d")
    buckets: Dict[str, Counter] = defaultdict(Counter)
    for turn in turns:
        key = datetime.fromtimestamp(turn.timestamp, timezone.utc).strftime(fmt)
        buckets[key]["turns"] += 1
        buckets[key][turn.answer_id or "none"] += 1
    rows = []
    for key in sorted(buckets):
        counts = buckets[key]
        rows.append((key, counts["turns"], counts[contract.OUT_OF_SCOPE] / counts["turns"],
                     counts[contract.CLARIFY] / counts["turns"]))
    return unit, rows


def _png(figure: "plt.Figure") -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    plt.close(figure)
    return base64.b64encode(buffer.getvalue()).decode()


def topics_chart(topics: List[Tuple[str, str, int]]) -> Optional[str]:
    if not topics:
        return None
    figure, axes = plt.subplots(figsize=(8, 0.35 * len(topics) + 1))
    labels = [title for _, title, _ in topics][::-1]
    axes.barh(labels, [n for _, _, n in topics][::-1], color="#2b6cb0")
    axes.set_xlabel("questions answered")
    axes.set_title("Most asked topics")
    return _png(figure)


def rates_chart(unit: str, rows: List[Tuple[str, int, float, float]]) -> Optional[str]:
    if not rows:
        return None
    figure, axes = plt.subplots(figsize=(8, 3.5))
    x = range(len(rows))
    axes.plot(x, [r[2] * 100 for r in rows], marker="o", label="out of scope (fallback)", color="#c53030")
    axes.plot(x, [r[3] * 100 for r in rows], marker="s", label="asked to clarify", color="#d69e2e")
    step = max(1, len(rows) // 10)
    axes.set_xticks(list(x)[::step])
    axes.set_xticklabels([r[0] for r in rows][::step], rotation=30, ha="right")
    axes.set_ylabel("% of answers")
    axes.set_ylim(bottom=0)
    axes.set_title(f"Fallback and clarification rate per {unit}")
    axes.legend()
    return _png(figure)


TEMPLATE = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined).from_string("""\
<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Code &amp; Care: what people ask</title>
<style>
 body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #1a202c; }
 table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
 th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid #e2e8f0; vertical-align: top; }
 td.n { text-align: right; font-variant-numeric: tabular-nums; }
 .note { color: #4a5568; }
 img { max-width: 100%; }
</style></head><body>
<h1>Code &amp; Care: what people ask</h1>
<p class="note">{{ summary }} Generated {{ generated }} from the conversation store.
This report quotes users' own words: keep it where the conversations may be kept.</p>

<h2>Most asked topics</h2>
{% if topics_png %}<img alt="Bar chart of the most asked topics" src="data:image/png;base64,{{ topics_png }}">{% endif %}
<table><tr><th>Answer</th><th>answer_id</th><th>Times</th><th>Share</th></tr>
{% for id, title, n in topics %}<tr><td>{{ title }}</td><td><code>{{ id }}</code></td><td class="n">{{ n }}</td><td class="n">{{ "%.1f" % (100 * n / answered) }}%</td></tr>
{% else %}<tr><td colspan="4">No questions answered yet.</td></tr>{% endfor %}
</table>

<h2>Fallback and clarification rate over time</h2>
{% if rates_png %}<img alt="Line chart of fallback and clarification rates" src="data:image/png;base64,{{ rates_png }}">{% endif %}
<table><tr><th>{{ unit|capitalize }} (UTC)</th><th>Turns</th><th>Out of scope</th><th>Clarify</th></tr>
{% for key, n, fallback, clarify in rates %}<tr><td>{{ key }}</td><td class="n">{{ n }}</td><td class="n">{{ "%.1f" % (100 * fallback) }}%</td><td class="n">{{ "%.1f" % (100 * clarify) }}%</td></tr>
{% else %}<tr><td colspan="4">No turns yet.</td></tr>{% endfor %}
</table>

<h2>Questions the assistant could not answer ({{ questions|length }})</h2>
<p class="note">Answered with <code>fallback.out_of_scope</code> (nothing in the knowledge) or
<code>fallback.clarify</code> (not understood well enough), most frequent first. Each is a
candidate for a new knowledge entry, a synonym in <code>knowledge/vocabulary.yml</code> or a
training example in <code>data/</code>.</p>
<table><tr><th>Question</th><th>Times</th><th>Answered as</th><th>NLU guess</th><th>Last asked (UTC)</th></tr>
{% for q in questions %}<tr><td>{{ q.text }}</td><td class="n">{{ q.count }}</td>
<td>{% for id, n in q.answers.most_common() %}<code>{{ id }}</code>{% if q.answers|length > 1 %} ×{{ n }}{% endif %}{% if not loop.last %}, {% endif %}{% endfor %}</td>
<td>{{ q.intent or "?" }}{% if q.confidence is not none %} ({{ "%.2f" % q.confidence }}){% endif %}</td>
<td>{{ when(q.last) }}</td></tr>
{% else %}<tr><td colspan="5">None: every question got an answer.</td></tr>{% endfor %}
</table>
</body></html>
""")


def _when(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, timezone.utc).strftime("%Y-%m-%d %H:%M")


def render(turns: Sequence[Turn], knowledge: Knowledge) -> str:
    """The whole report as one HTML page."""
    def title(answer_id: str) -> str:
        return knowledge.entry(answer_id).title if answer_id in knowledge else answer_id

    counted = topic_counts(turns)
    topics = [(answer_id, title(answer_id), n) for answer_id, n in counted.most_common(TOP_TOPICS)]
    unit, rates = rates_over_time(turns)
    questions = unanswered_questions(turns)
    summary = f"{len(turns)} questions"
    if turns:
        summary += f" from {_when(min(t.timestamp for t in turns))} to {_when(max(t.timestamp for t in turns))} (UTC)."
    else:
        summary += " so far."
    return TEMPLATE.render(
        summary=summary, generated=_when(datetime.now(timezone.utc).timestamp()),
        topics=topics, answered=max(1, sum(counted.values())), topics_png=topics_chart(topics),
        unit=unit, rates=rates, rates_png=rates_chart(unit, rates),
        questions=questions, when=_when)


def write_report(engine: Engine, knowledge: Knowledge, out: Path, since: Optional[float] = None) -> Path:
    turns = list(read_turns(engine, since))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render(turns, knowledge), encoding="utf-8")
    return out
