"""Ratings and the offer of a person: pure rules, from what the caller counted."""
from __future__ import annotations

from dataclasses import replace

import pytest

from carekb import Knowledge, contract
from carekb.advisor import Advisor, Context, History, Turn
from carekb.rules import rating

FIRST_CLARIFY = History(clarified_in_row=0)
SECOND_CLARIFY = History(clarified_in_row=1)
UNCLEAR = Turn(intent="nlu_fallback", confidence=0.2, text="hmm")


@pytest.fixture(scope="module")
def advisor(knowledge: Knowledge) -> Advisor:
    return Advisor(knowledge)


def offered(reply) -> bool:  # type: ignore[no-untyped-def]
    return any(s.answer_id == contract.HANDOFF for s in reply.suggestions)


def test_a_helpful_rating_is_thanked_with_nothing_offered() -> None:
    decision = rating(True)
    assert decision.answer_id == contract.FEEDBACK_THANKS and not decision.suggestions


def test_not_helpful_offers_a_person_once() -> None:
    first = rating(False, History())
    assert first.answer_id == contract.FEEDBACK_OFFER_HUMAN
    assert [s.answer_id for s in first.suggestions] == [contract.HANDOFF]
    again = rating(False, History(human_offered=True))
    assert again.answer_id == contract.FEEDBACK_NOTED and not again.suggestions


def test_a_rating_keeps_the_context_as_it_was(advisor: Advisor) -> None:
    context = Context(role="ai_ethicist", aspect="skills", last_answer="role.ai_ethicist.skills",
                      offered=("ai_ethicist", "regulatory_specialist"))
    for helpful in (True, False):
        reply = advisor.rate(helpful, context)
        assert reply.context == context
        assert reply.text and reply.source is None


def test_the_second_clarification_in_a_row_offers_a_person(advisor: Advisor) -> None:
    first = advisor.reply(UNCLEAR, Context(), FIRST_CLARIFY)
    second = advisor.reply(UNCLEAR, Context(), SECOND_CLARIFY)
    assert first.answer_id == second.answer_id == contract.CLARIFY
    assert not offered(first)
    assert offered(second) and len(second.suggestions) <= 3
    assert second.rule.endswith("+offer_human")
    assert second.suggestions[-1].title == "Talk to a person"


def test_no_second_offer_once_offered_or_given(advisor: Advisor) -> None:
    reply = advisor.reply(UNCLEAR, Context(), History(clarified_in_row=3, human_offered=True))
    assert reply.answer_id == contract.CLARIFY and not offered(reply)


def test_only_clarifications_earn_the_offer(advisor: Advisor) -> None:
    reply = advisor.reply(Turn(intent="ask_about", entities=(("role", "ai_ethicist"),)), Context(),
                          SECOND_CLARIFY)
    assert reply.answer_id == "role.ai_ethicist.duties" and reply.rule == "ask_about:named_role"


def test_that_didnt_help_offers_a_person_unless_already_offered(advisor: Advisor) -> None:
    context = Context(last_answer="roles.overview")
    complaint = Turn(intent="feedback_negative", text="that didn't help")
    fresh = advisor.reply(complaint, context, History())
    assert fresh.answer_id == contract.FEEDBACK_NEGATIVE and offered(fresh)
    later = advisor.reply(complaint, context, History(human_offered=True))
    assert later.answer_id == contract.FEEDBACK_NEGATIVE and not offered(later)
    assert later.suggestions, "still offers topics"


def test_the_handoff_carries_the_contact_without_empty_keys(advisor: Advisor, knowledge: Knowledge) -> None:
    reply = advisor.reply(Turn(intent="request_human", text="can I talk to someone"), Context())
    assert reply.answer_id == contract.HANDOFF
    assert reply.contact == {k: v for k, v in knowledge.contact.dict().items() if v is not None}
    assert reply.contact["email"] in reply.text
    no_phone = Advisor(replace(knowledge, contact=knowledge.contact.copy(update={"phone": None, "link": None})))
    contact = no_phone.reply(Turn(intent="request_human"), Context()).contact
    assert contact is not None and "phone" not in contact and "link" not in contact
    assert set(contact) == {"team", "email", "hours", "placeholder"}


def test_other_answers_carry_no_contact(advisor: Advisor) -> None:
    assert advisor.reply(UNCLEAR, Context()).contact is None
