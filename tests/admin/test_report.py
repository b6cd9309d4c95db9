"""The content owners' report from a real SQLite tracker store."""
from __future__ import annotations

import csv
import re
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest

from admin.__main__ import main
from admin.groups import Question, group
from admin.report import questions_answered, rates_over_time, tables, write_report
from admin.retention import DAY
from admin.turns import read
from carekb import Knowledge, contract
from tests.admin.events import engine_at, insert, rating, session, turn

NOW = time.time()
SKILLS = "role.clinical_informaticist.skills"
ETHICIST = "role.ai_ethicist.duties"


def seeded(url: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    (tmp_path / "db").mkdir(exist_ok=True)
    engine = engine_at(url)
    day1, day2 = NOW - 5 * DAY, NOW - 1 * DAY
    insert(engine, "a", session(day1) + turn(day1 + 1, "what does an AI ethicist do?", ETHICIST)
           + turn(day1 + 2, "Is blockchain  useful?", contract.OUT_OF_SCOPE, "out_of_scope", 0.7)
           + turn(day1 + 3, "<script>alert(1)</script> quantum?", contract.CLARIFY, "nlu_fallback", 0.2)
           + turn(day1 + 4, "how much do informaticists earn?", contract.NOT_COVERED, "not_covered")
           + turn(day1 + 5, "what skills do they need?", SKILLS, "ask_skills")
           + rating(day1 + 6, SKILLS, True)
           + rating(day1 + 7, SKILLS, False, "<script>alert('x')</script> nothing about pay")  # changed mind
           + rating(day1 + 8, "concept.nlp", False, "foreign", counted=False)
           + turn(day1 + 9, "can I talk to someone", contract.HANDOFF, "request_human"))
    insert(engine, "b", session(day2) + turn(day2 + 1, "what does an AI ethicist do?", ETHICIST)
           + rating(day2 + 1.5, ETHICIST, True)
           + turn(day2 + 2, "is blockchain useful?", contract.OUT_OF_SCOPE, "out_of_scope", 0.8)
           + turn(day2 + 3, "what is alert fatigue", "concept.alert_fatigue")
           + turn(day2 + 4, '/ask_about{"topic": "x"}', contract.CLARIFY)
           + turn(day2 + 5, "what is the salary of an informaticist", contract.NOT_COVERED, "not_covered")
           + turn(day2 + 6, "do they need a licence to work in the NHS?", contract.NOT_COVERED, "not_covered")
           + turn(day2 + 7, "what skills do informaticists need", SKILLS, "ask_skills")
           + rating(day2 + 8, SKILLS, False, "=HYPERLINK(\"http://evil\")")
           + turn(day2 + 9, "I want a person", contract.HANDOFF, "request_human")
           + turn(day2 + 10, "a person please", contract.HANDOFF, "request_human"))
    insert(engine, "c", session(day2) + [{"event": "user", "text": "no answer stored", "timestamp": day2 + 20}])
    return engine


def test_turns_pair_each_question_with_its_answer_and_ratings_are_not_turns(sqlite_url: str, tmp_path: Path) -> None:
    record = read(seeded(sqlite_url, tmp_path))
    assert len(record.turns) == 16
    assert [t.answer_id for t in record.turns if t.text == "no answer stored"] == [None]
    assert not any(t.text.startswith("/rate") for t in record.turns)
    assert len(record.ratings) == 4, "the rating of an answer not given (no reply) is not counted"
    counted = {(r.answer_id, r.helpful, r.question) for r in record.ratings}
    assert (SKILLS, False, "what skills do they need?") in counted


def test_answers_worst_first_with_questions_and_comments(sqlite_url: str, tmp_path: Path,
                                                         knowledge: Knowledge) -> None:
    record = read(seeded(sqlite_url, tmp_path))
    rows = tables(record.turns, record.ratings, knowledge).answers
    worst = rows[0]
    assert worst.answer_id == SKILLS and (worst.given, worst.helpful, worst.not_helpful) == (2, 0, 2)
    assert set(worst.questions) == {"what skills do they need?", "what skills do informaticists need"}
    assert "<script>alert('x')</script> nothing about pay" in worst.comments
    ethicist = next(r for r in rows if r.answer_id == ETHICIST)
    assert (ethicist.given, ethicist.helpful, ethicist.not_helpful, ethicist.helpful_rate) == (2, 1, 0, 1.0)
    assert rows.index(ethicist) == 1, "rated answers come before the unrated"


def test_similar_questions_are_grouped_largest_first() -> None:
    questions = [Question("how much do informaticists earn?", 1, last=1.0),
                 Question("what is the salary of an informaticist", 2, last=2.0),
                 Question("informaticist salary", 1, last=3.0),
                 Question("do they need a licence to work in the NHS?", 1, last=4.0),
                 Question("???", 1, last=5.0)]
    groups = group(questions)
    assert [g.size for g in groups] == [4, 1, 1]
    assert {q.text for q in groups[0].questions} == {"what is the salary of an informaticist",
                                                     "informaticist salary", "how much do informaticists earn?"}
    assert groups[0].label == "what is the salary of an informaticist", "the most asked wording first"
    assert [q.text for g in groups[1:] for q in g.questions] == ["???", "do they need a licence to work in the NHS?"]
    blockchain = group([Question("is blockchain useful?", 1), Question("would blockchain be useful in a hospital?", 1),
                        Question("what is the pay?", 1)])
    assert [g.size for g in blockchain] == [2, 1]


def test_rates_are_per_day_over_long_spans(sqlite_url: str, tmp_path: Path) -> None:
    unit, rows = rates_over_time(read(seeded(sqlite_url, tmp_path)).turns)
    assert unit == "day" and len(rows) == 2
    day1 = rows[0]
    assert day1[1] == 6 and abs(day1[2] - 1 / 6) < 1e-9 and abs(day1[3] - 1 / 6) < 1e-9


def test_report_and_exports(sqlite_url: str, tmp_path: Path, knowledge: Knowledge) -> None:
    page, exports = write_report(seeded(sqlite_url, tmp_path), knowledge, tmp_path / "report" / "index.html")
    html = page.read_text()
    assert len(re.findall(r'src="data:image/png;base64,[A-Za-z0-9+/=]{100,}"', html)) == 4
    assert knowledge.entry(ETHICIST).title in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; quantum?" in html and "<script" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; nothing about pay" in html
    assert "What to add to the knowledge next (2 groups)" in html
    assert {p.name for p in exports} == {"answers.csv", "not_covered.csv", "unclear.csv", "handoffs.csv",
                                         "topics.csv", "rates.csv"}
    assert all(p.parent == page.parent for p in exports)
    answers = list(csv.DictReader((page.parent / "answers.csv").open()))
    assert answers[0]["answer_id"] == SKILLS and answers[0]["not_helpful"] == "2"
    assert '=HYPERLINK("http://evil")' in answers[0]["comments"] and answers[0]["comments"][0] not in "=+-@"
    handoffs = list(csv.reader((page.parent / "handoffs.csv").open()))
    day = lambda t: datetime.fromtimestamp(t, timezone.utc).strftime("%Y-%m-%d")  # noqa: E731
    assert handoffs[1:] == [[day(NOW - 5 * DAY + 9), "1"], [day(NOW - DAY + 9), "2"]]
    not_covered = list(csv.DictReader((page.parent / "not_covered.csv").open()))
    assert not_covered[0]["group_times"] == "2" and "salary" in not_covered[0]["wording"] + not_covered[1]["wording"]


def test_a_formula_in_a_question_is_text_in_the_spreadsheet(sqlite_url: str, tmp_path: Path,
                                                           knowledge: Knowledge) -> None:
    (tmp_path / "db").mkdir()
    engine = engine_at(sqlite_url)
    insert(engine, "x", session(NOW) + turn(NOW + 1, "=1+2 cmd", contract.NOT_COVERED, "not_covered"))
    page, _ = write_report(engine, knowledge, tmp_path / "r" / "index.html")
    rows = list(csv.DictReader((page.parent / "not_covered.csv").open()))
    assert rows[0]["wording"] == "'=1+2 cmd"


def test_the_date_range_is_inclusive_days(sqlite_url: str, tmp_path: Path, knowledge: Knowledge,
                                          capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    seeded(sqlite_url, tmp_path)
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(f"tracker_store:\n  type: sql\n  url: {sqlite_url}\n")
    day2 = datetime.fromtimestamp(NOW - DAY, timezone.utc).date().isoformat()
    out = tmp_path / "range" / "index.html"
    assert main(["--endpoints", str(endpoints), "report", "--out", str(out), "--since", day2, "--until", day2]) == 0
    printed = capsys.readouterr().out
    assert str(out) in printed and "answers.csv" in printed
    handoffs = list(csv.reader((out.parent / "handoffs.csv").open()))
    assert handoffs[1:] == [[day2, "2"]], "only the second day"
    html = out.read_text()
    assert f"{day2} to {day2}" in html and "how much do informaticists earn?" not in html
    answers = {r["answer_id"]: r for r in csv.DictReader((out.parent / "answers.csv").open())}
    assert answers[SKILLS]["not_helpful"] == "1" and answers[SKILLS]["given"] == "1"


@pytest.mark.parametrize("args, message", [
    (["--since", "2026-13-01"], "'2026-13-01' is not a date like 2026-11-01"),
    (["--until", "yesterday"], "'yesterday' is not a date like 2026-11-01"),
    (["--since", "2026-11-30", "--until", "2026-11-01"], "--since 2026-11-30 is after --until 2026-11-01"),
])
def test_bad_dates_get_a_clear_error(args: list, message: str, capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["report", *args])
    assert exit_.value.code == 2 and message in capsys.readouterr().err


def test_an_empty_store_gives_an_empty_report(sqlite_url: str, tmp_path: Path, knowledge: Knowledge) -> None:
    (tmp_path / "db").mkdir()
    page, exports = write_report(engine_at(sqlite_url), knowledge, tmp_path / "r.html")
    html = page.read_text()
    assert "0 questions so far" in html and "No questions answered yet" in html and "No ratings yet" in html
    assert all(len(list(csv.reader(p.open()))) == 1 for p in exports), "a header only"


def test_questions_answered_leave_out_button_payloads(sqlite_url: str, tmp_path: Path) -> None:
    turns = read(seeded(sqlite_url, tmp_path)).turns
    questions = questions_answered(turns, (contract.OUT_OF_SCOPE, contract.CLARIFY))
    assert [(q.text, q.count) for q in questions][:1] == [("is blockchain useful?", 2)]
    assert all(not q.text.startswith("/") for q in questions)
