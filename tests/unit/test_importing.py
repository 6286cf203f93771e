"""The importer: malformed files are refused with file/row/column and nothing written; good files import once."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from support.table_rows import count_rows, table_columns

from meeting import cli, importing, store
from meeting.importing import ImportFailed, Problem
from meeting.store import meetings

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "import"
DATA_TABLES = ("units", "voc_responses", "staff_inputs", "metrics", "plans", "finance", "participants",
               "minutes_entries")


def row_counts(db) -> dict[str, int]:
    return {table: count_rows(db, table) for table in DATA_TABLES}


def nothing_written(db) -> bool:
    return not any(row_counts(db).values())


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------------------------------- malformed files

MALFORMED = [
    # file, kind, expected row, expected column, words the message must contain
    ("voc_missing_touchpoint.csv", "voc", None, "touchpoint", "required column touchpoint is missing"),
    ("voc_bad_date.csv", "voc", 3, "RecordedDate", "'yesterday' is not a date"),
    ("voc_score_11.csv", "voc", 4, "Likelihood to recommend (0-10)", "score 11 is outside the NPS scale (0-10"),
    ("metrics_text_in_number.csv", "metrics", 3, "Actual", "'ninety' is not a number"),
    ("empty.csv", "voc", None, None, "the file is empty"),
    ("voc_header_only.csv", "voc", None, None, "header row but no data rows"),
    ("voc_pipe_delimited.csv", "voc", 1, None, "seems to separate columns with '|'"),
    ("voc_latin1.csv", "voc", 3, "Comments", "not UTF-8"),
    ("voc_duplicate_ids.csv", "voc", 4, "Response ID", "duplicate response_id 'R1': rows 2 and 4"),
    ("voc_ragged_row.csv", "voc", 3, None, "has 7 fields but the header has 5"),
    ("staff_bad_kind.csv", "staff", 3, "Type", "'complaint' is not one of challenge, idea, praise"),
    ("voc_ambiguous_dates.csv", "voc", 2, "Date", "could be day/month/year or month/day/year"),
]


@pytest.mark.parametrize("name, kind, row, column, words", MALFORMED, ids=[m[0] for m in MALFORMED])
def test_malformed_file_is_refused_with_file_row_column_and_nothing_is_written(fresh_db, name, kind, row, column,
                                                                                words):
    with pytest.raises(ImportFailed) as failure:
        importing.import_file(fresh_db, kind, FIXTURES / name, unit="Ireland")
    first = failure.value.problems[0]
    assert (first.row, first.column) == (row, column)
    assert words in first.message
    report = str(failure.value)
    where = ", ".join([name] + ([f"row {row}"] if row else []) + ([f"column '{column}'"] if column else []))
    assert f"{where}: " in report
    assert report.startswith(f"Cannot import {name}") and report.endswith("Nothing was imported.")
    assert nothing_written(fresh_db)


def test_fifty_thousand_rows_with_one_bad_row_at_the_end_write_nothing(fresh_db, tmp_path):
    lines = ["Response ID,RecordedDate,Journey Stage,NPS,Comments"]
    lines += [f"R{i},2026-04-{i % 28 + 1:02d},Billing,{i % 11},Comment number {i}" for i in range(49_999)]
    lines.append("R_last,2026-04-31,Billing,7,The thirty-first of April")
    path = write(tmp_path / "big.csv", "\n".join(lines) + "\n")
    with pytest.raises(ImportFailed) as failure:
        importing.import_file(fresh_db, "voc", path, unit="Ireland")
    assert failure.value.total == 1
    assert "big.csv, row 50001, column 'RecordedDate': '2026-04-31' is not a date" in str(failure.value)
    assert nothing_written(fresh_db)


def test_report_gives_one_line_per_kind_of_problem_then_how_many_more(fresh_db, tmp_path):
    # Issue 25: 25 rows with one problem are one line with their rows and count, not 20 lines and "5 more".
    lines = ["received_on,touchpoint,score,scale"] + [f"2026-05-01,Billing,{20 + i},nps" for i in range(25)]
    path = write(tmp_path / "scores.csv", "\n".join(lines))
    with pytest.raises(ImportFailed) as failure:
        importing.import_file(fresh_db, "voc", path, unit="Ireland")
    report = str(failure.value).splitlines()
    assert report[0] == "Cannot import scores.csv: 25 problems."
    assert report[1].startswith("  scores.csv, column 'score': 25 rows (rows 2-26), the first: score 20 is outside")
    assert report[2:] == ["Nothing was imported."]
    # Many kinds of problem (one per column mapped wrongly here): the first twenty kinds, then the count left.
    headers = ",".join(f"c{i}" for i in range(22))
    path = write(tmp_path / "many.csv", f"received_on,touchpoint,{headers}\n2026-05-01,Billing,{','.join('1' * 22)}")
    with pytest.raises(ImportFailed) as failure:
        importing.import_file(fresh_db, "voc", path, unit="Ireland",
                              mapping={f"nope{i}": f"c{i}" for i in range(22)})
    report = str(failure.value).splitlines()
    assert len(report) == 23 and report[-2:] == ["  ... and 2 more problems", "Nothing was imported."]


@pytest.mark.both_engines
def test_a_crash_in_the_middle_of_the_write_leaves_nothing_behind(fresh_db, tmp_path, monkeypatch):
    monkeypatch.setattr(importing.writing, "BATCH_SIZE", 10)
    lines = ["response_id,received_on,touchpoint,score,scale"] + [f"R{i},2026-05-01,Billing,9,nps" for i in range(50)]
    path = write(tmp_path / "voc.csv", "\n".join(lines))
    calls = []

    def crash(done, total):
        calls.append(done)
        if done >= 20:
            raise KeyboardInterrupt("power cut")

    with pytest.raises(KeyboardInterrupt):
        importing.import_file(fresh_db, "voc", path, unit="New unit", progress=crash)
    assert calls == [0, 10, 20]
    assert nothing_written(fresh_db)  # not even the new unit


def test_progress_reports_every_batch_up_to_the_total(fresh_db, tmp_path, monkeypatch):
    monkeypatch.setattr(importing.writing, "BATCH_SIZE", 4)
    lines = ["received_on,touchpoint,narrative"] + [f"2026-05-0{i % 9 + 1},Billing,text {i}" for i in range(10)]
    seen = []
    importing.import_file(fresh_db, "voc", write(tmp_path / "v.csv", "\n".join(lines)), unit="Ireland",
                          progress=lambda done, total: seen.append((done, total)))
    assert seen == [(0, 10), (4, 10), (8, 10), (10, 10)]


@pytest.mark.parametrize("kwargs, words", [
    ({}, "these rows need a unit"),
    ({"unit": 99}, "there is no unit with id 99"),
])
def test_unit_level_kinds_need_a_unit(fresh_db, tmp_path, kwargs, words):
    path = write(tmp_path / "v.csv", "received_on,touchpoint,narrative\n2026-05-01,Billing,ok\n")
    with pytest.raises(ImportFailed, match=words):
        importing.import_file(fresh_db, "voc", path, **kwargs)
    assert nothing_written(fresh_db)


def test_meeting_kinds_need_an_existing_open_meeting(fresh_db, tmp_path):
    path = write(tmp_path / "minutes.csv", "section,kind,text\ncustomer,note,Started with the customer\n")
    with pytest.raises(ImportFailed, match="belong to a meeting: choose one"):
        importing.import_file(fresh_db, "minutes", path)
    with pytest.raises(ImportFailed, match="there is no meeting with id 42"):
        importing.import_file(fresh_db, "minutes", path, meeting_id=42)
    store.get_or_create_unit(fresh_db, "Ireland")
    meeting_id = meetings.create_meeting(fresh_db, "Ireland", "2026-06-04")
    with store.write_transaction(fresh_db):
        fresh_db.execute("UPDATE meetings SET status = 'closed' WHERE id = ?", [meeting_id])
    with pytest.raises(ImportFailed, match=f"meeting {meeting_id} is closed"):
        importing.import_file(fresh_db, "minutes", path, meeting_id=meeting_id)
    assert count_rows(fresh_db, "minutes_entries") == 0


def test_ambiguous_scale_asks_for_set_scale_and_set_scale_resolves_it(fresh_db, tmp_path):
    path = write(tmp_path / "rating.csv", "Date,Touchpoint,Rating\n2026-05-01,Billing,4\n2026-05-02,Billing,2\n")
    with pytest.raises(ImportFailed, match=r"fits both NPS \(0-10\) and CSAT \(1-5\): say which with --set scale="):
        importing.import_file(fresh_db, "voc", path, unit="Ireland")
    result = importing.import_file(fresh_db, "voc", path, unit="Ireland", constants={"scale": "CSAT"})
    assert result.inserted == 2
    assert [r["scale"] for r in fresh_db.query("SELECT scale FROM voc_responses")] == ["csat", "csat"]


def test_a_bad_constant_is_reported_once_not_once_per_row(fresh_db, tmp_path):
    lines = ["received_on,touchpoint,score"] + ["2026-05-01,Billing,3"] * 30
    with pytest.raises(ImportFailed) as failure:
        importing.import_file(fresh_db, "voc", write(tmp_path / "v.csv", "\n".join(lines)), unit="Ireland",
                              constants={"scale": "percent"})
    assert Problem(None, "scale (set)", "'percent' is not one of nps, csat (scale)") in failure.value.problems
    assert failure.value.total == 2  # the bad constant, and the scale it therefore cannot decide


def test_damaged_xlsx_and_old_xls_are_refused(fresh_db, tmp_path):
    with pytest.raises(ImportFailed, match="cannot be read as an Excel workbook"):
        importing.import_file(fresh_db, "voc", write(tmp_path / "export.xlsx", "not a workbook"), unit="Ireland")
    with pytest.raises(ImportFailed, match="old Excel .xls files are not supported"):
        importing.import_file(fresh_db, "voc", write(tmp_path / "export.xls", "x"), unit="Ireland")
    assert nothing_written(fresh_db)


# --------------------------------------------------------------------------------------------- good files

def test_real_survey_export_imports_with_suggested_mapping(fresh_db):
    text = (FIXTURES / "voc_score_11.csv").read_text().replace(",11,", ",10,")
    frame = importing.read_table(text.encode(), "qualtrics.csv")
    result = importing.import_frame(fresh_db, "voc", frame, filename="qualtrics.csv", unit="Ireland")
    assert (result.inserted, result.duplicates, result.units) == (3, 0, ("Ireland",))
    rows = list(fresh_db.query("SELECT source_key, received_on, touchpoint, score, scale, narrative FROM voc_responses "
                               "ORDER BY id"))
    assert rows == [
        {"source_key": "s:qualtrics\x1fR1", "received_on": "2026-05-01", "touchpoint": "Installation", "score": 9.0, "scale": "nps",
         "narrative": "Quick and tidy"},
        {"source_key": "s:qualtrics\x1fR2", "received_on": "2026-05-02", "touchpoint": "Billing", "score": 3.0, "scale": "nps",
         "narrative": "Nobody called back"},
        {"source_key": "s:qualtrics\x1fR3", "received_on": "2026-05-03", "touchpoint": "Billing", "score": 10.0, "scale": "nps",
         "narrative": "Best ever!!"},
    ]


@pytest.mark.both_engines
def test_reimport_without_ids_adds_nothing_and_keeps_identical_responses(fresh_db, tmp_path):
    text = ("received_on,touchpoint,score,scale,narrative\n"
            "2026-05-01,Billing,9,nps,\n"
            "2026-05-01,Billing,9,nps,\n"        # a second customer who gave the same score the same day
            "2026-05-02,Billing,2,nps,Wrong again\n")
    path = write(tmp_path / "scores.csv", text)
    assert importing.import_file(fresh_db, "voc", path, unit="Ireland") == importing.ImportResult(3, 0)
    assert importing.import_file(fresh_db, "voc", path, unit="Ireland") == importing.ImportResult(0, 3)
    assert count_rows(fresh_db, "voc_responses") == 3
    keys = [r["source_key"] for r in fresh_db.query("SELECT source_key FROM voc_responses")]
    assert len(set(keys)) == 3 and all(k.startswith("h:") for k in keys)


@pytest.mark.both_engines
def test_overlapping_exports_add_only_the_new_responses(fresh_db, tmp_path):
    header = "Response ID,RecordedDate,Touchpoint,NPS,Comments\n"
    first = write(tmp_path / "april.csv", header + "R1,2026-04-29,Billing,9,a\nR2,2026-04-30,Billing,3,b\n")
    second = write(tmp_path / "may.csv", header + "R2,2026-04-30,Billing,3,b\nR3,2026-05-01,Billing,0,c\n")
    # Short ids are numbered per survey: two exports of one survey say so with one --source name.
    importing.import_file(fresh_db, "voc", first, unit="Ireland", source="NPS survey")
    assert importing.import_file(fresh_db, "voc", second, unit="Ireland", source="NPS survey") == \
        importing.ImportResult(1, 1)
    assert count_rows(fresh_db, "voc_responses") == 3


def test_metric_reimport_replaces_a_corrected_actual(fresh_db, tmp_path):
    header = "period,touchpoint,name,target,actual,direction\n"
    importing.import_file(fresh_db, "metrics", write(tmp_path / "m.csv", header + (
        "2026-05,Installation,On time (%),95,91,higher\n2026-05,Urgent fault,Hours to repair,4,6,lower\n")),
        unit="Ireland")
    corrected = write(tmp_path / "m2.csv", header + "2026-05,Installation,On time (%),95,96.5,Higher is better\n")
    assert importing.import_file(fresh_db, "metrics", corrected, unit="Ireland") == importing.ImportResult(0, 1)
    rows = list(fresh_db.query("SELECT touchpoint, actual, direction FROM metrics ORDER BY id"))
    assert rows == [{"touchpoint": "Installation", "actual": 96.5, "direction": "higher"},
                    {"touchpoint": "Urgent fault", "actual": 6.0, "direction": "lower"}]


def test_two_readings_of_one_metric_in_one_file_are_a_problem(fresh_db, tmp_path):
    path = write(tmp_path / "m.csv", "period,touchpoint,name,target,actual,direction\n"
                                      "2026-05,Billing,Bills right first time,99,98,higher\n"
                                      "2026-05,billing,Bills right first time,99,97,higher\n")
    with pytest.raises(ImportFailed, match="row 3, column 'period': duplicate period \\+ touchpoint \\+ name "
                                           "'2026-05 / billing / Bills right first time': rows 2 and 3"):
        importing.import_file(fresh_db, "metrics", path, unit="Ireland")
    assert nothing_written(fresh_db)


def test_finance_upserts_on_period_and_line_with_loose_number_formats(fresh_db, tmp_path):
    path = write(tmp_path / "f.csv", 'Month;Line item;Actual;Budget\n05/2026;Revenue;1.250.000;1300000\n'
                                      "May 2026;Refunds;€42 000;25000,5\n")
    assert importing.import_file(fresh_db, "finance", path, unit="Ireland").inserted == 2
    assert list(fresh_db.query("SELECT period, line, actual, budget FROM finance ORDER BY id")) == [
        {"period": "2026-05", "line": "Revenue", "actual": 1250000.0, "budget": 1300000.0},
        {"period": "2026-05", "line": "Refunds", "actual": 42000.0, "budget": 25000.5},
    ]
    assert importing.import_file(fresh_db, "finance", path, unit="Ireland") == importing.ImportResult(0, 2)


def test_unit_argument_wins_and_a_country_question_is_never_the_unit(fresh_db, tmp_path):
    # Issue 11: --unit Ireland with a survey question called "Country" sent rows to three new units.
    path = write(tmp_path / "multi.csv", "Country,Date submitted,Team,Type,Comment\n"
                                          "France,2026-05-01,Field,Idea,Vans need more stock\n"
                                          "Spain,2026-05-02,Field,praise,Great teamwork\n"
                                          ",2026-05-03,Contact centre,challenge,Queue too long\n")
    result = importing.import_file(fresh_db, "staff", path, unit="Ireland")
    assert (result.inserted, result.units) == (3, ("Ireland",))
    assert [r["name"] for r in fresh_db.query("SELECT name FROM units")] == ["Ireland"]
    # Without --unit, "Country" is not taken on its keyword either: the rows need a unit.
    with pytest.raises(ImportFailed, match="these rows need a unit"):
        importing.import_file(fresh_db, "staff", path)


def test_mapped_unit_column_creates_units_only_when_asked(fresh_db, tmp_path):
    store.get_or_create_unit(fresh_db, "Ireland")
    path = write(tmp_path / "multi.csv", "Country,Date submitted,Team,Type,Comment\n"
                                          "ireland,2026-05-01,Field,Idea,Vans need more stock\n"
                                          "Spain,2026-05-02,Field,praise,Great teamwork\n"
                                          "Portugal,2026-05-03,Contact centre,challenge,Queue too long\n")
    with pytest.raises(ImportFailed, match="not known yet: Portugal, Spain.*--create-units"):
        importing.import_file(fresh_db, "staff", path, mapping={"unit": "Country"})
    assert count_rows(fresh_db, "staff_inputs") == 0 and count_rows(fresh_db, "units") == 1
    result = importing.import_file(fresh_db, "staff", path, mapping={"unit": "Country"}, create_units=True)
    assert (result.inserted, result.units) == (3, ("Ireland", "Portugal", "Spain"))
    assert list(fresh_db.query("SELECT u.name, s.kind FROM staff_inputs s JOIN units u ON u.id = s.unit_id "
                               "ORDER BY s.id")) == [
        {"name": "Ireland", "kind": "idea"}, {"name": "Spain", "kind": "praise"},
        {"name": "Portugal", "kind": "challenge"}]


def test_unit_column_without_a_unit_argument_needs_every_cell(fresh_db, tmp_path):
    path = write(tmp_path / "multi.csv", "unit,received_on,touchpoint,narrative\nSpain,2026-05-01,Billing,ok\n"
                                          ",2026-05-02,Billing,ok\n")
    with pytest.raises(ImportFailed, match="multi.csv, row 3, column 'unit': no unit"):
        importing.import_file(fresh_db, "voc", path)
    assert nothing_written(fresh_db)


def test_xlsx_with_real_dates_and_numbers_imports(fresh_db, tmp_path):
    frame = pd.DataFrame({
        "ResponseId": ["R_1", "R_2"],
        "RecordedDate": [dt.datetime(2026, 5, 3, 14, 22, 5), dt.datetime(2026, 5, 4)],
        "Journey Stage": ["Urgent fault", "Billing dispute"],
        "Satisfaction (1-5)": [2, 5],
        "Verbatim": ["Line dead for three days", None],
    })
    path = tmp_path / "export.xlsx"
    frame.to_excel(path, index=False)
    result = importing.import_file(fresh_db, "voc", path, unit="Ireland")
    assert result.inserted == 2
    assert list(fresh_db.query("SELECT response_id, received_on, touchpoint, score, scale, narrative "
                               "FROM voc_responses ORDER BY id")) == [
        {"response_id": "R_1", "received_on": "2026-05-03", "touchpoint": "Urgent fault", "score": 2.0,
         "scale": "csat", "narrative": "Line dead for three days"},
        {"response_id": "R_2", "received_on": "2026-05-04", "touchpoint": "Billing dispute", "score": 5.0,
         "scale": "csat", "narrative": None},
    ]


def test_xlsx_row_numbers_match_the_spreadsheet(fresh_db, tmp_path):
    path = tmp_path / "staff.xlsx"
    pd.DataFrame({"submitted_on": ["2026-05-01", "2026-05-02", "2026-05-03"], "kind": ["idea", "idea", "moan"],
                  "text": ["a", "b", "c"]}).to_excel(path, index=False)
    with pytest.raises(ImportFailed, match="staff.xlsx, row 4, column 'kind': 'moan' is not one of"):
        importing.import_file(fresh_db, "staff", path, unit="Ireland")


def test_semicolon_tab_and_utf16_files_are_read(tmp_path):
    expected = pd.DataFrame({"name": ["Zoë Núñez"], "kind": ["customer"]})
    for name, data in [("semi.csv", "name;kind\nZoë Núñez;customer\n".encode("utf-8-sig")),
                       ("tab.txt", "name\tkind\nZoë Núñez\tcustomer\n".encode()),
                       ("unicode.txt", "name\tkind\r\nZoë Núñez\tcustomer\r\n".encode("utf-16"))]:
        frame = importing.read_table(data, name)
        pd.testing.assert_frame_equal(frame.reset_index(drop=True).astype(object), expected.astype(object),
                                      check_dtype=False)


def test_blank_lines_are_skipped_but_rows_keep_their_spreadsheet_numbers(fresh_db):
    data = b"received_on,touchpoint,narrative\n2026-05-01,Billing,ok\n\n,,\n2026-05-0x,Billing,bad date\n"
    with pytest.raises(ImportFailed, match="row 5, column 'received_on'"):
        importing.import_frame(fresh_db, "voc", importing.read_table(data, "v.csv"), filename="v.csv", unit="X")


def test_qualtrics_question_and_import_id_rows_are_skipped(fresh_db):
    data = (b'ResponseId,RecordedDate,Touchpoint,Q1\n'
            b'Response ID,Recorded Date,Touchpoint,How likely are you to recommend us?\n'
            b'"{""ImportId"":""_recordId""}","{""ImportId"":""recordedDate""}","{""ImportId"":""QID2""}",'
            b'"{""ImportId"":""QID1""}"\n'
            b"R_1,2026-05-03 14:22:05,Billing,7\n")
    frame = importing.read_table(data, "qualtrics.csv")
    clean, problems = importing.validate("voc", frame, {"score": "Q1"}, filename="qualtrics.csv", unit="X")
    assert problems == []
    assert clean.index.tolist() == [4]  # header, question texts, ImportIds, then the response
    assert clean.loc[4, ["response_id", "received_on", "score", "scale"]].tolist() == ["R_1", "2026-05-03", 7.0, "nps"]


def test_participants_upsert_by_name_and_minutes_skip_entries_already_there(fresh_db, tmp_path):
    store.get_or_create_unit(fresh_db, "Ireland")
    meeting_id = meetings.create_meeting(fresh_db, "Ireland", "2026-06-04")
    roster = write(tmp_path / "roster.csv", "Full name,Company,Job title,Type,E-mail,Telephone\n"
                                            "Aoife Byrne,Byrne Dental,Owner,Client,aoife@example.com,\n"
                                            "Tom Walsh,Outside In,GM,Leader,,+353 1 555 0100\n")
    assert importing.import_file(fresh_db, "participants", roster, meeting_id=meeting_id).inserted == 2
    update = write(tmp_path / "roster2.csv", "name,kind,email\nTom Walsh,leader,tom@example.com\n")
    again = importing.import_file(fresh_db, "participants", update, meeting_id=meeting_id)
    assert again == importing.ImportResult(0, 1)
    assert list(fresh_db.query("SELECT name, organisation, kind, email, phone FROM participants ORDER BY id")) == [
        {"name": "Aoife Byrne", "organisation": "Byrne Dental", "kind": "customer", "email": "aoife@example.com",
         "phone": None},
        {"name": "Tom Walsh", "organisation": "Outside In", "kind": "leader", "email": "tom@example.com",
         "phone": "+353 1 555 0100"},
    ]
    minutes = write(tmp_path / "minutes.csv", "Section,Type,Notes,Owner,Due date\n"
                                              "Customer,Decision,Call every detractor,,\n"
                                              "Operations,Action,Stock vans,Tom Walsh,2026-06-30\n")
    assert importing.import_file(fresh_db, "minutes", minutes, meeting_id=meeting_id).inserted == 2
    assert importing.import_file(fresh_db, "minutes", minutes, meeting_id=meeting_id) == importing.ImportResult(0, 2)
    assert list(fresh_db.query("SELECT section, kind, owner, due_on, status FROM minutes_entries ORDER BY id")) == [
        {"section": "customer", "kind": "decision", "owner": None, "due_on": None, "status": "open"},
        {"section": "operations", "kind": "action", "owner": "Tom Walsh", "due_on": "2026-06-30", "status": "open"},
    ]


def test_plans_import_and_reimport(fresh_db, tmp_path):
    path = write(tmp_path / "plans.csv", "Type,Campaign,Target audience,Launch date,Description\n"
                                          "Marketing,Spring fibre upgrade,Residential,2026-06-01,Door drop\n"
                                          "Sales,Grow SMB 15%,SMB,,Partners\n")
    assert importing.import_file(fresh_db, "plans", path, unit="Ireland").inserted == 2
    assert importing.import_file(fresh_db, "plans", path, unit="Ireland") == importing.ImportResult(0, 2)
    assert [r["section"] for r in fresh_db.query("SELECT section FROM plans ORDER BY id")] == ["marketing", "sales"]


def test_every_not_null_column_is_required_or_supplied_by_the_importer(fresh_db):
    supplied = {"id", "unit_id", "meeting_id", "source_key", "status"}
    for kind, spec in importing.KINDS.items():
        columns = table_columns(fresh_db, spec.table)
        not_null = {name for name, required, has_default in columns if required and not has_default} - supplied
        assert not_null <= set(spec.required), (kind, not_null - set(spec.required))
        assert set(spec.field_names) <= {name for name, _, _ in columns}, kind


# --------------------------------------------------------------------------------------------- mapping

@pytest.mark.parametrize("kind, headers, expected", [
    ("voc", ["ResponseId", "RecordedDate", "Likelihood to recommend (0-10)", "Tell us why", "Journey Stage",
             "Customer segment", "Account", "Survey channel"],
     {"response_id": "ResponseId", "received_on": "RecordedDate", "score": "Likelihood to recommend (0-10)",
      "narrative": "Tell us why", "touchpoint": "Journey Stage", "segment": "Customer segment",
      "customer_ref": "Account", "channel": "Survey channel", "scale": None, "unit": None}),
    ("voc", ["Response ID", "Date submitted", "How likely are you to recommend us?",
             "Tell us why you gave this score", "Touchpoint", "Channel", "Comments (internal)"],
     {"response_id": "Response ID", "received_on": "Date submitted", "score": "How likely are you to recommend us?",
      "narrative": "Tell us why you gave this score", "touchpoint": "Touchpoint", "channel": "Channel",
      "segment": None, "customer_ref": None, "scale": None, "unit": None}),
    ("voc", ["CSAT", "Verbatim", "Process", "Date", "Country"],
     # "Country" is a survey question, never the unit on its own (issue 11): only a column named unit is.
     {"score": "CSAT", "narrative": "Verbatim", "touchpoint": "Process", "received_on": "Date", "unit": None,
      "response_id": None, "channel": None, "segment": None, "customer_ref": None, "scale": None}),
    ("voc", ["NPS", "Satisfaction (1-5)", "Comments", "Journey Stage", "Date"],
     {"score": "NPS", "narrative": "Comments", "touchpoint": "Journey Stage", "received_on": "Date",
      "response_id": None, "channel": None, "segment": None, "customer_ref": None, "scale": None, "unit": None}),
    ("staff", ["Date submitted", "Team", "Job title", "Category", "Comments", "Touchpoint"],
     {"submitted_on": "Date submitted", "team": "Team", "role": "Job title", "kind": "Category", "text": "Comments",
      "touchpoint": "Touchpoint", "engagement": None, "unit": None}),
    ("staff", ["Department", "Type", "Idea", "Created"],
     {"team": "Department", "kind": "Type", "text": "Idea", "submitted_on": "Created", "role": None,
      "touchpoint": None, "engagement": None, "unit": None}),
    ("metrics", ["Month", "Process", "KPI", "Target", "Actual", "Better when"],
     {"period": "Month", "touchpoint": "Process", "name": "KPI", "target": "Target", "actual": "Actual",
      "direction": "Better when", "unit": None}),
    ("finance", ["Month", "Line item", "Actual", "Budget"],
     {"period": "Month", "line": "Line item", "actual": "Actual", "budget": "Budget", "unit": None}),
    ("participants", ["Full name", "Company", "Job title", "Type", "E-mail", "Telephone"],
     {"name": "Full name", "organisation": "Company", "role": "Job title", "kind": "Type", "email": "E-mail",
      "phone": "Telephone", "aliases": None}),
    ("minutes", ["Section", "Type", "Notes", "Raised by", "Assigned to", "Deadline"],
     {"section": "Section", "kind": "Type", "text": "Notes", "speaker": "Raised by", "owner": "Assigned to",
      "due_on": "Deadline"}),
])
def test_suggest_mapping_on_real_headers(kind, headers, expected):
    assert importing.suggest_mapping(kind, headers) == expected


def test_suggest_mapping_never_uses_one_column_twice():
    mapping = importing.suggest_mapping("voc", ["Score"])
    assert [v for v in mapping.values() if v] == ["Score"]
    mapping = importing.suggest_mapping("metrics", ["Date", "Name", "Value"])
    used = [v for v in mapping.values() if v]
    assert len(used) == len(set(used))


def test_explicit_mapping_overrides_and_frees_the_suggestion():
    resolved = importing.resolve_mapping("voc", ["Date", "Closed date", "Stage"], {"received_on": "Closed date"})
    assert resolved["received_on"] == "Closed date" and resolved["touchpoint"] == "Stage"
    assert importing.resolve_mapping("voc", ["Date", "Stage"], {"received_on": None})["received_on"] is None


def test_mapping_to_a_column_the_file_lacks_is_a_problem(fresh_db):
    frame = importing.read_table(b"Date,Stage,Why\n2026-05-01,Billing,ok\n", "v.csv")
    _, problems = importing.validate("voc", frame, {"narrative": "Comments", "touchpoint": "Stage", "unit": "Stage"},
                                     filename="v.csv")
    assert problems[0] == Problem(None, "Comments", "is not a column of the file (mapped to narrative); the file's "
                                                    "columns are: Date, Stage, Why")
    assert any(p.column == "Stage" and "mapped to both" in p.message for p in problems)


# --------------------------------------------------------------------------------------------- parsing

def test_parse_dates_accepts_iso_datetimes_named_months_and_unambiguous_day_first():
    text = pd.Series(["2026-10-03 14:22:05", "2026-10-03T14:22:05Z", "2026-1-5", "25/12/2026", "03/10/2026",
                      "3 Oct 2026", "Oct 3, 2026", "2026-02-30", "soon", None], dtype="str")
    values, bad, complaint = importing.parse_dates(text)
    assert values.tolist()[:7] == ["2026-10-03", "2026-10-03", "2026-01-05", "2026-12-25", "2026-10-03",
                                   "2026-10-03", "2026-10-03"]
    assert bad.tolist() == [False] * 7 + [True, True, False]
    assert complaint is None


def test_parse_dates_month_first_by_evidence_or_by_order():
    values, _, _ = importing.parse_dates(pd.Series(["12/25/2026", "10/03/2026"], dtype="str"))
    assert values.tolist() == ["2026-12-25", "2026-10-03"]
    values, bad, complaint = importing.parse_dates(pd.Series(["10/03/2026"], dtype="str"))
    assert complaint is not None and not bad.any()
    values, _, complaint = importing.parse_dates(pd.Series(["10/03/2026"], dtype="str"), "mdy")
    assert values.tolist() == ["2026-10-03"] and complaint is None


def test_date_order_constant_through_import(fresh_db):
    frame = importing.read_table(b"Date,Stage,Why\n04/05/2026,Billing,ok\n", "v.csv")
    importing.import_frame(fresh_db, "voc", frame, filename="v.csv", unit="X", constants={"date_order": "dmy"})
    assert fresh_db.execute("SELECT received_on FROM voc_responses").fetchone()[0] == "2026-05-04"


def test_parse_numbers_and_periods():
    numbers, bad = importing.parse_numbers(pd.Series(["7", "7.5", "1,250,000", "95%", "€12", "-3.5", "seven",
                                                      "inf", None], dtype="str"), ".")
    assert numbers.tolist()[:6] == [7.0, 7.5, 1250000.0, 95.0, 12.0, -3.5]
    assert bad.tolist() == [False] * 6 + [True, True, False]
    numbers, bad = importing.parse_numbers(pd.Series(["7", "7,5", "1.250.000", "57.300", "6,125", "1 250,75 €"],
                                                     dtype="str"), ",")
    assert numbers.tolist() == [7.0, 7.5, 1250000.0, 57300.0, 6.125, 1250.75]
    periods, bad, _ = importing.parse_periods(pd.Series(["2026-05", "2026-5-01", "05/2026", "May 2026", "Oct-26",
                                                      "2026-13", "Q2"], dtype="str"))
    assert periods.tolist()[:5] == ["2026-05", "2026-05", "2026-05", "2026-05", "2026-10"]
    assert bad.tolist() == [False] * 5 + [True, True]


# --------------------------------------------------------------------------------------------- CLI

def test_cli_import_with_map_and_set_then_reimport(db_path, tmp_path, capsys):
    path = write(tmp_path / "export.csv", "When,Where,Score given,Why\n"
                                          "2026-05-01,Billing,4,Clear bill\n2026-05-02,Billing,2,Charged twice\n")
    argv = ["--db", str(db_path), "import", "voc", str(path), "--unit", "Ireland",
            "--map", "received_on=When", "--map", "touchpoint=Where", "--map", "score=Score given",
            "--set", "scale=csat", "--set", "channel=email"]
    assert cli.main(argv) == 0
    mapping = "Mapping: received_on <- When, touchpoint <- Where, score <- Score given, narrative <- Why\n"
    assert capsys.readouterr().out == mapping + ("Imported 2 voc rows into Ireland (0 already there).\n"
                                                 "Import batch 1 (undo: python -m meeting import undo 1).\n")
    assert cli.main(argv) == 0
    assert capsys.readouterr().out == mapping + ("Imported 0 voc rows into Ireland (2 already there).\n"
                                                 "Import batch 2 (undo: python -m meeting import undo 2).\n")
    db = store.open_db(db_path)
    assert list(db.query("SELECT received_on, touchpoint, score, scale, channel FROM voc_responses ORDER BY id")) == [
        {"received_on": "2026-05-01", "touchpoint": "Billing", "score": 4.0, "scale": "csat", "channel": "email"},
        {"received_on": "2026-05-02", "touchpoint": "Billing", "score": 2.0, "scale": "csat", "channel": "email"},
    ]
    db.close()


@pytest.mark.both_engines
def test_cli_bad_input_exits_2_with_the_report_on_stderr(db_path, capsys):
    code = cli.main(["--db", str(db_path), "import", "voc", str(FIXTURES / "voc_bad_date.csv"), "--unit", "Ireland"])
    captured = capsys.readouterr()
    assert code == 2 and captured.out == ""
    assert "voc_bad_date.csv, row 3, column 'RecordedDate': 'yesterday' is not a date" in captured.err
    assert captured.err.rstrip().endswith("Nothing was imported.")
    db = store.open_db(db_path)
    assert nothing_written(db)
    db.close()


def test_cli_map_without_equals_is_bad_input(db_path, capsys):
    code = cli.main(["--db", str(db_path), "import", "voc", str(FIXTURES / "voc_bad_date.csv"), "--unit", "X",
                     "--map", "score"])
    assert code == 2 and "'score' is not canonical=value" in capsys.readouterr().err


def test_cli_import_kinds_match_the_importer():
    parser = cli.build_parser()
    subcommands = next(a for a in parser._actions if a.dest == "command").choices
    kind = next(a for a in subcommands["import"]._actions if a.dest == "kind")
    assert tuple(kind.choices) == (*importing.KINDS, "tickets", "undo")  # undo BATCH_ID: not a kind of file


def test_readme_documents_every_kinds_canonical_columns_and_example():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Importing your data"):]
    for kind, spec in importing.KINDS.items():
        assert f"| `{kind}`" in section, kind
        assert ",".join(spec.field_names) in section, kind  # the example's header line
        example_rows = spec.example.splitlines()
        assert example_rows[1] in section, kind
