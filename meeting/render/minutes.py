"""The minutes model (``meeting.minutes.build_minutes``) written as .docx and Markdown.

Both formats render the same model, which is already redacted, so they cannot disagree and nothing here
sees a name the model does not carry.
"""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from meeting import accounts
from meeting.accounts import audit
from meeting.anonymise.retention import record_export
from meeting.formatting import format_number
from meeting.i18n import document_date, speaking, tr, tr_known
from meeting.minutes.entries import NO_DUE_DATE, NO_OWNER
from meeting.minutes.model import KIND_HEADINGS, Minutes, build_minutes
from meeting.render.common import check_format, docx_bytes, write_output
from meeting.render.document import APPLICATION, DocxWriter
from meeting.store import Database
from meeting.text import escape_for_markdown_file as md_escape


def _action_meta(item: dict) -> list[str]:
    # An action nobody owns, or with no date, is marked where the reader looks for them (issue 26).
    gaps = item.get("gaps") or ()
    owner = item.get("owner") or (f"⚠ {tr_known(NO_OWNER)}" if NO_OWNER in gaps else tr("not assigned"))
    due = document_date(item.get("due_on")) or (f"⚠ {tr_known(NO_DUE_DATE)}" if NO_DUE_DATE in gaps else tr("no date"))
    status = item.get("status") or "open"
    return [owner, due, tr_known(ACTION_STATUSES.get(status, status))]


# An action's status as the documents write it (the register's own words, translated).
ACTION_STATUSES = {"open": "open", "done": "done", "dropped": "dropped"}


def _is_empty(section: Mapping[str, Any]) -> bool:
    return not any(section[key] for key, _ in KIND_HEADINGS)


def _line(item: dict, key: str) -> str:
    """One bullet's text: the words, then who said it or the customer's rating."""
    text = item["text"]
    if key == "contributions":
        extra = []
        if item.get("display_name"):
            extra.append(item["display_name"])
        if item.get("rating"):
            extra.append(tr("rating {rating}/5").format(rating=item["rating"]))
        return f"{text} ({', '.join(extra)})" if extra else text
    return f"{text} ({item['speaker']})" if item.get("speaker") else text


def _action_rows(items: list[dict], carried: bool) -> tuple[list[str], list[list]]:
    headers = [tr("Action"), tr("Owner"), tr("Due"), tr("Status")] + ([tr("Raised"), tr("Section")] if carried else [])
    rows = [[item["text"], *_action_meta(item)] + ([document_date(item["raised_on"]), item["section"]] if carried else [])
            for item in items]
    return headers, rows


def _time_rows(model: Mapping[str, Any]) -> tuple[list[str], list[list]]:
    """Planned against actual minutes per section (issue 13), from the recorded section moves."""
    return ([tr("Section"), tr("Planned (min)"), tr("Actual (min)")],
            [[row["section"], format_number(row["planned_minutes"]), format_number(row["actual_minutes"])]
             for row in model.get("time_spent") or []])


def _participant_line(person: dict) -> str:
    details = ", ".join(x for x in (person.get("role"), person.get("organisation")) if x)
    return f"{person['name']} ({person['group']}{', ' + details if details else ''})"


FINGERPRINT_SHOWN = 12  # characters of the record's fingerprint a document carries


def is_draft(model: Mapping[str, Any]) -> bool:
    """Not yet approved (a draft, or final but awaiting approval): the document says DRAFT (issue 28)."""
    return (model.get("standing") or {}).get("status") != "approved"


def approval_line(model: Mapping[str, Any]) -> str | None:
    """"Approved by NAME on DATE · record fingerprint abcdef012345", or None for a draft."""
    if is_draft(model):
        return None
    standing = model["standing"]
    return tr("Approved by {approver} on {date} · record fingerprint {fingerprint}").format(
        approver=standing["approved_by"], date=document_date(standing["approved_on"]),
        fingerprint=standing["fingerprint"][:FINGERPRINT_SHOWN])


def document_title(model: Mapping[str, Any]) -> str:
    return tr("DRAFT: {title}").format(title=model["title"]) if is_draft(model) else model["title"]


def header_text(model: Mapping[str, Any]) -> str:
    base = tr("INTERNAL · Minutes") if model["internal"] else tr("Minutes · held under the Chatham House Rule")
    return tr("DRAFT · {header}").format(header=base) if is_draft(model) else f"{base} · {approval_line(model)}"


def export_docx(model: Minutes, out) -> Path | None:
    """Write the minutes as .docx to ``out`` (a file path or a binary file object)."""
    with speaking(model.get("language")):
        return _export_docx(model, out)


def _export_docx(model: Minutes, out) -> Path | None:
    writer = DocxWriter()
    kind = tr("INTERNAL meeting minutes") if model["internal"] else tr("Meeting minutes")
    writer.neutral_properties(kind + " · " + tr("DRAFT") if is_draft(model) else kind, category=tr("Minutes"),
                              status=", ".join(filter(None, [tr("Internal") if model["internal"] else "",
                                                             tr("Draft") if is_draft(model) else tr("Approved")])))
    writer.header_footer(header_text(model), APPLICATION)
    if model.get("banner"):
        writer.paragraph(model["banner"], bold=True)
    writer.heading(document_title(model), 0)
    writer.paragraph(tr("Held on {date}.").format(date=document_date(model["held_on"])))
    if approval := approval_line(model):
        writer.paragraph(approval + ".", bold=True)
    writer.paragraph(model["rule"], italic=True)
    writer.labelled(tr("Attendance: "), model["attendance"])
    for person in model.get("participants") or []:
        writer.bullet(_participant_line(person))
    if model.get("time_spent"):
        writer.heading(tr("Time spent"), 1)
        writer.table(*_time_rows(model))
    for number, sec in enumerate(model["sections"], start=1):
        writer.heading(f"{number}. {sec['title']}", 1)
        if _is_empty(sec):
            writer.paragraph(tr("Nothing recorded."))
            continue
        for key, heading in KIND_HEADINGS:
            if not sec[key]:
                continue
            writer.heading(tr_known(heading), 2)
            if key == "actions":
                writer.table(*_action_rows(sec[key], carried=False))
            else:
                for item in sec[key]:
                    writer.bullet(_line(item, key))
    if model["carried_actions"]:
        writer.heading(tr("Open actions from earlier meetings"), 1)
        writer.table(*_action_rows(model["carried_actions"], carried=True))
    if isinstance(out, (str, Path)):
        out = Path(out)
        out.parent.mkdir(parents=True, exist_ok=True)
    writer.save(out)
    return out if isinstance(out, Path) else None


def _md_table(headers: list[str], rows: list[list]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    return lines + ["| " + " | ".join(md_escape(v) or " " for v in row) + " |" for row in rows]


def export_markdown(model: Minutes) -> str:
    with speaking(model.get("language")):
        return _export_markdown(model)


def _export_markdown(model: Minutes) -> str:
    lines: list[str] = []
    if model.get("banner"):  # INTERNAL stays the first line
        lines += [f"**{md_escape(model['banner'])}**", ""]
    lines += [md_escape(header_text(model)), ""]  # Markdown has no page header: this line is the header
    lines += [f"# {md_escape(document_title(model))}", "",
              tr("Held on {date}.").format(date=document_date(model["held_on"])), ""]
    if approval := approval_line(model):
        lines += [f"**{md_escape(approval)}.**", ""]
    lines += [f"> {md_escape(model['rule'])}", "", "**" + tr("Attendance: ").strip() + "** " + md_escape(model["attendance"]), ""]
    lines += [f"- {md_escape(_participant_line(person))}" for person in model.get("participants") or []]
    if model.get("participants"):
        lines.append("")
    if model.get("time_spent"):
        lines += ["## " + tr("Time spent"), "", *_md_table(*_time_rows(model)), ""]
    for number, sec in enumerate(model["sections"], start=1):
        lines += [f"## {number}. {sec['title']}", ""]
        if _is_empty(sec):
            lines += [tr("Nothing recorded."), ""]
            continue
        for key, heading in KIND_HEADINGS:
            if not sec[key]:
                continue
            lines += [f"### {tr_known(heading)}", ""]
            if key == "actions":
                lines += _md_table(*_action_rows(sec[key], carried=False))
            else:
                lines += [f"- {md_escape(_line(item, key))}" for item in sec[key]]
            lines.append("")
    if model["carried_actions"]:
        lines += ["## " + tr("Open actions from earlier meetings"), "",
                  *_md_table(*_action_rows(model["carried_actions"], carried=True)), ""]
    return "\n".join(lines).rstrip() + "\n"


def render(model: Minutes, fmt: str) -> bytes:
    """The file's bytes, for a download button."""
    if check_format(fmt) == "md":
        return export_markdown(model).encode("utf-8")
    return docx_bytes(lambda buffer: export_docx(model, buffer))


def export_minutes(db: Database, meeting_id: int, *, fmt: str = "docx", out=None,
                   internal: bool = False, attribute_by_group: bool = False, extra_terms=(), user=None) -> Path:
    """Build and write the minutes; returns the path written (under exports/ unless ``out`` says otherwise).

    ``out`` may be a file path or an existing directory (the generated safe name is used inside it).
    ``user`` (a ``meeting.accounts.User``; None is the CLI) must see the meeting's unit, and only a role that
    may read names gets the INTERNAL version: refused here, not only hidden in a page. Audited.
    """
    name, data = minutes_document(db, meeting_id, fmt=fmt, internal=internal, attribute_by_group=attribute_by_group,
                                  extra_terms=extra_terms, user=user)
    return write_output(data, name, out)


def minutes_document(db: Database, meeting_id: int, *, fmt: str = "docx", internal: bool = False,
                     attribute_by_group: bool = False, extra_terms=(), user=None) -> tuple[str, bytes]:
    """The minutes file's name and bytes (a download), with the same checks and audit as ``export_minutes``."""
    check_format(fmt)
    accounts.require_meeting(db, user, meeting_id)
    if internal:
        accounts.require(user, "internal", "the INTERNAL (named) minutes: export the anonymised version")
    model = build_minutes(db, meeting_id, internal=internal, attribute_by_group=attribute_by_group,
                          extra_terms=extra_terms)
    name = f"{model['file_stem']}.{fmt}"
    audit.record(db, user, audit.EXPORT_MINUTES, {"meeting_id": int(meeting_id), "format": fmt, "file": name,
                                                  "version": "INTERNAL" if internal else "anonymised"})
    if not internal:  # the retention clock for raw contributions starts when anonymised minutes go out
        record_export(db, meeting_id)
    return name, render(model, fmt)
