"""Watermelon results as people read them: figures as they read in flags, JSON for scripts, short text."""
from __future__ import annotations

import json

from meeting.formatting import format_number  # the one formatter: flags read as pages do


def result_json(result: dict) -> str:
    """The detection as JSON: period, thresholds, watermelons, watch, too_few, reverse, and statuses as records."""
    statuses = result["statuses"].astype(object).where(result["statuses"].notna(), None)
    payload = {key: result[key] for key in ("period", "thresholds", "watermelons", "watch", "too_few", "reverse")}
    payload["statuses"] = statuses.to_dict("records")
    return json.dumps(payload, indent=2, ensure_ascii=False)


def result_text(result: dict, unit_name: str) -> str:
    """The detection as short readable text, flags first."""
    flags, lines = result["watermelons"], []
    lines.append(f"{unit_name}, {result['period']}: {len(flags)} watermelon{'' if len(flags) == 1 else 's'}")
    if result["statuses"].empty:
        lines.append("No metrics for this month.")
    for flag in flags:
        months = "month" if flag["age_months"] == 1 else "months"
        lines += ["", f"* {flag['touchpoint']} / {flag['metric']} (a watermelon for {flag['age_months']} {months})",
                  f"  {flag['reading']}"]
        lines += [f"  - \u201c{q['text']}\u201d ({q['received_on']})" for q in flag["quotes"]]
    if result["watch"]:
        lines += ["", "On watch (green, and the customers' interval reaches across the poor line):"]
        lines += [f"  {w['touchpoint']} / {w['metric']}: {w['reading']}" for w in result["watch"]]
    if result["too_few"]:
        lines += ["", "Too few responses to judge:"]
        lines += [f"  {t['touchpoint']}: {t['responses']} ({'; '.join(t['metrics'])})" for t in result["too_few"]]
    if result["reverse"]:
        lines += ["", "Red metrics whose customers are not unhappy (for information):"]
        lines += [f"  {r['touchpoint']} / {r['metric']}: {format_number(r['actual'])} vs target "
                  f"{format_number(r['target'])}" for r in result["reverse"]]
    return "\n".join(lines)
