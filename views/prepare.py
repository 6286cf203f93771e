"""Prepare: create a meeting, invite people, shape the agenda, and read each section's evidence."""
import datetime as dt
import functools
from collections.abc import Mapping
from typing import Any

import streamlit as st

from meeting import agenda, charts, clock, i18n, jargon, render
from meeting.agenda import schedule
from meeting.config import BASE_LOW_BELOW, BASE_TOO_FEW_BELOW
from meeting.evidence import data_version
from meeting.evidence.drivers import dragging
from meeting.formatting import (
    as_records,
    driver_line,
    finance_table,
    format_change,
    format_number,
    format_score,
    format_score_with_interval,
    human_headers,
    status_table,
    summary_figures,
    touchpoint_score_table,
)
from meeting.periods import previous_month
from meeting.render import invite
from meeting.store import meetings
from meeting.text import escape_for_streamlit
from views.page import act, current_user, database, flash, show_messages
from views.page import db_path as page_db_path


@st.cache_data(ttl=600, max_entries=16, show_spinner="Gathering the customers' and the frontline's evidence…")
def cached_evidence(db_path: str, unit_id: int, period: str, version: tuple) -> dict:
    """Keyed on the data's fingerprint, so reruns reuse it and an import refreshes it."""
    with database(db_path) as db:
        return agenda.build_evidence(db, unit_id, period)


def preread_bytes(db_path: str, meeting_id: int, evidence: dict, fmt: str) -> bytes:
    with database(db_path) as db:
        built = agenda.build_agenda(db, meeting_id, evidence)
    return render.render_preread(built, fmt)


def invitation_bytes(db_path: str, meeting_id: int, user, preread: bool = False) -> bytes:
    # Called when the button is clicked, not when the page draws: each download is one issue (SEQUENCE + 1).
    with database(db_path) as db:
        return invite.invitation_ics(db, meeting_id, user=user, preread=preread)[1]


def start_text(value) -> str | None:
    """A time picked on the page as the "HH:MM" the schedule stores; None when none was picked."""
    return value.strftime("%H:%M") if value is not None else None


def create_meeting_from_form(unit_id: int) -> None:
    """Create, or first ask (a past date, one far ahead, a second meeting that month) with "Create anyway"."""
    state = st.session_state
    details = {"held_on": state["new_held_on"].isoformat(), "title": state.get("new_title"),
               "period": (state.get("new_period") or "").strip() or None, "total_minutes": int(state["new_total"]),
               "starts": start_text(state.get("new_starts"))}
    warnings = act(agenda.new_meeting_warnings, unit_id, details["held_on"], period=details["period"],
                   where="new_meeting")
    if warnings is None:  # bad input: said beside the button, nothing asked
        return
    if warnings:
        state["new_meeting_pending"] = {"unit_id": unit_id, "details": details, "warnings": warnings}
        return
    create_meeting_now(unit_id, details)


def create_meeting_now(unit_id: int, details: dict) -> None:
    state = st.session_state
    state.pop("new_meeting_pending", None)
    details = dict(details)
    created = act(agenda.new_meeting, unit_id, details.pop("held_on"), **details, where="new_meeting")
    if created:
        state["meeting_id"] = created.id
        state["new_meeting_created"] = created
        state["new_meeting_panel"] = True  # the confirmation is inside: keep the panel open to show it


def show_new_meeting_outcome(unit_id: int) -> None:
    """Beside the button: the question about an odd date, or what was created, with a link to it."""
    state = st.session_state
    pending = state.get("new_meeting_pending")
    if pending and pending["unit_id"] == unit_id:
        st.warning("Before creating it:\n\n" + "\n".join(f"- {escape_for_streamlit(w)}" for w in pending["warnings"]),
                   icon=":material/help:")
        ask, cancel = st.columns(2)
        ask.button("Create anyway", key="new_meeting_anyway", on_click=create_meeting_now,
                   args=(unit_id, pending["details"]))
        cancel.button("Cancel", key="new_meeting_cancel", on_click=state.pop, args=("new_meeting_pending", None))
    created = state.get("new_meeting_created")
    if created and created.id != state.get("meeting_id"):  # another meeting chosen since: the news is old
        state.pop("new_meeting_created")
    elif created:
        invited = (f" The leadership team of the previous meeting is invited: {', '.join(created.leaders_copied)}."
                   if created.leaders_copied else " Nobody is invited yet: add the participants below.")
        st.success(escape_for_streamlit(f"Created {created.title}, held on {created.held_on} (meeting {created.id}); "
                                        f"it is now the meeting selected in the sidebar.{invited}"))
        st.page_link("views/prepare.py", label=f"Open {created.title}", icon=":material/arrow_forward:",
                     query_params={"meeting": str(created.id)})


def delete_meeting_now(meeting_id: int) -> None:
    if act(meetings.delete_meeting, meeting_id, where="settings"):
        st.session_state["meeting_id"] = None
        st.session_state.pop("new_meeting_created", None)
        flash(f"Deleted the draft meeting {meeting_id}.", kind="success")


def save_item(item: dict, section_key: str) -> None:
    item_id = item["id"]
    # Messages go under the section's items, which are drawn even when this item has been deleted meanwhile
    # by someone else (issue 13: its own message spot would vanish with it, and the message with it).
    act(agenda.update_item, item_id, title=st.session_state[f"item_title_{item_id}"],
        minutes=st.session_state[f"item_minutes_{item_id}"], owner=st.session_state[f"item_owner_{item_id}"],
        shown={key: item[key] for key in ("title", "minutes", "owner")}, where=f"new_item_{section_key}")


def add_item_from_form(meeting_id: int, section: str) -> None:
    if act(agenda.add_item, meeting_id, section, st.session_state.get(f"new_item_{section}", ""),
           minutes=st.session_state.get(f"new_item_minutes_{section}") or None, where=f"new_item_{section}"):
        st.session_state[f"new_item_{section}"] = ""


def save_unit_language(unit_id: int, key: str) -> None:
    act(i18n.set_unit_language, unit_id, st.session_state[key], where="settings",
        success="Saved: this unit's pre-read, minutes, follow-up and room screen now use it.")


def save_settings_from_form(meeting_id: int, shown: dict) -> None:
    # Keys carry the meeting's id (issue 26): a static key kept the first meeting's title and month in the
    # session after a switch, and Save wrote them onto the meeting then selected.
    state = st.session_state
    keys = [f"settings_{name}_{meeting_id}" for name in ("title", "period", "total", "starts")]
    if not act(meetings.update_meeting, meeting_id, title=state[keys[0]], period=state[keys[1]], shown=shown,
               where="settings"):
        try:
            with database() as db:
                now = meetings.get_meeting(db, meeting_id)
        except LookupError:  # deleted meanwhile: the page redraws without it
            return
        if {key: now[key] for key in shown} != shown:  # the form was drawn from values someone else has changed since: redraw it from theirs
            for key in keys:
                state.pop(key, None)
        return
    act(schedule.set_schedule, meeting_id, starts=start_text(state[keys[3]]), minutes=state[keys[2]],
        user=current_user(), where="settings", success="Settings saved.")


def add_participant_from_form(meeting_id: int) -> None:
    state = st.session_state
    fields = {name: state.get(f"participant_{name}_{meeting_id}")
              for name in ("organisation", "role", "email", "phone", "aliases")}
    name = state.get(f"participant_name_{meeting_id}", "")
    act(meetings.add_participant, meeting_id, name, state.get(f"participant_kind_{meeting_id}", "leader"), **fields,
        where="participants", success=f"Invited {(name or '').strip()}.")


def show_quotes(quotes: list[dict]) -> None:
    for quote in quotes:
        st.markdown(f"> {escape_for_streamlit(quote['text'])}")
        st.caption(escape_for_streamlit(render.quote_meta(quote)))


def show_voices(section_evidence: Mapping[str, Any]) -> None:
    left, right = st.columns(2)
    with left:
        st.markdown("**Customers said**")
        show_quotes(section_evidence["customer_quotes"] + section_evidence["customer_praise"][:1])
        if not section_evidence["customer_quotes"] and not section_evidence["customer_praise"]:
            st.caption("No customer narrative concerns this section this month.")
    with right:
        st.markdown("**The frontline said**")
        show_quotes(section_evidence["staff_quotes"])
        if not section_evidence["staff_quotes"]:
            st.caption("No frontline input concerns this section this month.")


ONCE = "None here: each comment is shown once, in the section it concerns most."


def delta(text: str) -> str | None:
    """st.metric's delta: None when there is nothing to compare (no arrow for "n/a")."""
    return None if text == "n/a" else text


def score_metric(column, label: str, figures: dict, scale: str) -> None:
    """A score as a metric: the number (none when too few), its change coloured only when more than noise,
    and its interval and base beneath."""
    value = figures.get(scale)
    significant = bool(figures.get(f"{scale}_change_significant"))
    change = format_change(figures, scale)
    column.metric(label, "too few" if value is None and figures.get(f"{scale}_n") else format_score(value, scale),
                  delta(format_score(figures.get(f"{scale}_change"), scale, signed=True) if significant else change),
                  delta_color="normal" if significant else "off", delta_arrow="auto" if significant else "off")
    column.caption(format_score_with_interval(figures, scale))


def show_table(rows: list[dict], columns: list[str]) -> None:
    """Raw evidence rows with human column headers (``variance_pct`` reads "Variance %")."""
    st.dataframe(rows, hide_index=True, column_order=columns,
                 column_config={name: st.column_config.Column(header) for name, header in human_headers(columns).items()})


def show_already_known(known: list[dict]) -> None:
    """What the unit keeps hearing: top complaint themes in 3 or more of the last 6 months (meeting.evidence.known)."""
    st.markdown("**Already known?** Complaints among the top five in three or more of the last six months")
    if not known:
        st.caption("No complaint has recurred among the top themes that often.")
        return
    for item in known:
        verdict = ":green-badge[acted on]" if item["addressed"] else ":red-badge[no decision or action yet]"
        st.markdown(f"- {escape_for_streamlit(item['theme'])}: {len(item['months'])} months "
                    f"({', '.join(item['months'])}), {format_number(item['mentions'])} complaints {verdict}")


def show_drivers(drivers: list[dict]) -> None:
    """The themes that pull NPS down most (meeting.evidence.drivers), unclear ones marked."""
    st.markdown("**What pulls the score down** Themes of 30 or more mentions: NPS where mentioned against the rest")
    shown = dragging(drivers)
    if not shown:
        st.caption("No theme was mentioned often enough, with a lower score, to weigh this month.")
        return
    for driver in shown:
        badge = "" if driver["clear"] else " :gray-badge[within noise]"
        st.markdown(f"- {escape_for_streamlit(driver_line(driver))}{badge}")


def show_customer(evidence: Mapping[str, Any]) -> None:
    summary = evidence["summary"]
    columns = st.columns(3)
    columns[0].metric("Responses", format_number(summary["responses"]["now"]),
                      delta(format_number(summary["responses"]["change"], signed=True)))
    score_metric(columns[1], "NPS", summary_figures(summary, "nps"), "nps")
    score_metric(columns[2], "CSAT", summary_figures(summary, "csat"), "csat")
    chart_left, chart_right = st.columns(2)
    if evidence["trend"]:
        chart_left.altair_chart(charts.trend_chart(evidence["trend"]), width="stretch")
    if evidence["by_touchpoint"]:
        chart_right.altair_chart(charts.touchpoint_chart(evidence["by_touchpoint"]), width="stretch")
        st.dataframe(as_records(*touchpoint_score_table(evidence["by_touchpoint"])), hide_index=True,
                     key="prepare_touchpoint_scores")
        st.caption(f"95% intervals; \u201clow base\u201d under {BASE_LOW_BELOW} responses; fewer than {BASE_TOO_FEW_BELOW} "
                   "are not scored. A change has an arrow only when it is more than noise.")
    if evidence["themes"]:
        st.altair_chart(charts.themes_chart(evidence["themes"]), width="stretch")
    show_drivers(evidence.get("drivers") or [])
    show_already_known(evidence.get("already_known") or [])
    invited = evidence.get("invited") or []
    st.info("**Invited customer" + ("s" if len(invited) != 1 else "") + "**: "
            + (", ".join(escape_for_streamlit(p["name"]) for p in invited) or "none invited yet")
            + ". Ask: how customer-focused are we? How could we support you? What did we get wrong?")
    left, right = st.columns(2)
    with left:
        st.markdown("**The most negative**")
        show_quotes(evidence["customer_quotes"])
        if not evidence["customer_quotes"]:
            st.caption(ONCE)
    with right:
        st.markdown("**The most positive**")
        show_quotes(evidence["customer_praise"])
        if not evidence["customer_praise"]:
            st.caption(ONCE)
    st.markdown("**The frontline said**")
    show_quotes(evidence["staff_quotes"])


def show_employees(evidence: Mapping[str, Any]) -> None:
    summary = evidence["summary"]
    columns = st.columns(4)
    for column, key, label in zip(columns, ("inputs", "challenge", "idea", "praise"), ("Inputs", "Challenges", "Ideas", "Praise")):
        column.metric(label, format_number(summary[key]["now"]), delta(format_number(summary[key]["change"], signed=True)))
    if evidence["groups"]:
        show_table(evidence["groups"], ["theme", "challenge", "idea", "praise", "touchpoints"])
    if evidence["engagement_trend"]:
        st.altair_chart(charts.engagement_chart(evidence["engagement_trend"]), width="stretch")
    invited = evidence.get("invited") or []
    st.info("**Invited frontline colleague" + ("s" if len(invited) != 1 else "") + "**: "
            + (", ".join(escape_for_streamlit(p["name"]) for p in invited) or "none invited yet")
            + ". Ask: what stops you serving customers well?")
    show_voices(evidence)


def show_operations(evidence: Mapping[str, Any]) -> None:
    found = evidence["watermelons"]
    for flag in found.get("watermelons", []):
        with st.container(border=True):
            st.error(f"🍉 {escape_for_streamlit(flag['reading'])} (for {flag['age_months']} month(s); "
                     f"severity {format_number(flag.get('severity', 0))})")
            show_quotes([{"text": q} if isinstance(q, str) else q for q in flag.get("quotes", [])])
    empty = render.operations_empty_state(found)
    if empty:  # "no metrics yet" is not good news: only a real comparison earns the green box
        (st.success if empty[0] == "success" else st.info)(empty[1])
    if found.get("statuses"):
        st.dataframe(as_records(*status_table(found["statuses"])), hide_index=True)
    if found.get("too_few"):
        st.caption("Too few responses to judge: " + ", ".join(
            f"{escape_for_streamlit(t['touchpoint'])} ({t['responses']})" for t in found["too_few"]))
    show_voices(evidence)


def show_plans(evidence: Mapping[str, Any]) -> None:
    if evidence["plans"]:
        show_table(evidence["plans"], ["title", "segment", "starts_on", "detail"])
    else:
        st.caption("No plans imported for this section.")
    for segment in evidence["segments"]:
        st.markdown(f"**Customers in {escape_for_streamlit(segment['segment'])}**: "
                    f"{format_number(segment['responses'])} responses, NPS {format_score_with_interval(segment, 'nps')}, "
                    f"CSAT {format_score_with_interval(segment, 'csat')}")
        show_quotes(segment["quotes"])
    show_voices(evidence)


def show_finance(evidence: Mapping[str, Any]) -> None:
    if evidence["lines"]:
        st.altair_chart(charts.finance_chart(evidence["lines"]), width="stretch")
        st.dataframe(as_records(*finance_table(evidence["lines"])), hide_index=True)
    else:
        st.caption("No finance lines for this month.")
    show_voices(evidence)


SHOW = {"customer": show_customer, "employees": show_employees, "operations": show_operations,
        "marketing": show_plans, "sales": show_plans, "finance": show_finance}

db_path = page_db_path()
unit_id = st.session_state.get("unit_id")
meeting_id = st.session_state.get("meeting_id")
st.title("Prepare the meeting")
show_messages()
if unit_id is None:
    st.info("Import some data first (Import page), or load the demo: `python -m meeting init --demo`.")
    st.stop()

with st.expander("New meeting", expanded=meeting_id is None, key="new_meeting_panel", on_change="rerun"):
    with st.form("new_meeting_form", clear_on_submit=False):
        held = st.date_input("Held on", value=clock.today(), key="new_held_on")
        st.text_input("Month it reviews (YYYY-MM)", key="new_period", placeholder=f"default: {previous_month(held)}")
        st.text_input("Title", key="new_title", placeholder="default: unit, month")
        st.time_input("Start time (local; the invitation needs one)", value=None, step=900, key="new_starts")
        st.number_input("Length (minutes)", min_value=schedule.MIN_LENGTH, max_value=schedule.MAX_LENGTH, value=120,
                        step=15, key="new_total")
        st.form_submit_button("Create meeting", on_click=create_meeting_from_form, args=(unit_id,))
    show_messages("new_meeting")
    show_new_meeting_outcome(unit_id)

if meeting_id is None:
    st.stop()

with database() as db:
    meeting = meetings.get_meeting(db, meeting_id)
    participants = meetings.list_participants(db, meeting_id)
    evidence = cached_evidence(db_path, meeting["unit_id"], meeting["period"], data_version(db))
    built = agenda.build_agenda(db, meeting_id, evidence)
    jargon_flags = jargon.check_meeting(db, meeting_id)
    not_invitable = invite.invitation_problem(db, meeting_id)
    unit_language = i18n.unit_language(db, meeting["unit_id"])
closed = meeting["status"] == "closed"

# An h2 under the page's h1 (headings in order, issue 27); typed by a person: escaped, never Markdown.
st.markdown(f"## {escape_for_streamlit(meeting['title'])}")
st.caption(f"{meeting['unit']} · held {meeting['held_on']}"
           + (f" at {meeting['start_time']}" if meeting["start_time"] else " · no start time yet")
           + f" · {meeting['total_minutes']} min · reviews {meeting['period']} · {meeting['status']}")

with st.expander("Meeting settings"):
    with st.form(f"settings_form_{meeting_id}"):
        st.text_input("Meeting title", value=meeting["title"], key=f"settings_title_{meeting_id}")
        st.text_input("Month it reviews (YYYY-MM)", value=meeting["period"], key=f"settings_period_{meeting_id}")
        st.time_input("Start time (local; the invitation needs one)", step=900, key=f"settings_starts_{meeting_id}",
                      value=dt.time.fromisoformat(meeting["start_time"]) if meeting["start_time"] else None)
        st.number_input("Length (minutes): a new length re-boxes every section by its default share",
                        min_value=schedule.MIN_LENGTH, max_value=schedule.MAX_LENGTH,
                        value=int(meeting["total_minutes"]), step=15, key=f"settings_total_{meeting_id}")
        st.form_submit_button("Save settings", on_click=save_settings_from_form, disabled=closed,
                              args=(meeting_id, {"title": meeting["title"], "period": meeting["period"]}))
    # The unit's, not the meeting's (issue 27): what its documents and room screen are written in.
    languages = i18n.document_languages()
    language_key = f"unit_language_{meeting['unit_id']}_{unit_language}"
    st.selectbox(f"Language of {meeting['unit']}'s documents and room screen", languages,
                 index=languages.index(unit_language) if unit_language in languages else 0,
                 format_func=i18n.language_name, key=language_key, on_change=save_unit_language,
                 args=(meeting["unit_id"], language_key))
    if meeting["status"] == "draft":  # a duplicate or a wrong month; a live or closed meeting is kept
        with st.popover("Delete this draft meeting", icon=":material/delete:"):
            st.write("Its agenda and participants go with it. Only a draft can be deleted.")
            st.button("Delete it", key=f"delete_meeting_{meeting_id}", type="primary", on_click=delete_meeting_now,
                      args=(meeting_id,))
    show_messages("settings")

if jargon_flags:
    with st.container(key="jargon_warnings"):
        st.warning(f"**Before customers read it** (the Join page shows the title and each section's prompts): "
                   f"{len(jargon_flags)} word(s) they may not know. Edit the title in Meeting settings; the list is "
                   "data/jargon.csv.\n\n" + "\n".join(f"- {escape_for_streamlit(flag.message())}" for flag in jargon_flags),
                   icon=":material/translate:")

# A label that never changes, keyed and tracking its state: with the count in its label the expander was a new
# element after every invite, and closed (measured in Chromium; issue 26). The count is the first line inside.
with st.expander("Participants", key=f"participants_panel_{meeting_id}", on_change="rerun"):
    st.caption(f"{len(participants)} on this meeting's list.")
    if closed:
        st.caption("This meeting is closed: its roster is part of the record (the anonymised minutes depend on it).")
    for person in participants:
        left, right = st.columns([5, 1])
        left.text(f"{person['name']} · {person['kind']} · {person['role'] or ''} · {person['organisation'] or ''}")
        if not closed:
            right.button("Remove", key=f"remove_participant_{person['id']}", on_click=act,
                         args=(meetings.remove_participant, person["id"]), kwargs={"where": "participants"})
    show_messages("participants")
    with st.form(f"participant_form_{meeting_id}", clear_on_submit=True):
        columns = st.columns(3)
        columns[0].text_input("Name", key=f"participant_name_{meeting_id}")
        columns[1].selectbox("Kind", meetings.PARTICIPANT_KINDS, key=f"participant_kind_{meeting_id}")
        columns[2].text_input("Organisation", key=f"participant_organisation_{meeting_id}")
        columns = st.columns(3)
        columns[0].text_input("Role", key=f"participant_role_{meeting_id}")
        columns[1].text_input("Email", key=f"participant_email_{meeting_id}")
        columns[2].text_input("Phone", key=f"participant_phone_{meeting_id}")
        st.text_input("Aliases (optional)", key=f"participant_aliases_{meeting_id}",
                      placeholder="e.g. Liz; Лиза; NorthwindLink",
                      help="Other names this person goes by that the minutes must also hide, separated by ;")
        st.form_submit_button("Invite", on_click=add_participant_from_form, args=(meeting_id,), disabled=closed)

left, middle, right, far, farther = st.columns([2, 1, 1, 1, 1])
left.markdown(f"**Agenda: {sum(s['minutes'] for s in built['sections'])} minutes, customer first, finance last.**")
middle.download_button("Pre-read (.docx)", key="preread_docx", file_name=render.preread_file_name(built, "docx"),
                       data=functools.partial(preread_bytes, db_path, meeting_id, evidence, "docx"),
                       mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
right.download_button("Pre-read (.md)", key="preread_md", file_name=render.preread_file_name(built, "md"),
                      data=functools.partial(preread_bytes, db_path, meeting_id, evidence, "md"), mime="text/markdown")
far.download_button("Invitation (.ics)", key="invitation_ics", file_name=f"meeting-{meeting_id}-invitation.ics",
                    data=functools.partial(invitation_bytes, db_path, meeting_id, current_user()), mime="text/calendar",
                    disabled=bool(not_invitable),
                    help="A calendar event for everyone on the list with an e-mail address; sending it again updates "
                         "the same event.")
farther.download_button("Invitation with pre-read", key="invitation_preread_ics",
                        file_name=f"meeting-{meeting_id}-invitation-leadership.ics",
                        data=functools.partial(invitation_bytes, db_path, meeting_id, current_user(), True),
                        mime="text/calendar", disabled=bool(not_invitable),
                        help="The same event with the pre-read attached: for the leadership only (it holds finance "
                             "lines and verbatim comments).")
if not_invitable:
    st.warning(escape_for_streamlit(not_invitable), icon=":material/event_busy:")

owners = [""] + [p["name"] for p in participants]
for number, section in enumerate(built["sections"], start=1):
    st.header(f"{number}. {section['title']} · {section['minutes']} min", anchor=section["key"])
    st.caption(section["purpose"])
    for item in section["items"]:
        item_columns = st.columns([6, 1.3, 2.5, 0.6, 0.6, 0.6])
        item_columns[0].text_input("Item", value=item["title"], key=f"item_title_{item['id']}", label_visibility="collapsed",
                                   on_change=save_item, args=(item, section["key"]))
        item_columns[1].number_input("Minutes", value=item["minutes"] or 0, min_value=0, max_value=600,
                                     key=f"item_minutes_{item['id']}", label_visibility="collapsed",
                                     on_change=save_item, args=(item, section["key"]))
        owner_options = owners if (item["owner"] or "") in owners else owners + [item["owner"]]
        item_columns[2].selectbox("Owner", owner_options, index=owner_options.index(item["owner"] or ""),
                                  key=f"item_owner_{item['id']}", label_visibility="collapsed",
                                  format_func=lambda name: name or "no owner", on_change=save_item, args=(item, section["key"]))
        item_columns[3].button("↑", key=f"item_up_{item['id']}", on_click=act, args=(agenda.move_item, item["id"], -1),
                               kwargs={"where": f"new_item_{section['key']}"})
        item_columns[4].button("↓", key=f"item_down_{item['id']}", on_click=act, args=(agenda.move_item, item["id"], 1),
                               kwargs={"where": f"new_item_{section['key']}"})
        item_columns[5].button("✕", key=f"item_delete_{item['id']}", on_click=act, args=(agenda.delete_item, item["id"]),
                               kwargs={"where": f"new_item_{section['key']}"})
    item_columns = st.columns([6, 1.3, 2.5])
    item_columns[0].text_input("New item", key=f"new_item_{section['key']}", placeholder="Add an item…",
                               label_visibility="collapsed")
    item_columns[1].number_input("Minutes", min_value=0, max_value=600, value=5, key=f"new_item_minutes_{section['key']}",
                                 label_visibility="collapsed")
    item_columns[2].button("Add item", key=f"add_item_{section['key']}", on_click=add_item_from_form,
                           args=(meeting_id, section["key"]))
    show_messages(f"new_item_{section['key']}")
    actions = section["evidence"]["open_actions"]
    if actions:
        st.warning("**Open actions carried over**\n\n" + "\n".join(
            f"- {escape_for_streamlit(a['text'])} (owner {escape_for_streamlit(a['owner'] or 'unassigned')}, due {a['due_on'] or 'no date'}, "
            f"open for {a['meetings_open']} meeting(s))" for a in actions))
    with st.expander("Evidence", expanded=number <= 3):
        SHOW[section["key"]](section["evidence"])
