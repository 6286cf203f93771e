"""``python -m meeting``: script what the app does (prepare meetings, import, export).

Each command is a small function ``cmd_<name>(db, args) -> exit code`` in the module of its group (``meetings``,
``evidence``, ``documents``, ``admin``); ``meeting.cli.parser.build_parser`` wires them.
Exit codes: 0 done, 1 not found / refused, 2 bad input.
"""
from __future__ import annotations

import sqlite3
import sys

from meeting import store
from meeting.cli.common import CommandError
from meeting.cli.parser import build_parser

__all__ = ["CommandError", "build_parser", "main"]


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.database_url and not args.database_url.startswith(("postgresql://", "postgres://")):
            raise ValueError("--database-url must be a postgresql:// URL")
        try:
            db = store.open_db(args.database_url or args.db)
        except sqlite3.OperationalError as error:  # no server at that URL, an unreadable file: say so, no traceback
            print(f"Cannot open the database: {error}", file=sys.stderr)
            return 1
        try:
            return args.func(db, args)
        finally:
            db.close()
    except CommandError as error:
        print(error, file=sys.stderr)
        return error.code
    except PermissionError as error:  # a closed meeting, a role that may not: refused, not bad input
        print(error, file=sys.stderr)
        return 1
    except LookupError as error:
        print(error.args[0] if error.args else error, file=sys.stderr)
        return 1
    except BrokenPipeError:  # `... --json | head`: the reader has what it wanted; no traceback
        sys.stderr.close()
        return 0
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
