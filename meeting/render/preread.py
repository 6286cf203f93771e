"""The agenda as a pre-read (.docx and Markdown): same order, same evidence, short.

Content is decided once, as a list of blocks per section (``agenda_blocks``); Markdown and .docx only
render the blocks, so the two formats cannot drift apart.
"""
from __future__ import annotations

from pathlib import Path

from meeting.render.common import check_format, docx_bytes, write_output
from meeting.render.document import DocxWriter
from meeting.text import escape_for_markdown_file as md_escape


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
            [line["line"], _figure(line["actual"]), _figure(line["budget"]), _signed(line["variance"]),
             _signed(line["variance_pct"]), _figure(line["actual_before"])] for line in evidence["lines"]]))
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


def agenda_docx(agenda: dict, out) -> Path | None:
    """Write the pre-read as .docx to ``out`` (a path or a binary file object, e.g. a download buffer)."""
    writer = DocxWriter()
    writer.neutral_properties("Meeting pre-read", category="Pre-read")
    for block in agenda_blocks(agenda):
        kind = block[0]
        if kind == "title":
            writer.heading(block[1], 0)
        elif kind == "heading":
            writer.heading(block[1], 1)
        elif kind == "subheading":
            writer.heading(block[1], 2)
        elif kind == "paragraph":
            writer.paragraph(block[1])
        elif kind == "bullets":
            for item in block[1]:
                writer.bullet(item)
        elif kind == "quotes":
            for quote in block[1]:
                writer.paragraph(quote["text"], "Intense Quote")
                writer.paragraph(quote_meta(quote), size=8)
        elif kind == "table":
            writer.table([str(h) for h in block[1]], block[2], style="Light Grid Accent 1")
    if isinstance(out, (str, Path)):
        out = Path(out)
        out.parent.mkdir(parents=True, exist_ok=True)
    writer.save(out)
    return out if isinstance(out, Path) else None


def preread_file_name(agenda: dict, fmt: str) -> str:
    meeting = agenda["meeting"]
    return f"meeting-{meeting['id']}-{meeting['held_on']}-preread.{fmt}"


def render_preread(agenda: dict, fmt: str) -> bytes:
    """The pre-read's bytes, for a download button."""
    if check_format(fmt) == "md":
        return agenda_markdown(agenda).encode("utf-8")
    return docx_bytes(lambda buffer: agenda_docx(agenda, buffer))


def export_preread(agenda: dict, fmt: str = "docx", out: str | Path | None = None) -> Path:
    """Write the pre-read under the exports folder (or ``out``) and return the path."""
    return write_output(render_preread(agenda, fmt), preread_file_name(agenda, fmt), out)
