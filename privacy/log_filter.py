"""Personal data out of every log line, whoever logs it (pure Python, standard logging).

`RedactingFilter` replaces a record's message (and the text of its exception, if any)
by its redacted form. `install()` puts it into the log record factory, so it applies to
every record of every logger, whichever handler, file or formatter is configured later
(Rasa, Sanic and rasa-sdk each set up their own); records are only made for enabled
levels, so a quiet log costs nothing. `installed()` says whether it is in force.
"""
from __future__ import annotations

import logging
import traceback
from typing import Any, Callable

from privacy.redact import redact

_MARK = "_codecare_redacting"


class RedactingFilter(logging.Filter):
    """Redacts a record in place; never drops one."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken format string: keep what there is
            message = str(record.msg)
        cleaned = redact(message) if isinstance(message, str) else message
        if cleaned is not message or record.args:
            record.msg, record.args = cleaned, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = redact("".join(traceback.format_exception(*record.exc_info)).rstrip("\n"))
        elif record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


FILTER = RedactingFilter()


def install() -> None:
    """Redact every log record from now on (idempotent)."""
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
