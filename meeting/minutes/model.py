"""The minutes as one plain model (``build_minutes``), anonymised by default; ``meeting.render`` writes it.

The model is built once, already redacted, so the formats cannot disagree and nothing downstream sees a
name. Anonymised minutes follow the Chatham House Rule: attendance as counts by group, speakers as "a
participant" (or their group, on request), action owners as their group, the roster-derived terms replaced
by ``meeting.anonymise``. The mapping from real to replacement is never written anywhere.
The internal version keeps the names; it says INTERNAL in its file name and on its first line.
"""
from __future__ import annotations

import json
from typing import Any, Literal, TypedDict, cast

from meeting import anonymise
from meeting.i18n import meeting_language, speaking, tr, tr_known, tr_n
from meeting.minutes.entries import action_gaps, list_entries, open_actions_before
from meeting.sections import SECTIONS, section_title
from meeting.store import Database
from meeting.store import agenda as agenda_store
from meeting.store import entries as entry_store
from meeting.store import records as record_store
from meeting.store.meetings import get_meeting, list_participants


class MinutesSection(TypedDict):
    """One section's record. Notes and decisions: {text, speaker, speaker_kind}; actions: {text, owner, due_on, status, gaps
    ("no owner", "no due date": what it lacks to be followed up)};
    contributions: {text, rating} (+ display_name in the internal version)."""
    key: str
    title: str
    notes: list[dict]
    decisions: list[dict]
    actions: list[dict]
    contributions: list[dict]


class Minutes(TypedDict, total=False):
    """The minutes as ``build_minutes`` returns them: already redacted unless ``internal``."""
    internal: bool
    meeting_id: int
    title: str
    held_on: str
    rule: str
    banner: str | None
    attendance: str
    attendance_counts: dict[str, int]
    sections: list[MinutesSection]
    carried_actions: list[dict]
    warnings: list[str]
    file_stem: str
    participants: list[dict]   # internal version only
    standing: Standing
    time_spent: list[dict]
    language: str


class Standing(TypedDict):
    """Where the record stands (issue 28): status draft / final / approved; approved_by the roster leader's name in
    the internal version, their group in the anonymised one; approved_on YYYY-MM-DD; fingerprint the SHA-256."""
    status: str
    approved_by: str | None
    approved_on: str | None
    fingerprint: str | None


RULE_STATEMENT = (
    "This meeting was held under the Chatham House Rule: participants are free to use the information "
    "received, but neither the identity nor the affiliation of the speaker(s), nor that of any other "
    "participant, may be revealed. Names, organisations, roles and contact details have been replaced."
)
INTERNAL_BANNER = ("INTERNAL: named minutes for the leadership team. Not for circulation: this version shows "
                   "the identities that the Chatham House Rule protects.")
INTERNAL_RULE = "Held under the Chatham House Rule; this internal version is the named record for the leadership team only."
# The entry lists of a MinutesSection, with their headings: literal keys, so the checker knows sec[key] is a list.
EntryKind = Literal["notes", "decisions", "actions", "contributions"]
KIND_HEADINGS: tuple[tuple[EntryKind, str], ...] = (("notes", "Notes"), ("decisions", "Decisions"), ("actions", "Actions"),
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
        return tr("No attendance was recorded.")
    parts = [tr_n(*GROUP_COUNTS[kind], n).format(n=n) for kind, n in counts.items()]
    return ", ".join(parts)


# How many of a group were present, as the catalogue spells it (the words are anonymise.GROUPS').
GROUP_COUNTS = {
    "leader": ("{n} leadership team member", "{n} leadership team members"),
    "customer": ("{n} invited customer", "{n} invited customers"),
    "frontline": ("{n} frontline colleague", "{n} frontline colleagues"),
    "guest": ("{n} guest", "{n} guests"),
}


def in_language(text: str | None) -> str | None:
    """Redacted text with its labels in the language being spoken ("[a participant]" -> "[un participant]")."""
    return anonymise.localise_labels(text, tr_known) if text else text


def _person_label(label: str | None) -> str | None:
    """A speaker's or owner's label ("a participant") in the language being spoken."""
    return (in_language(f"[{label}]") or "")[1:-1] if label else label  # never None for a text


def file_stem(meeting: dict, internal: bool) -> str:
    """Meeting id, date and "minutes": nothing a person typed, so no name can reach a file name."""
    stem = f"meeting-{int(meeting['id'])}-{meeting['held_on']}-minutes"
    return stem + "-INTERNAL" if internal else stem


def is_export_of(file_name: str, meeting_id: int) -> bool:
    """Whether an exported file belongs to this meeting (the page must never offer another meeting's file)."""
    return file_name.startswith(f"meeting-{int(meeting_id)}-")


def visible_contributions(db: Database, meeting_id: int) -> list[dict]:
    # Hidden ones (moderated) never reach the minutes, and one already made into a note or action is in the
    # minutes as that entry, so it is not repeated under "From the invited customers".
    return entry_store.contributions_not_in_minutes(db, meeting_id)


def time_spent_rows(db: Database, meeting_id: int) -> list[dict]:
    """Planned against actual minutes per section, from the recorded section moves (empty before a start)."""
    from meeting.live.state import time_spent  # live imports minutes.entries: import here, not at the top

    if not agenda_store.has_section_moves(db, meeting_id):
        return []
    return [{"section": tr_known(row["title"]), "planned_minutes": row["planned_minutes"],
             "actual_minutes": row["actual_minutes"]} for row in time_spent(db, meeting_id)]


def frozen_actions(db: Database, meeting_id: int) -> dict | None:
    """{statuses: {entry id: status}, carried: {entry id: status}} as fixed at finalise; None before."""
    row = record_store.get_record(db, meeting_id)
    if row is None:
        return None
    frozen = json.loads(row["frozen_actions"] or "{}")
    return {"statuses": frozen.get("statuses", {}), "carried": frozen.get("carried", {})}


def standing(db: Database, meeting_id: int, *, internal: bool) -> Standing:
    row = record_store.get_record(db, meeting_id)
    if row is None:
        return {"status": "draft", "approved_by": None, "approved_on": None, "fingerprint": None}
    approver = row["approved_by"]
    if approver and not internal:  # the Chatham House Rule: the approver is a leader, not named
        approver = _person_label(f"a {anonymise.GROUPS['leader'][0]}")
    return {"status": row["status"], "approved_by": approver, "approved_on": row["approved_on"],
            "fingerprint": row["fingerprint"]}


def build_minutes(db: Database, meeting_id: int, *, internal: bool = False,
                  attribute_by_group: bool = False, extra_terms=(), language: str | None = None) -> Minutes:
    """The minutes of one meeting as plain data, redacted unless ``internal``, in ``language`` (by default the
    unit's document language, issue 27; the GM's review warnings stay in English).

    Keys: internal, title, held_on, banner (internal only), rule, attendance, attendance_counts, sections
    (key, title, notes, decisions, actions, contributions), carried_actions, time_spent (section,
    planned_minutes, actual_minutes), warnings, file_stem, language.
    """
    language = language or meeting_language(db, meeting_id)
    with speaking(language):
        model = _build_minutes(db, meeting_id, internal=internal, attribute_by_group=attribute_by_group,
                               extra_terms=extra_terms)
    warnings = [] if internal else anonymise.attribution_warnings(
        list_participants(db, meeting_id), by_group=attribute_by_group, owners=model.pop("_owners"))
    return cast(Minutes, {**model, "warnings": warnings, "language": language})  # _owners popped above


def _build_minutes(db: Database, meeting_id: int, *, internal: bool, attribute_by_group: bool,
                   extra_terms) -> dict[str, Any]:
    """The fields of ``Minutes`` but warnings and language, and ``_owners`` (the action owners' names)."""
    meeting = get_meeting(db, meeting_id)
    participants = list_participants(db, meeting_id)
    entries = list_entries(db, meeting_id)
    frozen = frozen_actions(db, meeting_id)
    if frozen is None:
        carried = open_actions_before(db, meeting_id)
    else:  # a finalised record shows its actions as they stood then; the action register follows them since
        entries = [{**entry, "status": frozen["statuses"].get(str(entry["id"]), entry["status"])}
                   if entry["kind"] == "action" else entry for entry in entries]
        carried = [{**row, "status": frozen["carried"][str(row["id"])]}
                   for row in open_actions_before(db, meeting_id, only_ids=frozen["carried"])]
    # Actions carried from earlier meetings were written about that meeting's people: their names must go too.
    earlier = {row["meeting_id"] for row in carried}
    roster = list(participants)
    known = {p["name"] for p in roster}
    for other in sorted(earlier):
        for person in list_participants(db, other):
            if person["name"] not in known:
                roster.append(person)
                known.add(person["name"])
    # One redactor for the whole export, so that a letter ("[participant A]") means one person throughout;
    # texts go through it in the order the review step shows them (title, entries, contributions).
    redactor = _Named() if internal else anonymise.build_redactor(roster, extra_terms, by_group=attribute_by_group,
                                                                   one_document=True)
    title = in_language(redactor.redact(meeting["title"]))
    owner_of = (lambda name: name or None) if internal else (lambda name: _person_label(redactor.owner_label(name)))
    kind_of = {person["name"]: person["kind"] for person in participants}

    sections: dict[str, MinutesSection] = {
        s.key: {"key": s.key, "title": tr_known(s.title), "notes": [], "decisions": [], "actions": [], "contributions": []}
        for s in SECTIONS}
    for entry in entries:
        item: dict[str, Any] = {"text": in_language(redactor.redact(entry["text"]))}
        if entry["kind"] == "action":
            item.update(owner=owner_of(entry["owner"]), due_on=entry["due_on"], status=entry["status"],
                        gaps=list(action_gaps(entry)))
            sections[entry["section"]]["actions"].append(item)
        else:
            item["speaker"] = _person_label(redactor.speaker_label(entry["speaker"]))
            # The group only (leader, customer, ...), never the person: the follow-up note's "You said" keeps
            # what customers said and leaves out the leadership team's own notes.
            item["speaker_kind"] = kind_of.get(entry["speaker"])
            sections[entry["section"]]["notes" if entry["kind"] == "note" else "decisions"].append(item)
    for row in visible_contributions(db, meeting_id):
        item = {"text": in_language(anonymise.redact_contribution(redactor, row["text"], row["display_name"])),
                "rating": row["rating"]}
        if internal:  # as the guest typed it, marked so it never reads as a roster person
            item["display_name"] = anonymise.guest_display_name(row["display_name"])
        sections[row["section"]]["contributions"].append(item)
    carried_items = [{
        "text": in_language(redactor.redact(row["text"])), "owner": owner_of(row["owner"]), "due_on": row["due_on"],
        "status": row["status"], "raised_on": row["raised_on"], "section": tr_known(section_title(row["section"])),
        "meetings_open": row["meetings_open"], "gaps": list(action_gaps(row)),
    } for row in carried]

    owners = [e["owner"] for e in entries if e["kind"] == "action" and e["owner"]]
    counts = attendance_counts(participants)
    model: dict[str, Any] = {
        "internal": internal,
        "meeting_id": int(meeting["id"]),
        "title": title,
        "held_on": meeting["held_on"],
        "rule": tr_known(RULE_STATEMENT) if not internal else tr_known(INTERNAL_RULE),
        "banner": tr_known(INTERNAL_BANNER) if internal else None,
        "attendance": attendance_text(counts),
        "attendance_counts": counts,
        "sections": [sections[s.key] for s in SECTIONS],
        "carried_actions": carried_items,
        "time_spent": time_spent_rows(db, meeting_id),
        "_owners": owners,
        "file_stem": file_stem(meeting, internal),
        "standing": standing(db, meeting_id, internal=internal),
    }
    if internal:
        model["participants"] = [{"name": p["name"], "organisation": p.get("organisation"), "role": p.get("role"),
                                  "group": tr_known(anonymise.GROUPS[p["kind"]][0])} for p in participants]
    return model
