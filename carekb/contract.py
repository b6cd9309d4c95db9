"""The answer ids other parts of the system rely on: graders, tests, the widget, reports."""
from __future__ import annotations

from typing import FrozenSet

ROLES = (
    "ai_ml_engineer",
    "clinical_informaticist",
    "medical_data_scientist",
    "ai_ethicist",
    "regulatory_specialist",
)
ROLE_ASPECTS = ("duties", "skills", "example")
BACKGROUNDS = ("clinical", "computing", "life_sciences", "policy_law")
SKILL_TOPICS = ("technical", "clinical", "soft")
PATH_STEPS = ("foundations", "domain_knowledge", "portfolio", "certification")
CONCEPTS = (
    "nlp",
    "medical_imaging",
    "predictive_analytics",
    "algorithmic_bias",
    "alert_fatigue",
    "ehr",
    "health_data_regulation",
    "fda_approval",
)

COMPARE = "role.compare"
ASK_BACKGROUND = "ask.background"
OUT_OF_SCOPE = "fallback.out_of_scope"
CLARIFY = "fallback.clarify"
MEDICAL_ADVICE = "fallback.medical_advice"
UNAVAILABLE = "fallback.unavailable"
TOO_LONG = "fallback.too_long"
NOT_COVERED = "fallback.not_covered"
HANDOFF = "handoff.human"
FEEDBACK_NEGATIVE = "feedback.negative"
# The replies to a rating (the `rate` intent): thanks, an apology offering a person, or an
# apology alone once a person was offered.
RATE = "rate"
FEEDBACK_THANKS = "feedback.thanks"
FEEDBACK_OFFER_HUMAN = "feedback.offer_human"
FEEDBACK_NOTED = "feedback.noted"
# The replies to a rating: they answer the rating, not a question, so they keep the offer
# of the answer before them (server/channels/guard.py).
RATING_REPLIES = frozenset({FEEDBACK_THANKS, FEEDBACK_OFFER_HUMAN, FEEDBACK_NOTED})
HELP = "bot.help"
# The context's `awaiting` value after the assistant asked for the user's background.
AWAITING_BACKGROUND = "background"


def role_answer(role: str, aspect: str) -> str:
    """The id of a role's answer for one aspect: duties, skills or example."""
    return f"role.{role}.{aspect}"


def background_answer(background: str) -> str:
    return f"advice.background.{background}"


def required_ids() -> FrozenSet[str]:
    """Every answer id the contract promises."""
    ids = {
        "field.overview",
        "field.outlook",
        "field.ethics_regulation",
        "roles.overview",
        COMPARE,
        "skills.overview",
        "path.steps",
        ASK_BACKGROUND,
        OUT_OF_SCOPE,
        CLARIFY,
        MEDICAL_ADVICE,
        UNAVAILABLE,
        TOO_LONG,
        NOT_COVERED,
        HANDOFF,
        FEEDBACK_NEGATIVE,
        FEEDBACK_THANKS,
        FEEDBACK_OFFER_HUMAN,
        FEEDBACK_NOTED,
        HELP,
        "bot.greet",
        "bot.goodbye",
        "bot.thanks",
        "bot.affirm",
        "bot.deny",
        "bot.challenge",
    }
    ids |= {role_answer(r, a) for r in ROLES for a in ROLE_ASPECTS}
    ids |= {f"skills.{s}" for s in SKILL_TOPICS}
    ids |= {f"path.{s}" for s in PATH_STEPS}
    ids |= {f"concept.{c}" for c in CONCEPTS}
    ids |= {background_answer(b) for b in BACKGROUNDS}
    return frozenset(ids)
