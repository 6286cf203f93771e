"""Import 200,000 generated VoC rows from CSV into a temporary database and print the figures.

Baseline: the same rows, already parsed, inserted with one plain ``executemany`` into an identical table in
one transaction, with the importer's page cache: the SQLite ceiling the importer's write step can approach.
A CSV this large is imported in chunks (``meeting.importing.streaming``), so the peak memory printed follows a
chunk, not the file. Usage: ``python bench/import_bench.py [ROWS] [UNIT]`` (e.g. 3000000 for issue 12's size;
UNIT "France" makes every narrative's language be detected, English or French: issue 20's extra cost).
"""
from __future__ import annotations

import csv
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

from meeting import importing, store

TOUCHPOINTS = ["Contract", "Installation", "Urgent fault", "Billing dispute", "Billing", "Moving home",
               "Upgrade", "Cancellation", "Repair", "Onboarding"]
WORDS = ("engineer arrived late never again great service bill wrong twice helpful agent waited hours "
         "refund still missing fast install clear explanation nobody called back friendly polite").split()


def generate(path: Path, rows: int, *, seed: int = 7) -> None:
    rng = random.Random(seed)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["Response ID", "RecordedDate", "Survey channel", "Journey Stage", "Customer segment",
                      "Account", "Likelihood to recommend (0-10)", "Tell us why"])
        for i in range(rows):
            out.writerow([
                f"R_{i:07d}",
                f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} "
                f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:05",
                rng.choice(["email", "sms", "web", "phone"]),
                rng.choice(TOUCHPOINTS),
                rng.choice(["Residential", "SMB", "Enterprise"]),
                f"ACC-{rng.randint(1000, 99999)}",
                rng.randint(0, 10),
                " ".join(rng.choices(WORDS, k=rng.randint(4, 18))).capitalize() + ".",
            ])


def baseline(db_file: Path, rows: list[tuple]) -> float:
    """Plain executemany of the already-parsed rows into the same schema, one transaction."""
    db = store.open_db(db_file)
    unit_id = store.get_or_create_unit(db, "Baseline")
    columns = ["unit_id", "source_key", "response_id", "received_on", "channel", "touchpoint", "segment",
               "customer_ref", "score", "scale", "narrative"]
    data = [(unit_id, *row) for row in rows]
    # The page cache the importer's write uses (meeting/store/imports.py sets the same): a like-for-like ceiling.
    db.execute("PRAGMA cache_size = -65536")
    started = time.perf_counter()
    with db.transaction():  # BEGIN IMMEDIATE ... COMMIT, without the change counter write_transaction adds
        db.executemany(f"INSERT INTO voc_responses ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                       data)
    elapsed = time.perf_counter() - started
    db.close()
    return elapsed


def main(rows: int = 200_000, unit: str = "Bench") -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        source = tmp / "voc.csv"
        generate(source, rows)
        print(f"{rows:,} VoC rows, {source.stat().st_size / 1e6:.1f} MB of CSV")

        db = store.open_db(tmp / "bench.db")
        started = time.perf_counter()
        result = importing.import_file(db, "voc", source, unit=unit)
        elapsed = time.perf_counter() - started
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
        assert result.inserted == rows, result

        started = time.perf_counter()
        frame = importing.read_table(source, source.name)
        read = time.perf_counter() - started
        started = time.perf_counter()
        clean, problems = importing.validate("voc", frame, None, filename=source.name, unit=unit)
        validated = time.perf_counter() - started
        assert not problems

        again = time.perf_counter()
        repeat = importing.import_file(db, "voc", source, unit=unit)
        reimport = time.perf_counter() - again
        assert repeat.inserted == 0 and repeat.duplicates == rows
        db.close()

        clean["source_key"] = clean["response_id"]
        columns = ["source_key", "response_id", "received_on", "channel", "touchpoint", "segment",
                   "customer_ref", "score", "scale", "narrative"]
        parsed = list(clean[columns].astype(object).itertuples(index=False, name=None))
        base = baseline(tmp / "baseline.db", parsed)

        print(f"importer (read + map + validate + write, one transaction): {elapsed:.2f} s, "
              f"{rows / elapsed:,.0f} rows/s; peak memory (max RSS of the process) {peak_mb:.0f} MB")
        print(f"  measured apart: read_table {read:.2f} s, validate {validated:.2f} s")
        print(f"re-import of the same file (all {rows:,} already there): {reimport:.2f} s")
        print(f"baseline (plain executemany of parsed rows, one transaction): {base:.2f} s, "
              f"{rows / base:,.0f} rows/s")
        print(f"importer / baseline: {elapsed / base:.1f}x")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200_000, sys.argv[2] if len(sys.argv) > 2 else "Bench")
