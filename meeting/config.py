"""Thresholds that decide what counts as poor feedback, amber metrics and enough evidence.

One place, with defaults documented in the README; a unit may override any of them through the JSON in
``units.settings`` (e.g. ``{"min_responses": 20}``).
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields, replace


@dataclass(frozen=True)
class Thresholds:
    min_responses: int = 10           # fewer responses than this on a touchpoint: too few to judge
    nps_poor_below: float = 0.0       # NPS (-100..100) below this is poor
    csat_poor_below: float = 3.5      # mean CSAT (1..5) below this is poor
    negative_share_poor: float = 0.5  # narrative-only touchpoints: this share of negative narratives is poor
    amber_tolerance: float = 0.05     # a metric missing its target by at most this share of target is amber
    quotes_per_section: int = 3       # narratives and staff quotes shown per list


DEFAULTS = Thresholds()


def thresholds_from_settings(settings: str | dict | None) -> Thresholds:
    """Defaults overlaid with a unit's settings; unknown keys are an error, not silently ignored."""
    if not settings:
        return DEFAULTS
    values = json.loads(settings) if isinstance(settings, str) else dict(settings)
    known = {f.name: f.type for f in fields(Thresholds)}
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise ValueError(f"Unknown threshold setting(s): {', '.join(unknown)}; known: {', '.join(known)}")
    typed = {key: type(getattr(DEFAULTS, key))(value) for key, value in values.items()}
    return replace(DEFAULTS, **typed)


def load_thresholds(db, unit_id: int) -> Thresholds:
    row = db.execute("SELECT settings FROM units WHERE id = ?", [unit_id]).fetchone()
    return thresholds_from_settings(row[0] if row else None)


def as_dict(thresholds: Thresholds) -> dict:
    return asdict(thresholds)


def save_thresholds(db, unit_id: int, overrides: dict) -> Thresholds:
    """Store a unit's overrides (validated first, so a typo is refused rather than stored)."""
    from meeting.store import write_transaction

    thresholds = thresholds_from_settings(overrides)
    with write_transaction(db):
        db.execute("UPDATE units SET settings = ? WHERE id = ?", [json.dumps(overrides, sort_keys=True), unit_id])
    return thresholds
