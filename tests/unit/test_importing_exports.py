"""Real exports in, right numbers out (issue 11): each tool's layout, read back from the SQLite file.

The fixtures under fixtures/import/exports/ are our own data written in each tool's layout, with its real
column names and quirks. Each test imports through the CLI as a user would type it, then reads what was stored.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from meeting import cli, importing, store

EXPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "import" / "exports"


def run(db_path, *argv) -> int:
    return cli.main(["--db", str(db_path), "import", *map(str, argv)])


def stored(db_path, sql: str) -> list[dict]:
    db = store.open_db(db_path)
    try:
        return list(db.query(sql))
    finally:
        db.close()


VOC = "SELECT response_id, received_on, touchpoint, score, scale, narrative FROM voc_responses ORDER BY id"


# --------------------------------------------------------------------------------------------- silent-wrong cases

def test_qualtrics_score_is_q1_never_the_nps_group_and_non_responses_are_skipped(db_path, capsys):
    # Issue 11: Q1_NPS_GROUP (1/2/3) was taken as the score, so every customer became a detractor.
    assert run(db_path, "voc", EXPORTS / "qualtrics_nps.csv", "--unit", "Ireland") == 0
    out = capsys.readouterr().out
    assert "score <- Q1," in out and "Q1_NPS_GROUP" not in out
    assert "1 unfinished responses skipped" in out and "1 preview, test or spam responses skipped" in out
    assert stored(db_path, VOC) == [
        {"response_id": "R_3kVQ2mPz8xTnA1b", "received_on": "2026-05-03", "touchpoint": "Installation", "score": 9.0,
         "scale": "nps", "narrative": "Engineer was on time, tidy job"},
        {"response_id": "R_1dG7hLwq0sYe2Cc", "received_on": "2026-05-04", "touchpoint": "Installation", "score": 10.0,
         "scale": "nps", "narrative": None},
        {"response_id": "R_2ZmW5bQy7uNr3Dd", "received_on": "2026-05-05", "touchpoint": "Billing", "score": 3.0,
         "scale": "nps", "narrative": "Billed twice and nobody called back"},
        {"response_id": "R_5sT4uV3wX2yZ1Aa", "received_on": "2026-05-07", "touchpoint": "Moving home", "score": 7.0,
         "scale": "nps", "narrative": "Fine"},
    ]
    # Re-importing the file (or a later download of it under another name) adds nothing.
    assert run(db_path, "voc", EXPORTS / "qualtrics_nps.csv", "--unit", "Ireland") == 0
    assert "Imported 0 voc rows into Ireland (4 already there)" in capsys.readouterr().out


def test_a_column_of_group_codes_is_never_guessed_as_the_score():
    frame = importing.read_table(b"Date,Touchpoint,NPS_GROUP,Why\n2026-05-01,Billing,1,slow\n"
                                 b"2026-05-02,Billing,3,great\n", "groups.csv")
    assert importing.suggest_mapping("voc", list(frame.columns), frame)["score"] is None


def test_semicolon_file_is_european_for_every_cell(db_path):
    # Issue 11: 6,125 became 6125 while 95,5 became 95.5, and 57.300 (fifty-seven thousand) became 57.3.
    assert run(db_path, "metrics", EXPORTS / "european_metrics.csv", "--unit", "Ireland") == 0
    assert stored(db_path, "SELECT period, name, target, actual FROM metrics ORDER BY id") == [
        {"period": "2026-05", "name": "Calls handled", "target": 55000.0, "actual": 57300.0},
        {"period": "2026-05", "name": "On time (%)", "target": 95.0, "actual": 95.5},
        {"period": "2026-06", "name": "Hours to install", "target": 6.0, "actual": 6.125},
    ]


def test_decimal_separator_the_file_cannot_show_is_asked_for(db_path, tmp_path, capsys):
    path = tmp_path / "hours.csv"
    path.write_text('period,touchpoint,name,target,actual,direction\n2026-05,Repair,Hours,"6,125","7,250",lower\n')
    assert run(db_path, "metrics", path, "--unit", "Ireland") == 2
    assert "--decimal , (European) or --decimal . (English)" in capsys.readouterr().err
    assert stored(db_path, "SELECT COUNT(*) AS n FROM metrics") == [{"n": 0}]
    assert run(db_path, "metrics", path, "--unit", "Ireland", "--decimal", ",") == 0
    assert stored(db_path, "SELECT target, actual FROM metrics") == [{"target": 6.125, "actual": 7.25}]


def test_mixed_decimal_separators_in_one_file_are_refused(db_path, tmp_path, capsys):
    path = tmp_path / "mixed.csv"
    path.write_text("period;touchpoint;name;target;actual;direction\n2026-05;Repair;A;95,5;96.5;higher\n")
    assert run(db_path, "metrics", path, "--unit", "Ireland") == 2
    assert "decimal comma and others a decimal dot" in capsys.readouterr().err


def _percent_workbook(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Month", "Process", "KPI", "Target", "Actual", "Better when"])
    sheet.append(["2026-05", "Installation", "On time", 0.95, 0.868, "higher"])
    sheet.append(["2026-05", "Repair", "Hours to repair", 4, 6.5, "lower"])
    for cell in ("D2", "E2"):
        sheet[cell].number_format = "0.0%"
    book.save(path)
    return path


def test_xlsx_percent_cells_are_stored_as_the_percentage_excel_shows(db_path, tmp_path):
    # Issue 11: 86.8% was stored as 0.868.
    path = _percent_workbook(tmp_path / "kpis.xlsx")
    assert run(db_path, "metrics", path, "--unit", "Ireland") == 0
    assert stored(db_path, "SELECT name, target, actual FROM metrics ORDER BY id") == [
        {"name": "On time", "target": 95.0, "actual": 86.8}, {"name": "Hours to repair", "target": 4.0, "actual": 6.5}]


def _forms_workbook(path: Path, count: int, service: str) -> Path:
    """Microsoft Forms' download: ID 1..N, Start time, Completion time, Email, Name, then the questions."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    sheet.append(["ID", "Start time", "Completion time", "Email", "Name",
                  "How likely are you to recommend us to a friend?", "What could we do better?", "Service"])
    for number in range(1, count + 1):
        sheet.append([number, dt.datetime(2026, 5, number, 9, 0), dt.datetime(2026, 5, number, 9, 4), "anonymous",
                      None, number + 2, f"Answer {number}" if number % 2 else None, service])
    book.save(path)
    return path


def test_two_microsoft_forms_exports_numbering_1_to_n_both_import_and_reimport_adds_nothing(db_path, tmp_path,
                                                                                             capsys):
    # Issue 11: the second form's responses were dropped as "already there".
    SERVICE = ("--map", "touchpoint=Service")
    first = _forms_workbook(tmp_path / "Installation survey(1-3).xlsx", 3, "Installation")
    second = _forms_workbook(tmp_path / "Billing survey(1-3).xlsx", 3, "Billing")
    assert run(db_path, "voc", first, "--unit", "Ireland", *SERVICE) == 0
    assert run(db_path, "voc", second, "--unit", "Ireland", *SERVICE) == 0
    assert run(db_path, "voc", first, "--unit", "Ireland", *SERVICE) == 0
    assert "Imported 0 voc rows into Ireland (3 already there)" in capsys.readouterr().out
    # A later download of the first form (its name counts the responses) adds only the new ones.
    later = _forms_workbook(tmp_path / "Installation survey(1-5).xlsx", 5, "Installation")
    assert run(db_path, "voc", later, "--unit", "Ireland", *SERVICE) == 0
    rows = stored(db_path, "SELECT response_id, received_on, touchpoint, score FROM voc_responses ORDER BY id")
    assert [(r["touchpoint"], r["response_id"]) for r in rows] == [
        ("Installation", "1"), ("Installation", "2"), ("Installation", "3"),
        ("Billing", "1"), ("Billing", "2"), ("Billing", "3"), ("Installation", "4"), ("Installation", "5")]
    assert [r["received_on"] for r in rows[:3]] == ["2026-05-01", "2026-05-02", "2026-05-03"]
    assert [r["score"] for r in rows[:3]] == [3.0, 4.0, 5.0]


def test_explicit_source_scopes_ids(db_path, tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("ID,Date,Touchpoint,Score\n1,2026-05-01,Billing,9\n")
    assert run(db_path, "voc", path, "--unit", "Ireland", "--source", "Spring survey") == 0
    assert run(db_path, "voc", path, "--unit", "Ireland", "--source", "Autumn survey") == 0
    assert run(db_path, "voc", path, "--unit", "Ireland", "--source", "spring  survey") == 0
    assert stored(db_path, "SELECT COUNT(*) AS n FROM voc_responses") == [{"n": 2}]


def test_unit_argument_wins_over_a_country_question_in_the_cli(db_path, tmp_path):
    path = tmp_path / "survey.csv"
    path.write_text("Date,Touchpoint,Score,Country\n2026-05-01,Billing,9,France\n2026-05-02,Billing,3,Germany\n")
    assert run(db_path, "voc", path, "--unit", "Ireland") == 0
    assert stored(db_path, "SELECT name FROM units") == [{"name": "Ireland"}]


def test_unknown_units_from_a_mapped_column_are_listed_and_need_create_units(db_path, tmp_path, capsys):
    path = tmp_path / "survey.csv"
    path.write_text("Date,Touchpoint,Score,Country\n2026-05-01,Billing,9,France\n2026-05-02,Billing,3,Germany\n")
    assert run(db_path, "voc", path, "--map", "unit=Country") == 2
    assert "not known yet: France, Germany" in capsys.readouterr().err
    assert stored(db_path, "SELECT COUNT(*) AS n FROM units") == [{"n": 0}]
    assert run(db_path, "voc", path, "--map", "unit=Country", "--create-units") == 0
    assert stored(db_path, "SELECT u.name, v.score FROM voc_responses v JOIN units u ON u.id = v.unit_id "
                           "ORDER BY v.id") == [{"name": "France", "score": 9.0}, {"name": "Germany", "score": 3.0}]


@pytest.mark.parametrize("kind, headers, values, field", [
    # SurveyMonkey's Collector ID is a number, not a channel.
    ("voc", ["Collector ID", "Date", "Touchpoint"], ["431876512", "2026-05-01", "Billing"], "channel"),
    # A question that mentions a team is not the team column.
    ("staff", ["Date", "Which team helped you most this month?", "Type", "Comment"],
     ["2026-05-01", "The night shift because they stayed late", "idea", "More vans"], "team"),
    # A "role" column full of numbers is suspect.
    ("staff", ["Date", "Role code", "Type", "Comment"], ["2026-05-01", "4411", "idea", "More vans"], "role"),
])
def test_keyword_guesses_are_checked(kind, headers, values, field):
    frame = importing.read_table((",".join(headers) + "\n" + ",".join(values) + "\n").encode(), "x.csv")
    assert importing.suggest_mapping(kind, list(frame.columns), frame)[field] is None


def test_dry_run_prints_mapping_rows_and_counts_and_writes_nothing(db_path, capsys):
    assert run(db_path, "voc", EXPORTS / "qualtrics_nps.csv", "--unit", "Ireland", "--dry-run") == 0
    out = capsys.readouterr().out
    assert "Mapping: response_id <- ResponseId, received_on <- RecordedDate" in out
    assert "R_3kVQ2mPz8xTnA1b" in out and "2026-05-03" in out
    assert "4 rows would be imported; 2 skipped; 0 refused" in out
    assert stored(db_path, "SELECT COUNT(*) AS n FROM voc_responses") == [{"n": 0}]
    assert stored(db_path, "SELECT COUNT(*) AS n FROM units") == [{"n": 0}]


# --------------------------------------------------------------------------------------------- layouts

def test_qualtrics_legacy_layout_uses_row_two_names_and_skips_preview_and_unfinished(db_path, capsys):
    assert run(db_path, "voc", EXPORTS / "qualtrics_legacy.csv", "--unit", "Ireland", "--map", "score=Q1",
               "--map", "narrative=Q2", "--map", "touchpoint=Q3") == 0
    out = capsys.readouterr().out
    assert "1 unfinished responses skipped" in out and "1 preview, test or spam responses skipped" in out
    assert stored(db_path, VOC) == [
        {"response_id": "R_0aX9bY8cZ7dW6e1", "received_on": "2017-07-18", "touchpoint": "Repair", "score": 4.0,
         "scale": "csat", "narrative": "Quick fix"},
        {"response_id": "R_0qN7rM6sL5tK4u4", "received_on": "2017-07-20", "touchpoint": "Repair", "score": 5.0,
         "scale": "csat", "narrative": None},
    ]


def test_surveymonkey_two_header_rows_name_columns_by_question_and_sub_answer(db_path):
    frame = importing.read_table(EXPORTS / "surveymonkey.csv", "surveymonkey.csv")
    assert frame.attrs["layout"] == "surveymonkey"
    assert list(frame.columns)[-3:] == ["Which of these did you use? - App", "Which of these did you use? - Website",
                                        "Which of these did you use? - Other (please specify)"]
    assert run(db_path, "voc", EXPORTS / "surveymonkey.csv", "--unit", "Ireland",
               "--map", "touchpoint=Which part of our service was this about?") == 0
    assert stored(db_path, "SELECT response_id, received_on, channel, touchpoint, score, scale, narrative "
                           "FROM voc_responses ORDER BY id") == [
        {"response_id": "114146298741", "received_on": "2026-05-03", "channel": None, "touchpoint": "Billing",
         "score": 8.0, "scale": "nps", "narrative": "Explain the bill better"},
        {"response_id": "114146298742", "received_on": "2026-05-23", "channel": None, "touchpoint": "Urgent fault",
         "score": 2.0, "scale": "nps", "narrative": "Line dead for three days, no updates"},
        {"response_id": "114146298743", "received_on": "2026-05-24", "channel": None, "touchpoint": "Installation",
         "score": 10.0, "scale": "nps", "narrative": None},
    ]


def test_google_forms_timestamps_with_zone_and_blank_optional_comments(db_path, capsys):
    argv = ("voc", EXPORTS / "google_forms.csv", "--unit", "Ireland", "--map", "touchpoint=Which service was this about?")
    assert run(db_path, *argv) == 0
    assert stored(db_path, VOC) == [
        {"response_id": None, "received_on": "2022-06-22", "touchpoint": "Installation", "score": 9.0, "scale": "nps",
         "narrative": None},
        {"response_id": None, "received_on": "2022-06-22", "touchpoint": "Billing", "score": 4.0, "scale": "nps",
         "narrative": "Confusing bill"},
        {"response_id": None, "received_on": "2022-06-23", "touchpoint": "Installation", "score": 10.0, "scale": "nps",
         "narrative": None},
    ]
    capsys.readouterr()
    assert run(db_path, *argv) == 0
    assert "Imported 0 voc rows into Ireland (3 already there)" in capsys.readouterr().out


def test_typeform_token_ids_and_labelled_scores(db_path):
    assert run(db_path, "voc", EXPORTS / "typeform.csv", "--unit", "Ireland", "--map", "touchpoint=Which service?") == 0
    assert stored(db_path, VOC) == [
        {"response_id": "a1b2c3d4e5f6g7h8i9j0", "received_on": "2026-05-10", "touchpoint": "Onboarding", "score": 10.0,
         "scale": "nps", "narrative": None},
        {"response_id": "k1l2m3n4o5p6q7r8s9t0", "received_on": "2026-05-11", "touchpoint": "Cancellation",
         "score": 0.0, "scale": "nps", "narrative": "Never again"},
        {"response_id": "u1v2w3x4y5z6a7b8c9d0", "received_on": "2026-05-12", "touchpoint": "Onboarding", "score": 7.0,
         "scale": "nps", "narrative": None},
    ]


def test_title_row_above_the_header_is_found_and_header_row_overrides(db_path, tmp_path):
    path = tmp_path / "report.csv"
    path.write_text("Customer survey export - May 2026,,,\n,,,\nDate,Touchpoint,Score,Comment\n"
                    "2026-05-01,Billing,9,ok\n")
    frame = importing.read_table(path, path.name)
    assert list(frame.columns) == ["Date", "Touchpoint", "Score", "Comment"] and frame.index.tolist() == [4]
    assert run(db_path, "voc", path, "--unit", "Ireland", "--header-row", "3") == 0
    assert stored(db_path, "SELECT received_on, score FROM voc_responses") == [{"received_on": "2026-05-01",
                                                                               "score": 9.0}]


def test_xlsx_cover_sheet_is_passed_over_and_sheet_picks_one(db_path, tmp_path, capsys):
    book = openpyxl.Workbook()
    cover = book.active
    cover.title = "About"
    cover.append(["This workbook holds the May survey. Data on the next sheet."])
    data = book.create_sheet("Responses")
    data.append(["Date", "Touchpoint", "Score"])
    data.append([45778, "Billing", 8])  # an Excel serial number in a cell without a date format: 2025-05-01
    data.append([dt.datetime(2026, 5, 2), "Repair", 6])
    other = book.create_sheet("Old")
    other.append(["Date", "Touchpoint", "Score"])
    other.append(["2020-01-01", "Billing", 1])
    path = tmp_path / "survey.xlsx"
    book.save(path)
    assert run(db_path, "voc", path, "--unit", "Ireland", "--set", "scale=nps") == 0
    assert stored(db_path, "SELECT received_on, touchpoint, score FROM voc_responses ORDER BY id") == [
        {"received_on": "2025-05-01", "touchpoint": "Billing", "score": 8.0},
        {"received_on": "2026-05-02", "touchpoint": "Repair", "score": 6.0}]
    assert run(db_path, "voc", path, "--unit", "Spain", "--sheet", "Old", "--set", "scale=nps") == 0
    assert run(db_path, "voc", path, "--unit", "Spain", "--sheet", "Nope") == 2
    assert "there is no sheet 'Nope'; the sheets are: About, Responses, Old" in capsys.readouterr().err


def test_bad_rows_stop_the_import_unless_skip_bad_rows_writes_them_out(db_path, tmp_path, capsys):
    path = tmp_path / "scores.csv"
    path.write_text("Date,Touchpoint,Score\n2026-05-01,Billing,9\nyesterday,Billing,3\n2026-05-03,Billing,12\n"
                    "2026-05-04,Repair,7\n")
    assert run(db_path, "voc", path, "--unit", "Ireland") == 2
    assert stored(db_path, "SELECT COUNT(*) AS n FROM voc_responses") == [{"n": 0}]
    rejects = tmp_path / "rejects.csv"
    assert run(db_path, "voc", path, "--unit", "Ireland", "--skip-bad-rows", rejects) == 0
    assert "2 bad rows left out" in capsys.readouterr().out
    assert stored(db_path, "SELECT received_on, score FROM voc_responses ORDER BY id") == [
        {"received_on": "2026-05-01", "score": 9.0}, {"received_on": "2026-05-04", "score": 7.0}]
    lines = rejects.read_text().splitlines()
    assert lines[0] == "row,Date,Touchpoint,Score,reasons"
    assert lines[1].startswith("3,yesterday,Billing,3,") and "is not a date" in lines[1]
    assert lines[2].startswith("4,2026-05-03,Billing,12,") and "outside the NPS scale" in lines[2]


@pytest.mark.parametrize("cells, expected", [
    (["8/25/22 15:47", "8/26/22 09:02"], ["2022-08-25", "2022-08-26"]),           # Excel-saved CSV, month first
    (["25/08/2022 15:47", "03/09/2022 10:00"], ["2022-08-25", "2022-09-03"]),     # day first, shown by the 25
    (["1/Oct/26 2:03 AM", "12/Nov/26 11:59 PM"], ["2026-10-01", "2026-11-12"]),   # Jira
    (["2022/06/22 11:07:29 AM AST", "2022/06/23 1:00:00 PM GMT+1"], ["2022-06-22", "2022-06-23"]),  # Google Forms
    (["3 Oct 2026", "October 4, 2026"], ["2026-10-03", "2026-10-04"]),
])
def test_dates_as_tools_write_them(cells, expected):
    import pandas as pd

    values, bad, complaint = importing.parse_dates(pd.Series(cells, dtype="str"))
    assert (values.tolist(), bad.tolist(), complaint) == (expected, [False, False], None)


def test_a_date_column_that_cannot_tell_day_from_month_is_refused_once():
    import pandas as pd

    values, bad, complaint = importing.parse_dates(pd.Series(["03/04/2026", "05/06/2026"], dtype="str"))
    assert values.isna().all() and not bad.any() and "--set date_order=dmy" in complaint[1]
    assert importing.parse_dates(pd.Series(["03/04/2026"], dtype="str"), "dmy")[0].tolist() == ["2026-04-03"]
    # A month without a day is not a date to invent.
    assert importing.parse_dates(pd.Series(["May 2026"], dtype="str"))[1].tolist() == [True]


def test_periods_written_as_first_of_month_dates(db_path, tmp_path):
    path = tmp_path / "finance.csv"
    path.write_text("Period,Line,Actual,Budget\n01/12/2025,Revenue,100,90\n01/01/2026,Revenue,110,95\n")
    assert run(db_path, "finance", path, "--unit", "Ireland") == 0
    assert stored(db_path, "SELECT period, actual FROM finance ORDER BY id") == [
        {"period": "2025-12", "actual": 100.0}, {"period": "2026-01", "actual": 110.0}]


# --------------------------------------------------------------------------------------------- tickets

TICKETS = "SELECT period, touchpoint, name, target, actual, direction FROM metrics ORDER BY name DESC, period, touchpoint"


def test_servicenow_event_log_counts_each_ticket_once_by_its_latest_row(db_path, capsys):
    argv = ("tickets", EXPORTS / "servicenow_events.csv", "--unit", "Ireland", "--map", "ticket_id=number",
            "--map", "opened_on=opened_at", "--map", "touchpoint=category", "--map", "within_sla=made_sla",
            "--set", "target=90")
    assert run(db_path, *argv) == 0
    assert "ticket_id <- number" in capsys.readouterr().out
    expected = [
        # INC0010001 met its SLA; INC0010002's latest row (16 Feb) says it did not: 1 of 2.
        {"period": "2026-02", "touchpoint": "Installation", "name": "Tickets within SLA (%)", "target": 90.0,
         "actual": 50.0, "direction": "higher"},
        {"period": "2026-03", "touchpoint": "Billing", "name": "Tickets within SLA (%)", "target": 90.0,
         "actual": 66.67, "direction": "higher"},
    ]
    assert stored(db_path, TICKETS) == expected
    assert run(db_path, *argv) == 0  # the same months again: replaced, not added
    assert stored(db_path, TICKETS) == expected


def test_jira_tickets_with_resolved_times_give_median_hours(db_path):
    assert run(db_path, "tickets", EXPORTS / "jira_jsm.csv", "--unit", "Ireland", "--map", "ticket_id=Issue key",
               "--map", "opened_on=Created", "--map", "touchpoint=Custom field (Request Type)",
               "--map", "within_sla=Custom field (SLA met)", "--map", "resolved_on=Resolved",
               "--set", "target=90", "--set", "resolve_target=8") == 0
    rows = stored(db_path, TICKETS)
    assert [r for r in rows if r["name"] == "Median hours to resolve"] == [
        {"period": "2026-10", "touchpoint": "Billing", "name": "Median hours to resolve", "target": 8.0,
         "actual": 48.0, "direction": "lower"},
        {"period": "2026-10", "touchpoint": "Installation", "name": "Median hours to resolve", "target": 8.0,
         "actual": 4.0, "direction": "lower"},
        {"period": "2026-10", "touchpoint": "Urgent fault", "name": "Median hours to resolve", "target": 8.0,
         "actual": 7.0, "direction": "lower"},
        {"period": "2026-11", "touchpoint": "Urgent fault", "name": "Median hours to resolve", "target": 8.0,
         "actual": 10.0, "direction": "lower"},
    ]
    assert [(r["period"], r["touchpoint"], r["actual"]) for r in rows if r["name"] != "Median hours to resolve"] == [
        ("2026-10", "Billing", 50.0), ("2026-10", "Installation", 100.0), ("2026-10", "Urgent fault", 100.0),
        ("2026-11", "Urgent fault", 0.0)]


def test_tickets_without_a_target_are_refused_asking_for_it(db_path, capsys):
    assert run(db_path, "tickets", EXPORTS / "servicenow_events.csv", "--unit", "Ireland",
               "--map", "touchpoint=category") == 2
    assert "--set target=" in capsys.readouterr().err
    assert stored(db_path, "SELECT COUNT(*) AS n FROM metrics") == [{"n": 0}]


def test_reimported_metrics_say_their_values_were_replaced(db_path, tmp_path, capsys):
    # Issue 11: re-importing the same months reported "0 imported (240 already there)" while replacing values.
    path = _percent_workbook(tmp_path / "kpis.xlsx")
    assert run(db_path, "metrics", path, "--unit", "Ireland") == 0
    capsys.readouterr()
    assert run(db_path, "metrics", path, "--unit", "Ireland") == 0
    assert "Imported 0 metrics rows into Ireland (2 already there, their values replaced)." in capsys.readouterr().out


def test_a_header_row_past_the_end_is_explained(db_path, tmp_path, capsys):
    path = tmp_path / "s.csv"
    path.write_text("Date,Touchpoint,Score\n2026-05-01,Billing,9\n")
    assert run(db_path, "voc", path, "--unit", "X", "--header-row", "9") == 2
    assert "--header-row 9: that row is empty or past the end of the file" in capsys.readouterr().err


def test_tickets_still_running_are_skipped_and_blank_touchpoints_can_be_filled(db_path, tmp_path, capsys):
    path = tmp_path / "jsm.csv"
    path.write_text("Issue key,Created,Request Type,SLA met\nSUP-1,2026-10-01 09:00,Billing,Yes\n"
                    "SUP-2,2026-10-02 09:00,Billing,\nSUP-3,2026-10-03 09:00,,No\n")
    argv = ("tickets", path, "--unit", "Ireland", "--map", "ticket_id=Issue key", "--map", "touchpoint=Request Type",
            "--map", "within_sla=SLA met", "--set", "target=90")
    assert run(db_path, *argv) == 2
    assert "--set touchpoint=..." in capsys.readouterr().err  # the blank touchpoint asks for a value
    assert run(db_path, *argv, "--set", "touchpoint=Unassigned") == 0
    assert "1 tickets with no SLA result yet" in capsys.readouterr().out
    assert stored(db_path, "SELECT touchpoint, actual FROM metrics ORDER BY touchpoint") == [
        {"touchpoint": "Billing", "actual": 100.0}, {"touchpoint": "Unassigned", "actual": 0.0}]


@pytest.mark.parametrize("filename, survey", [
    ("Installation survey(1-20).xlsx", "installation survey"),
    ("Installation survey(1-35).xlsx", "installation survey"),   # a later download of the same form
    ("Installation survey (1).csv", "installation survey"),      # a browser's second copy
    ("Installation survey - Copy.csv", "installation survey"),
    ("Billing survey(1-20).xlsx", "billing survey"),
    ("Survey 2026 (Responses).csv", "survey 2026 (responses)"),  # Google's own suffix names the sheet: kept
])
def test_the_survey_a_file_holds_is_its_name_without_download_counters(filename, survey):
    assert importing.source_name(filename) == survey
