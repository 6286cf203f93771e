"""The agenda as a pre-read (.docx and Markdown): same order, same evidence, short.

Content is decided once, as a list of blocks per section (``agenda_blocks``); Markdown and .docx only
render the blocks, so the two formats cannot drift apart.
"""
from __future__ import annotations

from pathlib import Path

from meeting.config import BASE_LOW_BELOW, BASE_TOO_FEW_BELOW
from meeting.evidence.drivers import dragging
from meeting.evidence.language import LANGUAGE_NAMES
from meeting.formatting import (
    driver_line,
    finance_table,
    format_change,
    format_number,
    format_score_with_interval,
    status_table,
    summary_figures,
    touchpoint_score_table,
)
from meeting.render.common import check_format, docx_bytes, write_output
from meeting.render.document import APPLICATION, DocxWriter
from meeting.text import escape_for_markdown_file as md_escape


def quote_meta(quote: dict) -> str:
    """Where a quote comes from (touchpoint, channel or team, date, score, the language it was written in) and,
    only when there is one, why it is in this section."""
    score = (f"{format_number(quote['score'])}/{10 if quote.get('scale') == 'nps' else 5}"
             if quote.get("score") is not None else "no score")
    parts = [quote.get("touchpoint"), quote.get("channel") or quote.get("team"), quote.get("received_on") or quote.get("submitted_on")]
    if "kind" in quote:
        parts.insert(0, quote["kind"])
    else:
        parts.append(score)
    if quote.get("language"):
        # The language the customer wrote in (issue 20): a Dutch comment quoted at a Belgian meeting says so.
        parts.append(LANGUAGE_NAMES.get(quote["language"], quote["language"]))
    why = str(quote.get("why") or "").strip()
    if why:
        parts.append(f"why: {why}")
    return " · ".join(str(p) for p in parts if p)


def _quotes(title: str, quotes: list[dict]) -> list[tuple]:
    return [("subheading", title), ("quotes", quotes)] if quotes else []


def _voices(evidence: dict) -> list[tuple]:
    return (_quotes("Customers said", evidence.get("customer_quotes", []))
            + _quotes("Customers also said", evidence.get("customer_praise", []))
            + _quotes("The frontline said", evidence.get("staff_quotes", [])))


def _customer(evidence: dict) -> list[tuple]:
    summary = evidence["summary"]
    nps, csat = summary_figures(summary, "nps"), summary_figures(summary, "csat")
    blocks: list[tuple] = [("paragraph", "{} responses ({} before); NPS {}, change {}; CSAT {}, change {}.".format(
        format_number(summary["responses"]["now"]), format_number(summary["responses"]["before"]),
        format_score_with_interval(nps, "nps"), format_change(nps, "nps"),
        format_score_with_interval(csat, "csat"), format_change(csat, "csat")))]
    if evidence["by_touchpoint"]:
        blocks.append(("subheading", "By touchpoint"))
        blocks.append(("table", *touchpoint_score_table(evidence["by_touchpoint"])))
        blocks.append(("paragraph", "Scores show their 95% interval and number of responses; \u201clow base\u201d under "
                                    f"{BASE_LOW_BELOW} responses; fewer than {BASE_TOO_FEW_BELOW} are not scored. A change "
                                    "has an arrow only when it is more than noise."))
    if evidence["themes"]:
        blocks.append(("subheading", "What customers wrote about"))
        blocks.append(("table", ["Theme", "Mentions", "Before"],
                       [[t["theme"], format_number(t["mentions"]), format_number(t["before"])] for t in evidence["themes"][:6]]))
    shown = dragging(evidence.get("drivers") or [])
    if shown:
        blocks.append(("subheading", "What pulls the score down"))
        blocks.append(("bullets", [driver_line(driver) for driver in shown]))
    if evidence.get("already_known"):
        blocks.append(("subheading", "Already known? Complaints we keep hearing"))
        blocks.append(("table", ["Theme", "Months", "Complaints", "Acted on"], [
            [k["theme"], ", ".join(k["months"]), format_number(k["mentions"]), "yes" if k["addressed"] else "no"]
            for k in evidence["already_known"]]))
    invited = evidence.get("invited") or []
    blocks.append(("subheading", "Invited customer" + ("s" if len(invited) > 1 else "")))
    blocks.append(("bullets", ["How customer-focused are we?", "How could we support you?", "What did we get wrong?"]))
    return blocks + _voices(evidence)


def _employees(evidence: dict) -> list[tuple]:
    summary = evidence["summary"]
    blocks: list[tuple] = [("paragraph", "{} frontline inputs ({} before): {} challenges, {} ideas, {} praise.".format(
        *(format_number(x) for x in (summary["inputs"]["now"], summary["inputs"]["before"], summary["challenge"]["now"],
                                     summary["idea"]["now"], summary["praise"]["now"]))))]
    if evidence["groups"]:
        blocks.append(("table", ["Theme", "Challenges", "Ideas", "Praise", "Touchpoints"], [
            [g["theme"], *(format_number(g[k]) for k in ("challenge", "idea", "praise")), g["touchpoints"]] for g in evidence["groups"][:8]]))
    if evidence["engagement_trend"]:
        latest = evidence["engagement_trend"][-1]
        blocks.append(("paragraph", f"Engagement {format_number(latest['engagement'])} in {latest['period']} "
                                    f"({format_number(latest['readings'])} readings)."))
    return blocks + _voices(evidence)


NO_METRICS = ("No metrics for this month yet, so watermelons cannot be judged: import the month's process "
              "metrics (touchpoint, name, target, actual, direction) to compare them with what customers said.")
NO_WATERMELONS = "No watermelons: no green metric disagrees with poor customer feedback."


def operations_empty_state(found: dict) -> tuple[str, str] | None:
    """What to say when no watermelon is flagged, and whether it is good news ("success") or missing data
    ("info"): with no metrics there was nothing to compare, which is not the same as all clear."""
    if found.get("watermelons"):
        return None
    if not found.get("statuses"):
        return "info", NO_METRICS
    return "success", NO_WATERMELONS


def _operations(evidence: dict) -> list[tuple]:
    found = evidence["watermelons"]
    blocks: list[tuple] = []
    empty = operations_empty_state(found)
    if empty is None:
        blocks.append(("subheading", f"Watermelons: green metrics, unhappy customers ({len(found['watermelons'])})"))
        for flag in found["watermelons"]:
            blocks.append(("paragraph", flag["reading"] + f" A watermelon for {flag['age_months']} month(s); "
                                        f"severity {format_number(flag.get('severity', 0))}."))
            blocks.append(("quotes", [{"text": q} if isinstance(q, str) else q for q in flag.get("quotes", [])]))
    else:
        blocks.append(("paragraph", empty[1]))
    statuses = found.get("statuses") or []
    if statuses:
        blocks.append(("table", *status_table(statuses)))
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
                                     f"NPS {format_score_with_interval(segment, 'nps')}, "
                                     f"CSAT {format_score_with_interval(segment, 'csat')}"))
        if segment["quotes"]:
            blocks.append(("quotes", segment["quotes"]))
    return blocks + _voices(evidence)


def _finance(evidence: dict) -> list[tuple]:
    blocks: list[tuple] = []
    if evidence["lines"]:
        blocks.append(("table", *finance_table(evidence["lines"])))
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
        # Page one is the map: each section, its time box and items, so a printout is found by its number.
        ("subheading", "At a glance"),
        ("table", ["Section", "Minutes", "Items"], [
            [f"{number}. {section['title']}", format_number(section["minutes"]),
             "; ".join(item["title"] for item in section["items"]) or "no items"]
            for number, section in enumerate(agenda["sections"], start=1)]),
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
    writer.header_footer(f"Pre-read · {agenda['meeting']['title']}", APPLICATION)
    for block in agenda_blocks(agenda):
        kind = block[0]
        if kind == "title":
            writer.heading(block[1], 0)
        elif kind == "heading":
            # Each of the six sections starts a page: in print, a section is found by its first line.
            writer.heading(block[1], 1, new_page=True)
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
            writer.table([str(h) for h in block[1]], block[2])
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
