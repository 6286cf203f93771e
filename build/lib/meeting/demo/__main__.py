"""``python -m meeting.demo generate [--out DIR] [--seed N]``: write the demo CSVs."""
from __future__ import annotations

import argparse
import sys

from meeting.demo.plan import DEFAULT_SEED, DEMO_DIR
from meeting.demo.write import generate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m meeting.demo", description="The demo organisation.")
    commands = parser.add_subparsers(dest="command", required=True)
    gen = commands.add_parser("generate", help="write the demo CSVs (deterministic)")
    gen.add_argument("--out", default=str(DEMO_DIR), help=f"folder (default: {DEMO_DIR})")
    gen.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    for kind, path in generate(args.out, args.seed).items():
        with open(path, encoding="utf-8") as handle:
            print(f"{path}: {sum(1 for _ in handle) - 1} {kind} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
