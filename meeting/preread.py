"""The agenda as a pre-read (.docx and Markdown): same order, same evidence, short.

Content is decided once, as a list of blocks per section (``agenda_blocks``); Markdown and .docx only
render the blocks, so the two formats cannot drift apart.
"""
from __future__ import annotations

from pathlib import Path

import docx
from docx.shared import Pt

from meeting.store import PROJECT_ROOT
from meeting.text import escape_for_markdown_file as md_escape

EXPORTS_DIR = PROJECT_ROOT / "exports"
def _signed(value) -> str:
    if value is None:
        return "n/a"
    return f"{value:+g}"


def _figure(value, suffix: str = "") -> str:
    return "n/a" if value is None else f"{value:g}{suffix}"


def quote_meta(quote: dict) -> str:
    score = f"{quote['score']:g}/{10 if quote.get('scale') == 'nps' else 5}" if quote.get("score") is not None else "no score"
    parts = [quote.get("touchpoint"), quote.get("channel") or quote.get("team"), quote.get("received_on") or quote.get("submitted_on")]
    if "kind" in quote:
        parts.insert(0, quote["kind"])
    else:
        parts.append(score)
    return " · ".join(str(p) for p in parts if p) + f" · why: {quote.get('why', '')}"


def _quotes(title: str, quotes: list[dict]) -> list[tuple]:
    return [("subheading", title), ("quotes", quotes)] if quotes else []


def _voices(evidence: dict) -> list[tuple]:
    return (_quotes("Customers said", evidence.get("customer_quotes", []))
            + _quotes("Customers also said", evidence.get("customer_praise", []))
            + _quotes("The frontline said", evidence.get("staff_quotes", [])))


def _customer(evidence: dict) -> list[tuple]:
    summary = evidence["summary"]
    blocks: list[tuple] = [("paragraph", "{} responses ({} before); NPS {} ({}); CSAT {} ({}).".format(
        summary["responses"]["now"], summary["responses"]["before"],
        _figure(summary["nps"]["now"]), _signed(summary["nps"]["change"]),
        _figure(summary["csat"]["now"]), _signed(summary["csat"]["change"])))]
    if evidence["by_touchpoint"]:
        blocks.append(("table", ["Touchpoint", "Moment of truth", "Responses", "NPS", "Change", "CSAT", "Change"], [
            [r["touchpoint"], "yes" if r["moment_of_truth"] else "", r["responses"], _figure(r["nps"]),
             _signed(r["nps_change"]), _figure(r["csat"]), _signed(r["csat_change"])] for r in evidence["by_touchpoint"]]))
    if evidence["themes"]:
        blocks.append(("table", ["Theme", "Mentions", "Before"],
                       [[t["theme"], t["mentions"], t["before"]] for t in evidence["themes"][:6]]))
    invited = evidence.get("invited") or []
    blocks.append(("subheading", "Invited customer" + ("s" if len(invited) > 1 else "")))
    blocks.append(("bullets", ["How customer-focused are we?", "How could we support you?", "What did we get wrong?"]))
    return blocks + _voices(evidence)


def _employees(evidence: dict) -> list[tuple]:
    summary = evidence["summary"]
    blocks: list[tuple] = [("paragraph", "{} frontline inputs ({} before): {} challenges, {} ideas, {} praise.".format(
        summary["inputs"]["now"], summary["inputs"]["before"], summary["challenge"]["now"],
        summary["idea"]["now"], summary["praise"]["now"]))]
    if evidence["groups"]:
        blocks.append(("table", ["Theme", "Challenges", "Ideas", "Praise", "Touchpoints"], [
            [g["theme"], g["challenge"], g["idea"], g["praise"], g["touchpoints"]] for g in evidence["groups"][:8]]))
    if evidence["engagement_trend"]:
        latest = evidence["engagement_trend"][-1]
        blocks.append(("paragraph", f"Engagement {latest['engagement']:g} in {latest['period']} ({latest['readings']} readings)."))
    return blocks + _voices(evidence)


def _operations(evidence: dict) -> list[tuple]:
    found = evidence["watermelons"]
    blocks: list[tuple] = []
    if found.get("watermelons"):
        blocks.append(("subheading", f"Watermelons: green metrics, unhappy customers ({len(found['watermelons'])})"))
        for flag in found["watermelons"]:
            blocks.append(("paragraph", flag["reading"] + f" A watermelon for {flag['age_months']} month(s)."))
            blocks.append(("quotes", [{"text": q, "why": "watermelon"} if isinstance(q, str) else q for q in flag.get("quotes", [])]))
    else:
        blocks.append(("paragraph", "No watermelons: no green metric disagrees with poor customer feedback."))
    statuses = found.get("statuses") or []
    if statuses:
        blocks.append(("table", ["Touchpoint", "Metric", "Target", "Actual", "Status"], [
            [s["touchpoint"], s["metric"], _figure(s["target"]), _figure(s["actual"]), s["status"]] for s in statuses]))
    if found.get("too_few"):
        blocks.append(("paragraph", "Too few responses to judge: " + ", ".join(
            f"{t['touchpoint']} ({t['responses']})" for t in found["too_few"]) + "."))
    if found.get("reverse"):
        blocks.append(("paragraph", "Red, yet customers are happy (a target customers may not care about): " + ", ".join(
            f"{r['metric']} ({r['touchpoint']})" for r in found["reverse"]) + "."))
    return blocks + _voices(evidence)


def _plans(evidence: dict) -> list[tuple]:
    blocks: list[tuple] = []
    if evidence["plans"]:
        blocks.append(("table", ["Plan", "Target segment", "Starts", "Detail"], [
            [p["title"], p["segment"] or "", p["starts_on"] or "", p["detail"] or ""] for p in evidence["plans"]]))
    for segment in evidence["segments"]:
        blocks.append(("subheading", f"Customers in {segment['segment']}: {segment['responses']} responses, "
                                     f"NPS {_figure(segment['nps'])}, CSAT {_figure(segment['csat'])}"))
        if segment["quotes"]:
            blocks.append(("quotes", segment["quotes"]))
    return blocks + _voices(evidence)


def _finance(evidence: dict) -> list[tuple]:
    blocks: list[tuple] = []
    if evidence["lines"]:
        blocks.append(("table", ["Line", "Actual", "Budget", "Variance", "Variance %", "Last month"], [
            [l["line"], _figure(l["actual"]), _figure(l["budget"]), _signed(l["variance"]),
             _signed(l["variance_pct"]), _figure(l["actual_before"])] for l in evidence["lines"]]))
    return blocks + _voices(evidence)


_SECTION_BLOCKS = {"customer": _customer, "employees": _employees, "operations": _operations,
                   "marketing": _plans, "sales": _plans, "finance": _finance}


def agenda_blocks(agenda: dict) -> list[tuple]:
    """The pre-read's content, in order, as (kind, ...) blocks."""
    meeting = agenda["meeting"]
    blocks: list[tuple] = [
        ("title", meeting["title"]),
        ("paragraph", f"{meeting['unit']} · held {meeting['held_on']} · reviews {meeting['period']} · "
                      f"{meeting['total_minutes']} minutes · customer first, finance last."),
    ]
    for number, section in enumerate(agenda["sections"], start=1):
        blocks.append(("heading", f"{number}. {section['title']} ({section['minutes']} min)"))
        blocks.append(("paragraph", section["purpose"]))
        if section["items"]:
            blocks.append(("bullets", [
                f"{item['title']} ({item['minutes'] or 0} min" + (f", {item['owner']})" if item["owner"] else ")")
                for item in section["items"]]))
        actions = section["evidence"].get("open_actions") or []
        if actions:
            blocks.append(("subheading", "Open actions carried over"))
            blocks.append(("bullets", [
                f"{a['text']} (owner {a['owner'] or 'unassigned'}, due {a['due_on'] or 'no date'}, "
                f"open for {a['meetings_open']} meeting(s))" for a in actions]))
        blocks.extend(_SECTION_BLOCKS[section["key"]](section["evidence"]))
    return blocks


def agenda_markdown(agenda: dict) -> str:
    lines: list[str] = []
    for block in agenda_blocks(agenda):
        kind = block[0]
        if kind == "title":
            lines += [f"# {md_escape(block[1])}", ""]
        elif kind == "heading":
            lines += [f"## {md_escape(block[1])}", ""]
        elif kind == "subheading":
            lines += [f"### {md_escape(block[1])}", ""]
        elif kind == "paragraph":
            lines += [md_escape(block[1]), ""]
        elif kind == "bullets":
            lines += [f"- {md_escape(item)}" for item in block[1]] + [""]
        elif kind == "quotes":
            for quote in block[1]:
                lines += [f"> {md_escape(quote['text'])}", ">", f"> — {md_escape(quote_meta(quote))}", ""]
        elif kind == "table":
            headers, rows = block[1], block[2]
            lines.append("| " + " | ".join(md_escape(h) for h in headers) + " |")
            lines.append("|" + "---|" * len(headers))
            lines += ["| " + " | ".join(md_escape(cell) for cell in row) + " |" for row in rows]
            lines.append("")
    return "\n".join(lines)


def agenda_docx(agenda: dict, path: str | Path) -> Path:
    document = docx.Document()
    document.core_properties.author = "Outside In"
    document.core_properties.title = agenda["meeting"]["title"]
    for block in agenda_blocks(agenda):
        kind = block[0]
        if kind == "title":
            document.add_heading(block[1], level=0)
        elif kind == "heading":
            document.add_heading(block[1], level=1)
        elif kind == "subheading":
            document.add_heading(block[1], level=2)
        elif kind == "paragraph":
            document.add_paragraph(block[1])
        elif kind == "bullets":
            for item in block[1]:
                document.add_paragraph(item, style="List Bullet")
        elif kind == "quotes":
            for quote in block[1]:
                paragraph = document.add_paragraph(style="Intense Quote")
                paragraph.add_run(quote["text"])
                meta = document.add_paragraph(quote_meta(quote))
                meta.runs[0].font.size = Pt(8)
        elif kind == "table":
            headers, rows = block[1], block[2]
            table = document.add_table(rows=1, cols=len(headers))
            table.style = "Light Grid Accent 1"
            for cell, header in zip(table.rows[0].cells, headers):
                cell.text = str(header)
            for row in rows:
                for cell, value in zip(table.add_row().cells, row):
                    cell.text = str(value)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(path)
    return path


def export_preread(agenda: dict, fmt: str = "docx", out: str | Path | None = None) -> Path:
    """Write the pre-read under exports/ (or ``out``) and return the path."""
    if fmt not in ("docx", "md"):
        raise ValueError("Format must be docx or md")
    meeting = agenda["meeting"]
    path = Path(out) if out else EXPORTS_DIR / f"meeting-{meeting['id']}-{meeting['held_on']}-preread.{fmt}"
    if fmt == "md":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(agenda_markdown(agenda), encoding="utf-8")
        return path
    return agenda_docx(agenda, path)
