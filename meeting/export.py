"""Minutes export: one plain model (``build_minutes``), rendered to .docx and Markdown, anonymised by default.

The model is built once, already redacted, so the two formats cannot disagree and nothing downstream sees a
name. Anonymised minutes follow the Chatham House Rule: attendance as counts by group, speakers as "a
participant" (or their group, on request), action owners as their group, the roster-derived terms replaced
by ``meeting.anonymise``. The mapping from real to replacement is never written anywhere.
The internal version keeps the names; it says INTERNAL in its file name and on its first line.
"""
from __future__ import annotations

import datetime as dt
import html
import io
import os
import re
from pathlib import Path

import docx
import sqlite_utils
from docx.shared import Pt

from meeting import anonymise
from meeting.meetings import get_meeting, list_participants
from meeting.minutes import list_entries, open_actions_before
from meeting.sections import SECTIONS, section_title
from meeting.store import PROJECT_ROOT
from meeting.text import escape_for_markdown_file as md_escape

EXPORTS_DIR = PROJECT_ROOT / "exports"
EXPORTS_SETTING = "OUTSIDE_IN_EXPORTS"


def exports_dir() -> Path:
    """Where exports go: ``OUTSIDE_IN_EXPORTS`` if set (tests, a shared drive), else ``exports/``.
    Read on every call, like the database path, so tests and AppTest can point it elsewhere."""
    configured = os.environ.get(EXPORTS_SETTING, "").strip()
    return Path(configured) if configured else EXPORTS_DIR
FORMATS = ("docx", "md")

RULE_STATEMENT = (
    "This meeting was held under the Chatham House Rule: participants are free to use the information "
    "received, but neither the identity nor the affiliation of the speaker(s), nor that of any other "
    "participant, may be revealed. Names, organisations, roles and contact details have been replaced."
)
INTERNAL_BANNER = ("INTERNAL: named minutes for the leadership team. Not for circulation: this version shows "
                   "the identities that the Chatham House Rule protects.")
# Neutral document properties: Word and LibreOffice show these in File > Properties, and search tools index them.
APPLICATION = "Outside In"

_KIND_HEADINGS = (("notes", "Notes"), ("decisions", "Decisions"), ("actions", "Actions"),
                  ("contributions", "From the invited customers"))


class _Named:
    """The internal version's stand-in for a redactor: keeps every name."""

    by_group = False

    def redact(self, text):
        return text or ""

    def speaker_label(self, name):
        return name or None

    owner_label = speaker_label


def attendance_counts(participants: list[dict]) -> dict[str, int]:
    counts = {kind: 0 for kind in anonymise.GROUPS}
    for person in participants:
        if person.get("kind") in counts:
            counts[person["kind"]] += 1
    return {kind: n for kind, n in counts.items() if n}


def attendance_text(counts: dict[str, int]) -> str:
    """"6 leadership team members, 2 invited customers, 1 frontline colleague"."""
    if not counts:
        return "No attendance was recorded."
    parts = [f"{n} {anonymise.GROUPS[kind][0 if n == 1 else 1]}" for kind, n in counts.items()]
    return ", ".join(parts)


def file_stem(meeting: dict, internal: bool) -> str:
    """Meeting id, date and "minutes": nothing a person typed, so no name can reach a file name."""
    stem = f"meeting-{int(meeting['id'])}-{meeting['held_on']}-minutes"
    return stem + "-INTERNAL" if internal else stem


def _visible_contributions(db: sqlite_utils.Database, meeting_id: int) -> list[dict]:
    # Read directly: hidden ones (moderated) never reach the minutes.
    return list(db.query(
        "SELECT id, section, display_name, text, rating, created_at FROM contributions "
        "WHERE meeting_id = ? AND hidden = 0 ORDER BY id", [meeting_id]))


def build_minutes(db: sqlite_utils.Database, meeting_id: int, *, internal: bool = False,
                  attribute_by_group: bool = False, extra_terms=()) -> dict:
    """The minutes of one meeting as plain data, redacted unless ``internal``.

    Keys: internal, title, held_on, banner (internal only), rule, attendance, attendance_counts, sections
    (key, title, notes, decisions, actions, contributions), carried_actions, warnings, file_stem.
    """
    meeting = get_meeting(db, meeting_id)
    participants = list_participants(db, meeting_id)
    entries = list_entries(db, meeting_id)
    carried = open_actions_before(db, meeting_id)
    # Actions carried from earlier meetings were written about that meeting's people: their names must go too.
    earlier = {row["meeting_id"] for row in carried}
    roster = list(participants)
    known = {p["name"] for p in roster}
    for other in sorted(earlier):
        for person in list_participants(db, other):
            if person["name"] not in known:
                roster.append(person)
                known.add(person["name"])
    redactor = _Named() if internal else anonymise.build_redactor(roster, extra_terms, by_group=attribute_by_group)
    owner_of = (lambda name: name or None) if internal else redactor.owner_label

    sections = {s.key: {"key": s.key, "title": s.title, "notes": [], "decisions": [], "actions": [],
                        "contributions": []} for s in SECTIONS}
    for entry in entries:
        item = {"text": redactor.redact(entry["text"])}
        if entry["kind"] == "action":
            item.update(owner=owner_of(entry["owner"]), due_on=entry["due_on"], status=entry["status"])
            sections[entry["section"]]["actions"].append(item)
        else:
            item["speaker"] = redactor.speaker_label(entry["speaker"])
            sections[entry["section"]]["notes" if entry["kind"] == "note" else "decisions"].append(item)
    for row in _visible_contributions(db, meeting_id):
        item = {"text": anonymise.redact_contribution(redactor, row["text"], row["display_name"]), "rating": row["rating"]}
        if internal:
            item["display_name"] = anonymise.guest_display_name(row["display_name"])
        sections[row["section"]]["contributions"].append(item)
    carried_items = [{
        "text": redactor.redact(row["text"]), "owner": owner_of(row["owner"]), "due_on": row["due_on"],
        "status": row["status"], "raised_on": row["raised_on"], "section": section_title(row["section"]),
        "meetings_open": row["meetings_open"],
    } for row in carried]

    owners = [e["owner"] for e in entries if e["kind"] == "action" and e["owner"]]
    warnings = [] if internal else anonymise.attribution_warnings(participants, by_group=attribute_by_group,
                                                                  owners=owners)
    counts = attendance_counts(participants)
    model = {
        "internal": internal,
        "meeting_id": int(meeting["id"]),
        "title": redactor.redact(meeting["title"]),
        "held_on": meeting["held_on"],
        "rule": RULE_STATEMENT if not internal else "Held under the Chatham House Rule; this internal version "
                                                    "is the named record for the leadership team only.",
        "banner": INTERNAL_BANNER if internal else None,
        "attendance": attendance_text(counts),
        "attendance_counts": counts,
        "sections": [sections[s.key] for s in SECTIONS],
        "carried_actions": carried_items,
        "warnings": warnings,
        "file_stem": file_stem(meeting, internal),
    }
    if internal:
        model["participants"] = [{"name": p["name"], "organisation": p.get("organisation"), "role": p.get("role"),
                                  "group": anonymise.GROUPS[p["kind"]][0]} for p in participants]
    return model


# ---------------------------------------------------------------------------------------------------------
# Rendering

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_safe(text: object) -> str:
    """python-docx refuses control characters (invalid in XML); a pasted note may carry some."""
    return _XML_INVALID.sub("", str(text if text is not None else ""))


def _action_meta(item: dict) -> list[str]:
    return [item.get("owner") or "not assigned", item.get("due_on") or "no date", item.get("status") or "open"]


def _is_empty(section: dict) -> bool:
    return not any(section[key] for key, _ in _KIND_HEADINGS)


def _line(item: dict, key: str) -> str:
    """One bullet's text: the words, then who said it or the customer's rating."""
    text = item["text"]
    if key == "contributions":
        extra = []
        if item.get("display_name"):
            extra.append(item["display_name"])
        if item.get("rating"):
            extra.append(f"rating {item['rating']}/5")
        return f"{text} ({', '.join(extra)})" if extra else text
    return f"{text} ({item['speaker']})" if item.get("speaker") else text


def export_docx(model: dict, path) -> Path | None:
    """Write the minutes as .docx to ``path`` (a file path or a binary file object)."""
    document = docx.Document()
    _neutral_properties(document, model)
    section = document.sections[0]
    header_text = "INTERNAL · Minutes" if model["internal"] else "Minutes · held under the Chatham House Rule"
    section.header.paragraphs[0].text = header_text
    section.footer.paragraphs[0].text = APPLICATION
    document.styles["Normal"].font.size = Pt(10.5)

    if model.get("banner"):
        banner = document.add_paragraph()
        banner.add_run(_xml_safe(model["banner"])).bold = True
    document.add_heading(_xml_safe(model["title"]), level=0)
    document.add_paragraph(f"Held on {model['held_on']}.")
    document.add_paragraph().add_run(_xml_safe(model["rule"])).italic = True
    attendance = document.add_paragraph()
    attendance.add_run("Attendance: ").bold = True
    attendance.add_run(_xml_safe(model["attendance"]))
    if model.get("participants"):
        for person in model["participants"]:
            details = ", ".join(x for x in (person.get("role"), person.get("organisation")) if x)
            document.add_paragraph(_xml_safe(f"{person['name']} ({person['group']}{', ' + details if details else ''})"),
                                   style="List Bullet")

    for number, sec in enumerate(model["sections"], start=1):
        document.add_heading(f"{number}. {sec['title']}", level=1)
        if _is_empty(sec):
            document.add_paragraph("Nothing recorded.")
            continue
        for key, heading in _KIND_HEADINGS:
            if not sec[key]:
                continue
            document.add_heading(heading, level=2)
            if key == "actions":
                _actions_table(document, sec[key])
            else:
                for item in sec[key]:
                    document.add_paragraph(_xml_safe(_line(item, key)), style="List Bullet")
    if model["carried_actions"]:
        document.add_heading("Open actions from earlier meetings", level=1)
        _actions_table(document, model["carried_actions"], carried=True)

    target = path if hasattr(path, "write") else Path(path)
    if isinstance(target, Path):
        target.parent.mkdir(parents=True, exist_ok=True)
    document.save(target)
    return target if isinstance(target, Path) else None


def _actions_table(document, items: list[dict], *, carried: bool = False) -> None:
    headers = ["Action", "Owner", "Due", "Status"] + (["Raised", "Section"] if carried else [])
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for item in items:
        values = [item["text"], *_action_meta(item)] + ([item["raised_on"], item["section"]] if carried else [])
        for cell, value in zip(table.add_row().cells, values):
            cell.text = _xml_safe(value)


def _neutral_properties(document, model: dict) -> None:
    """Core properties carry no identity: python-docx's defaults ("python-docx", its comment) replaced,
    every free-text field neutral or empty."""
    props = document.core_properties
    props.author = APPLICATION
    props.last_modified_by = APPLICATION
    props.title = "INTERNAL meeting minutes" if model["internal"] else "Meeting minutes"
    props.subject = ""
    props.comments = ""
    props.keywords = ""
    props.category = "Minutes"
    props.content_status = "Internal" if model["internal"] else ""
    props.identifier = ""
    props.version = ""
    props.language = "en-GB"
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    props.created = now
    props.modified = now
    props.revision = 1


def _md_cell(text: object) -> str:
    return md_escape(text) or " "


def export_markdown(model: dict) -> str:
    lines: list[str] = []
    if model.get("banner"):
        lines += [f"**{md_escape(model['banner'])}**", ""]
    lines += [f"# {md_escape(model['title'])}", "", f"Held on {model['held_on']}.", "",
              f"> {md_escape(model['rule'])}", "", f"**Attendance:** {md_escape(model['attendance'])}", ""]
    for person in model.get("participants") or []:
        details = ", ".join(x for x in (person.get("role"), person.get("organisation")) if x)
        lines.append(f"- {md_escape(person['name'])} ({md_escape(person['group'])}"
                     f"{', ' + md_escape(details) if details else ''})")
    if model.get("participants"):
        lines.append("")
    for number, sec in enumerate(model["sections"], start=1):
        lines += [f"## {number}. {sec['title']}", ""]
        if _is_empty(sec):
            lines += ["Nothing recorded.", ""]
            continue
        for key, heading in _KIND_HEADINGS:
            if not sec[key]:
                continue
            lines += [f"### {heading}", ""]
            if key == "actions":
                lines += _md_actions(sec[key])
            else:
                lines += [f"- {md_escape(_line(item, key))}" for item in sec[key]]
            lines.append("")
    if model["carried_actions"]:
        lines += ["## Open actions from earlier meetings", ""] + _md_actions(model["carried_actions"], carried=True) + [""]
    return "\n".join(lines).rstrip() + "\n"


def _md_actions(items: list[dict], *, carried: bool = False) -> list[str]:
    headers = ["Action", "Owner", "Due", "Status"] + (["Raised", "Section"] if carried else [])
    rows = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    for item in items:
        values = [item["text"], *_action_meta(item)] + ([item["raised_on"], item["section"]] if carried else [])
        rows.append("| " + " | ".join(_md_cell(v) for v in values) + " |")
    return rows


def render(model: dict, fmt: str) -> bytes:
    """The file's bytes, for a download button."""
    if fmt == "md":
        return export_markdown(model).encode("utf-8")
    if fmt == "docx":
        buffer = io.BytesIO()
        export_docx(model, buffer)
        return buffer.getvalue()
    raise ValueError(f"Format must be one of {', '.join(FORMATS)}, not {fmt!r}")


def export_minutes(db: sqlite_utils.Database, meeting_id: int, *, fmt: str = "docx", out=None,
                   internal: bool = False, attribute_by_group: bool = False, extra_terms=()) -> Path:
    """Build and write the minutes; returns the path written (under exports/ unless ``out`` says otherwise).

    ``out`` may be a file path or an existing directory (the generated safe name is used inside it).
    """
    if fmt not in FORMATS:
        raise ValueError(f"Format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    model = build_minutes(db, meeting_id, internal=internal, attribute_by_group=attribute_by_group,
                          extra_terms=extra_terms)
    name = f"{model['file_stem']}.{fmt}"
    if out is None:
        path = exports_dir() / name
    else:
        path = Path(out)
        if path.is_dir():
            path = path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(render(model, fmt))
    if not internal:  # the retention clock for raw contributions starts when anonymised minutes go out
        from meeting.anonymise.retention import record_export
        record_export(db, meeting_id)
    return path


# ---------------------------------------------------------------------------------------------------------
# Review step

def review_entries(db: sqlite_utils.Database, meeting_id: int, *, attribute_by_group: bool = False,
                   extra_terms=()) -> list[dict]:
    """Every text that will go into the minutes, with what will be replaced: section, kind, text (as
    matched), spans [(start, end, replacement)] and the redacted result. For the review step."""
    participants = list_participants(db, meeting_id)
    redactor = anonymise.build_redactor(participants, extra_terms, by_group=attribute_by_group)
    meeting = get_meeting(db, meeting_id)
    texts = [("title", "title", meeting["title"])]
    texts += [(e["section"], e["kind"], e["text"]) for e in list_entries(db, meeting_id)]
    texts += [(c["section"], "contribution", c["text"]) for c in _visible_contributions(db, meeting_id)]
    rows = []
    for section, kind, text in texts:
        text = redactor.normalise(text)
        spans = redactor.find_spans(text)
        rows.append({"section": section, "kind": kind, "text": text, "spans": spans,
                     "redacted": anonymise.apply_spans(text, spans)})
    return rows


def highlight_html(text: str, spans: list[tuple[int, int, str]]) -> str:
    """``text`` as safe HTML with each span to be replaced in <mark>. Every piece of the text is escaped
    first; only our own tags are added around the escaped pieces."""
    out, last = [], 0
    for start, end, replacement in spans:
        out.append(html.escape(text[last:start]))
        out.append(f'<mark title="{html.escape(replacement, quote=True)}">{html.escape(text[start:end])}</mark>')
        last = end
    out.append(html.escape(text[last:]))
    return "<div>" + "".join(out).replace("\n", "<br>") + "</div>"
