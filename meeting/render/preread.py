"""The agenda as a pre-read (.docx and Markdown): same order, same evidence, short.

Content is decided once, as a list of blocks per section (``agenda_blocks``); Markdown and .docx only
render the blocks, so the two formats cannot drift apart.
"""
from __future__ import annotations

from pathlib import Path

from meeting.anonymise.labels import localise_labels
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
from meeting.i18n import document_date, document_period, speaking, tr, tr_known, tr_n
from meeting.render.common import check_format, docx_bytes, write_output
from meeting.render.document import APPLICATION, DocxWriter
from meeting.sections import SECTION_BY_KEY
from meeting.text import escape_for_markdown_file as md_escape


def quote_meta(quote: dict) -> str:
    """Where a quote comes from (touchpoint, channel or team, date, score, the language it was written in) and,
    only when there is one, why it is in this section."""
    score = (f"{format_number(quote['score'])}/{10 if quote.get('scale') == 'nps' else 5}"
             if quote.get("score") is not None else tr("no score"))
    parts = [quote.get("touchpoint"), quote.get("channel") or quote.get("team"), quote.get("received_on") or quote.get("submitted_on")]
    if "kind" in quote:
        parts.insert(0, tr_known(quote["kind"]))
    else:
        parts.append(score)
    if quote.get("language"):
        # The language the customer wrote in (issue 20): a Dutch comment quoted at a Belgian meeting says so.
        parts.append(LANGUAGE_NAMES.get(quote["language"], quote["language"]))
    why = str(quote.get("why") or "").strip()
    if why:
        parts.append(tr("why: {why}").format(why=_why(why)))
    return " · ".join(str(p) for p in parts if p)


def _why(why: str) -> str:
    """"theme: Waiting" / "touchpoint: Billing" (meeting.evidence.summaries' words) with the prefix translated."""
    kind, _, names = why.partition(": ")
    if kind == "theme":
        return tr("theme: {names}").format(names=names)
    if kind == "touchpoint":
        return tr("touchpoint: {names}").format(names=names)
    return why


def quote_text(quote: dict) -> str:
    """A quote's words, with the labels masking its contact details in the pre-read's language ("[e-mail]")."""
    return localise_labels(quote["text"], tr_known)


def _quotes(title: str, quotes: list[dict]) -> list[tuple]:
    return [("subheading", title), ("quotes", quotes)] if quotes else []


def _voices(evidence: dict) -> list[tuple]:
    return (_quotes(tr("Customers said"), evidence.get("customer_quotes", []))
            + _quotes(tr("Customers also said"), evidence.get("customer_praise", []))
            + _quotes(tr("The frontline said"), evidence.get("staff_quotes", [])))


def _customer(evidence: dict) -> list[tuple]:
    summary = evidence["summary"]
    nps, csat = summary_figures(summary, "nps"), summary_figures(summary, "csat")
    blocks: list[tuple] = [("paragraph", tr("{} responses ({} before); NPS {}, change {}; CSAT {}, change {}.").format(
        format_number(summary["responses"]["now"]), format_number(summary["responses"]["before"]),
        format_score_with_interval(nps, "nps"), format_change(nps, "nps"),
        format_score_with_interval(csat, "csat"), format_change(csat, "csat")))]
    if evidence["by_touchpoint"]:
        blocks.append(("subheading", tr("By touchpoint")))
        blocks.append(("table", *touchpoint_score_table(evidence["by_touchpoint"])))
        blocks.append(("paragraph", tr("Scores show their 95% interval and number of responses; \u201clow base\u201d under "
                                       "{low} responses; fewer than {few} are not scored. A change has an arrow only when "
                                       "it is more than noise.").format(low=BASE_LOW_BELOW, few=BASE_TOO_FEW_BELOW)))
    if evidence["themes"]:
        blocks.append(("subheading", tr("What customers wrote about")))
        blocks.append(("table", [tr("Theme"), tr("Mentions"), tr("Before")],
                       [[t["theme"], format_number(t["mentions"]), format_number(t["before"])] for t in evidence["themes"][:6]]))
    shown = dragging(evidence.get("drivers") or [])
    if shown:
        blocks.append(("subheading", tr("What pulls the score down")))
        blocks.append(("bullets", [driver_line(driver) for driver in shown]))
    if evidence.get("already_known"):
        blocks.append(("subheading", tr("Already known? Complaints we keep hearing")))
        blocks.append(("table", [tr("Theme"), tr("Months"), tr("Complaints"), tr("Acted on")], [
            [k["theme"], ", ".join(k["months"]), format_number(k["mentions"]), tr("yes") if k["addressed"] else tr("no")]
            for k in evidence["already_known"]]))
    invited = evidence.get("invited") or []
    blocks.append(("subheading", tr("Invited customers") if len(invited) > 1 else tr("Invited customer")))
    blocks.append(("bullets", [*map(tr_known, SECTION_BY_KEY["customer"].prompts)]))
    return blocks + _voices(evidence)


def _employees(evidence: dict) -> list[tuple]:
    summary = evidence["summary"]
    blocks: list[tuple] = [("paragraph", tr("{} frontline inputs ({} before): {} challenges, {} ideas, {} praise.").format(
        *(format_number(x) for x in (summary["inputs"]["now"], summary["inputs"]["before"], summary["challenge"]["now"],
                                     summary["idea"]["now"], summary["praise"]["now"]))))]
    if evidence["groups"]:
        blocks.append(("table", [tr("Theme"), tr("Challenges"), tr("Ideas"), tr("Praise"), tr("Touchpoints")], [
            [g["theme"], *(format_number(g[k]) for k in ("challenge", "idea", "praise")), g["touchpoints"]] for g in evidence["groups"][:8]]))
    if evidence["engagement_trend"]:
        latest = evidence["engagement_trend"][-1]
        blocks.append(("paragraph", tr("Engagement {score} in {period} ({readings} readings).").format(
            score=format_number(latest["engagement"]), period=latest["period"], readings=format_number(latest["readings"]))))
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
        return "info", tr_known(NO_METRICS)
    return "success", tr_known(NO_WATERMELONS)


def _operations(evidence: dict) -> list[tuple]:
    found = evidence["watermelons"]
    blocks: list[tuple] = []
    empty = operations_empty_state(found)
    if empty is None:
        blocks.append(("subheading", tr("Watermelons: green metrics, unhappy customers ({count})").format(
            count=len(found["watermelons"]))))
        for flag in found["watermelons"]:
            blocks.append(("paragraph", flag["reading"] + " " + tr_n(
                "A watermelon for {n} month; severity {severity}.", "A watermelon for {n} months; severity {severity}.",
                flag["age_months"]).format(n=flag["age_months"], severity=format_number(flag.get("severity", 0)))))
            blocks.append(("quotes", [{"text": q} if isinstance(q, str) else q for q in flag.get("quotes", [])]))
    else:
        blocks.append(("paragraph", empty[1]))
    statuses = found.get("statuses") or []
    if statuses:
        blocks.append(("table", *status_table(statuses)))
    if found.get("too_few"):
        blocks.append(("paragraph", tr("Too few responses to judge: ") + ", ".join(
            f"{t['touchpoint']} ({t['responses']})" for t in found["too_few"]) + "."))
    if found.get("reverse"):
        blocks.append(("paragraph", tr("Red, yet customers are happy (a target customers may not care about): ") + ", ".join(
            f"{r['metric']} ({r['touchpoint']})" for r in found["reverse"]) + "."))
    return blocks + _voices(evidence)


def _plans(evidence: dict) -> list[tuple]:
    blocks: list[tuple] = []
    if evidence["plans"]:
        blocks.append(("table", [tr("Plan"), tr("Target segment"), tr("Starts"), tr("Detail")], [
            [p["title"], p["segment"] or "", p["starts_on"] or "", p["detail"] or ""] for p in evidence["plans"]]))
    for segment in evidence["segments"]:
        blocks.append(("subheading", tr("Customers in {segment}: {responses} responses, NPS {nps}, CSAT {csat}").format(
            segment=segment["segment"], responses=format_number(segment["responses"]),
            nps=format_score_with_interval(segment, "nps"), csat=format_score_with_interval(segment, "csat"))))
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
    """The pre-read's content, in order, as (kind, ...) blocks, in the unit's language (issue 27)."""
    with speaking(agenda["meeting"].get("language")):
        return _agenda_blocks(agenda)


def _agenda_blocks(agenda: dict) -> list[tuple]:
    meeting = agenda["meeting"]
    blocks: list[tuple] = [
        ("title", meeting["title"]),
        ("paragraph", tr("{unit} · held {held_on} · reviews {period} · {minutes} minutes · customer first, finance "
                         "last.").format(unit=meeting["unit"], held_on=document_date(meeting["held_on"]),
                                         period=document_period(meeting["period"]), minutes=format_number(meeting["total_minutes"]))),
        # Page one is the map: each section, its time box and items, so a printout is found by its number.
        ("subheading", tr("At a glance")),
        ("table", [tr("Section"), tr("Minutes"), tr("Items")], [
            [f"{number}. {tr_known(section['title'])}", format_number(section["minutes"]),
             "; ".join(item["title"] for item in section["items"]) or tr("no items")]
            for number, section in enumerate(agenda["sections"], start=1)]),
    ]
    for number, section in enumerate(agenda["sections"], start=1):
        blocks.append(("heading", f"{number}. {tr_known(section['title'])} ({section['minutes']} min)"))
        blocks.append(("paragraph", tr_known(section["purpose"])))
        if section["items"]:
            blocks.append(("bullets", [
                f"{item['title']} ({item['minutes'] or 0} min" + (f", {item['owner']})" if item["owner"] else ")")
                for item in section["items"]]))
        actions = section["evidence"].get("open_actions") or []
        if actions:
            blocks.append(("subheading", tr("Open actions carried over")))
            blocks.append(("bullets", [
                tr_n("{text} (owner {owner}, due {due}, open for {n} meeting)",
                     "{text} (owner {owner}, due {due}, open for {n} meetings)", a["meetings_open"]).format(
                    text=a["text"], owner=a["owner"] or tr("unassigned"), due=document_date(a["due_on"]) or tr("no date"),
                    n=a["meetings_open"]) for a in actions]))
        blocks.extend(_SECTION_BLOCKS[section["key"]](section["evidence"]))
    return blocks


def agenda_markdown(agenda: dict) -> str:
    with speaking(agenda["meeting"].get("language")):  # quote_meta speaks it too
        return _agenda_markdown(agenda)


def _agenda_markdown(agenda: dict) -> str:
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
                lines += [f"> {md_escape(quote_text(quote))}", ">", f"> — {md_escape(quote_meta(quote))}", ""]
        elif kind == "table":
            headers, rows = block[1], block[2]
            lines.append("| " + " | ".join(md_escape(h) for h in headers) + " |")
            lines.append("|" + "---|" * len(headers))
            lines += ["| " + " | ".join(md_escape(cell) for cell in row) + " |" for row in rows]
            lines.append("")
    return "\n".join(lines)


def agenda_docx(agenda: dict, out) -> Path | None:
    """Write the pre-read as .docx to ``out`` (a path or a binary file object, e.g. a download buffer)."""
    with speaking(agenda["meeting"].get("language")):
        return _agenda_docx(agenda, out)


def _agenda_docx(agenda: dict, out) -> Path | None:
    writer = DocxWriter()
    writer.neutral_properties(tr("Meeting pre-read"), category=tr("Pre-read"))
    writer.header_footer(tr("Pre-read · {title}").format(title=agenda["meeting"]["title"]), APPLICATION)
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
                writer.paragraph(quote_text(quote), "Intense Quote")
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
