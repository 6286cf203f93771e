"""What a CLI command costs before it does anything: CPU seconds (user + system, best of N) of ``--help`` and of
``agenda ID --json`` on the demo, beside a bare ``python -c pass`` in the same run (issue 30: sqlite-utils
imported pandas on every command; issue 23 took the SQLite engine off it).

CPU, not wall time: the machine is shared, and start-up is CPU-bound. Usage:
    PYTHONPATH=$PWD python bench/startup_bench.py [--runs 5]
"""
from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def cpu_seconds(args: list[str], env: dict, runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run([sys.executable, *args], env=env, check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        best = min(best, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
    return best


def heavy_imports(args: list[str], env: dict) -> list[str]:
    run = subprocess.run([sys.executable, "-X", "importtime", *args], env=env, capture_output=True, text=True,
                         check=True)
    names = {line.rsplit("|", 1)[1].strip() for line in run.stderr.splitlines() if line.startswith("import time:")}
    return sorted(names & {"sqlite_utils", "pandas", "numpy", "psycopg", "docx", "wordfreq"})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "OUTSIDE_IN_DB": str(Path(folder) / "demo.db"),
               "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
        env.pop("OUTSIDE_IN_DATABASE_URL", None)
        subprocess.run([sys.executable, "-m", "meeting", "init", "--demo"], env=env, check=True,
                       stdout=subprocess.DEVNULL)
        print(f"{'command':<28} {'CPU s (best of ' + str(options.runs) + ')':>20}  heavy modules imported")
        for label, args in (("python -c pass (baseline)", ["-c", "pass"]),
                            ("meeting --help", ["-m", "meeting", "--help"]),
                            ("meeting agenda 1 --json", ["-m", "meeting", "agenda", "1", "--json"])):
            seconds = cpu_seconds(args, env, options.runs)
            print(f"{label:<28} {seconds:>20.3f}  {', '.join(heavy_imports(args, env)) or '-'}")


if __name__ == "__main__":
    main()
