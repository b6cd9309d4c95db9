"""The content owners' report from a real SQLite tracker store."""
from __future__ import annotations

import re
import time
from pathlib import Path

from carekb import Knowledge, contract
from admin.report import rates_over_time, read_turns, unanswered_questions, write_report
from admin.retention import DAY
from tests.admin.events import engine_at, insert, session, turn

NOW = time.time()


def seeded(url: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    (tmp_path / "db").mkdir()
    engine = engine_at(url)
    day1, day2 = NOW - 5 * DAY, NOW - 1 * DAY
    insert(engine, "a", session(day1) + turn(day1 + 1, "what does an AI ethicist do?", "role.ai_ethicist.duties")
           + turn(day1 + 2, "Is blockchain  useful?", contract.OUT_OF_SCOPE, "out_of_scope", 0.7)
           + turn(day1 + 3, "<script>alert(1)</script> quantum?", contract.CLARIFY, "nlu_fallback", 0.2))
    insert(engine, "b", session(day2) + turn(day2 + 1, "what does an AI ethicist do?", "role.ai_ethicist.duties")
           + turn(day2 + 2, "is blockchain useful?", contract.OUT_OF_SCOPE, "out_of_scope", 0.8)
           + turn(day2 + 3, "what is alert fatigue", "concept.alert_fatigue")
           + turn(day2 + 4, '/ask_about{"topic": "x"}', contract.CLARIFY))
    insert(engine, "c", session(day2) + [{"event": "user", "text": "no answer stored", "timestamp": day2 + 9}])
    return engine


def test_turns_pair_each_question_with_its_answer(sqlite_url: str, tmp_path: Path) -> None:
    turns = list(read_turns(seeded(sqlite_url, tmp_path)))
    assert len(turns) == 8
    assert [t.answer_id for t in turns if t.text == "no answer stored"] == [None]
    questions = unanswered_questions(turns)
    assert [(q.text, q.count) for q in questions][:1] == [("is blockchain useful?", 2)]
    assert questions[0].intent == "out_of_scope" and questions[0].confidence == 0.8
    assert all(not q.text.startswith("/") for q in questions)  # button payloads are not questions


def test_rates_are_per_day_over_long_spans(sqlite_url: str, tmp_path: Path) -> None:
    unit, rows = rates_over_time(list(read_turns(seeded(sqlite_url, tmp_path))))
    assert unit == "day" and len(rows) == 2
    day1 = rows[0]
    assert day1[1] == 3 and abs(day1[2] - 1 / 3) < 1e-9 and abs(day1[3] - 1 / 3) < 1e-9


def test_report_has_topics_rates_and_the_unanswered_questions_escaped(
        sqlite_url: str, tmp_path: Path, knowledge: Knowledge) -> None:
    out = write_report(seeded(sqlite_url, tmp_path), knowledge, tmp_path / "report" / "index.html")
    html = out.read_text()
    assert len(re.findall(r'src="data:image/png;base64,[A-Za-z0-9+/=]{100,}"', html)) == 2
    assert knowledge.entry("role.ai_ethicist.duties").title in html
    assert "is blockchain useful?" in html.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; quantum?" in html and "<script>" not in html
    assert "Questions the assistant could not answer (2)" in html


def test_an_empty_store_gives_an_empty_report(sqlite_url: str, tmp_path: Path, knowledge: Knowledge) -> None:
    (tmp_path / "db").mkdir()
    html = write_report(engine_at(sqlite_url), knowledge, tmp_path / "r.html").read_text()
    assert "0 questions so far" in html and "No questions answered yet" in html
