"""server.channels.guard's text cleaning on its own, and properties of the redactor under hypothesis."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from server.channels.guard import clean
from privacy import redact


def test_clean_keeps_a_normal_question_and_redacts() -> None:
    assert clean("my email is a@b.org, what is NLP?", 2000) == ("my email is [EMAIL], what is NLP?", 0)


def test_clean_drops_control_characters_and_lone_surrogates_and_stringifies() -> None:
    assert clean("a\x00b\x1bc\td\ne\x7f", 2000)[0] == "abc\td\ne"
    assert clean("x\ud800y", 2000)[0] == "x\ufffdy"
    assert clean(12, 2000) == ("12", 0) and clean(None, 2000) == (None, 0)


def test_clean_replaces_a_text_over_the_limit_by_a_short_note() -> None:
    text, length = clean("a" * 2001, 2000)
    assert length == 2001 and len(text) < 80 and "a" * 20 not in text
    assert clean("a" * 2000, 2000)[1] == 0


@settings(max_examples=500, deadline=None, database=None)
@given(st.text(max_size=500))
def test_redaction_is_total_and_idempotent(text: str) -> None:
    once = redact(text)
    assert isinstance(once, str) and redact(once) == once


@settings(max_examples=300, deadline=None, database=None)
@given(st.emails(), st.text(alphabet=st.characters(categories=["Ll", "Zs"]), max_size=40))
def test_every_generated_email_is_redacted(email: str, around: str) -> None:
    assert email not in redact(f"{around} my email is {email} {around}")
