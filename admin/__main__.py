"""Administer the conversation store from the command line (same endpoints.yml as the server).

    python -m admin purge --days 30        delete what was said more than 30 days ago
    python -m admin erase ID_OR_EMAIL ...  delete whole conversations (erasure requests); an
                                           email is hashed as the server stores it
    python -m admin report [--out FILE] [--since DATE] [--until DATE]
                                           the content owners' report (HTML and CSV)

`--endpoints` names the file (default: the root endpoints.yml, SQLite under var/, as
`make run` uses it; deploy/endpoints.yml with its environment in Compose and Kubernetes).
"""
from __future__ import annotations

import argparse
import logging
import sys
import time
import warnings
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import List, Optional

from codecare import settings


def _hide_library_deprecations() -> None:
    """Rasa's dependencies announce their deprecations at import (and Sanic re-enables them)."""
    show = warnings.showwarning

    def quiet(message, category, *args, **kwargs):  # type: ignore[no-untyped-def]
        if not issubclass(category, DeprecationWarning):
            show(message, category, *args, **kwargs)

    warnings.showwarning = quiet


def _days(text: str) -> float:
    days = float(text)
    if days < 0:
        raise argparse.ArgumentTypeError("must be zero or more")
    return days


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-11-01 (YYYY-MM-DD)") from None


def _midnight(day: date) -> float:
    return datetime(day.year, day.month, day.day, tzinfo=timezone.utc).timestamp()


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m admin", description=__doc__.split("\n")[0])
    parser.add_argument("--endpoints", type=Path, default=settings.ROOT / "endpoints.yml")
    commands = parser.add_subparsers(dest="command", required=True)
    purge = commands.add_parser("purge", help="delete what was said more than DAYS days ago")
    purge.add_argument("--days", type=_days, required=True)
    erase = commands.add_parser("erase", help="delete whole conversations by sender id or "
                                "signed-in email (hashed with CODECARE_SENDER_HASH_KEY)")
    erase.add_argument("sender_ids", nargs="+")
    report = commands.add_parser("report", help="write the content owners' HTML report")
    report.add_argument("--out", type=Path, default=None, help="default: <data dir>/report/index.html")
    report.add_argument("--days", type=_days, default=None, help="only the last DAYS days")
    report.add_argument("--since", type=_date, default=None, help="from this day (UTC, inclusive)")
    report.add_argument("--until", type=_date, default=None, help="to this day (UTC, inclusive)")
    args = parser.parse_args(argv)
    if args.command == "report" and args.since and args.until and args.since > args.until:
        parser.error(f"--since {args.since} is after --until {args.until}")

    _hide_library_deprecations()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("matplotlib").setLevel(logging.ERROR)  # its style files trip pyparsing deprecations

    from admin import db  # imports Rasa: only for the commands that need it

    engine = db.connect(args.endpoints)
    where = engine.url.render_as_string(hide_password=True)
    if args.command == "purge":
        from admin.retention import purge as run_purge

        result = run_purge(engine, args.days)
        print(f"{where}: deleted {result.events_deleted} events older than {args.days:g} days; "
              f"{result.conversations_deleted} conversations removed entirely.")
    elif args.command == "erase":
        from rasa.core.lock_store import RedisLockStore

        from admin.retention import erase as run_erase
        from admin.retention import stored_id

        try:
            ids = [(given, stored_id(given)) for given in args.sender_ids]
        except ValueError as error:
            print(f"erase: {error}", file=sys.stderr)
            return 2
        locks = db.lock_store(args.endpoints)
        for given, sender_id in ids:
            deleted = run_erase(engine, sender_id, locks if isinstance(locks, RedisLockStore) else None)
            shown = given if given == sender_id else f"{sender_id} (of the email given)"
            print(f"{where}: conversation {shown!r}: {deleted} events deleted.")
    elif args.command == "report":
        from carekb import load_knowledge
        from admin.report import write_report

        out = args.out or settings.data_dir() / "report" / "index.html"
        since = time.time() - args.days * 86400 if args.days is not None else None
        if args.since:
            since = max(since or 0.0, _midnight(args.since))
        until = _midnight(args.until + timedelta(days=1)) if args.until else None
        period = f"{args.since or 'start'} to {args.until or 'now'}" if args.since or args.until else ""
        page, tables = write_report(engine, load_knowledge(settings.knowledge_dir()), out, since, until, period)
        print(f"Report on {where}: {page}")
        print(f"Tables (CSV) for a spreadsheet: {', '.join(str(t) for t in tables)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
