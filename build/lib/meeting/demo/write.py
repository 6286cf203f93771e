"""Writes the demo CSVs: same seed, byte-identical files (no global ``random``, no dates from the clock)."""
from __future__ import annotations

import csv
from pathlib import Path

from meeting.demo.plan import DEFAULT_SEED, DEMO_DIR, UNITS
from meeting.demo.rows import finance_rows, metric_rows, minutes_rows, participant_rows, plan_rows, staff_rows
from meeting.demo.voc import ToneCheck, voc_rows

FILES = {
    "voc": ("unit", "response_id", "received_on", "channel", "touchpoint", "segment", "customer_ref",
            "score", "scale", "narrative"),
    "staff": ("unit", "submitted_on", "team", "role", "touchpoint", "kind", "text", "engagement"),
    "metrics": ("unit", "period", "touchpoint", "name", "target", "actual", "direction"),
    "plans": ("unit", "section", "title", "segment", "starts_on", "detail"),
    "finance": ("unit", "period", "line", "actual", "budget"),
    "participants": ("unit", "held_on", "name", "organisation", "role", "kind", "email", "phone"),
    "minutes": ("unit", "held_on", "section", "kind", "text", "speaker", "owner", "due_on"),
}


def _write(path: Path, columns: tuple[str, ...], rows: list[dict]) -> None:
    # "\n" line endings and a fixed column order: byte-identical output on every platform.
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def generate(out_dir: str | Path = DEMO_DIR, seed: int = DEFAULT_SEED) -> dict[str, Path]:
    """Write the demo CSVs into ``out_dir``; the same seed gives byte-identical files."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    tone_check = ToneCheck()
    rows: dict[str, list[dict]] = {kind: [] for kind in FILES}
    for unit in UNITS:
        rows["voc"] += voc_rows(seed, unit, tone_check)
        rows["staff"] += staff_rows(seed, unit)
        rows["metrics"] += metric_rows(seed, unit)
        rows["plans"] += plan_rows(unit)
        rows["finance"] += finance_rows(seed, unit)
    rows["participants"] = participant_rows()
    rows["minutes"] = minutes_rows()
    paths = {}
    for kind, columns in FILES.items():
        paths[kind] = out / f"{kind}.csv"
        _write(paths[kind], columns, rows[kind])
    return paths
