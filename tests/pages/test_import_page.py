"""The Import page through the real app (AppTest): upload, mapping, preview, problems, import."""
import re
from pathlib import Path

from streamlit.testing.v1 import AppTest
from support.gm_app import open_as_gm
from support.table_rows import count_rows

from meeting import store
from meeting.store import meetings

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "import"
SURVEY = (b"Response ID,RecordedDate,Journey Stage,Rating,Closed date,Why\n"
          b"R1,2026-05-01,Billing,4,2026-05-09,Clear bill\n"
          b"R2,2026-05-02,Installation,2,2026-05-10,Engineer late\n")



def shown(elements) -> list[str]:
    """Messages as the user reads them (the page escapes Markdown in every message)."""
    return [re.sub(r"\\(.)", r"\1", element.value) for element in elements]

def open_import(**state) -> AppTest:
    return open_as_gm("import_data.py", **state)


def upload(at: AppTest, name: str, data: bytes) -> AppTest:
    at.file_uploader(key="import_file").set_value((name, data, "text/csv")).run()
    assert not at.exception, at.exception
    return at


def test_import_page_opens_in_the_app(db_path):
    at = open_import()
    assert at.title[0].value == "Import your data"
    assert at.selectbox(key="import_kind").value == "voc"
    assert at.file_uploader(key="import_file").allowed_type == [".csv", ".txt", ".tsv", ".xlsx"]


def test_upload_check_mapping_correct_it_and_import(db_path):
    db = store.open_db(db_path)
    spain = store.get_or_create_unit(db, "Spain")
    store.get_or_create_unit(db, "Ireland")
    at = upload(open_import(unit_id=spain), "survey.csv", SURVEY)
    assert at.selectbox(key="import_unit").value == spain  # the sidebar's unit by default
    assert {k: at.selectbox(key=f"map_{k}").value for k in ("response_id", "received_on", "touchpoint", "score",
                                                            "narrative", "scale")} == {
        "response_id": "Response ID", "received_on": "RecordedDate", "touchpoint": "Journey Stage",
        "score": "Rating", "narrative": "Why", "scale": ""}
    assert "fits both NPS (0-10) and CSAT (1-5)" in at.dataframe[-1].value["message"].tolist()[0]
    assert at.button(key="import_button").disabled

    at.selectbox(key="map_received_on").set_value("Closed date").run()
    at.selectbox(key="const_scale").set_value("csat").run()
    assert not at.error
    preview = at.dataframe[-1].value
    # Human headers, and the unit by its name, not its id (issue 16).
    assert preview[["Received", "Scale", "Unit"]].values.tolist() == [
        ["2026-05-09", "csat", "Spain"], ["2026-05-10", "csat", "Spain"]]
    at.button(key="import_button").click().run()
    assert not at.exception, at.exception
    assert shown(at.success) == ["Imported 2 rows into Spain (0 already there)."]
    assert list(db.query("SELECT unit_id, response_id, received_on, score, scale FROM voc_responses ORDER BY id")) == [
        {"unit_id": spain, "response_id": "R1", "received_on": "2026-05-09", "score": 4.0, "scale": "csat"},
        {"unit_id": spain, "response_id": "R2", "received_on": "2026-05-10", "score": 2.0, "scale": "csat"},
    ]
    at.button(key="import_button").click().run()
    assert shown(at.success) == ["Imported 0 rows into Spain (2 already there)."]
    assert count_rows(db, "voc_responses") == 2
    db.close()


def test_problems_show_as_a_table_and_nothing_can_be_imported(db_path):
    at = upload(open_import(), "voc_bad_date.csv", (FIXTURES / "voc_bad_date.csv").read_bytes())
    at.text_input(key="import_new_unit").set_value("Ireland").run()
    assert "nothing was imported" in at.error[0].value
    problems = at.dataframe[-1].value
    assert problems.columns.tolist() == ["file", "row", "column", "message"]
    assert problems.iloc[0].tolist()[:3] == ["voc_bad_date.csv", 3, "RecordedDate"]
    assert "'yesterday' is not a date" in problems.iloc[0]["message"]
    assert at.button(key="import_button").disabled
    db = store.open_db(db_path)
    assert count_rows(db, "voc_responses") == 0 and count_rows(db, "units") == 0
    db.close()


def test_an_unreadable_file_is_explained_not_a_crash(db_path):
    at = upload(open_import(), "voc_latin1.csv", (FIXTURES / "voc_latin1.csv").read_bytes())
    assert "nothing was imported" in at.error[0].value
    assert "not UTF-8" in at.dataframe[-1].value["message"][0]
    assert "import_button" not in [b.key for b in at.button]  # nothing to import: no button at all


def test_participants_go_to_the_sidebars_meeting(db_path):
    db = store.open_db(db_path)
    unit = store.get_or_create_unit(db, "Ireland")
    older = meetings.create_meeting(db, unit, "2026-05-04")
    current = meetings.create_meeting(db, unit, "2026-06-04")
    at = open_import(unit_id=unit, meeting_id=current)
    at.selectbox(key="import_kind").set_value("participants").run()
    roster = b"Full name,Company,Type\nAoife Byrne,Byrne Dental,Client\nTom Walsh,Outside In,Leader\n"
    upload(at, "roster.csv", roster)
    assert at.selectbox(key="import_meeting").value == current
    assert at.selectbox(key="map_name").value == "Full name" and at.selectbox(key="map_kind").value == "Type"
    at.button(key="import_button").click().run()
    assert shown(at.success) == ["Imported 2 rows (0 already there)."]
    assert [(r["meeting_id"], r["name"], r["kind"]) for r in db.query("SELECT * FROM participants ORDER BY id")] == [
        (current, "Aoife Byrne", "customer"), (current, "Tom Walsh", "leader")]
    assert older != current
    db.close()


def test_unit_column_units_are_created_only_when_the_checkbox_says_so(db_path):
    data = b"Date,Touchpoint,Score,Country\n2026-05-01,Billing,9,France\n2026-05-02,Billing,3,Germany\n"
    at = upload(open_import(), "survey.csv", data)
    assert at.selectbox(key="map_unit").value == ""  # "Country" is never the unit on its keyword
    at.selectbox(key="import_unit").set_value(-2).run()
    at.selectbox(key="map_unit").set_value("Country").run()
    assert at.checkbox(key="import_create_units").label == "Create these units: France, Germany"
    at.button(key="import_button").click().run()
    assert "not known yet: France, Germany" in at.dataframe[-1].value["message"][0]
    db = store.open_db(db_path)
    assert count_rows(db, "units") == 0
    at.checkbox(key="import_create_units").check().run()
    at.button(key="import_button").click().run()
    assert not at.exception, at.exception
    assert shown(at.success) == ["Imported 2 rows into France, Germany (0 already there)."]
    assert [r["name"] for r in db.query("SELECT name FROM units ORDER BY name")] == ["France", "Germany"]
    db.close()


def test_bad_rows_can_be_left_out_when_asked_and_downloaded_with_reasons(db_path):
    data = b"Date,Touchpoint,Score\n2026-05-01,Billing,9\nyesterday,Billing,3\n"
    at = upload(open_import(), "scores.csv", data)
    at.text_input(key="import_new_unit").set_value("Ireland").run()
    assert at.button(key="import_button").disabled
    at.checkbox(key="import_skip_bad").check().run()
    at.button(key="import_button").click().run()
    assert not at.exception, at.exception
    assert shown(at.success) == ["Imported 1 rows into Ireland (0 already there)."]
    rejects = at.session_state["import_rejects"]
    assert rejects.splitlines()[1].startswith("3,yesterday,Billing,3,") and "is not a date" in rejects
    db = store.open_db(db_path)
    assert list(db.query("SELECT received_on, score FROM voc_responses")) == [{"received_on": "2026-05-01",
                                                                              "score": 9.0}]
    db.close()


def test_tickets_become_monthly_metrics_on_the_page(db_path):
    db = store.open_db(db_path)
    unit = store.get_or_create_unit(db, "Ireland")
    at = open_import(unit_id=unit)
    at.selectbox(key="import_kind").set_value("tickets").run()
    upload(at, "incidents.csv", (FIXTURES / "exports" / "servicenow_events.csv").read_bytes())
    at.selectbox(key="map_touchpoint").set_value("category").run()
    at.text_input(key="const_target").set_value("90").run()
    assert not at.error
    assert at.dataframe[-1].value[["period", "touchpoint", "actual"]].values.tolist() == [
        ["2026-02", "Installation", 50.0], ["2026-03", "Billing", 66.67]]
    at.button(key="import_button").click().run()
    assert shown(at.success) == ["Imported 2 monthly metrics into Ireland (0 replaced)."]
    assert list(db.query("SELECT period, name, target, actual FROM metrics ORDER BY period")) == [
        {"period": "2026-02", "name": "Tickets within SLA (%)", "target": 90.0, "actual": 50.0},
        {"period": "2026-03", "name": "Tickets within SLA (%)", "target": 90.0, "actual": 66.67}]
    db.close()


def test_the_page_shows_the_first_rows_and_offers_header_row_and_sheet(db_path, tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "About"
    book.active.append(["Exported for the May review"])
    data = book.create_sheet("Responses")
    data.append(["Survey export", None, None])
    data.append(["Date", "Touchpoint", "Score"])
    data.append(["2026-05-01", "Billing", 9])
    other = book.create_sheet("Old")
    other.append(["When", "Where", "Score"])
    other.append(["2020-01-01", "Repair", 1])
    path = tmp_path / "survey.xlsx"
    book.save(path)
    at = open_import()
    at.file_uploader(key="import_file").set_value(("survey.xlsx", path.read_bytes(), "application/vnd.ms-excel")).run()
    assert not at.exception, at.exception
    assert at.selectbox(key="import_sheet").options == ["the one holding the most data", "About", "Responses", "Old"]
    first_rows = at.dataframe[1].value  # [0] is the expected-columns help
    assert first_rows.columns.tolist() == ["Date", "Touchpoint", "Score"]  # the title row above is passed over
    assert at.selectbox(key="map_received_on").value == "Date"
    at.selectbox(key="import_sheet").set_value("Old").run()
    assert at.dataframe[1].value.columns.tolist() == ["When", "Where", "Score"]
    at.selectbox(key="import_sheet").set_value("Responses").run()
    at.number_input(key="import_header_row").set_value(1).run()
    assert at.dataframe[1].value.columns.tolist()[0] == "Survey export"


def test_tickets_with_bad_rows_can_be_left_out_on_the_page(db_path):
    db = store.open_db(db_path)
    unit = store.get_or_create_unit(db, "Ireland")
    at = open_import(unit_id=unit)
    at.selectbox(key="import_kind").set_value("tickets").run()
    upload(at, "jsm.csv", b"Issue key,Created,Request type,Made SLA,Target\nSUP-1,2026-05-02 09:00,Billing,met,90\n"
                          b"SUP-2,2026-05-03 09:00,Billing,breached,90\nSUP-3,2026-05-04 09:00,Billing,maybe,90\n")
    assert "nothing was imported" in at.error[0].value
    at.checkbox(key="import_skip_bad_tickets").check().run()
    assert not at.error
    assert at.dataframe[-1].value[["period", "actual"]].values.tolist() == [["2026-05", 50.0]]
    at.button(key="import_button").click().run()
    assert list(db.query("SELECT period, actual FROM metrics")) == [{"period": "2026-05", "actual": 50.0}]
    db.close()


def test_recent_imports_are_listed_and_one_can_be_undone(db_path, tmp_path):
    from meeting import importing

    db = store.open_db(db_path)
    unit = store.get_or_create_unit(db, "Ireland")
    path = tmp_path / "may.csv"
    path.write_bytes(b"Date,Touchpoint,Score\n2026-05-02,Billing,9\n2026-05-03,Billing,3\n")
    batch = importing.import_file(db, "voc", path, unit="Ireland").batch_id
    at = open_import(unit_id=unit)
    assert any("may.csv" in m and "2 rows (2 added)" in m for m in shown(at.markdown))
    at.button(key=f"import_undo_{batch}").click().run()
    assert not at.exception and not at.error
    assert count_rows(db, "voc_responses") == 0
    assert any("may.csv" in m and "(undone 2026" in m for m in shown(at.markdown))
    db.close()
