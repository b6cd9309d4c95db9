"""The content owners' report: what to fix first, what to add next.

Reads Rasa's `events` table (the same tracker store the server writes) and writes one
self-contained HTML file with inline charts, and each table as CSV beside it:

- each answer: times given, rated helpful and not helpful, worst first, with the
  questions that led to "not helpful" and the comments (answers.csv);
- questions the guide does not cover (`fallback.not_covered`), similar ones grouped,
  largest first: what to add to the knowledge next (not_covered.csv);
- clarifications and off-topic messages (`fallback.clarify`, `fallback.out_of_scope`),
  grouped the same way: what to add to the training data in data/ (unclear.csv);
- requests for a person per day (`handoff.human` given, handoffs.csv);
- the most asked topics and the fallback and clarification rate over time.

It quotes only what the store keeps, which is redacted; keep it where the conversations
themselves may be kept.
"""
from __future__ import annotations

import base64
import csv
import io
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

import jinja2
import matplotlib
from markupsafe import Markup

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402 - the backend must be chosen first
from sqlalchemy.engine import Engine  # noqa: E402

from admin.groups import Group, Question, group  # noqa: E402
from admin.turns import Rating, Turn, read  # noqa: E402
from carekb import Knowledge, contract  # noqa: E402

UNCLEAR = (contract.OUT_OF_SCOPE, contract.CLARIFY)
NOT_TOPICS = ("bot.", "fallback.", "feedback.", contract.ASK_BACKGROUND)
TOP_TOPICS = 15
HOURLY_BELOW_SECONDS = 3 * 86400
# A spreadsheet runs a cell that starts with one of these as a formula: user text never may.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class AnswerRow:
    """One answer: how often it was given and how it was rated."""

    answer_id: str
    title: str
    given: int = 0
    helpful: int = 0
    not_helpful: int = 0
    questions: Counter = field(default_factory=Counter)  # those that led to "not helpful"
    comments: List[str] = field(default_factory=list)

    @property
    def rated(self) -> int:
        return self.helpful + self.not_helpful

    @property
    def helpful_rate(self) -> Optional[float]:
        return self.helpful / self.rated if self.rated else None


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def questions_answered(turns: Iterable[Turn], answer_ids: Sequence[str]) -> List[Question]:
    """The typed questions (not button payloads) given one of these answers, by wording."""
    questions: Dict[str, Question] = {}
    for turn in turns:
        if turn.answer_id not in answer_ids or turn.text.startswith("/"):
            continue
        question = questions.setdefault(_fold(turn.text), Question(turn.text.strip()))
        question.count += 1
        question.answers[turn.answer_id] += 1
        question.first = min(question.first, turn.timestamp)
        if turn.timestamp >= question.last:  # show the latest wording and NLU guess
            question.text, question.last = turn.text.strip(), turn.timestamp
            question.intent, question.confidence = turn.intent or "", turn.confidence or 0.0
    return sorted(questions.values(), key=lambda q: (-q.count, -q.last))


def answer_rows(turns: Iterable[Turn], ratings: Iterable[Rating], title) -> List[AnswerRow]:  # noqa: ANN001
    """Every answer given or rated, the worst rated first (lowest helpful rate, then most
    "not helpful"), then the unrated by how often given. A rating changed later counts once."""
    rows: Dict[str, AnswerRow] = {}

    def row(answer_id: str) -> AnswerRow:
        return rows.setdefault(answer_id, AnswerRow(answer_id, title(answer_id)))

    for turn in turns:
        if turn.answer_id:
            row(turn.answer_id).given += 1
    latest: Dict[Tuple[str, int, int], Rating] = {}
    for rating in sorted(ratings, key=lambda r: r.timestamp):
        latest[rating.key] = rating
    for rating in latest.values():
        r = row(rating.answer_id)
        if rating.helpful:
            r.helpful += 1
            continue
        r.not_helpful += 1
        if rating.question:
            r.questions[rating.question.strip()] += 1
        if rating.comment:
            r.comments.append(rating.comment)
    return sorted(rows.values(), key=lambda r: (r.helpful_rate is None, r.helpful_rate or 0.0,
                                                -r.not_helpful, -r.given, r.answer_id))


def topic_counts(turns: Iterable[Turn]) -> Counter:
    return Counter(t.answer_id for t in turns
                   if t.answer_id and not t.answer_id.startswith(NOT_TOPICS))


def _day(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, timezone.utc).strftime("%Y-%m-%d")


def handoffs_per_day(turns: Iterable[Turn]) -> List[Tuple[str, int]]:
    counted = Counter(_day(t.timestamp) for t in turns if t.answer_id == contract.HANDOFF)
    return sorted(counted.items())


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


def bar_chart(labels: List[str], values: List[float], xlabel: str, title: str,
              color: str = "#2b6cb0") -> Optional[str]:
    if not labels:
        return None
    figure, axes = plt.subplots(figsize=(8, 0.35 * len(labels) + 1))
    axes.barh(labels[::-1], values[::-1], color=color)
    axes.set_xlabel(xlabel)
    axes.set_title(title)
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
<title>Code &amp; Care: what to fix first</title>
<style>
 body { font-family: system-ui, sans-serif; max-width: 64rem; margin: 2rem auto; padding: 0 1rem; color: #1a202c; }
 table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
 th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid #e2e8f0; vertical-align: top; }
 td.n { text-align: right; font-variant-numeric: tabular-nums; }
 ul { margin: 0; padding-left: 1.1rem; }
 .note { color: #4a5568; }
 img { max-width: 100%; }
</style></head><body>
<h1>Code &amp; Care: what to fix first</h1>
<p class="note">{{ summary }} Generated {{ generated }} from the conversation store. It quotes
only what the store keeps (personal data redacted), and still users' own words: keep it where
the conversations may be kept. Each table is also a CSV file beside this page.</p>

<h2 id="answers">Answers people rated, worst first</h2>
<p class="note">"Was this helpful?" per answer (a rating changed later counts once), with the
questions that led to "not helpful" and the comments left. Fix these entries in
<code>knowledge/answers/</code> first.</p>
{% if ratings_png %}<img alt="Bar chart of not-helpful ratings per answer" src="data:image/png;base64,{{ ratings_png }}">{% endif %}
<table><tr><th>Answer</th><th>Given</th><th>Helpful</th><th>Not helpful</th><th>Helpful rate</th><th>Questions that led to "not helpful"</th><th>Comments</th></tr>
{% for r in rated %}<tr><td>{{ r.title }}<br><code>{{ r.answer_id }}</code></td><td class="n">{{ r.given }}</td>
<td class="n">{{ r.helpful }}</td><td class="n">{{ r.not_helpful }}</td><td class="n">{{ "%.0f" % (100 * r.helpful_rate) }}%</td>
<td><ul>{% for q, n in r.questions.most_common() %}<li>{{ q }}{% if n > 1 %} ×{{ n }}{% endif %}</li>{% endfor %}</ul></td>
<td><ul>{% for c in r.comments %}<li>{{ c }}</li>{% endfor %}</ul></td></tr>
{% else %}<tr><td colspan="7">No ratings yet.</td></tr>{% endfor %}
</table>

<h2 id="not-covered">What to add to the knowledge next ({{ not_covered|length }} groups)</h2>
<p class="note">Questions the guide does not cover (answered <code>fallback.not_covered</code>),
similar wordings grouped, largest group first.</p>
{{ groups_table(not_covered) }}

<h2 id="unclear">What to add to the training data ({{ unclear|length }} groups)</h2>
<p class="note">Messages the assistant asked to clarify (<code>fallback.clarify</code>) or took
as off-topic (<code>fallback.out_of_scope</code>), grouped the same way: candidates for training
examples in <code>data/</code> or synonyms in <code>knowledge/vocabulary.yml</code>.</p>
{{ groups_table(unclear) }}

<h2 id="handoffs">Requests for a person per day</h2>
{% if handoffs_png %}<img alt="Bar chart of requests for a person per day" src="data:image/png;base64,{{ handoffs_png }}">{% endif %}
<table><tr><th>Day (UTC)</th><th>Contact details given</th></tr>
{% for day, n in handoffs %}<tr><td>{{ day }}</td><td class="n">{{ n }}</td></tr>
{% else %}<tr><td colspan="2">None.</td></tr>{% endfor %}
</table>

<h2 id="topics">Most asked topics</h2>
{% if topics_png %}<img alt="Bar chart of the most asked topics" src="data:image/png;base64,{{ topics_png }}">{% endif %}
<table><tr><th>Answer</th><th>answer_id</th><th>Times</th><th>Share</th></tr>
{% for id, title, n in topics %}<tr><td>{{ title }}</td><td><code>{{ id }}</code></td><td class="n">{{ n }}</td><td class="n">{{ "%.1f" % (100 * n / answered) }}%</td></tr>
{% else %}<tr><td colspan="4">No questions answered yet.</td></tr>{% endfor %}
</table>

<h2 id="rates">Fallback and clarification rate over time</h2>
{% if rates_png %}<img alt="Line chart of fallback and clarification rates" src="data:image/png;base64,{{ rates_png }}">{% endif %}
<table><tr><th>{{ unit|capitalize }} (UTC)</th><th>Turns</th><th>Out of scope</th><th>Clarify</th></tr>
{% for key, n, fallback, clarify in rates %}<tr><td>{{ key }}</td><td class="n">{{ n }}</td><td class="n">{{ "%.1f" % (100 * fallback) }}%</td><td class="n">{{ "%.1f" % (100 * clarify) }}%</td></tr>
{% else %}<tr><td colspan="4">No turns yet.</td></tr>{% endfor %}
</table>
</body></html>
""")

GROUPS_TABLE = TEMPLATE.environment.from_string("""\
<table><tr><th>Times</th><th>Wordings (times)</th><th>Answered as</th><th>Last asked (UTC)</th></tr>
{% for g in groups %}<tr><td class="n">{{ g.size }}</td>
<td><ul>{% for q in g.questions %}<li>{{ q.text }}{% if q.count > 1 %} ×{{ q.count }}{% endif %}</li>{% endfor %}</ul></td>
<td>{% for id, n in g.answers.most_common() %}<code>{{ id }}</code> ×{{ n }}{% if not loop.last %}, {% endif %}{% endfor %}</td>
<td>{{ when(g.last) }}</td></tr>
{% else %}<tr><td colspan="4">None.</td></tr>{% endfor %}
</table>""")


def _when(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, timezone.utc).strftime("%Y-%m-%d %H:%M")


@dataclass
class Tables:
    """Everything the report shows, computed once for the page and the CSV files."""

    turns: List[Turn]
    answers: List[AnswerRow]
    not_covered: List[Group]
    unclear: List[Group]
    handoffs: List[Tuple[str, int]]
    topics: List[Tuple[str, str, int]]
    rates: Tuple[str, List[Tuple[str, int, float, float]]]


def tables(turns: List[Turn], ratings: List[Rating], knowledge: Knowledge) -> Tables:
    def title(answer_id: str) -> str:
        return knowledge.entry(answer_id).title if answer_id in knowledge else answer_id

    counted = topic_counts(turns)
    return Tables(
        turns=turns, answers=answer_rows(turns, ratings, title),
        not_covered=group(questions_answered(turns, (contract.NOT_COVERED,))),
        unclear=group(questions_answered(turns, UNCLEAR)),
        handoffs=handoffs_per_day(turns),
        topics=[(a, title(a), n) for a, n in counted.most_common(TOP_TOPICS)],
        rates=rates_over_time(turns))


def render(t: Tables, period: str = "") -> str:
    """The whole report as one HTML page."""
    turns = t.turns
    summary = f"{len(turns)} questions"
    if turns:
        summary += f" from {_when(min(x.timestamp for x in turns))} to {_when(max(x.timestamp for x in turns))} (UTC)."
    else:
        summary += " so far."
    if period:
        summary = f"{period}: {summary}"
    rated = [r for r in t.answers if r.rated]
    worst = [r for r in rated if r.not_helpful][:TOP_TOPICS]
    unit, rates = t.rates

    def groups_table(groups: List[Group]) -> Markup:
        return Markup(GROUPS_TABLE.render(groups=groups, when=_when))

    return TEMPLATE.render(
        summary=summary, generated=_when(datetime.now(timezone.utc).timestamp()),
        rated=rated, ratings_png=bar_chart([r.answer_id for r in worst], [r.not_helpful for r in worst],
                                           'rated "not helpful"', "Answers rated not helpful", "#c53030"),
        not_covered=t.not_covered, unclear=t.unclear, groups_table=groups_table,
        handoffs=t.handoffs, handoffs_png=bar_chart([d for d, _ in t.handoffs], [n for _, n in t.handoffs],
                                                    "contact details given", "Requests for a person per day"),
        topics=t.topics, answered=max(1, sum(n for _, _, n in t.topics)),
        topics_png=bar_chart([title for _, title, _ in t.topics], [n for _, _, n in t.topics],
                             "questions answered", "Most asked topics"),
        unit=unit, rates=rates, rates_png=rates_chart(unit, rates))


def _cell(value: object) -> object:
    """A CSV cell a spreadsheet shows as text: user text starting like a formula is quoted."""
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_START) else value


def _csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows([_cell(v) for v in row] for row in rows)
    return path


def _group_rows(groups: List[Group]) -> Iterable[Sequence[object]]:
    for n, g in enumerate(groups, 1):
        for q in g.questions:
            yield n, g.size, q.text, q.count, ", ".join(sorted(q.answers)), _when(q.last)


def export(t: Tables, folder: Path) -> List[Path]:
    """Each table as a CSV file in `folder` (lists inside a cell joined by " | ")."""
    group_header = ("group", "group_times", "wording", "times", "answered_as", "last_asked_utc")
    return [
        _csv(folder / "answers.csv",
             ("answer_id", "title", "given", "helpful", "not_helpful", "helpful_rate",
              "questions_not_helpful", "comments"),
             ((r.answer_id, r.title, r.given, r.helpful, r.not_helpful,
               "" if r.helpful_rate is None else f"{r.helpful_rate:.3f}",
               " | ".join(r.questions), " | ".join(r.comments)) for r in t.answers)),
        _csv(folder / "not_covered.csv", group_header, _group_rows(t.not_covered)),
        _csv(folder / "unclear.csv", group_header, _group_rows(t.unclear)),
        _csv(folder / "handoffs.csv", ("day_utc", "handoffs"), t.handoffs),
        _csv(folder / "topics.csv", ("answer_id", "title", "times"), t.topics),
        _csv(folder / "rates.csv", (f"{t.rates[0]}_utc", "turns", "out_of_scope_rate", "clarify_rate"),
             t.rates[1]),
    ]


def write_report(engine: Engine, knowledge: Knowledge, out: Path, since: Optional[float] = None,
                 until: Optional[float] = None, period: str = "") -> Tuple[Path, List[Path]]:
    """The HTML page at `out` and the CSV files beside it, for `since <= time < until`."""
    record = read(engine, since, until)
    t = tables(record.turns, record.ratings, knowledge)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render(t, period), encoding="utf-8")
    return out, export(t, out.parent)
