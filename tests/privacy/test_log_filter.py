"""The log filter with Rasa's own logging: its structured events and warnings for messages starting with "/".

A child process sets up logging as `rasa run` does (rasa.utils.log_utils.configure_structlog:
plain stdout, structlog rendering JSON) and feeds hostile messages to Rasa's
RegexMessageHandler, the component that parses "/intent{...}" payloads and warns when it
cannot: first without the filter (the forged lines are there: the test can fail), then with it.
"""
from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path
from typing import List, Tuple

import pytest

from privacy import log_filter

ROOT = Path(__file__).resolve().parents[2]
FORGED = "ERROR forged admin login"
HOSTILE = [
    "/{\"role\": 1}\n" + FORGED + " by dana.smith@example.org",     # no intent: structlog "message.parsing.failed"
    "/greet{not json\n" + FORGED + " dana.smith@example.org}",      # bad entities: Rasa's raise_warning
    "/\n" + FORGED + " 415-555-0132",                                # unknown intent, a newline in it
    "/unknown_intent\r\n" + FORGED + "\x1b[2J\x1b[1;1H",              # CR, terminal escapes
]
MARK = "=== FILTER INSTALLED ==="
CHILD = """
import logging, sys
from rasa.utils.log_utils import configure_structlog
configure_structlog(logging.getLevelName(sys.argv[1]))
import structlog
from rasa.nlu.classifiers.regex_message_handler import RegexMessageHandler
from rasa.shared.core.domain import Domain
from rasa.shared.nlu.training_data.message import Message
from privacy import log_filter
domain = Domain.from_dict({"intents": ["greet"], "entities": ["role"]})
for filtered in (False, True):
    if filtered:
        print(%r, flush=True)
        log_filter.install()
    for text in %r:
        RegexMessageHandler().process([Message(data={"text": text})], domain)
        structlog.get_logger().debug("processor.message.parse", parse_data_text=text)
        logging.getLogger("rasa.core.processor").debug("Received user message '%%s'", text)
    sys.stdout.flush()
""" % (MARK, HOSTILE)


def run_child(level: str) -> Tuple[List[str], List[str]]:
    """The log lines (stdout and stderr, where Rasa's warnings go) without and with the filter."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONWARNINGS": "always"}
    result = subprocess.run([sys.executable, "-c", CHILD, level], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=300)
    assert result.returncode == 0 and MARK in result.stdout, result.stdout[-3000:]
    before, after = result.stdout.split(MARK)
    # TensorFlow's start-up chatter is not under test
    keep = [line for line in before.splitlines() if "tensorflow" not in line.lower()]
    return keep, after.splitlines()


@pytest.fixture(scope="module")
def info() -> Tuple[List[str], List[str]]:
    return run_child("INFO")


def test_without_the_filter_rasa_logs_the_message_text_and_forged_lines(info) -> None:
    unfiltered, _ = info
    assert any(line.startswith(FORGED) for line in unfiltered)
    assert any("dana.smith@example.org" in line for line in unfiltered)


def test_at_info_no_message_text_reaches_the_log_and_no_line_is_forged(info) -> None:
    _, lines = info
    text = "\n".join(lines)
    assert "message.parsing.failed" in text and "Failed to parse arguments" in text  # Rasa did log
    assert "forged" not in text.lower() and "dana" not in text and "555" not in text
    assert "\x1b" not in text and "\r" not in text
    assert log_filter.WITHHELD in text


def test_at_debug_the_text_is_kept_redacted_and_on_one_line() -> None:
    _, lines = run_child("DEBUG")
    assert not [line for line in lines if line.startswith(FORGED) or "dana.smith@example.org" in line]
    received = [line for line in lines if line.startswith("Received user message")]
    assert len(received) == len(HOSTILE)
    assert f"Received user message '/greet{{not json\\n{FORGED} [EMAIL]}}'" in received
    assert any("\\x1b[2J" in line and "\\r\\n" in line for line in received)
    parsed = [line for line in lines if "processor.message.parse" in line]
    assert len(parsed) == len(HOSTILE) and any("[PHONE]" in line for line in parsed)
    # the warnings stay withheld at DEBUG too: they are WARNING records
    assert not [line for line in lines if "Failed to parse arguments in line" in line]


def test_escape_writes_every_control_character_as_text() -> None:
    assert log_filter.escape("a\nb\rc\td\x00e\x1bf\x7f\u2028\u202e") == "a\\nb\\rc\\td\\x00e\\x1bf\\x7f\\u2028\\u202e"
    assert log_filter.escape("\x1b[93mwarning\x1b[0m") == "warning"


def test_a_traceback_keeps_its_lines_but_no_escape_codes_and_is_redacted() -> None:
    record = logging.LogRecord("t", logging.ERROR, __file__, 1, "failed for %s", ("dana@x.org\nFAKE",), None)
    try:
        raise ValueError("bad \x1b[2J input from dana@x.org")
    except ValueError:
        record.exc_info = sys.exc_info()
    log_filter.FILTER.filter(record)
    assert record.getMessage() == "failed for [EMAIL]\\nFAKE"
    assert "\n" in record.exc_text and "\x1b" not in record.exc_text and "dana@x.org" not in record.exc_text
