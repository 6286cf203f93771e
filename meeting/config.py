"""Configuration, read in one place: deployment settings (environment, then the secrets file) and the
thresholds that decide what counts as poor feedback, amber metrics and enough evidence.

One place, with defaults documented in the README; a unit may override any of them through the JSON in
``units.settings`` (e.g. ``{"min_responses": 20}``).
"""
from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path

SECRETS_PATH = Path(__file__).resolve().parent.parent / ".streamlit" / "secrets.toml"


def read_setting(name: str, *, environ: Mapping[str, str] | None = None, secrets_path: Path | None = None) -> str | None:
    """A setting from the environment, else from the secrets file (top-level key), else None.

    Read on every call, not at import, so tests and a restarted app see the current value. Empty counts as
    unset. The secrets file is parsed with ``tomllib`` so ``meeting`` never needs Streamlit.
    """
    if environ is None:
        environ = os.environ
    value = environ.get(name)
    if value and value.strip():
        return value.strip()
    path = SECRETS_PATH if secrets_path is None else Path(secrets_path)
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        return None
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"{path} is not valid TOML: {error}") from None
    value = data.get(name)
    return str(value).strip() if value is not None and str(value).strip() else None


# How much a score can be trusted (issue 21), the same for every unit: a base is "ok" from BASE_LOW_BELOW
# responses, "low" from BASE_TOO_FEW_BELOW (shown with its interval, marked), "too_few" below (not shown as a
# number at all). Intervals and tests are two-sided at CONFIDENCE; Z is its normal quantile, as the NPS
# interval and test are written with it.
BASE_LOW_BELOW = 30
BASE_TOO_FEW_BELOW = 5
CONFIDENCE = 0.95
Z = 1.96
DRIVER_MIN_MENTIONS = 30   # a theme is weighed as a driver of NPS from this many mentions in the month
TEAM_MIN_INPUTS = 5        # a frontline quote names its team only when the team gave this many inputs that month


@dataclass(frozen=True)
class Thresholds:
    min_responses: int = 10           # narrative-only touchpoints: fewer narratives than this, too few to judge
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
    from meeting.store import units

    return thresholds_from_settings(units.unit_settings(db, unit_id))


def as_dict(thresholds: Thresholds) -> dict:
    return asdict(thresholds)


def save_thresholds(db, unit_id: int, overrides: dict) -> Thresholds:
    """Store a unit's overrides (validated first, so a typo is refused rather than stored)."""
    from meeting.store import units

    thresholds = thresholds_from_settings(overrides)
    units.save_unit_settings(db, unit_id, json.dumps(overrides, sort_keys=True))
    return thresholds
