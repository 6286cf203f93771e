"""Import: choose what the file holds, upload it, check the column mapping and the preview, import all or nothing."""
import io

import pandas as pd
import streamlit as st

from meeting import accounts, importing
from meeting.formatting import human_headers
from meeting.store import meetings
from meeting.text import escape_for_streamlit
from views.page import current_user, database, flash, show_messages

NOT_IN_FILE = ""
NEW_UNIT = -1
FROM_COLUMN = -2
DATE_ORDERS = {"": "work it out (ISO dates, or a day above 12)", "dmy": "day first: 03/10/2026 = 3 October",
               "mdy": "month first: 03/10/2026 = March 10"}
DECIMALS = {"": "work it out from the file", ",": "comma: 6,5 = six and a half", ".": "dot: 6.5 = six and a half"}


@st.cache_data(max_entries=2, show_spinner="Reading the file…")
def read_upload(file_id: str, name: str, _data: bytes, header_row: int | None, sheet: str | None) -> pd.DataFrame:
    """Keyed on the upload's id: a 30 MB file is not re-read (or re-hashed) on every widget change."""
    return importing.read_table(_data, name, header_row=header_row, sheet=sheet)


def show_problems(problems: list, total: int, filename: str) -> None:
    st.error(f"{total:,} problem{'s' if total != 1 else ''} in {escape_for_streamlit(filename)}: nothing was imported. "
             "Fix the file or the mapping, then import again.")
    # One line per kind of problem (its column, rows and count), then every row in the table below.
    st.markdown("\n".join(f"- {escape_for_streamlit(group.describe(filename))}"
                          for group in importing.group_problems(problems)[:20]))
    st.dataframe(importing.problems_frame(problems[:1000], filename), hide_index=True, width="stretch")


def reset_mapping(kind: str, headers: list[str], frame: pd.DataFrame) -> None:
    """A new file or kind: drop the old choices and pre-fill the select boxes with the suggestion."""
    for key in [k for k in st.session_state if k.startswith(("map_", "const_"))]:
        del st.session_state[key]
    for canonical, header in importing.suggest_mapping(kind, headers, frame).items():
        st.session_state[f"map_{canonical}"] = header or NOT_IN_FILE


def show_recent_imports() -> None:
    """The last imports into the user's units, each with an Undo (refused, with the reason, where it cannot)."""
    with database() as db:
        recent = importing.recent_imports(db, [u["id"] for u in accounts.visible_units(db, current_user())])
    if not recent:
        return
    with st.expander(f"Recent imports ({len(recent)})", expanded=False):
        for batch in recent:
            text, undo = st.columns([6, 1])
            state = f"undone {batch.undone_at}" if batch.undone_at else f"{batch.inserted:,} added" + (
                f", {batch.replaced:,} replaced" if batch.replaced else "")
            text.markdown(escape_for_streamlit(f"{batch.at} · {batch.who or ''} · {batch.kind} · {batch.file} · "
                                               f"{batch.units} · {batch.rows:,} rows ({state})"))
            if batch.undone_at or not undo.button("Undo", key=f"import_undo_{batch.id}"):
                continue
            try:
                with database() as db:
                    removed = importing.undo_import(db, batch.id, user=current_user())
            except (ValueError, PermissionError) as refusal:
                st.error(f"Not undone: {escape_for_streamlit(str(refusal))}")
            else:
                flash(f"Undid the import of {batch.file}: {removed:,} rows removed.", where="import", kind="success")
                st.rerun()


st.title("Import your data")
show_recent_imports()
if rejects_csv := st.session_state.get("import_rejects"):
    st.download_button("Download the refused rows (CSV, with reasons)", rejects_csv, file_name="rejects.csv",
                       mime="text/csv", key="import_rejects_download")

kind = st.selectbox("What does the file hold?", [*importing.KINDS, "tickets"], key="import_kind",
                    format_func=lambda k: importing.get_kind(k).label)
spec = importing.get_kind(kind)
with st.expander("Columns Outside In expects"):
    st.dataframe(importing.fields_table(kind), hide_index=True, width="stretch")
    if spec.example:
        st.download_button("Download an example file", spec.example, file_name=f"{kind}_example.csv",
                           mime="text/csv", key="import_example")
uploaded = st.file_uploader("CSV (UTF-8; comma, semicolon or tab separated) or Excel .xlsx",
                            type=["csv", "txt", "tsv", "xlsx"], key="import_file",
                            help="Larger than the upload limit? `python -m meeting import voc FILE --unit NAME` "
                                 "imports files of millions of rows in chunks, with the same checks.")
if uploaded is None:
    st.stop()

sheets = importing.sheet_names(uploaded.getvalue(), uploaded.name)
with st.expander("Where the table is in the file", expanded=False):
    st.caption("The header row and the sheet are found by themselves; choose here when they are wrong.")
    header_row = st.number_input("Row holding the column names (0 = find it)", min_value=0, step=1,
                                 key="import_header_row") or None
    sheet = st.selectbox("Sheet", ["", *sheets], key="import_sheet",
                         format_func=lambda s: s or "the one holding the most data") if sheets else ""
try:
    frame = read_upload(uploaded.file_id, uploaded.name, uploaded.getvalue(), header_row, sheet or None)
except importing.ImportFailed as failure:
    show_problems(failure.problems, failure.total, failure.filename)
    st.stop()
headers = [str(c) for c in frame.columns]
st.caption(f"The file's first rows (layout: {escape_for_streamlit(frame.attrs.get('layout', 'plain'))}"
           + (f", sheet {escape_for_streamlit(frame.attrs['sheet'])}" if frame.attrs.get("sheet") else "") + ").")
st.dataframe(frame.head(5), width="stretch")
if st.session_state.get("import_signature") != (kind, uploaded.file_id, header_row, sheet):
    reset_mapping(kind, headers, frame)
    st.session_state["import_signature"] = (kind, uploaded.file_id, header_row, sheet)

with database() as db:
    units = accounts.visible_units(db, current_user())  # a GM imports into their own units only
    meeting_rows = [r for u in units for r in meetings.list_meetings(db, u["id"])] if spec.scope == "meeting" else []

unit = meeting_id = None
if spec.scope == "unit":
    admin = accounts.can(current_user(), "users")  # only an admin creates units; a GM imports into their own
    names = {u["id"]: u["name"] for u in units} | ({NEW_UNIT: "A new unit…"} if admin else {})
    if not names:
        st.warning("You have no unit to import into: ask your administrator.")
        st.stop()
    if spec.name != "tickets":
        names[FROM_COLUMN] = "Each row's own unit, from a column of the file (map it below)"
    if st.session_state.get("import_unit") not in names:
        st.session_state["import_unit"] = st.session_state.get("unit_id") if st.session_state.get("unit_id") in names \
            else next(iter(names))
    choice = st.selectbox("Unit these rows belong to", list(names), format_func=names.__getitem__, key="import_unit",
                          help="Every row goes to this unit, whatever the file's columns say.")
    if choice == FROM_COLUMN:
        unit = None
    else:
        unit = choice if choice != NEW_UNIT else (st.text_input("New unit's name", key="import_new_unit").strip()
                                                  or None)
else:
    labels = {r["id"]: f"{r['unit']} · {r['held_on']} · {r['title']}" for r in meeting_rows}
    if not labels:
        st.warning("There is no meeting yet: create one on the Prepare page, then import its "
                   f"{spec.label.lower()}.")
        st.stop()
    if st.session_state.get("import_meeting") not in labels:
        st.session_state["import_meeting"] = st.session_state.get("meeting_id") \
            if st.session_state.get("meeting_id") in labels else next(iter(labels))
    meeting_id = st.selectbox("Meeting", list(labels), format_func=labels.__getitem__, key="import_meeting")

st.subheader("Which column holds what")
st.caption("Suggested from the file's headers; correct any that are wrong. * = required.")
mapping, constants = {}, {}
column_choices = [NOT_IN_FILE, *headers]
columns = st.columns(3)
for index, field in enumerate(spec.all_fields):
    mapping[field.name] = columns[index % 3].selectbox(
        f"{field.name}{' *' if field.required else ''}", column_choices, key=f"map_{field.name}", help=field.help or None,
        format_func=lambda h: "— not in the file —" if h == NOT_IN_FILE else h,
    ) or None

missing = [f for f in spec.fields if mapping[f.name] is None or f.name in ("target", "resolve_target")]
has_dates = any(f.type in ("date", "datetime", "period") for f in spec.fields)
with st.expander("Values for columns the file lacks, dates and decimals", expanded=any(f.required for f in missing)):
    st.caption("One value for every row, e.g. the scale of a survey export that has only scores.")
    for field in missing:
        label = f"{field.name}{' *' if field.required else ''}"
        if field.choices:
            value = st.selectbox(label, ["", *dict.fromkeys(field.choices.values())], key=f"const_{field.name}")
        else:
            value = st.text_input(label, key=f"const_{field.name}", help=field.help or None)
        if value:
            constants[field.name] = value
    if has_dates:
        order = st.selectbox("Dates such as 03/10/2026 are", list(DATE_ORDERS), format_func=DATE_ORDERS.__getitem__,
                             key="const_date_order")
        if order:
            constants["date_order"] = order
    decimal = st.selectbox("Decimal separator", list(DECIMALS), format_func=DECIMALS.__getitem__, key="import_decimal") or None
    source = st.text_input("Survey name (response ids are counted per survey; default: the file's name)",
                           key="import_source").strip() or None if spec.source_key else None

options = {"filename": uploaded.name, "constants": constants, "unit": unit, "mapping": mapping, "decimal": decimal}
if kind == "tickets":
    from meeting.importing import tickets

    skip_tickets = st.session_state.get("import_skip_bad_tickets", False)
    try:
        with database() as db:
            plan = tickets.plan_tickets(db, frame, **options, skip_bad_rows=skip_tickets)
    except importing.ImportFailed as failure:
        show_problems(failure.problems, failure.total, failure.filename)
        if all(p.row is not None for p in failure.problems):
            st.checkbox("Leave out the tickets with bad rows, and let me download them with their reasons",
                        key="import_skip_bad_tickets")
        st.stop()
    if plan.rejected:
        rejected_csv = io.StringIO()
        importing.write_rejects(frame, list(plan.rejected), rejected_csv)
        st.checkbox("Leave out the tickets with bad rows, and let me download them with their reasons",
                    key="import_skip_bad_tickets")
        st.download_button(f"Download the {len({p.row for p in plan.rejected}):,} refused rows (CSV, with reasons)",
                           rejected_csv.getvalue(), file_name="rejects.csv", mime="text/csv",
                           key="import_ticket_rejects_download")
    st.subheader("Preview")
    st.caption(f"{plan.rows:,} rows, {plan.tickets:,} tickets: the monthly metrics they give (re-importing a month "
               "replaces it).")
    st.dataframe(plan.metrics, hide_index=True, width="stretch")
    if st.button(f"Import {len(plan.metrics):,} monthly metrics", key="import_button", type="primary"):
        try:
            with database() as db:
                result = tickets.write_tickets(db, plan, user=current_user(), filename=uploaded.name)
        except PermissionError as refusal:  # another unit's name: nothing was written
            st.error(f"Nothing was imported: {escape_for_streamlit(str(refusal))}")
            st.stop()
        flash(f"Imported {result.inserted:,} monthly metrics into {', '.join(result.units)} "
              f"({result.duplicates:,} replaced).", where="import", kind="success")
        st.rerun()
    show_messages("import")
    st.stop()

clean, problems = importing.validate(kind, frame, meeting_id=meeting_id, **options)
st.subheader("Preview")
st.caption(f"{len(clean):,} rows as they will be stored (the first 20; row numbers are the file's).")
if skipped := importing.describe_skipped(clean.attrs.get("skipped", {}).items()):
    st.info(f"Not responses, skipped by rule: {skipped}.")
preview = clean.head(20).copy()
if "unit" in preview and isinstance(unit, int):  # the unit chosen above: its name, not its id
    preview["unit"] = names.get(unit, unit)
st.dataframe(preview.rename(columns=human_headers(preview.columns)), width="stretch")
create_units = False
if spec.scope == "unit" and unit is None and mapping.get("unit") and not problems:
    with database() as db:
        new_units = importing.unknown_units(db, clean["unit"].dropna().unique().tolist())
    if new_units:
        create_units = st.checkbox(f"Create these units: {escape_for_streamlit(', '.join(new_units))}",
                                   key="import_create_units")
skip_bad = False
if problems:
    show_problems(problems, len(problems), uploaded.name)
    if all(p.row is not None for p in problems):
        skip_bad = st.checkbox("Import the other rows, and let me download the refused ones with their reasons",
                               key="import_skip_bad")

if st.button(f"Import {len(clean):,} rows", key="import_button", type="primary",
             disabled=bool(problems) and not skip_bad):
    bar = st.progress(0.0, text="Importing…")

    def show_progress(done: int, total: int) -> None:
        bar.progress(done / total if total else 1.0, text=f"Imported {done:,} of {total:,} rows")

    rejects = io.StringIO() if skip_bad else None
    try:
        with database() as db:
            result = importing.import_frame(db, kind, frame, meeting_id=meeting_id, progress=show_progress,
                                            source=source, create_units=create_units, skip_bad_rows=rejects,
                                            user=current_user(), **options)
    except importing.ImportFailed as failure:
        bar.empty()
        show_problems(failure.problems, failure.total, failure.filename)
    except PermissionError as refusal:  # rows naming a unit that is not the user's: nothing was written
        bar.empty()
        st.error(f"Nothing was imported: {escape_for_streamlit(str(refusal))}")
    else:
        where = f" into {', '.join(result.units)}" if result.units else ""
        flash(f"Imported {result.inserted:,} rows{where} ({result.describe_duplicates(bool(spec.update))}).",
              where="import", kind="success")
        if result.rejected:
            assert rejects is not None, "rows are rejected only when skipping bad rows, which opens the buffer"
            st.session_state["import_rejects"] = rejects.getvalue()
        st.rerun()  # so the sidebar lists any unit the import created
show_messages("import")  # the result, right under the Import button that caused it
