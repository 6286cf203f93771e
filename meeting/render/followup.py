""""You said, we did": a short note for a meeting's invited customers, in .docx or Markdown.

What was raised (section by section: the customers' own contributions and the notes of what customers said), what was
decided and which actions were taken on it, with their dates and where each stands today, and when the
next meeting will report back. It is built from the anonymised minutes model
(``meeting.minutes.build_minutes``), so the Chatham House Rule holds: the roster's names, organisations,
roles and contact details are replaced by the same redactor, and owners are never named.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from meeting import clock
from meeting.i18n import long_date, meeting_language, speaking, tr, tr_known
from meeting.minutes.model import build_minutes
from meeting.render.common import check_format, docx_bytes, write_output
from meeting.render.document import APPLICATION, DocxWriter
from meeting.store import Database
from meeting.store.meetings import next_held_on, unit_id_of
from meeting.text import escape_for_markdown_file as md_escape

HEADING = "You said, we did"
CUSTOMER_KIND = "customer"  # the participants' kind whose words "You said" holds


def _action_state(action: dict, today: dt.date) -> str:
    status, due = action.get("status") or "open", action.get("due_on")
    if status == "done":
        return tr("done")
    if status == "dropped":
        return tr("not taken forward")
    if due and dt.date.fromisoformat(due) < today:
        return tr("in progress: it was due by {date}, so we are late").format(date=long_date(due))
    return tr("in progress, due by {date}").format(date=long_date(due)) if due else tr("in progress")


def _next_meeting(db: Database, meeting_id: int) -> str | None:
    return next_held_on(db, meeting_id)


def build_followup(db: Database, meeting_id: int, *, today: dt.date | str | None = None,
                   extra_terms=()) -> dict:
    """The note as plain data, already anonymised, in the unit's language. Keys: meeting_id, heading, title,
    held_on, intro, rule, sections [{title, raised, decisions, actions [{text, due_on, state}]}] (sections with
    nothing left out), report_back, file_stem, language."""
    language = meeting_language(db, meeting_id)
    with speaking(language):
        return {**_build_followup(db, meeting_id, today=today, extra_terms=extra_terms), "language": language}


def _build_followup(db: Database, meeting_id: int, *, today, extra_terms) -> dict:
    # The note goes to other customers: the minutes' redactor (roster, organisations' own words) applies.
    minutes = build_minutes(db, meeting_id, extra_terms=extra_terms, language=meeting_language(db, meeting_id))
    day = clock.as_date(today)
    sections = []
    for section in minutes["sections"]:
        # "You said" is the customers' own words: their contributions and the notes of what a customer on the
        # roster said; a leader's note is the company talking, not them (issue 26).
        raised = [item["text"] for item in section["contributions"]] + [
            item["text"] for item in section["notes"] if item.get("speaker_kind") == CUSTOMER_KIND]
        decisions = [item["text"] for item in section["decisions"]]
        actions = [{"text": item["text"], "due_on": item["due_on"], "state": _action_state(item, day)}
                   for item in section["actions"]]
        if raised or decisions or actions:
            sections.append({"title": section["title"], "raised": raised, "decisions": decisions, "actions": actions})
    next_on = _next_meeting(db, meeting_id)
    report_back = (tr("We will report back on every open action at our next leadership meeting, on {date}, "
                      "and send you a note like this one after it.").format(date=long_date(next_on)) if next_on else
                   tr("We will report back on every open action at our next monthly leadership meeting, and send you "
                      "a note like this one after it."))
    held = long_date(minutes["held_on"])
    return {
        "meeting_id": minutes["meeting_id"],
        "heading": tr_known(HEADING),
        "title": minutes["title"],
        "held_on": minutes["held_on"],
        "intro": tr("Thank you for joining our leadership meeting on {held}. This is what you and others raised, "
                    "what we decided and what we have done about it, as of {today}.").format(
                        held=held, today=long_date(day.isoformat())),
        "rule": tr("The meeting was held under the Chatham House Rule: nobody is named here, and no organisation."),
        "sections": sections,
        "report_back": report_back,
        "file_stem": f"meeting-{minutes['meeting_id']}-{minutes['held_on']}-you-said-we-did",
    }


def note_texts(note: dict) -> list[tuple[str, str]]:
    """(where, text) for every sentence the customers will read: what the jargon check reads."""
    texts = [("Follow-up note title", note["title"]), ("Follow-up note", note["intro"])]
    for section in note["sections"]:
        where = f"Follow-up note, {section['title']}"
        texts += [(where, text) for text in section["raised"] + section["decisions"]]
        texts += [(where, action["text"]) for action in section["actions"]]
    return texts + [("Follow-up note", note["report_back"])]


def note_markdown(note: dict) -> str:
    with speaking(note.get("language")):
        return _note_markdown(note)


def _note_markdown(note: dict) -> str:
    lines = [f"# {note['heading']}", "", f"**{md_escape(note['title'])}**", "", md_escape(note["intro"]), "",
             f"> {md_escape(note['rule'])}", ""]
    if not note["sections"]:
        lines += [tr("Nothing was recorded at this meeting."), ""]
    for section in note["sections"]:
        lines += [f"## {md_escape(section['title'])}", ""]
        if section["raised"]:
            lines += ["**" + tr("You said") + "**", "", *[f"- {md_escape(text)}" for text in section["raised"]], ""]
        if section["decisions"] or section["actions"]:
            lines += ["**" + tr("We did") + "**", ""]
            lines += [f"- {_decided(note, md_escape(text))}" for text in section["decisions"]]
            lines += [f"- {md_escape(action['text'])} ({md_escape(action['state'])})" for action in section["actions"]]
            lines.append("")
    lines += ["## " + tr("What happens next"), "", md_escape(note["report_back"])]
    return "\n".join(lines).rstrip() + "\n"


def _decided(note: dict, text: str) -> str:
    return tr("Decided on {date}: {text}").format(date=long_date(note["held_on"]), text=text)


def note_docx(note: dict, out) -> None:
    with speaking(note.get("language")):
        _note_docx(note, out)


def _note_docx(note: dict, out) -> None:
    writer = DocxWriter()
    writer.neutral_properties(tr_known(HEADING), category=tr("Follow-up"))
    writer.header_footer(tr("{heading} · held under the Chatham House Rule").format(heading=tr_known(HEADING)), APPLICATION)
    writer.heading(note["heading"], 0)
    writer.paragraph(note["title"], bold=True)
    writer.paragraph(note["intro"])
    writer.paragraph(note["rule"], italic=True)
    if not note["sections"]:
        writer.paragraph(tr("Nothing was recorded at this meeting."))
    for section in note["sections"]:
        writer.heading(section["title"], 1)
        if section["raised"]:
            writer.heading(tr("You said"), 2)
            for text in section["raised"]:
                writer.bullet(text)
        if section["decisions"] or section["actions"]:
            writer.heading(tr("We did"), 2)
            for text in section["decisions"]:
                writer.bullet(_decided(note, text))
            for action in section["actions"]:
                writer.bullet(f"{action['text']} ({action['state']})")
    writer.heading(tr("What happens next"), 1)
    writer.paragraph(note["report_back"])
    writer.save(out)


def render_followup(note: dict, fmt: str) -> bytes:
    if check_format(fmt) == "md":
        return note_markdown(note).encode("utf-8")
    return docx_bytes(lambda buffer: note_docx(note, buffer))


def export_followup(db: Database, meeting_id: int, *, fmt: str = "docx", out=None,
                    today=None) -> tuple[Path, dict]:
    """Write the note (under exports/ unless ``out`` says otherwise); returns the path and the note."""
    check_format(fmt)
    note = build_followup(db, meeting_id, today=today)
    return write_output(render_followup(note, fmt), f"{note['file_stem']}.{fmt}", out), note


def jargon_in_note(db: Database, note: dict, meeting_id: int) -> list:
    """The jargon check (``meeting.jargon``) over every sentence of the note."""
    from meeting import jargon

    terms = jargon.load_jargon()
    unit_id = unit_id_of(db, meeting_id)
    teams = jargon.team_names(db, unit_id) if unit_id is not None else []
    return [flag for where, text in note_texts(note) for flag in jargon.check_text(text, where, terms, teams)]


def export_with_jargon(db: Database, meeting_id: int, *, fmt: str = "docx", out=None,
                       today=None) -> tuple[Path, list]:
    """Write the note and return its path with the jargon flags the GM should see before sending it."""
    path, note = export_followup(db, meeting_id, fmt=fmt, out=out, today=today)
    return path, jargon_in_note(db, note, meeting_id)
