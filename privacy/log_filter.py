"""Personal data and forged lines out of every log line, whoever logs it (pure Python, standard logging).

`RedactingFilter` rewrites a record's final message (and the text of its exception):
- at INFO and above, a user's message text is withheld where Rasa puts it into a record:
  the warnings Rasa raises for a message starting with "/" ("Failed to parse arguments in
  line '/...'", "Parsed an intent '...' which is not defined", ...) and the fields of its
  structured (JSON) log events that carry text (`user_text`, `text`, ...), e.g.
  "message.parsing.failed"; at DEBUG the text stays, redacted;
- every message is then redacted (`privacy.redact`) and its control characters are
  escaped ("\\n", "\\r", "\\x1b", line and bidi separators), so no input can start a
  forged log line or drive a terminal; colour codes are dropped. A traceback keeps its
  line breaks (it is printed after the message) but loses every other control character.

`install()` puts it into the log record factory, so it applies to every record of every
logger, whichever handler, file or formatter is configured later (Rasa, Sanic and
rasa-sdk each set up their own), and routes Python warnings (Rasa's `raise_warning`)
into logging so they pass through it too; records are only made for enabled levels, so a
quiet log costs nothing. `installed()` says whether it is in force.
"""
from __future__ import annotations

import json
import logging
import re
import traceback
from typing import Any, Callable, Pattern, Tuple

from privacy.data import redact_data
from privacy.lexicon import lexicon
from privacy.redact import redact

_MARK = "_codecare_redacting"
WITHHELD = "[message text withheld]"

# Rasa 3.6 warnings that quote what the user typed (rasa/shared/core/training_data/
# story_reader/yaml_story_reader.py, rasa/core/processor.py): all of the quote goes.
RASA_WARNINGS: Tuple[Tuple[Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.DOTALL), replacement) for pattern, replacement in (
        (r"Failed to parse arguments in line .*", f"Failed to parse arguments in a message starting with '/': {WITHHELD}"),
        (r"Parsed an intent '.*' which is not defined in the domain", f"Parsed an intent {WITHHELD} which is not defined in the domain"),
        (r"Parsed an entity '.*' which is not defined in the domain", f"Parsed an entity {WITHHELD} which is not defined in the domain"),
        (r"Invalid entity specification: .*", f"Invalid entity specification: {WITHHELD}"),
    ))
# Fields of Rasa's structured log events that carry a user's text (rasa/utils/log_utils.py
# lists them for its own anonymisation), plus the channels' names for it.
TEXT_FIELDS = frozenset("""
text response_text user_text user_message message json_message parse_data_text parse_data_entities
tracker_latest_message slot_values slot_candidates prefilled_slots rasa_event rasa_events entity
current_entity next_entity token_text response metadata
""".split())
COLOUR = re.compile(r"\x1b\[[0-9;]*m")
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
CONTROL_BUT_NEWLINE = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def escape(text: str) -> str:
    """text on one line: colour codes dropped, each control character written as an escape."""
    return CONTROL.sub(_escaped, COLOUR.sub("", text))


def _escaped(match: "re.Match[str]") -> str:
    char = match.group()
    return NAMED.get(char) or (f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")


def withhold(message: str) -> str:
    """message without the user's text Rasa quotes in it at INFO and above."""
    for pattern, replacement in RASA_WARNINGS:
        message = pattern.sub(replacement, message)
    if message.startswith("{") and message.endswith("}"):
        message = _structured(message, lambda _value: WITHHELD)
    return message


def _structured(message: str, replace: Callable[[Any], Any]) -> str:
    """A JSON log event with its text-carrying fields replaced; anything else unchanged."""
    try:
        event = json.loads(message)
    except ValueError:
        return message
    if not isinstance(event, dict) or not TEXT_FIELDS & event.keys():
        return message
    return json.dumps({key: replace(value) if key in TEXT_FIELDS else value for key, value in event.items()})


class RedactingFilter(logging.Filter):
    """Rewrites a record in place; never drops one."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken format string: keep what there is
            message = str(record.msg)
        if isinstance(message, str):
            message = withhold(message) if record.levelno >= logging.INFO else _structured(message, redact_data)
            record.msg, record.args = escape(redact(message)), ()
        if record.exc_info and not record.exc_text:
            record.exc_text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
        if record.exc_text:
            record.exc_text = CONTROL_BUT_NEWLINE.sub(_escaped, redact(record.exc_text))
        return True


FILTER = RedactingFilter()


def install() -> None:
    """Redact and escape every log record from now on, warnings included (idempotent).

    Also builds the redactor's name lists now, at start-up, rather than in the first turn."""
    logging.captureWarnings(True)
    lexicon()
    factory = logging.getLogRecordFactory()
    if getattr(factory, _MARK, False):
        return

    def make(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = factory(*args, **kwargs)
        FILTER.filter(record)
        return record

    setattr(make, _MARK, True)
    logging.setLogRecordFactory(make)


def installed() -> bool:
    factory: Callable[..., Any] = logging.getLogRecordFactory()
    return bool(getattr(factory, _MARK, False))
