"""Import: choose what the file holds, upload it, check the column mapping and the preview, import all or nothing."""
import pandas as pd
import streamlit as st

from meeting import accounts, importing, store
from meeting.store import meetings
from meeting.text import escape_for_streamlit
from views.page import current_user

NOT_IN_FILE = ""
NEW_UNIT = -1
DATE_ORDERS = {"": "work it out (ISO dates, or a day above 12)", "dmy": "day first: 03/10/2026 = 3 October",
               "mdy": "month first: 03/10/2026 = March 10"}


@st.cache_data(max_entries=2, show_spinner="Reading the file…")
def read_upload(file_id: str, name: str, _data: bytes) -> pd.DataFrame:
    """Keyed on the upload's id: a 30 MB file is not re-read (or re-hashed) on every widget change."""
    return importing.read_table(_data, name)


def show_problems(problems: list, total: int, filename: str) -> None:
    st.error(f"{total:,} problem{'s' if total != 1 else ''} in {escape_for_streamlit(filename)}: nothing was imported. "
             "Fix the file or the mapping, then import again.")
    st.dataframe(importing.problems_frame(problems[:1000], filename), hide_index=True, width="stretch")


def reset_mapping(kind: str, headers: list[str]) -> None:
    """A new file or kind: drop the old choices and pre-fill the select boxes with the suggestion."""
    for key in [k for k in st.session_state if k.startswith(("map_", "const_"))]:
        del st.session_state[key]
    for canonical, header in importing.suggest_mapping(kind, headers).items():
        st.session_state[f"map_{canonical}"] = header or NOT_IN_FILE


st.title("Import your data")
if done := st.session_state.pop("import_done", None):
    st.success(done)

kind = st.selectbox("What does the file hold?", list(importing.KINDS), key="import_kind",
                    format_func=lambda k: importing.KINDS[k].label)
spec = importing.KINDS[kind]
with st.expander("Columns Outside In expects"):
    st.dataframe(importing.fields_table(kind), hide_index=True, width="stretch")
    st.download_button("Download an example file", spec.example, file_name=f"{kind}_example.csv", mime="text/csv",
                       key="import_example")
uploaded = st.file_uploader("CSV (UTF-8; comma, semicolon or tab separated) or Excel .xlsx",
                            type=["csv", "txt", "tsv", "xlsx"], key="import_file")
if uploaded is None:
    st.stop()

try:
    frame = read_upload(uploaded.file_id, uploaded.name, uploaded.getvalue())
except importing.ImportFailed as failure:
    show_problems(failure.problems, failure.total, failure.filename)
    st.stop()
headers = [str(c) for c in frame.columns]
if st.session_state.get("import_signature") != (kind, uploaded.file_id):
    reset_mapping(kind, headers)
    st.session_state["import_signature"] = (kind, uploaded.file_id)

db = store.open_db()
try:
    units = accounts.visible_units(db, current_user())  # a GM imports into their own units only
    meeting_rows = [r for u in units for r in meetings.list_meetings(db, u["id"])] if spec.scope == "meeting" else []
finally:
    db.close()

unit = meeting_id = None
if spec.scope == "unit":
    names = {u["id"]: u["name"] for u in units} | ({NEW_UNIT: "A new unit…"} if accounts.can(current_user(), "users") else {})
    if not names:
        st.warning("You have no unit to import into: ask your administrator.")
        st.stop()
    if st.session_state.get("import_unit") not in names:
        st.session_state["import_unit"] = st.session_state.get("unit_id") if st.session_state.get("unit_id") in names \
            else next(iter(names))
    choice = st.selectbox("Unit these rows belong to", list(names), format_func=names.get, key="import_unit",
                          help="Rows whose unit column (if you map one) names a unit go to that unit instead.")
    unit = choice if choice != NEW_UNIT else (st.text_input("New unit's name", key="import_new_unit").strip() or None)
else:
    labels = {r["id"]: f"{r['unit']} · {r['held_on']} · {r['title']}" for r in meeting_rows}
    if not labels:
        st.warning("There is no meeting yet: create one on the Prepare page, then import its "
                   f"{spec.label.lower()}.")
        st.stop()
    if st.session_state.get("import_meeting") not in labels:
        st.session_state["import_meeting"] = st.session_state.get("meeting_id") \
            if st.session_state.get("meeting_id") in labels else next(iter(labels))
    meeting_id = st.selectbox("Meeting", list(labels), format_func=labels.get, key="import_meeting")

st.subheader("Which column holds what")
st.caption("Suggested from the file's headers; correct any that are wrong. * = required.")
mapping, constants = {}, {}
options = [NOT_IN_FILE, *headers]
columns = st.columns(3)
for index, field in enumerate(spec.all_fields):
    mapping[field.name] = columns[index % 3].selectbox(
        f"{field.name}{' *' if field.required else ''}", options, key=f"map_{field.name}", help=field.help or None,
        format_func=lambda h: "— not in the file —" if h == NOT_IN_FILE else h,
    ) or None

missing = [f for f in spec.fields if mapping[f.name] is None]
has_dates = any(f.type == "date" for f in spec.fields)
if missing or has_dates:
    with st.expander("Values for columns the file lacks", expanded=any(f.required for f in missing)):
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
            order = st.selectbox("Dates such as 03/10/2026 are", list(DATE_ORDERS), format_func=DATE_ORDERS.get,
                                 key="const_date_order")
            if order:
                constants["date_order"] = order

clean, problems = importing.validate(kind, frame, mapping, filename=uploaded.name, constants=constants, unit=unit,
                                     meeting_id=meeting_id)
st.subheader("Preview")
st.caption(f"{len(clean):,} rows as they will be stored (the first 20; row numbers are the file's).")
st.dataframe(clean.head(20), width="stretch")
if problems:
    show_problems(problems, len(problems), uploaded.name)

if st.button(f"Import {len(clean):,} rows", key="import_button", type="primary", disabled=bool(problems)):
    bar = st.progress(0.0, text="Importing…")

    def show_progress(done: int, total: int) -> None:
        bar.progress(done / total if total else 1.0, text=f"Imported {done:,} of {total:,} rows")

    db = store.open_db()
    try:
        result = importing.import_frame(db, kind, frame, filename=uploaded.name, unit=unit, meeting_id=meeting_id,
                                        mapping=mapping, constants=constants, progress=show_progress, user=current_user())
    except importing.ImportFailed as failure:
        bar.empty()
        show_problems(failure.problems, failure.total, failure.filename)
    except PermissionError as refusal:  # rows naming a unit that is not the user's: nothing was written
        bar.empty()
        st.error(f"Nothing was imported: {escape_for_streamlit(str(refusal))}")
    else:
        st.cache_data.clear()  # every page's cached evidence is stale now
        where = f" into {escape_for_streamlit(', '.join(result.units))}" if result.units else ""
        st.session_state["import_done"] = (f"Imported {result.inserted:,} rows{where} "
                                           f"({result.duplicates:,} already there).")
        st.rerun()  # so the sidebar lists any unit the import created
    finally:
        db.close()
